"""The filtersets of the list pages (django-filter), one per model. The state
lives in the URL, so every filtered view is a permalink. A bad value is a form
error that the page reports; it never falls through silently. The filters
themselves are in ``programs.filters``; how the form looks (widgets,
suggestions) is ``programs.forms.present_filter_form``'s business.

Conventions: ``q`` is the free-text search; ranges are ``<field>__gte`` /
``<field>__lte``; related records are named by slug; ``region`` always means
"in this region or anywhere below it" and is one indexed prefix query.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from programs import choices
from programs.filters import (
    MAX_QUERY_LENGTH,
    RefFilter,
    RegionFilter,
    RegionRefFilter,
    amount_filter,
    choice_filter,
    linked_programs,
    slug_choice_filter,
    subtree_ids,
    year_filter,
)
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
from programs.services import search_index


class CasebookFilterSet(django_filters.FilterSet):
    """Adds the free-text search ``q``: every word of it, case- and
    accent-folded, in one of ``search_fields`` (the record's own fields and the
    names of records it refers to), found through the search index
    (``programs.services.search_index``), which these declarations define."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=MAX_QUERY_LENGTH)

    search_fields: tuple[str, ...] = ()
    # The filters the sidebar shows first, most used first (the rest follow as declared).
    first: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.first:
            ordered = [name for name in self.first if name in self.filters]
            self.filters = {name: self.filters[name] for name in [*ordered, *self.filters] if name in self.filters}

    def search(self, queryset, name, value):
        return search_index.matching(queryset, value)


class PeriodFilterSet(CasebookFilterSet):
    """Adds ``year__gte`` / ``year__lte``: records whose period overlaps the years asked for."""

    year__gte = django_filters.NumberFilter(
        method="filter_year_from", label=_("In or after year"), min_value=MIN_YEAR, max_value=MAX_YEAR, decimal_places=0
    )
    year__lte = django_filters.NumberFilter(
        method="filter_year_to", label=_("In or before year"), min_value=MIN_YEAR, max_value=MAX_YEAR, decimal_places=0
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
    kind = choice_filter(choices.SourceKind, _("Kind"))
    published_year__gte = year_filter("published_year", "gte", _("Published in or after"))
    published_year__lte = year_filter("published_year", "lte", _("Published in or before"))

    search_fields = ("title", "publisher", "summary", "file_name")

    class Meta:
        model = Source
        fields = ()


class RegionFilterSet(CasebookFilterSet):
    within = RegionRefFilter(method="in_region", label=_("Within region"))
    level = choice_filter(choices.RegionLevel, _("Level"))
    belt = choice_filter(choices.Belt, _("Economic belt"))
    is_poverty_county = django_filters.ChoiceFilter(
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))],
        method="poverty_county",
        label=_("Designated poverty county"),
        empty_label="Any",
    )

    search_fields = ("name_en", "name_zh", "slug", "names")

    class Meta:
        model = Region
        fields = ()

    def in_region(self, qs, name, value):
        return qs if value is None else qs.filter(path__startswith=value.path)

    def poverty_county(self, qs, name, value):
        return qs.filter(is_poverty_county={"yes": True, "no": False, "unknown": None}[value])


class ProgramFilterSet(CasebookFilterSet):
    region = RegionRefFilter(method="in_region", label=_("Region (and below)"))
    approach = slug_choice_filter(Approach.objects.all(), _("Approach"), "approaches", many=True)
    measure = django_filters.MultipleChoiceFilter(
        choices=choices.MeasureKind.choices,
        distinct=False,
        method="offers_measure",
        label=_("Offers support"),
        widget=forms.CheckboxSelectMultiple,
    )
    # One pairing matches a program at most once, so the join needs no DISTINCT.
    pairing = RefFilter(field_name="pairings", model=Pairing, label=_("Pairing"))
    source = slug_choice_filter(Source.objects.all(), _("Source"), "sources", many=True)
    year_start__gte = year_filter("year_start", "gte", _("Started in or after"))
    year_start__lte = year_filter("year_start", "lte", _("Started in or before"))

    search_fields = ("name", "name_zh", "summary", "implementer", "lessons", "challenges", "note", "names")

    class Meta:
        model = Program
        fields = ()

    def in_region(self, qs, name, value):
        if value is None:
            return qs
        # Index lookups from the subtree's paths: 1.3 → 0.1 ms over 2,000 programs
        # (an EXISTS probed every program).
        return qs.filter(pk__in=linked_programs(subtree_ids(value)))

    def offers_measure(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            related_exists(SupportMeasure, "program", kind__in=value)
            | Exists(SupportMeasure.objects.filter(workshop__program=OuterRef("pk"), kind__in=value))
        )


class PairingFilterSet(CasebookFilterSet):
    region = RegionFilter(through=("donor", "recipient"), label=_("Donor or recipient in region"))
    donor = RegionFilter(through=("donor",), label=_("Donor in region"))
    recipient = RegionFilter(through=("recipient",), label=_("Recipient in region"))
    level = choice_filter(choices.PairingLevel, _("Level"))
    framework = choice_filter(choices.PairingFramework, _("Framework"))
    start_year__gte = year_filter("start_year", "gte", _("Started in or after"))
    start_year__lte = year_filter("start_year", "lte", _("Started in or before"))
    source = slug_choice_filter(Source.objects.all(), _("Source"), "sources", many=True)
    parent = RefFilter(field_name="parent", model=Pairing, label=_("Part of pairing"))

    search_fields = (
        "slug",
        "description",
        "note",
        "names",
    )

    class Meta:
        model = Pairing
        fields = ()


class WorkshopFilterSet(CasebookFilterSet):
    region = RegionFilter(through=("region",))
    kind = choice_filter(choices.WorkshopKind, _("Kind"))
    status = choice_filter(choices.WorkshopStatus, _("Status"))
    ownership = choice_filter(choices.Ownership, _("Ownership"))
    opening_year__gte = year_filter("opening_year", "gte", _("Opened in or after"))
    opening_year__lte = year_filter("opening_year", "lte", _("Opened in or before"))
    program = RefFilter(field_name="program", model=Program, label=_("Program"))
    pairing = RefFilter(field_name="pairing", model=Pairing, label=_("Pairing"))
    source = slug_choice_filter(Source.objects.all(), _("Source"), "sources", many=True)

    search_fields = (
        "name",
        "name_zh",
        "operator",
        "industry",
        "products",
        "description",
        "note",
        "names",
    )

    class Meta:
        model = Workshop
        fields = ()


class FigureFilterSet(PeriodFilterSet):
    """Filters shared by funding and outcomes: what the figure belongs to, and its source."""

    pairing = RefFilter(field_name="pairing", model=Pairing, label=_("Pairing"))
    program = RefFilter(field_name="program", model=Program, label=_("Program"))
    workshop = RefFilter(field_name="workshop", model=Workshop, label=_("Workshop"))
    source = slug_choice_filter(Source.objects.all(), _("Source"), "source")


class FundingFilterSet(FigureFilterSet):
    region = RegionFilter(through=("funder_region", "recipient_region"), label=_("Funder or recipient in region"))
    funder = RegionFilter(through=("funder_region",), label=_("Funder in region"))
    recipient = RegionFilter(through=("recipient_region",), label=_("Recipient in region"))
    kind = choice_filter(choices.FundingKind, _("Kind"))
    qualifier = choice_filter(choices.Qualifier, _("Qualifier"))
    amount__gte = amount_filter("amount", "gte", _("Amount at least"))
    amount__lte = amount_filter("amount", "lte", _("Amount at most"))

    first = ("q", "region", "funder", "recipient", "year__gte", "year__lte", "kind", "qualifier")

    search_fields = (
        "key",
        "purpose",
        "funder_organisation",
        "note",
        "locator",
        "funder_region__names",
        "recipient_region__names",
        "pairing__names",
        "program__name",
        "program__name_zh",
        "workshop__names",
    )

    class Meta:
        model = Funding
        fields = ()


class OutcomeFilterSet(FigureFilterSet):
    region = RegionFilter(
        through=("region", "workshop__region"), through_program=True, label=_("About a region (and below)")
    )
    indicator = slug_choice_filter(Indicator.objects.order_by("unit", "name"), _("Indicator"), "indicator")
    perspective = choice_filter(choices.Perspective, _("Perspective"))
    qualifier = choice_filter(choices.Qualifier, _("Qualifier"))
    value__gte = amount_filter("value", "gte", _("Value at least"))
    value__lte = amount_filter("value", "lte", _("Value at most"))

    first = ("q", "region", "year__gte", "year__lte", "perspective", "qualifier", "indicator")

    search_fields = (
        "key",
        "description",
        "attributed_to",
        "note",
        "locator",
        "indicator__name",
        "indicator__name_zh",
        "region__names",
        "workshop__names",
        "program__name",
        "program__name_zh",
        "pairing__names",
    )

    class Meta:
        model = Outcome
        fields = ()


class SupportMeasureFilterSet(CasebookFilterSet):
    region = RegionFilter(through=("workshop__region",), through_program=True, label=_("Region (and below)"))
    kind = choice_filter(choices.MeasureKind, _("Kind"))
    beneficiary = choice_filter(choices.Beneficiary, _("Beneficiary"))
    program = RefFilter(field_name="program", model=Program, label=_("Program"))
    workshop = RefFilter(field_name="workshop", model=Workshop, label=_("Workshop"))
    source = slug_choice_filter(Source.objects.all(), _("Source"), "source")

    search_fields = ("key", "description", "note", "locator", "program__name", "program__name_zh", "workshop__names")

    class Meta:
        model = SupportMeasure
        fields = ()
