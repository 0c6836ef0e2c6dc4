"""django-import-export resources: the CSV columns editors import and export,
one resource per model, the same columns both ways.

Related records are named by their slugs, never by database ids (lists of them
separated by semicolons); rows are matched on natural keys (the slug, or the
source and key of a figure); every row is validated with ``full_clean()``, and
one bad row rejects the whole file. ``base`` holds the shared behaviour and
``widgets`` the strict reading of cells.
"""

from .figures import FundingResource, OutcomeResource, SupportMeasureResource
from .records import (
    ApproachResource,
    IndicatorResource,
    PairingResource,
    ProgramResource,
    RegionResource,
    SourceResource,
    WorkshopResource,
)

__all__ = [
    "ApproachResource",
    "FundingResource",
    "IndicatorResource",
    "OutcomeResource",
    "PairingResource",
    "ProgramResource",
    "RegionResource",
    "SourceResource",
    "SupportMeasureResource",
    "WorkshopResource",
]
