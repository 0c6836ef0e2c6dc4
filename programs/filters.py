"""The filters the list pages are built from: text boxes naming a record (by
slug, or a region by its name), "in this region or below", year and amount
ranges, checkboxes of choices and of related records. Each bad value is a form
error with a message that names it."""

import django_filters
from django import forms
from django.db.models import Q

from programs.models import Program, Region
from programs.models.base import MAX_YEAR, MIN_YEAR
from programs.models.regions import below_path

MAX_QUERY_LENGTH = 200
MAX_AMOUNT = 10**17


class RefField(forms.CharField):
    """A text box naming one record by its slug; an unknown slug is an error."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        kwargs.setdefault("max_length", 80)
        super().__init__(**kwargs)

    def clean(self, value):
        slug = super().clean(value)
        if not slug:
            return None
        try:
            return self.model.objects.get(slug=slug)
        except self.model.DoesNotExist:
            raise forms.ValidationError(
                f"There is no {self.model._meta.verbose_name} “{slug}” in the casebook.", code="unknown"
            ) from None


class RegionField(RefField):
    """A region named by its slug, or by its exact English or Chinese name."""

    def __init__(self, **kwargs):
        kwargs["model"] = Region
        super().__init__(**kwargs)

    def clean(self, value):
        text = forms.CharField.clean(self, value)
        if not text:
            return None
        # A slug is looked up alone first (the links the casebook draws name regions
        # by slug): by its unique index, where the names are compared without one.
        by_slug = Region.objects.filter(slug=text).first()
        if by_slug is not None:
            return by_slug
        matches = list(Region.objects.filter(Q(name_en__iexact=text) | Q(name_zh=text)).order_by("path")[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(
                f"More than one region is called “{text}”; pick one from the suggestions.", code="ambiguous"
            )
        raise forms.ValidationError(f"There is no region “{text}” in the casebook.", code="unknown")


class RefFilter(django_filters.Filter):
    """Records related to one named record, e.g. ``?program=jinjie-factory-district``."""

    field_class = RefField


class RegionRefFilter(django_filters.Filter):
    """A region named in the URL, for filters that say themselves how to use it."""

    field_class = RegionField


class RegionFilter(django_filters.Filter):
    """Records in a region or anywhere below it, through one or more region fields
    (and, with ``through_program``, through the regions of the record's program)."""

    field_class = RegionField

    def __init__(self, *, through: tuple[str, ...], through_program: bool = False, **kwargs):
        self.through = through
        self.through_program = through_program
        kwargs.setdefault("label", "Region (and everything below it)")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(in_region(qs.model, value, through=self.through, through_program=self.through_program))


def in_region(model, region: Region, *, through: tuple[str, ...], through_program: bool = False) -> Q:
    """The condition "in ``region`` or below it" over several region fields of
    ``model`` (and the regions of its program). Each is "the foreign key is one of
    the subtree's regions" (``region_id IN (SELECT id … path range)``; on PostgreSQL
    ``= ANY(ARRAY(…))``, see ``InSubquery``), so every branch is served by the
    foreign key's index and an OR of them by a union of index lookups, with no
    join to the regions for each row."""
    below = subtree_ids(region)
    condition = Q()
    for field in through:
        condition |= _key_in(model, field.split("__"), below)
    if through_program:
        condition |= Q(program__in_subquery=linked_programs(below))
    return condition


def subtree_ids(region: Region):
    """The ids of ``region`` and every region below it, found by the path range (indexed)."""
    return Region.objects.filter(below_path("path", region.path)).values("pk")


def linked_programs(regions):
    """The ids of the programs linked to any of ``regions`` (ids), by the link table's region index."""
    return Program.regions.through.objects.filter(region__in=regions).values("program_id")


def _key_in(model, hops: list[str], below) -> Q:
    head, *rest = hops
    if not rest:
        return Q(**{f"{head}__in_subquery": below})
    related = model._meta.get_field(head).related_model
    return Q(**{f"{head}__in_subquery": related.objects.filter(_key_in(related, rest, below)).values("pk")})


def year_filter(field_name: str, lookup: str, label: str):
    return django_filters.NumberFilter(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        decimal_places=0,
    )


def amount_filter(field_name: str, lookup: str, label: str):
    return django_filters.NumberFilter(
        field_name=field_name, lookup_expr=lookup, label=label, min_value=0, max_value=MAX_AMOUNT
    )


def choice_filter(choice_class, label: str, field_name: str | None = None):
    # A choice of a row's own column never repeats the row, so no DISTINCT (which would
    # turn the page and its count into SELECT DISTINCT over every column).
    return django_filters.MultipleChoiceFilter(
        field_name=field_name,
        choices=choice_class.choices,
        label=label,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )


class ManyRelatedFilter(django_filters.ModelMultipleChoiceFilter):
    """Records related through a many-to-many field to any of the chosen records.
    Matched with ``pk IN (subquery)`` rather than a join, so a record related to
    several chosen ones comes once, without a DISTINCT over every column."""

    def filter(self, qs, value):
        if not value:
            return qs
        related = qs.model.objects.filter(**{f"{self.field_name}__in": list(value)})
        return qs.filter(pk__in=related.values("pk"))


def slug_choice_filter(queryset, label: str, field_name: str, *, many: bool = False):
    """Checkboxes of records named by slug (``?source=sixthtone-lueyang-2020``), over a
    foreign key or, with ``many``, a many-to-many field."""
    if many:
        return ManyRelatedFilter(
            field_name=field_name,
            to_field_name="slug",
            queryset=queryset,
            label=label,
            widget=forms.CheckboxSelectMultiple,
        )
    return KeyChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=queryset,
        label=label,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )


class KeyChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Records whose foreign key is one of the chosen records, named by slug in the
    URL and compared by key (``indicator_id = 4``): the form has already looked the
    records up, and a constant key lets the database use composite indexes that a
    join to the slug would not (PostgreSQL reads the outcomes of one indicator in a
    province through (region, indicator) indexes)."""

    def get_filter_predicate(self, v):
        return {self.field_name: v.pk}
