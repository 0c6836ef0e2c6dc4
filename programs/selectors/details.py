"""What a detail page shows besides its panels: the record with everything it
names, and the places around it. Each is one function, keyed by the URL's
slug or id; None when there is no such record."""

from django.db.models import Prefetch, Q

from programs.models import Indicator, Pairing, Program, Region

from .lists import (
    funding_list,
    outcome_list,
    pairing_list,
    program_list,
    region_list,
    source_list,
    workshop_list,
)

# The most of a region's own outcomes its charts draw.
CHART_ROWS = 50


def region_detail(*, slug: str) -> dict | None:
    # The region and its sub-regions are found by id first, then read by id: their kept
    # counts (``KeptCount``) are then written out for those rows alone, not for all
    # 3,300 regions at national scale.
    ids = list(Region.objects.filter(Q(slug=slug) | Q(parent__slug=slug)).values_list("pk", flat=True))
    family = list(region_list().filter(pk__in=ids).order_by("name_en")) if ids else []
    region = next((row for row in family if row.slug == slug), None)
    if region is None:
        return None
    return {
        "region": region,
        "ancestors": list(Region.objects.ancestors_of(region)),
        "children": [row for row in family if row.parent_id == region.pk],
        # The charts follow this region's own figures over time, not its sub-regions'.
        "own_outcomes": list(
            outcome_list().filter(region=region).order_by("indicator__name", "year_end", "pk")[:CHART_ROWS]
        ),
    }


def pairing_detail(*, slug: str) -> dict | None:
    pairing = (
        pairing_list()
        .select_related("parent__donor", "parent__recipient")  # the pairing it is part of, named
        .prefetch_related("sources")
        .filter(slug=slug)
        .first()
    )
    return None if pairing is None else {"pairing": pairing}


def workshop_detail(*, slug: str) -> dict | None:
    workshop = workshop_list().prefetch_related("sources").filter(slug=slug).first()
    if workshop is None:
        return None
    return {"workshop": workshop, "ancestors": [*Region.objects.ancestors_of(workshop.region), workshop.region]}


def program_detail(*, slug: str) -> dict | None:
    # Found by id, so that its kept counts are written out for it alone (``KeptCount``),
    # not for every program.
    found = list(Program.objects.filter(slug=slug).values_list("pk", flat=True))
    program = (
        program_list()
        .prefetch_related(
            "sources", Prefetch("pairings", queryset=Pairing.objects.select_related("donor", "recipient"))
        )
        .filter(pk__in=found)
        .first()
    )
    return None if program is None else {"program": program}


def source_detail(*, slug: str) -> dict | None:
    source = source_list().filter(slug=slug).first()
    return None if source is None else {"source": source}


def funding_detail(*, pk: int) -> dict | None:
    funding = funding_list().filter(pk=pk).first()
    return None if funding is None else {"funding": funding}


def outcome_detail(*, pk: int) -> dict | None:
    outcome = outcome_list().filter(pk=pk).first()
    return None if outcome is None else {"outcome": outcome}


def indicator_detail(*, slug: str) -> dict | None:
    indicator = Indicator.objects.filter(slug=slug).first()
    return None if indicator is None else {"indicator": indicator}
