"""The analysts' pages. Views are wiring: each page is a declaration (``lists``,
``details``) bound to a generic view (``base``); queries live in ``selectors``.
``pages`` holds the home page, search and suggestions; ``errors`` the polite
failures and the load balancer's probes."""

from .details import (
    FundingDetailView,
    IndicatorDetailView,
    OutcomeDetailView,
    PairingDetailView,
    ProgramDetailView,
    RegionDetailView,
    SourceDetailView,
    WorkshopDetailView,
)
from .errors import (
    DATABASE_ERRORS,
    healthz,
    not_found,
    readyz,
    server_error,
    service_unavailable,
)
from .lists import (
    LIST_VIEWS,
    FundingListView,
    OutcomeListView,
    PairingListView,
    ProgramListView,
    RegionListView,
    SourceListView,
    SupportMeasureListView,
    WorkshopListView,
)
from .pages import home, indicators, search, suggest

__all__ = [
    "DATABASE_ERRORS",
    "LIST_VIEWS",
    "FundingDetailView",
    "FundingListView",
    "IndicatorDetailView",
    "OutcomeDetailView",
    "OutcomeListView",
    "PairingDetailView",
    "PairingListView",
    "ProgramDetailView",
    "ProgramListView",
    "RegionDetailView",
    "RegionListView",
    "SourceDetailView",
    "SourceListView",
    "SupportMeasureListView",
    "WorkshopDetailView",
    "WorkshopListView",
    "healthz",
    "home",
    "indicators",
    "not_found",
    "readyz",
    "search",
    "server_error",
    "service_unavailable",
    "suggest",
]
