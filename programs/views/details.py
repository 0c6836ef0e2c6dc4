"""The record pages, one declaration each: the selector that gathers the record,
its template, and its panels — each panel a list page under fixed filters."""

from django.utils.translation import gettext_lazy as _

from programs import charts
from programs.selectors import details as selectors

from .base import CasebookDetailView, Panel
from .lists import (
    FundingListView,
    OutcomeListView,
    PairingListView,
    ProgramListView,
    SupportMeasureListView,
    WorkshopListView,
)

# Outcomes read best grouped by indicator; funding in time (columns of their tables).
BY_INDICATOR = "indicator"
BY_YEAR = "period"


def outcome_charts(panel_name: str = "outcomes", funding_panel: str | None = "funding"):
    """A ``charts`` method drawing the outcomes of one panel over time and the funding of another."""

    def draw(self, context) -> dict:
        drawn = {"charts": charts.outcome_series(context[panel_name].rows)}
        if funding_panel:
            drawn["funding_chart"] = charts.funding_bars(context[funding_panel].rows)
        return drawn

    return draw


class RegionDetailView(CasebookDetailView):
    selector = selectors.region_detail
    context_object_name = "region"
    template_name = "programs/region_detail.html"
    panels = (
        Panel("pairings_out", _("Pairings as donor"), PairingListView, lambda region: {"donor": region}),
        Panel("pairings_in", _("Pairings as recipient"), PairingListView, lambda region: {"recipient": region}),
        Panel("programs", _("Programs"), ProgramListView, lambda region: {"region": region}),
        Panel("workshops", _("Workshops within"), WorkshopListView, lambda region: {"region": region}),
        # Outcomes and funding of the whole subtree: kept per data version (a
        # province's tens of thousands at national scale).
        Panel(
            "outcomes",
            _("Outcomes in {record.name_en} and below"),
            OutcomeListView,
            lambda region: {"region": region},
            sort=BY_INDICATOR,
            kept=True,
        ),
        Panel(
            "funding",
            _("Funding given or received"),
            FundingListView,
            lambda region: {"region": region},
            sort=BY_YEAR,
            kept=True,
        ),
    )

    def charts(self, context) -> dict:
        # The charts follow this region's own figures over time, not its sub-regions'.
        return {
            "charts": charts.outcome_series(context["own_outcomes"]),
            "funding_chart": charts.funding_bars(context["funding"].rows),
        }


class PairingDetailView(CasebookDetailView):
    selector = selectors.pairing_detail
    context_object_name = "pairing"
    template_name = "programs/pairing_detail.html"
    panels = (
        Panel("children", _("Pairings within it"), PairingListView, lambda pairing: {"parent": pairing}),
        Panel("programs", _("Programs"), ProgramListView, lambda pairing: {"pairing": pairing}),
        Panel("workshops", _("Workshops"), WorkshopListView, lambda pairing: {"pairing": pairing}),
        Panel("funding", _("Funding"), FundingListView, lambda pairing: {"pairing": pairing}, sort=BY_YEAR),
        Panel("outcomes", _("Outcomes"), OutcomeListView, lambda pairing: {"pairing": pairing}, sort=BY_INDICATOR),
    )
    charts = outcome_charts()


class WorkshopDetailView(CasebookDetailView):
    selector = selectors.workshop_detail
    context_object_name = "workshop"
    template_name = "programs/workshop_detail.html"
    panels = (
        Panel("outcomes", _("Outcomes"), OutcomeListView, lambda workshop: {"workshop": workshop}, sort=BY_INDICATOR),
        Panel(
            "measures",
            _("Support received"),
            SupportMeasureListView,
            lambda workshop: {"workshop": workshop},
            hide=("workshop",),
        ),
        Panel("funding", _("Funding"), FundingListView, lambda workshop: {"workshop": workshop}, sort=BY_YEAR),
    )
    charts = outcome_charts(funding_panel=None)


class ProgramDetailView(CasebookDetailView):
    selector = selectors.program_detail
    context_object_name = "program"
    template_name = "programs/program_detail.html"
    panels = (
        Panel("workshops", _("Workshops"), WorkshopListView, lambda program: {"program": program}, hide=("program",)),
        Panel("funding", _("Funding"), FundingListView, lambda program: {"program": program}, sort=BY_YEAR),
        Panel("outcomes", _("Outcomes"), OutcomeListView, lambda program: {"program": program}, sort=BY_INDICATOR),
        Panel(
            "measures",
            _("Support measures"),
            SupportMeasureListView,
            lambda program: {"program": program},
            hide=("program",),
        ),
    )
    charts = outcome_charts()


class SourceDetailView(CasebookDetailView):
    selector = selectors.source_detail
    context_object_name = "source"
    template_name = "programs/source_detail.html"
    panels = tuple(
        Panel(name, title, list_view, lambda source: {"source": [source]})
        for name, title, list_view in (
            ("programs", _("Programs"), ProgramListView),
            ("pairings", _("Pairings"), PairingListView),
            ("workshops", _("Workshops"), WorkshopListView),
            ("funding", _("Funding"), FundingListView),
            ("outcomes", _("Outcomes"), OutcomeListView),
            ("measures", _("Support measures"), SupportMeasureListView),
        )
    )


class FundingDetailView(CasebookDetailView):
    selector = selectors.funding_detail
    lookup = "pk"
    context_object_name = "funding"
    template_name = "programs/funding_detail.html"


class OutcomeDetailView(CasebookDetailView):
    selector = selectors.outcome_detail
    lookup = "pk"
    context_object_name = "outcome"
    template_name = "programs/outcome_detail.html"


class IndicatorDetailView(CasebookDetailView):
    selector = selectors.indicator_detail
    context_object_name = "indicator"
    template_name = "programs/indicator_detail.html"
    panels = (
        Panel(
            "outcomes",
            _("Outcomes"),
            OutcomeListView,
            lambda indicator: {"indicator": [indicator]},
            hide=("indicator",),
            sort=BY_YEAR,
        ),
    )
