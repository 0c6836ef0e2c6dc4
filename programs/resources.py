"""django-import-export resources: the CSV columns editors import and export.

Related records are named by their slugs, never by database ids, and every
row is validated with ``full_clean()``; one bad row rejects the whole file.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from programs.models import Funding, Indicator, Outcome, Pairing, Program, Region, Source, Workshop


def slug_field(attribute: str, model, column: str | None = None) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=column or attribute,
        widget=ForeignKeyWidget(model, field="slug"),
    )


class CitedResource(resources.ModelResource):
    """Shared columns of every cited figure; rows are matched on (source, key)."""

    source = slug_field("source", Source)
    pairing = slug_field("pairing", Pairing)
    program = slug_field("program", Program)
    workshop = slug_field("workshop", Workshop)

    class Meta:
        abstract = True
        import_id_fields = ("source", "key")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class FundingResource(CitedResource):
    funder_region = slug_field("funder_region", Region)
    recipient_region = slug_field("recipient_region", Region)

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
    indicator = slug_field("indicator", Indicator)
    region = slug_field("region", Region)

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
