"""Reads: query building lives here, views call one selector each.
Plain functions named ``<entity>_<action>`` with keyword-only arguments."""

from programs.models import (
    Funding,
    Outcome,
    Pairing,
    Program,
    Region,
    Source,
    SupportMeasure,
    Workshop,
)

COUNTED_MODELS = (Program, Region, Pairing, Workshop, Funding, Outcome, SupportMeasure, Source)


def casebook_counts() -> list[tuple[str, int]]:
    """How many records of each kind the casebook holds, one query per model."""
    return [(model._meta.verbose_name_plural, model.objects.count()) for model in COUNTED_MODELS]


def region_descendants(*, region: Region, include_self: bool = True):
    """Everything below ``region`` (and the region itself), in one indexed query."""
    return Region.objects.descendants_of(region, include_self=include_self)
