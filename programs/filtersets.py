"""Filters for every list page (django-filter). The state lives in the URL,
so every filtered view is a permalink. A bad value is a form error that the
page reports; it never falls through silently.

Conventions: ``q`` is the free-text search; ranges are ``<field>__gte`` /
``<field>__lte``; related records are named by slug; ``region`` always means
"in this region or anywhere below it" and is one indexed prefix query.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from programs import choices
from programs.models import (
    Approach,
    Funding,
    Indicator,
    Outcome,
    Pairing,
    Program,
    Region,
    Source,
    SupportMeasure,
    Workshop,
)
from programs.models.base import MAX_YEAR, MIN_YEAR

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
        matches = list(
            Region.objects.filter(Q(slug=text) | Q(name_en__iexact=text) | Q(name_zh=text)).order_by("path")[:2]
        )
        exact = [region for region in matches if region.slug == text]
        if exact or len(matches) == 1:
            return (exact or matches)[0]
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
        return qs.filter(in_region(value, through=self.through, through_program=self.through_program))


def in_region(region: Region, *, through: tuple[str, ...], through_program: bool = False) -> Q:
    """The condition "in ``region`` or below it" over several region fields, shared by
    the list filters and the detail pages so that their counts agree."""
    condition = Q()
    for field in through:
        condition |= Q(**{f"{field}__path__startswith": region.path})
    if through_program:
        condition |= Q(
            Exists(
                Program.regions.through.objects.filter(
                    program=OuterRef("program"), region__path__startswith=region.path
                )
            )
        )
    return condition


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
    return django_filters.MultipleChoiceFilter(
        field_name=field_name, choices=choice_class.choices, label=label, widget=forms.CheckboxSelectMultiple
    )


def slug_choice_filter(queryset, label: str, field_name: str, *, distinct: bool = False):
    return django_filters.ModelMultipleChoiceFilter(
        # The filter compares the chosen records' slugs, so it looks through to the slug.
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        queryset=queryset,
        label=label,
        widget=forms.CheckboxSelectMultiple,
        distinct=distinct,
    )


class CasebookFilterSet(django_filters.FilterSet):
    """Adds the free-text search ``q`` over ``search_fields`` and the list of
    fields shown as facets (choices with counts)."""

    q = django_filters.CharFilter(method="search", label="Search", max_length=MAX_QUERY_LENGTH)

    search_fields: tuple[str, ...] = ()
    # Facets: URL parameter → model field whose values are counted.
    facets: dict[str, str] = {}
    # The region field the "within" cascade counts by, and the parameter it sets.
    cascade_through: str | None = None
    cascade_param = "region"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.form.fields.values():
            if getattr(form_field, "queryset", None) is not None and form_field.queryset.model is Source:
                form_field.label_from_instance = lambda source: f"{source.publisher} ({source.published_year})"
            widget = form_field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif not isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-control form-control-sm")
            if isinstance(form_field, RegionField):
                # A text box with suggestions instead of a select of thousands of regions.
                form_field.widget.attrs.update(
                    {
                        "list": "region-options",
                        "placeholder": "A region's name, e.g. Guangxi or 广西",
                        "autocomplete": "off",
                        "hx-get": reverse("programs:region_suggest"),
                        "hx-trigger": "input changed delay:250ms",
                        "hx-target": "#region-options",
                        "hx-sync": "this:replace",
                        # The filter form pushes its URL to the history; suggestions must not.
                        "hx-push-url": "false",
                    }
                )

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class PeriodFilterSet(CasebookFilterSet):
    """Adds ``year__gte`` / ``year__lte``: records whose period overlaps the years asked for."""

    year__gte = django_filters.NumberFilter(
        method="filter_year_from", label="In or after year", min_value=MIN_YEAR, max_value=MAX_YEAR, decimal_places=0
    )
    year__lte = django_filters.NumberFilter(
        method="filter_year_to", label="In or before year", min_value=MIN_YEAR, max_value=MAX_YEAR, decimal_places=0
    )

    def filter_year_from(self, queryset, name, value):
        # A period with a start but no end is open: it reaches any later year.
        return queryset.filter(Q(year_end__gte=value) | Q(year_end__isnull=True, year_start__isnull=False))

    def filter_year_to(self, queryset, name, value):
        return queryset.alias(_period_start=Coalesce("year_start", "year_end")).filter(_period_start__lte=value)


def related_exists(model, link: str, **conditions):
    """An EXISTS subquery: the outer row has a related ``model`` row matching ``conditions``."""
    return Exists(model.objects.filter(**{link: OuterRef("pk")}, **conditions))


class SourceFilterSet(CasebookFilterSet):
    kind = choice_filter(choices.SourceKind, "Kind")
    published_year__gte = year_filter("published_year", "gte", "Published in or after")
    published_year__lte = year_filter("published_year", "lte", "Published in or before")

    search_fields = ("title", "publisher", "summary", "file_name")
    facets = {"kind": "kind"}

    class Meta:
        model = Source
        fields = ()


class RegionFilterSet(CasebookFilterSet):
    within = RegionRefFilter(method="in_region", label="Within region")
    level = choice_filter(choices.RegionLevel, "Level")
    belt = choice_filter(choices.Belt, "Economic belt")
    is_poverty_county = django_filters.ChoiceFilter(
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")],
        method="poverty_county",
        label="Designated poverty county",
        empty_label="Any",
    )

    search_fields = ("name_en", "name_zh", "slug")
    facets = {"level": "level", "belt": "belt"}
    cascade_through = "self"
    cascade_param = "within"

    class Meta:
        model = Region
        fields = ()

    def in_region(self, qs, name, value):
        return qs if value is None else qs.filter(path__startswith=value.path)

    def poverty_county(self, qs, name, value):
        return qs.filter(is_poverty_county={"yes": True, "no": False, "unknown": None}[value])


class ProgramFilterSet(CasebookFilterSet):
    region = RegionRefFilter(method="in_region", label="Region (and below)")
    approach = slug_choice_filter(Approach.objects.all(), "Approach", "approaches", distinct=True)
    measure = django_filters.MultipleChoiceFilter(
        choices=choices.MeasureKind.choices,
        method="offers_measure",
        label="Offers support",
        widget=forms.CheckboxSelectMultiple,
    )
    pairing = RefFilter(field_name="pairings", model=Pairing, label="Pairing", distinct=True)
    source = slug_choice_filter(Source.objects.all(), "Source", "sources", distinct=True)
    year_start__gte = year_filter("year_start", "gte", "Started in or after")
    year_start__lte = year_filter("year_start", "lte", "Started in or before")

    search_fields = ("name", "name_zh", "summary", "implementer", "lessons", "challenges", "note")
    facets = {"approach": "approaches", "source": "sources"}

    class Meta:
        model = Program
        fields = ()

    def in_region(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(related_exists(Program.regions.through, "program", region__path__startswith=value.path))

    def offers_measure(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            related_exists(SupportMeasure, "program", kind__in=value)
            | Exists(SupportMeasure.objects.filter(workshop__program=OuterRef("pk"), kind__in=value))
        )


class PairingFilterSet(CasebookFilterSet):
    region = RegionFilter(through=("donor", "recipient"), label="Donor or recipient in region")
    donor = RegionFilter(through=("donor",), label="Donor in region")
    recipient = RegionFilter(through=("recipient",), label="Recipient in region")
    level = choice_filter(choices.PairingLevel, "Level")
    framework = choice_filter(choices.PairingFramework, "Framework")
    start_year__gte = year_filter("start_year", "gte", "Started in or after")
    start_year__lte = year_filter("start_year", "lte", "Started in or before")
    source = slug_choice_filter(Source.objects.all(), "Source", "sources", distinct=True)

    search_fields = (
        "slug",
        "description",
        "note",
        "donor__name_en",
        "donor__name_zh",
        "recipient__name_en",
        "recipient__name_zh",
    )
    facets = {"level": "level", "framework": "framework"}
    cascade_through = "recipient"
    cascade_param = "recipient"

    class Meta:
        model = Pairing
        fields = ()


class WorkshopFilterSet(CasebookFilterSet):
    region = RegionFilter(through=("region",))
    kind = choice_filter(choices.WorkshopKind, "Kind")
    status = choice_filter(choices.WorkshopStatus, "Status")
    ownership = choice_filter(choices.Ownership, "Ownership")
    opening_year__gte = year_filter("opening_year", "gte", "Opened in or after")
    opening_year__lte = year_filter("opening_year", "lte", "Opened in or before")
    program = RefFilter(field_name="program", model=Program, label="Program")
    pairing = RefFilter(field_name="pairing", model=Pairing, label="Pairing")
    source = slug_choice_filter(Source.objects.all(), "Source", "sources", distinct=True)

    search_fields = (
        "name",
        "name_zh",
        "operator",
        "industry",
        "products",
        "description",
        "note",
        "region__name_en",
        "region__name_zh",
    )
    facets = {"kind": "kind", "status": "status", "ownership": "ownership"}
    cascade_through = "region"

    class Meta:
        model = Workshop
        fields = ()


class FigureFilterSet(PeriodFilterSet):
    """Filters shared by funding and outcomes: what the figure belongs to, and its source."""

    pairing = RefFilter(field_name="pairing", model=Pairing, label="Pairing")
    program = RefFilter(field_name="program", model=Program, label="Program")
    workshop = RefFilter(field_name="workshop", model=Workshop, label="Workshop")
    source = slug_choice_filter(Source.objects.all(), "Source", "source")


class FundingFilterSet(FigureFilterSet):
    region = RegionFilter(through=("funder_region", "recipient_region"), label="Funder or recipient in region")
    funder = RegionFilter(through=("funder_region",), label="Funder in region")
    recipient = RegionFilter(through=("recipient_region",), label="Recipient in region")
    kind = choice_filter(choices.FundingKind, "Kind")
    qualifier = choice_filter(choices.Qualifier, "Qualifier")
    amount__gte = amount_filter("amount", "gte", "Amount at least")
    amount__lte = amount_filter("amount", "lte", "Amount at most")

    search_fields = (
        "key",
        "purpose",
        "funder_organisation",
        "note",
        "locator",
        "funder_region__name_en",
        "funder_region__name_zh",
        "recipient_region__name_en",
        "recipient_region__name_zh",
    )
    facets = {"kind": "kind", "qualifier": "qualifier", "source": "source"}
    cascade_through = "recipient_region"
    cascade_param = "recipient"

    class Meta:
        model = Funding
        fields = ()


class OutcomeFilterSet(FigureFilterSet):
    region = RegionFilter(
        through=("region", "workshop__region"), through_program=True, label="About a region (and below)"
    )
    indicator = slug_choice_filter(Indicator.objects.all(), "Indicator", "indicator")
    perspective = choice_filter(choices.Perspective, "Perspective")
    qualifier = choice_filter(choices.Qualifier, "Qualifier")
    value__gte = amount_filter("value", "gte", "Value at least")
    value__lte = amount_filter("value", "lte", "Value at most")

    search_fields = (
        "key",
        "description",
        "attributed_to",
        "note",
        "locator",
        "indicator__name",
        "region__name_en",
        "region__name_zh",
        "workshop__name",
        "program__name",
    )
    facets = {"indicator": "indicator", "perspective": "perspective", "qualifier": "qualifier", "source": "source"}

    class Meta:
        model = Outcome
        fields = ()


class SupportMeasureFilterSet(CasebookFilterSet):
    region = RegionFilter(through=("workshop__region",), through_program=True, label="Region (and below)")
    kind = choice_filter(choices.MeasureKind, "Kind")
    beneficiary = choice_filter(choices.Beneficiary, "Beneficiary")
    program = RefFilter(field_name="program", model=Program, label="Program")
    workshop = RefFilter(field_name="workshop", model=Workshop, label="Workshop")
    source = slug_choice_filter(Source.objects.all(), "Source", "source")

    search_fields = ("key", "description", "note", "locator", "program__name", "workshop__name")
    facets = {"kind": "kind", "beneficiary": "beneficiary", "source": "source"}

    class Meta:
        model = SupportMeasure
        fields = ()


FILTERSETS = {
    "source": SourceFilterSet,
    "region": RegionFilterSet,
    "program": ProgramFilterSet,
    "pairing": PairingFilterSet,
    "workshop": WorkshopFilterSet,
    "funding": FundingFilterSet,
    "outcome": OutcomeFilterSet,
    "supportmeasure": SupportMeasureFilterSet,
}
