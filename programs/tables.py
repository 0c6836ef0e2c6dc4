"""Tables for the list pages (django-tables2): sortable columns, figures
with their hedges, and a citation beside every figure."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from programs import formatting
from programs.models import Funding, Outcome, Pairing, Program, Region, Source, SupportMeasure, Workshop

CITATION = "partials/citation_cell.html"


def link(obj, text=None):
    if obj is None:
        return "—"
    return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text or str(obj))


class CasebookTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle casebook-table"}
        template_name = "django_tables2/bootstrap5-responsive.html"
        empty_text = "None recorded."


class SourceTable(CasebookTable):
    title = tables.Column(linkify=True)
    funding_count = tables.Column("Funding")
    outcome_count = tables.Column("Outcomes")
    measure_count = tables.Column("Support measures")

    class Meta(CasebookTable.Meta):
        model = Source
        fields = ("title", "publisher", "published_year", "kind", "language")
        sequence = ("title", "publisher", "published_year", "kind", "language", "...")


class RegionTable(CasebookTable):
    name_en = tables.Column("Region", linkify=True)
    parent = tables.Column(linkify=True, order_by=("parent__name_en",))
    is_poverty_county = tables.BooleanColumn(null=True, verbose_name="Poverty county")
    children_count = tables.Column("Sub-regions")
    workshop_count = tables.Column("Workshops within")

    class Meta(CasebookTable.Meta):
        model = Region
        fields = ("name_en", "name_zh", "level", "parent", "belt", "is_poverty_county")
        order_by = ("path",)


class ProgramTable(CasebookTable):
    name = tables.Column(linkify=True)
    approaches = tables.Column(orderable=False)
    regions = tables.Column(orderable=False)
    year_start = tables.Column("Began")
    workshop_count = tables.Column("Workshops")
    funding_count = tables.Column("Funding")
    outcome_count = tables.Column("Outcomes")

    class Meta(CasebookTable.Meta):
        model = Program
        fields = ("name", "approaches", "regions", "year_start")

    def render_approaches(self, value):
        return ", ".join(approach.name for approach in value.all())

    def render_regions(self, value):
        return format_html_join(", ", '<a href="{}">{}</a>', ((r.get_absolute_url(), r.name_en) for r in value.all()))


class PairingTable(CasebookTable):
    pairing = tables.Column("Pairing", accessor="slug", order_by=("donor__name_en", "recipient__name_en"))
    donor = tables.Column(linkify=True, order_by=("donor__name_en",))
    recipient = tables.Column(linkify=True, order_by=("recipient__name_en",))
    start_year = tables.Column("Since")
    funding_count = tables.Column("Funding")
    outcome_count = tables.Column("Outcomes")
    workshop_count = tables.Column("Workshops")

    class Meta(CasebookTable.Meta):
        model = Pairing
        fields = ("pairing", "donor", "recipient", "level", "framework", "start_year", "end_year")

    def render_pairing(self, record):
        return link(record)


class WorkshopTable(CasebookTable):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__path",))
    program = tables.Column(linkify=True, order_by=("program__name",))

    class Meta(CasebookTable.Meta):
        model = Workshop
        fields = ("name", "kind", "region", "operator", "ownership", "status", "opening_year", "program")

    def render_region(self, value):
        if value.parent is not None and value.parent.level != "country":
            return format_html("{}, {}", link(value, value.name_en), value.parent.name_en)
        return link(value, value.name_en)


class FundingTable(CasebookTable):
    amount = tables.Column("Amount", linkify=True)
    # empty_values=() so the render methods run even when the accessed field is blank.
    period = tables.Column("Period", accessor="year_end", order_by=("year_end", "year_start"), empty_values=())
    funder = tables.Column("Funder", accessor="funder_region", order_by=("funder_region__name_en",), empty_values=())
    recipient_region = tables.Column("Recipient", linkify=True, order_by=("recipient_region__name_en",))
    citation = tables.TemplateColumn(template_name=CITATION, verbose_name="Source", orderable=False)

    class Meta(CasebookTable.Meta):
        model = Funding
        fields = ("amount", "period", "kind", "funder", "recipient_region", "purpose")

    def render_amount(self, record):
        return record.amount_text

    def render_period(self, record):
        return formatting.period(record.year_start, record.year_end) or "—"

    def render_funder(self, record):
        parts = [link(record.funder_region, record.funder_region.name_en)] if record.funder_region else []
        if record.funder_organisation:
            parts.append(record.funder_organisation)
        return format_html_join("; ", "{}", ((part,) for part in parts))


class OutcomeTable(CasebookTable):
    indicator = tables.Column(order_by=("indicator__name",))
    value = tables.Column("Figure", linkify=True)
    period = tables.Column("When", accessor="year_end", order_by=("year_end", "as_of"), empty_values=())
    baseline_value = tables.Column("Baseline")
    subject = tables.Column("About", accessor="pk", orderable=False)
    citation = tables.TemplateColumn(template_name=CITATION, verbose_name="Source", orderable=False)

    class Meta(CasebookTable.Meta):
        model = Outcome
        fields = ("indicator", "value", "period", "baseline_value", "subject", "perspective")

    def render_value(self, record):
        return record.value_text

    def render_period(self, record):
        if record.as_of:
            return f"as of {record.as_of:%Y-%m-%d}"
        return formatting.period(record.year_start, record.year_end) or "—"

    def render_baseline_value(self, record):
        return record.baseline_text

    def render_subject(self, record):
        subjects = [getattr(record, name) for name in ("workshop", "program", "pairing", "region")]
        return format_html_join(", ", "{}", ((link(subject),) for subject in subjects if subject))


class SupportMeasureTable(CasebookTable):
    description = tables.Column("Measure")
    value = tables.Column("Value")
    program = tables.Column(linkify=True, order_by=("program__name",))
    workshop = tables.Column(linkify=True, order_by=("workshop__name",))
    citation = tables.TemplateColumn(template_name=CITATION, verbose_name="Source", orderable=False)

    class Meta(CasebookTable.Meta):
        model = SupportMeasure
        fields = ("description", "kind", "beneficiary", "value", "program", "workshop")

    def render_value(self, record):
        return record.value_text
