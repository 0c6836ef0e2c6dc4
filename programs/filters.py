"""The filters the list pages are built from: text boxes naming a record (by
slug, or a region by its name), "in this region or below", year and amount
ranges, checkboxes of choices and of related records. Each bad value is a form
error with a message that names it."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.fields import ModelMultipleChoiceField

from programs.languages import local_name
from programs.models import Program, Region
from programs.models.base import MAX_YEAR, MIN_YEAR
from programs.models.regions import below_path

MAX_QUERY_LENGTH = 200
MAX_AMOUNT = 10**17


class RefField(forms.CharField):
    """A text box naming one record: by its slug, or by a name in English or Chinese
    (an alias too, for a region), case- and accent-folded. A name that is no
    record's, or several records', is an error that lists the candidates."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        # A slug is looked up alone first (the links the casebook draws name records by
        # slug): by its unique index.
        record = self.model._default_manager.filter(slug=text).first() or lookup_by_name(self.model, text)
        self.chosen = (text, record)
        return record

    def prepare_value(self, value):
        """The box shows the chosen record by its name (``?region=gansu`` shows “Gansu”),
        where that name picks it alone."""
        chosen = getattr(self, "chosen", None)
        if chosen is not None and isinstance(value, str) and value.strip() == chosen[0]:
            from programs.selectors.search import box_value

            return box_value(chosen[1])
        return super().prepare_value(value)


class RegionField(RefField):
    """A region named by its slug or by any of its names (see ``place_names``)."""

    def __init__(self, **kwargs):
        kwargs["model"] = Region
        super().__init__(**kwargs)


MAX_CANDIDATES = 5


def lookup_by_name(model, text: str):
    """The one record of ``model`` that ``text`` names, or a ValidationError saying
    that none or several do, with the candidates."""
    from programs.services.search_index import fold

    wanted = _name_key(fold(text))
    kind = model._meta.verbose_name
    candidates = _candidates(model, text)
    tiers: dict[int, list] = {}
    for record in candidates:
        tier = _tier(record, wanted)
        if tier is not None:
            tiers.setdefault(tier, []).append(record)
    if tiers:
        tier = min(tiers)
        best = tiers[tier]
        if model is Region and tier > 0:  # 临夏 is the prefecture (临夏州) before the county (临夏县)
            shallowest = min(region.path.count("/") for region in best)
            best = [region for region in best if region.path.count("/") == shallowest]
        if len(best) == 1:
            return best[0]
        raise forms.ValidationError(
            _("More than one %(kind)s is called “%(text)s”: %(candidates)s. Pick one from the suggestions.")
            % {"kind": kind, "text": text, "candidates": _listed(best)},
            code="ambiguous",
        )
    if candidates:
        raise forms.ValidationError(
            _("There is no %(kind)s “%(text)s” in the casebook. Did you mean: %(candidates)s?")
            % {"kind": kind, "text": text, "candidates": _listed(candidates)},
            code="unknown",
        )
    raise forms.ValidationError(
        _("There is no %(kind)s “%(text)s” in the casebook.") % {"kind": kind, "text": text}, code="unknown"
    )


def _candidates(model, text: str) -> list:
    """Records whose search text holds every word of ``text`` (through the search index),
    those named most like it first."""
    from programs.services.search_index import fold, matching

    if model is Region:
        # Regions by their names alone (not their notes), including the regions below a
        # place of that name; a few thousand rows at national scale.
        regions = Region.objects.select_related("parent")
        first = list(regions.filter(Q(name_en__iexact=text) | Q(name_zh=text)).order_by("path")[:MAX_CANDIDATES])
        return first + [region for region in regions_named(fold(text).split()) if region not in first]
    rows = model._default_manager.all()
    if hasattr(model, "donor"):
        rows = rows.select_related("donor", "recipient")
    # A name typed as the record spells it (but for case) first, by the name's index: among
    # thousands of workshops, the one called that may not be among the first matches of its words.
    named = model._default_manager.none()
    for field in ("name", "title"):
        if any(f.name == field for f in model._meta.fields):
            named = rows.filter(**{f"{field}__iexact": text})
    if any(f.name == "name_zh" for f in model._meta.fields):
        named = named | rows.filter(name_zh=text)
    first = list(named.order_by("pk")[:MAX_CANDIDATES])
    return first + [record for record in matching(rows, text).order_by("pk")[:200] if record not in first]


def regions_named(words: list[str], *, limit: int = 200) -> list:
    """Regions whose names (their own, or those of a region above them) hold every one
    of ``words`` (folded), in tree order: a place comes before what lies in it."""
    rows = Region.objects.select_related("parent")
    for word in words:
        rows = rows.filter(names__contains=word)
    return list(rows.order_by("path")[:limit])


def name_match(record, typed: str) -> int:
    """How the record's names meet ``typed`` (folded): 0 one of them is it, 1 one
    starts with it, 2 one holds it, 3 none does."""
    from programs.services.search_index import fold

    names = [fold(name) for name in known_names(record) if name]
    if typed in names:
        return 0
    if any(name.startswith(typed) for name in names):
        return 1
    return 2 if any(typed in name for name in names) else 3


def known_names(record) -> list[str]:
    """The names a record is known by, most official first."""
    if isinstance(record, Region):
        return [record.name_en, record.name_zh, record.slug, *record.own_names()]
    if hasattr(record, "donor"):  # a pairing
        return [str(record), f"{record.donor.name_en}-{record.recipient.name_en}", record.slug]
    if hasattr(record, "title"):  # a source
        return [record.title, record.slug]
    return [record.name, getattr(record, "name_zh", ""), record.slug]


def _tier(record, wanted: str) -> int | None:
    """How officially ``record`` bears the name ``wanted``: 0 its own name (English,
    Chinese or slug), 1 one of its other names; None if it does not."""
    from programs.services.search_index import fold

    names = [_name_key(fold(name)) for name in known_names(record) if name]
    if wanted in names[:3]:
        return 0
    if wanted in names:
        return 1
    return None


def _name_key(folded: str) -> str:
    """Names compared with every dash or arrow as one, and spaces collapsed."""
    for mark in ("–", "—", "→", "‐", "-"):
        folded = folded.replace(mark, " - ")
    return " ".join(folded.split())


def _listed(records) -> str:
    shown = [record_label(record) for record in records[:MAX_CANDIDATES]]
    more = len(records) - len(shown)
    return "; ".join(shown) + ("; " + _("and %(count)s more") % {"count": more} if more > 0 else "")


def record_label(record) -> str:
    """A record as a suggestion or a candidate names it: with where it is (a region's
    level and the region above it, a workshop's region)."""
    if isinstance(record, Region):
        above = f", {record.parent.local_name}" if record.parent_id and record.parent.level != "country" else ""
        return f"{record} — {record.get_level_display().lower()}{above}"
    if record._meta.model_name == "workshop":
        return f"{record} — {record.region.local_name}"
    return str(record)


# The field holding each kind's everyday name (a pairing has none: it is named by its slug).
NAME_FIELDS = {"region": ("name_en", "name_zh"), "program": ("name", "name_zh"), "workshop": ("name", "name_zh")}


def primary_name(record) -> str:
    """The name a box shows for the record: in the interface's language where it has one."""
    fields = NAME_FIELDS.get(record._meta.model_name)
    return local_name(*(getattr(record, field) for field in fields)) if fields else ""


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
        kwargs.setdefault("label", gettext_lazy("Region (and everything below it)"))
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


class NamedChoiceField(ModelMultipleChoiceField):
    """Checkboxes of records (sources, approaches, indicators) whose URL value is a slug
    or, typed by hand, the record's name: its title or name, English or Chinese (a source
    also by its label, “Sixth Tone (2020)”), in any case and with or without accents."""

    def _check_values(self, value):
        from programs.services.search_index import fold

        values = [str(item) for item in value]
        for item in values:
            self.validate_no_null_characters(item)  # as Django's own check does, before any query
        slugs = set(self.queryset.filter(slug__in=values).values_list("slug", flat=True))
        unknown = [item for item in values if item not in slugs]
        if unknown:
            by_name: dict[str, set] = {}
            for record in self.queryset:
                names = (
                    getattr(record, "name", ""),
                    getattr(record, "name_zh", ""),
                    getattr(record, "title", ""),
                    self.label_from_instance(record),
                )
                for name in filter(None, names):
                    by_name.setdefault(fold(str(name)).strip(), set()).add(record.slug)
            named = []
            for item in values:
                found = {item} if item in slugs else by_name.get(fold(item).strip(), set())
                if len(found) > 1:
                    kind = self.queryset.model._meta.verbose_name
                    raise forms.ValidationError(
                        _("More than one %(kind)s is called “%(text)s”: %(candidates)s. Pick one from the suggestions.")
                        % {"kind": kind, "text": item, "candidates": ", ".join(sorted(found))},
                        code="ambiguous",
                    )
                named.append(next(iter(found)) if found else item)
            values = named
        return super()._check_values(values)


class NamedChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = NamedChoiceField


class ManyRelatedFilter(NamedChoiceFilter):
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


class KeyChoiceFilter(NamedChoiceFilter):
    """Records whose foreign key is one of the chosen records, named by slug in the
    URL and compared by key (``indicator_id = 4``): the form has already looked the
    records up, and a constant key lets the database use composite indexes that a
    join to the slug would not (PostgreSQL reads the outcomes of one indicator in a
    province through (region, indicator) indexes)."""

    def get_filter_predicate(self, v):
        return {self.field_name: v.pk}
