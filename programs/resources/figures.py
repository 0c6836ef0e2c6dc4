"""Columns of the cited figures: funding, outcomes and support measures. Each
is matched on its natural key, the source's slug and the figure's key."""

from programs.models import Funding, Outcome, SupportMeasure

from .base import CasebookResource


class CitedResource(CasebookResource):
    class Meta(CasebookResource.Meta):
        import_id_fields = ("source", "key")


class FundingResource(CitedResource):
    class Meta(CitedResource.Meta):
        model = Funding
        fields = (
            "source",
            "key",
            "locator",
            "amount",
            "amount_max",
            "qualifier",
            "currency",
            "usd_amount",
            "is_annual",
            "year_start",
            "year_end",
            "funder_region",
            "funder_organisation",
            "recipient_region",
            "pairing",
            "program",
            "workshop",
            "kind",
            "purpose",
            "note",
        )
        export_order = fields


class OutcomeResource(CitedResource):
    """The unit is the indicator's, so it is not a column."""

    class Meta(CitedResource.Meta):
        model = Outcome
        fields = (
            "source",
            "key",
            "locator",
            "indicator",
            "value",
            "value_max",
            "qualifier",
            "year_start",
            "year_end",
            "as_of",
            "baseline_value",
            "baseline_qualifier",
            "baseline_year",
            "region",
            "pairing",
            "program",
            "workshop",
            "perspective",
            "attributed_to",
            "description",
            "note",
        )
        export_order = fields


class SupportMeasureResource(CitedResource):
    class Meta(CitedResource.Meta):
        model = SupportMeasure
        fields = (
            "source",
            "key",
            "locator",
            "kind",
            "beneficiary",
            "description",
            "value",
            "value_max",
            "qualifier",
            "unit",
            "program",
            "workshop",
            "note",
        )
        export_order = fields
