"""Columns of the cited figures: funding, outcomes and support measures. Each
is matched on its natural key, the source's slug and the figure's key."""

from import_export import fields

from programs.models import Funding, Outcome, SupportMeasure

from .base import CasebookResource


def text_column(name: str) -> fields.Field:
    """A figure's text as the pages show it (“3.68 billion yuan (US$517.37 million)”):
    written on export, accepted and ignored on import, so an exported file imports back."""
    return fields.Field(attribute=name, column_name=name, readonly=True)


class CitedResource(CasebookResource):
    class Meta(CasebookResource.Meta):
        import_id_fields = ("source", "key")


class FundingResource(CitedResource):
    amount_text = text_column("amount_text")

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
            "amount_text",
        )
        export_order = fields


class OutcomeResource(CitedResource):
    """The unit is the indicator's, so it is not a column."""

    value_text = text_column("value_text")
    baseline_text = text_column("baseline_text")

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
            "value_text",
            "baseline_text",
        )
        export_order = fields


class SupportMeasureResource(CitedResource):
    value_text = text_column("value_text")

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
            "value_text",
        )
        export_order = fields
