"""How each record reads in the API, and how editors write it (``records``), on what
every serializer shares (``base``) and how records name one another (``references``).

Related records read as objects with their slug (or a figure's id and key), name and
API address, and are written as their slug. Figures carry their value, bounds,
qualifier, unit, period and citation as fields, plus the readable text the pages show.
Amounts are decimal strings ("3680000000"), exact as stored: never a rounded float."""

from .base import CasebookSerializer, ExactDecimalField, storable
from .records import (
    SERIALIZERS,
    ApproachSerializer,
    FundingSerializer,
    IndicatorSerializer,
    OutcomeSerializer,
    PairingSerializer,
    ProgramSerializer,
    RegionSerializer,
    SourceSerializer,
    SupportMeasureSerializer,
    WorkshopSerializer,
)
from .references import ENDPOINTS, ListedRefs, Ref, api_url, attach_many, ref

__all__ = [
    "ENDPOINTS",
    "SERIALIZERS",
    "ApproachSerializer",
    "CasebookSerializer",
    "ExactDecimalField",
    "FundingSerializer",
    "IndicatorSerializer",
    "ListedRefs",
    "OutcomeSerializer",
    "PairingSerializer",
    "ProgramSerializer",
    "Ref",
    "RegionSerializer",
    "SourceSerializer",
    "SupportMeasureSerializer",
    "WorkshopSerializer",
    "api_url",
    "attach_many",
    "ref",
    "storable",
]
