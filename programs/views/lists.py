"""The list pages, one declaration each: the rows (a selector's queryset), the
filters, the table, the export columns, the facets and the region cascade.
``CasebookListView`` does the rest; ``urls.py`` names each one."""

from programs import exports, filtersets, tables
from programs.selectors import lists as selectors

from .base import Cascade, CasebookListView


class SourceListView(CasebookListView):
    queryset = selectors.source_list()
    filterset_class = filtersets.SourceFilterSet
    table_class = tables.SourceTable
    export_columns = exports.SOURCE_COLUMNS
    url_name = "programs:source_list"
    facets = {"kind": "kind"}


class RegionListView(CasebookListView):
    queryset = selectors.region_list()
    filterset_class = filtersets.RegionFilterSet
    table_class = tables.RegionTable
    export_columns = exports.REGION_COLUMNS
    url_name = "programs:region_list"
    facets = {"level": "level", "belt": "belt"}
    cascade = Cascade(through="self", param="within")


class ProgramListView(CasebookListView):
    queryset = selectors.program_list()
    filterset_class = filtersets.ProgramFilterSet
    table_class = tables.ProgramTable
    export_columns = exports.PROGRAM_COLUMNS
    url_name = "programs:program_list"
    facets = {"approach": "approaches", "source": "sources"}


class PairingListView(CasebookListView):
    queryset = selectors.pairing_list()
    filterset_class = filtersets.PairingFilterSet
    table_class = tables.PairingTable
    export_columns = exports.PAIRING_COLUMNS
    url_name = "programs:pairing_list"
    facets = {"level": "level", "framework": "framework"}
    cascade = Cascade(through="recipient", param="recipient")


class WorkshopListView(CasebookListView):
    queryset = selectors.workshop_list()
    filterset_class = filtersets.WorkshopFilterSet
    table_class = tables.WorkshopTable
    export_columns = exports.WORKSHOP_COLUMNS
    url_name = "programs:workshop_list"
    facets = {"kind": "kind", "status": "status", "ownership": "ownership"}
    cascade = Cascade(through="region")


class FundingListView(CasebookListView):
    queryset = selectors.funding_list()
    filterset_class = filtersets.FundingFilterSet
    table_class = tables.FundingTable
    export_columns = exports.FUNDING_COLUMNS
    url_name = "programs:funding_list"
    facets = {"kind": "kind", "qualifier": "qualifier", "source": "source"}
    cascade = Cascade(through="recipient_region", param="recipient")


class OutcomeListView(CasebookListView):
    queryset = selectors.outcome_list()
    filterset_class = filtersets.OutcomeFilterSet
    table_class = tables.OutcomeTable
    export_columns = exports.OUTCOME_COLUMNS
    url_name = "programs:outcome_list"
    facets = {"indicator": "indicator", "perspective": "perspective", "qualifier": "qualifier", "source": "source"}


class SupportMeasureListView(CasebookListView):
    queryset = selectors.supportmeasure_list()
    filterset_class = filtersets.SupportMeasureFilterSet
    table_class = tables.SupportMeasureTable
    export_columns = exports.SUPPORTMEASURE_COLUMNS
    url_name = "programs:supportmeasure_list"
    facets = {"kind": "kind", "beneficiary": "beneficiary", "source": "source"}


# Every list page, in the order the home page and the search show them.
LIST_VIEWS = (
    ProgramListView,
    RegionListView,
    PairingListView,
    WorkshopListView,
    FundingListView,
    OutcomeListView,
    SupportMeasureListView,
    SourceListView,
)
