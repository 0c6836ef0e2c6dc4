"""Reads: query building lives here; views call selectors and never build
queries themselves. Plain functions named ``<entity>_<action>`` with
keyword-only arguments.

List selectors return a queryset whose rows need no further queries: joins
for single-valued relations, prefetches for the few to-many columns, and
counts over to-many relations as correlated subqueries (two aggregates over
different joins would inflate each other).
"""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from programs import charts
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

COUNTED_MODELS = (Program, Region, Pairing, Workshop, Funding, Outcome, SupportMeasure, Source)
# How many related rows a detail page lists before pointing to the full list.
DETAIL_ROWS = 50
HOME_ROWS = 50


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery (a queryset filtered on ``OuterRef``)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def count_of(queryset: QuerySet) -> SubqueryCount:
    return SubqueryCount(queryset.order_by().values("pk"))


def casebook_counts() -> list[tuple[str, str, int]]:
    """How many records of each kind the casebook holds: (url name, label, count), one query per model."""
    return [
        (model._meta.model_name, model._meta.verbose_name_plural, model.objects.count()) for model in COUNTED_MODELS
    ]


def region_descendants(*, region: Region, include_self: bool = True):
    """Everything below ``region`` (and the region itself), in one indexed query."""
    return Region.objects.descendants_of(region, include_self=include_self)


# ---------------------------------------------------------------- list pages


def source_list() -> QuerySet:
    return Source.objects.annotate(
        funding_count=count_of(Funding.objects.filter(source=OuterRef("pk"))),
        outcome_count=count_of(Outcome.objects.filter(source=OuterRef("pk"))),
        measure_count=count_of(SupportMeasure.objects.filter(source=OuterRef("pk"))),
    )


def region_list() -> QuerySet:
    return Region.objects.select_related("parent").annotate(
        children_count=count_of(Region.objects.filter(parent=OuterRef("pk"))),
        workshop_count=count_of(Workshop.objects.filter(region__path__startswith=OuterRef("path"))),
    )


def program_list() -> QuerySet:
    return Program.objects.prefetch_related(
        Prefetch("approaches", queryset=Approach.objects.order_by("name")),
        Prefetch("regions", queryset=Region.objects.order_by("path")),
    ).annotate(
        workshop_count=count_of(Workshop.objects.filter(program=OuterRef("pk"))),
        funding_count=count_of(Funding.objects.filter(program=OuterRef("pk"))),
        outcome_count=count_of(Outcome.objects.filter(program=OuterRef("pk"))),
    )


def pairing_list() -> QuerySet:
    return Pairing.objects.select_related("donor", "recipient", "parent__donor", "parent__recipient").annotate(
        funding_count=count_of(Funding.objects.filter(pairing=OuterRef("pk"))),
        outcome_count=count_of(Outcome.objects.filter(pairing=OuterRef("pk"))),
        workshop_count=count_of(Workshop.objects.filter(pairing=OuterRef("pk"))),
    )


def workshop_list() -> QuerySet:
    return Workshop.objects.select_related("region__parent", "program", "pairing__donor", "pairing__recipient")


def funding_list() -> QuerySet:
    return Funding.objects.select_related(
        "source", "funder_region", "recipient_region", "pairing__donor", "pairing__recipient", "program", "workshop"
    )


def outcome_list() -> QuerySet:
    return Outcome.objects.select_related(
        "indicator", "source", "region", "pairing__donor", "pairing__recipient", "program", "workshop"
    )


def supportmeasure_list() -> QuerySet:
    return SupportMeasure.objects.select_related("source", "program", "workshop")


# ------------------------------------------------------------------ facets


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(*, queryset: QuerySet, field: str, selected: list[str]) -> list[FacetChoice]:
    """Counts of the current rows by one field, in one GROUP BY query. A
    foreign key or many-to-many field counts by the related slug."""
    model_field = queryset.model._meta.get_field(field)
    # Count over a fresh query on the matching rows: reusing a many-to-many join that
    # the filters made would hide a row's other values, and duplicates would inflate counts.
    queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    if model_field.is_relation:
        related = model_field.related_model
        label_field = "title" if related is Source else "name"
        rows = (
            queryset.order_by()
            .values(facet_value=F(f"{field}__slug"), facet_label=F(f"{field}__{label_field}"))
            .annotate(facet_count=Count("pk", distinct=True))
            .filter(facet_value__isnull=False)
        )
        items = [(row["facet_value"], row["facet_label"], row["facet_count"]) for row in rows]
    else:
        labels = dict(model_field.flatchoices) if model_field.choices else {}
        # A blank value (a region with no belt) is no choice the filter offers.
        rows = (
            queryset.order_by()
            .values(facet_value=F(field))
            .annotate(facet_count=Count("pk", distinct=True))
            .filter(facet_value__isnull=False)
            .exclude(facet_value="")
        )
        items = [
            (str(row["facet_value"]), str(labels.get(row["facet_value"], row["facet_value"])), row["facet_count"])
            for row in rows
        ]
    items.sort(key=lambda item: (-item[2], item[1]))
    return [FacetChoice(value, label, count, value in selected) for value, label, count in items]


@dataclass
class CascadeStep:
    region: Region
    count: int


def region_cascade(*, queryset: QuerySet, through: str, within: Region | None) -> list[CascadeStep]:
    """The regions one level below ``within`` (the provinces when none) with how
    many of the current rows fall in each: two queries whatever the size —
    the child regions, and the rows grouped by their region's path."""
    children = Region.objects.filter(parent=within) if within else Region.objects.filter(level="province")
    children = list(children.order_by("name_en"))
    path_field = "path" if through == "self" else f"{through}__path"
    by_path = queryset.order_by().values(p=F(path_field)).annotate(n=Count("pk", distinct=True)).filter(p__isnull=False)
    totals: Counter = Counter()
    for row in by_path:
        for child in children:
            if row["p"].startswith(child.path):
                totals[child.pk] += row["n"]
                break
    return [CascadeStep(child, totals[child.pk]) for child in children if totals[child.pk]]


LIST_SELECTORS = {
    "source": source_list,
    "region": region_list,
    "program": program_list,
    "pairing": pairing_list,
    "workshop": workshop_list,
    "funding": funding_list,
    "outcome": outcome_list,
    "supportmeasure": supportmeasure_list,
}


def with_stable_order(queryset: QuerySet) -> QuerySet:
    """Whatever the chosen sort, blanks come last (SQLite and PostgreSQL disagree
    otherwise) and ties are broken by primary key, so rows never swap places
    between pages."""
    ordering = []
    for item in list(queryset.query.order_by) or list(queryset.model._meta.ordering):
        if isinstance(item, str) and item not in ("pk", "-pk", "?"):
            field = F(item.removeprefix("-"))
            item = field.desc(nulls_last=True) if item.startswith("-") else field.asc(nulls_last=True)
        ordering.append(item)
    return queryset.order_by(*ordering, "pk")


# --------------------------------------------------------------- home, search


def home_summary() -> dict:
    """Counts of every kind, the cases and the pairings."""
    return {
        "counts": casebook_counts(),
        "programs": list(program_list().order_by("name")[:HOME_ROWS]),
        "pairings": list(pairing_list().order_by("donor__name_en", "recipient__name_en")[:HOME_ROWS]),
        "sources": list(source_list().order_by("published_year", "title")),
    }


SEARCHED = ("program", "region", "pairing", "workshop", "funding", "outcome", "supportmeasure", "source")
SEARCH_PREVIEW = 5


def casebook_search(*, query: str) -> list[dict]:
    """For each kind of record: how many match ``query`` and the first few."""
    from programs.filtersets import FILTERSETS

    if not query:
        return []
    groups = []
    for name in SEARCHED:
        filterset = FILTERSETS[name]({"q": query}, queryset=LIST_SELECTORS[name]())
        matches = with_stable_order(filterset.qs)
        count = matches.count()
        groups.append(
            {
                "name": name,
                "label": matches.model._meta.verbose_name_plural,
                "count": count,
                "preview": list(matches[:SEARCH_PREVIEW]) if count else [],
            }
        )
    return groups


def region_suggestions(*, query: str, limit: int = 20) -> list[Region]:
    query = query.strip()
    if not query:
        return []
    return list(
        Region.objects.select_related("parent")
        .filter(Q(name_en__icontains=query) | Q(name_zh__icontains=query) | Q(slug__icontains=query))
        .order_by("path")[:limit]
    )


# ------------------------------------------------------------- detail pages


@dataclass
class Panel:
    """A related list on a detail page: the first rows, how many there are in
    all, and the list page that shows them all (filtered by this record)."""

    title: str
    list_name: str
    params: dict
    count: int
    rows: list

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)

    @property
    def url(self) -> str:
        return f"{reverse(f'programs:{self.list_name}_list')}?{urlencode(self.params)}"


def _panel(title, list_name, params, queryset, count=None) -> Panel:
    """Two queries (the first rows, then the count) unless the count is already
    known from an annotation, so a page's query count never depends on its data."""
    rows = list(queryset[:DETAIL_ROWS])
    return Panel(title, list_name, params, queryset.count() if count is None else count, rows)


def _figure_panels(field: str, obj) -> tuple[Panel, Panel]:
    """The funding and outcome panels of a pairing or program, counted by its annotations."""
    params = {field: obj.slug}
    funding = funding_list().filter(**{field: obj}).order_by("year_end", "pk")
    outcomes = outcome_list().filter(**{field: obj}).order_by("indicator__name", "year_end", "pk")
    return (
        _panel("Funding", "funding", params, funding, obj.funding_count),
        _panel("Outcomes", "outcome", params, outcomes, obj.outcome_count),
    )


def region_detail(*, slug: str) -> dict | None:
    region = region_list().filter(slug=slug).first()
    if region is None:
        return None
    from programs.filtersets import OutcomeFilterSet, in_region

    within = region.path
    # The same condition as the outcome list's region filter, so the panel's count matches it.
    outcome_region = OutcomeFilterSet.base_filters["region"]
    outcomes_within = outcome_list().filter(
        in_region(region, through=outcome_region.through, through_program=outcome_region.through_program)
    )
    funding = (
        funding_list()
        .filter(Q(recipient_region__path__startswith=within) | Q(funder_region__path__startswith=within))
        .order_by("year_end", "pk")
    )
    funding_panel = _panel("Funding given or received", "funding", {"region": slug}, funding)
    outcome_panel = _panel(
        f"Outcomes in {region.name_en} and below",
        "outcome",
        {"region": slug},
        outcomes_within.order_by("indicator__name", "year_end", "pk"),
    )
    # The charts follow this region's own figures over time, not its sub-regions'.
    own_outcomes = outcome_list().filter(region=region).order_by("indicator__name", "year_end", "pk")[:DETAIL_ROWS]
    return {
        "region": region,
        "ancestors": list(Region.objects.ancestors_of(region)),
        "children": list(region_list().filter(parent=region).order_by("name_en")),
        "pairings_out": _panel(
            "Pairings as donor", "pairing", {"donor": slug}, pairing_list().filter(donor__path__startswith=within)
        ),
        "pairings_in": _panel(
            "Pairings as recipient",
            "pairing",
            {"recipient": slug},
            pairing_list().filter(recipient__path__startswith=within),
        ),
        "programs": _panel(
            "Programs",
            "program",
            {"region": slug},
            Program.objects.filter(
                Exists(Program.regions.through.objects.filter(program=OuterRef("pk"), region__path__startswith=within))
            ),
        ),
        "workshops": _panel(
            "Workshops within", "workshop", {"region": slug}, workshop_list().filter(region__path__startswith=within)
        ),
        "funding": funding_panel,
        "outcomes": outcome_panel,
        "charts": charts.outcome_series(own_outcomes),
        "funding_chart": charts.funding_bars(funding_panel.rows),
    }


def pairing_detail(*, slug: str) -> dict | None:
    pairing = pairing_list().prefetch_related("sources").filter(slug=slug).first()
    if pairing is None:
        return None
    funding, outcomes = _figure_panels("pairing", pairing)
    return {
        "pairing": pairing,
        "children": list(pairing_list().filter(parent=pairing)),
        "programs": _panel("Programs", "program", {"pairing": slug}, Program.objects.filter(pairings=pairing)),
        "workshops": _panel(
            "Workshops", "workshop", {"pairing": slug}, workshop_list().filter(pairing=pairing), pairing.workshop_count
        ),
        "funding": funding,
        "outcomes": outcomes,
        "charts": charts.outcome_series(outcomes.rows),
        "funding_chart": charts.funding_bars(funding.rows),
    }


def workshop_detail(*, slug: str) -> dict | None:
    workshop = workshop_list().prefetch_related("sources").filter(slug=slug).first()
    if workshop is None:
        return None
    outcomes = _panel(
        "Outcomes",
        "outcome",
        {"workshop": slug},
        outcome_list().filter(workshop=workshop).order_by("indicator__name", "year_end", "pk"),
    )
    return {
        "workshop": workshop,
        "ancestors": [*Region.objects.ancestors_of(workshop.region), workshop.region],
        "outcomes": outcomes,
        "measures": _panel(
            "Support received", "supportmeasure", {"workshop": slug}, supportmeasure_list().filter(workshop=workshop)
        ),
        "funding": _panel("Funding", "funding", {"workshop": slug}, funding_list().filter(workshop=workshop)),
        "charts": charts.outcome_series(outcomes.rows),
    }


def program_detail(*, slug: str) -> dict | None:
    program = (
        program_list()
        .prefetch_related(
            "sources", Prefetch("pairings", queryset=Pairing.objects.select_related("donor", "recipient"))
        )
        .filter(slug=slug)
        .first()
    )
    if program is None:
        return None
    funding, outcomes = _figure_panels("program", program)
    return {
        "program": program,
        "workshops": _panel(
            "Workshops", "workshop", {"program": slug}, workshop_list().filter(program=program), program.workshop_count
        ),
        "measures": _panel(
            "Support measures", "supportmeasure", {"program": slug}, supportmeasure_list().filter(program=program)
        ),
        "funding": funding,
        "outcomes": outcomes,
        "charts": charts.outcome_series(outcomes.rows),
        "funding_chart": charts.funding_bars(funding.rows),
    }


def source_detail(*, slug: str) -> dict | None:
    source = source_list().filter(slug=slug).first()
    if source is None:
        return None
    params = {"source": slug}
    return {
        "source": source,
        "programs": _panel("Programs", "program", params, Program.objects.filter(sources=source)),
        "pairings": _panel("Pairings", "pairing", params, pairing_list().filter(sources=source)),
        "workshops": _panel("Workshops", "workshop", params, workshop_list().filter(sources=source)),
        "funding": _panel("Funding", "funding", params, funding_list().filter(source=source), source.funding_count),
        "outcomes": _panel("Outcomes", "outcome", params, outcome_list().filter(source=source), source.outcome_count),
        "measures": _panel(
            "Support measures",
            "supportmeasure",
            params,
            supportmeasure_list().filter(source=source),
            source.measure_count,
        ),
    }


def funding_detail(*, pk: int) -> dict | None:
    funding = funding_list().filter(pk=pk).first()
    return None if funding is None else {"funding": funding}


def outcome_detail(*, pk: int) -> dict | None:
    outcome = outcome_list().filter(pk=pk).first()
    return None if outcome is None else {"outcome": outcome}


def indicator_detail(*, slug: str) -> dict | None:
    indicator = Indicator.objects.filter(slug=slug).first()
    if indicator is None:
        return None
    return {
        "indicator": indicator,
        "outcomes": _panel(
            "Outcomes",
            "outcome",
            {"indicator": slug},
            outcome_list().filter(indicator=indicator).order_by("year_end", "pk"),
        ),
    }


DETAIL_SELECTORS = {
    "region": region_detail,
    "pairing": pairing_detail,
    "workshop": workshop_detail,
    "program": program_detail,
    "source": source_detail,
    "funding": funding_detail,
    "outcome": outcome_detail,
    "indicator": indicator_detail,
}
