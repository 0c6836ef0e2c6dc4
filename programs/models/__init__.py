"""The casebook's data model, one module per family of models."""

from .funding import Funding
from .measures import SupportMeasure
from .outcomes import Indicator, Outcome
from .pairings import Pairing
from .programs import Approach, Program
from .regions import Region
from .sources import Source
from .versions import DataVersion  # noqa: F401 (internal: not in __all__, so no group permissions)
from .workshops import Workshop

__all__ = [
    "Approach",
    "Funding",
    "Indicator",
    "Outcome",
    "Pairing",
    "Program",
    "Region",
    "Source",
    "SupportMeasure",
    "Workshop",
]
