"""Tables for the list pages (django-tables2): sortable columns, figures
with their hedges, and a citation beside every figure."""

import html
from urllib.parse import urlencode

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.encoding import force_str
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tables2.columns.base import LinkTransform
from django_tables2.utils import Accessor, signature

from programs import formatting
from programs.links import fixed_context
from programs.models import Funding, Outcome, Pairing, Program, Region, Source, SupportMeasure, Workshop


def escaped(value) -> str:
    """``conditional_escape(value)``, with text and markup (nearly every cell) done
    without its checks for lazy text."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return html.escape(value)  # what escape() does
    return conditional_escape(value)


def html_format(template: str, *args) -> SafeString:
    """``format_html(template, *args)``: the same text, cheaper per cell."""
    return SafeString(template.format(*map(escaped, args)))


def link(obj, text=None):
    if obj is None:
        return "—"
    return html_format('<a href="{}">{}</a>', obj.get_absolute_url(), text or str(obj))


def citation(obj) -> str:
    """A figure's source and where in it, as every page shows it."""
    source = obj.source
    return html_format(
        '<span class="citation"><a href="{}" title="{}">{}, {}</a> — {}</span>',
        source.get_absolute_url(),
        source.title,
        source.publisher,
        source.published_year,
        obj.locator,
    )


def citation_text(obj) -> str:
    """The same citation as plain text (the API's ``citation``)."""
    source = obj.source
    return f"{source.publisher}, {source.published_year} — {obj.locator}"


class CitationColumn(tables.Column):
    """A figure's citation (needs ``source`` joined)."""

    def __init__(self, **kwargs):
        super().__init__(verbose_name=_("Source"), accessor="pk", orderable=False, **kwargs)

    def render(self, record):
        return citation(record)


class CasebookTable(tables.Table):
    """A list's table. Its rows are drawn by ``body_html``: the same cells as
    django-tables2 draws them, with what each column needs worked out once per
    table rather than once per cell (a page of 100 rows has 700 cells)."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle casebook-table"}
        template_name = "tables/casebook.html"
        empty_text = _("None recorded.")

    def __init_subclass__(cls, **kwargs):
        """A column declared without a header takes its model field's verbose name (lazy,
        so translated), as django-tables2 does only when the rows are a queryset: a
        panel's rows are a list, and would be headed by the column's bare name."""
        super().__init_subclass__(**kwargs)
        model = getattr(cls._meta, "model", None)
        for name, column in cls.base_columns.items():
            if column.verbose_name is not None or model is None:
                continue
            field = Accessor(column.accessor or name).get_field(model)
            if field is not None and getattr(field, "verbose_name", None):
                column.verbose_name = capfirst(field.verbose_name)

    def head_html(self) -> str:
        """The header row, as django-tables2's Bootstrap 5 template draws it (a sortable
        column's header links to the current query with its ``sort`` replaced, as
        ``querystring_replace`` gives it), written directly: the template's tag per
        column cost as much as drawing the rows of a short list."""
        if not self.show_header:
            return ""
        request = getattr(self, "request", None)
        params = dict(request.GET) if request is not None else {}
        cells = []
        for column in self.columns:
            header = escaped(column.header)
            if column.orderable:
                query = urlencode({**params, self.prefixed_order_by_field: column.order_by_alias.next}, doseq=True)
                header = f'<a href="{html.escape("?" + query)}">{header}</a>'
            cells.append(f'<th {column.attrs["th"].as_html()} scope="col">{header}</th>')
        thead = self.attrs.get("thead")
        attrs = thead.as_html() if hasattr(thead, "as_html") else ""
        return mark_safe(f"<thead {attrs}>\n<tr>\n" + "\n".join(cells) + "\n</tr>\n</thead>")  # each part escaped

    def body_html(self) -> str:
        cells = [_cell_function(self, bound_column) for bound_column in self.columns]
        text = _cell_text()
        rows = []
        with fixed_context():
            for index, row in enumerate(self.paginated_rows):
                tds = "".join(f"<td {attrs}>{text(cell(row))}</td>" for attrs, cell in cells)
                rows.append(f'<tr class="{"odd" if index % 2 else "even"}">{tds}</tr>')
        return mark_safe("\n".join(rows))  # each cell escaped above


class SourceTable(CasebookTable):
    title = tables.Column(linkify=True)
    funding_count = tables.Column(_("Funding"))
    outcome_count = tables.Column(_("Outcomes"))
    measure_count = tables.Column(_("Support measures"))

    class Meta(CasebookTable.Meta):
        model = Source
        fields = ("title", "publisher", "published_year", "kind", "language")
        sequence = ("title", "publisher", "published_year", "kind", "language", "...")


class RegionTable(CasebookTable):
    name_en = tables.Column(_("Region"), linkify=True)
    parent = tables.Column(linkify=True, order_by=("parent__name_en",))
    is_poverty_county = tables.BooleanColumn(null=True, verbose_name=_("Poverty county"))
    children_count = tables.Column(_("Sub-regions"))
    workshop_count = tables.Column(_("Workshops within"))

    class Meta(CasebookTable.Meta):
        model = Region
        fields = ("name_en", "name_zh", "level", "parent", "belt", "is_poverty_county")
        order_by = ("path",)


class ProgramTable(CasebookTable):
    name = tables.Column(linkify=True)
    # Read from the lists program_list() prefetches.
    approaches = tables.Column(_("Approaches"), accessor="listed_approaches", orderable=False)
    regions = tables.Column(_("Regions"), accessor="listed_regions", orderable=False)
    year_start = tables.Column(_("Began"))
    workshop_count = tables.Column(_("Workshops"))
    funding_count = tables.Column(_("Funding"))
    outcome_count = tables.Column(_("Outcomes"))

    class Meta(CasebookTable.Meta):
        model = Program
        fields = ("name", "approaches", "regions", "year_start")

    def render_approaches(self, value):
        return ", ".join(str(approach) for approach in value)

    def render_regions(self, value):
        return SafeString(", ".join(html_format('<a href="{}">{}</a>', r.get_absolute_url(), r.name_en) for r in value))


class PairingTable(CasebookTable):
    pairing = tables.Column(_("Pairing"), accessor="slug", order_by=("donor__name_en", "recipient__name_en"))
    donor = tables.Column(linkify=True, order_by=("donor__name_en",))
    recipient = tables.Column(linkify=True, order_by=("recipient__name_en",))
    start_year = tables.Column(_("Since"))
    funding_count = tables.Column(_("Funding"))
    outcome_count = tables.Column(_("Outcomes"))
    workshop_count = tables.Column(_("Workshops"))

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
            return html_format("{}, {}", link(value, value.name_en), value.parent.name_en)
        return link(value, value.name_en)


class FundingTable(CasebookTable):
    amount = tables.Column(_("Amount"), linkify=True)
    # empty_values=() so the render methods run even when the accessed field is blank.
    period = tables.Column(_("Period"), accessor="year_end", order_by=("year_end", "year_start"), empty_values=())
    funder = tables.Column(_("Funder"), accessor="funder_region", order_by=("funder_region__name_en",), empty_values=())
    recipient_region = tables.Column(_("Recipient"), linkify=True, order_by=("recipient_region__name_en",))
    citation = CitationColumn()

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
        return SafeString("; ".join(map(escaped, parts)))


class OutcomeTable(CasebookTable):
    indicator = tables.Column(order_by=("indicator__name",))
    value = tables.Column(_("Figure"), linkify=True)
    period = tables.Column(_("When"), accessor="year_end", order_by=("year_end", "as_of"), empty_values=())
    baseline_value = tables.Column(_("Baseline"))
    subject = tables.Column(pgettext_lazy("what a figure is about", "About"), accessor="pk", orderable=False)
    citation = CitationColumn()

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
        return SafeString(", ".join(escaped(link(subject)) for subject in subjects if subject))


class SupportMeasureTable(CasebookTable):
    description = tables.Column(_("Measure"))
    value = tables.Column(_("Value"))
    program = tables.Column(linkify=True, order_by=("program__name",))
    workshop = tables.Column(linkify=True, order_by=("workshop__name",))
    citation = CitationColumn()

    class Meta(CasebookTable.Meta):
        model = SupportMeasure
        fields = ("description", "kind", "beneficiary", "value", "program", "workshop")

    def render_value(self, record):
        return record.value_text


def _plain_link(link_to) -> bool:
    """``linkify=True`` and nothing more: a link to the cell's record (or the
    row's, when the cell's value has no page)."""
    return (
        isinstance(link_to, LinkTransform)
        and not (link_to.url or link_to.attrs or link_to.reverse_args)
        and link_to.accessor is None
    )


def _linker(name: str):
    """What ``LinkTransform`` draws for a plain link, without its per-cell
    machinery: ``<a href="…">content</a>``."""

    def link_to(content, *, record, **kwargs):
        target = getattr(record, name)
        url = (target if hasattr(target, "get_absolute_url") else record).get_absolute_url()
        return html_format('<a href="{}">{}</a>', url, content)

    return link_to


def _cell_text():
    """What ``{{ cell }}`` prints for a cell's value (``render_value_in_context``),
    with the common cases written out: markup as it is, text escaped, and a whole
    number as ``localize()`` gives it when no thousands separator is set — each
    of which would otherwise look up the active language and its formats."""
    context = Context()
    plain_integers = not settings.USE_THOUSAND_SEPARATOR

    def text(value) -> str:
        kind = type(value)
        if kind is SafeString:
            return value
        if kind is str:
            return html.escape(value)  # what escape() does, without its check for lazy text
        if kind is int and plain_integers:
            return str(value)
        return render_value_in_context(value, context)

    return text


def _by_truth(render):
    """A ``BooleanColumn``'s render for a field without choices: what it draws
    depends only on whether the value is true, so it is drawn once for each."""
    drawn = {}

    def render_once(value, record, bound_column):
        truth = bool(value)
        if truth not in drawn:
            drawn[truth] = render(value=value, record=record, bound_column=bound_column)
        return drawn[truth]

    return render_once


def _cell_function(table, bound_column):
    """(td attributes, cell(row)) for one column, doing what ``BoundRow.get_cell``
    does: the value (a choice's label), the column's default for an empty value,
    the render method called with the arguments it takes, and the link."""
    column, name = bound_column.column, bound_column.accessor
    attrs = bound_column.attrs.get("td", {})
    attrs = attrs.as_html() if hasattr(attrs, "as_html") else ""
    if "." in name or "__" in name:
        return attrs, lambda row: row.get_cell(bound_column.name)
    try:
        # A panel's table is drawn from a list of rows: its model is then the table's own.
        model = table.data.model or table._meta.model
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    # A choice's label, as ``get_<name>_display()`` gives it, looked up once per table.
    labels = (
        {value: force_str(label, strings_only=True) for value, label in field.flatchoices}
        if getattr(field, "choices", None)
        else None
    )
    render = bound_column.render
    if type(column) is tables.BooleanColumn and field is not None and not getattr(field, "choices", None):
        render = _by_truth(render)
    wanted, catch_all = signature(render)
    link_to = bound_column.link
    plain_link = field is not None and _plain_link(link_to)
    if plain_link:
        link_to = _linker(name)
    # The column's own render (the value as it is) and at most a plain link: no arguments to gather.
    plain = getattr(render, "__func__", None) is tables.Column.render and (plain_link or not link_to)

    def cell(row):
        record = row.record
        value = getattr(record, name)
        if labels is not None:
            value = labels.get(value, value)
        elif callable(value) and not getattr(value, "do_not_call_in_templates", False):
            value = value()
        if value in column.empty_values:
            return bound_column.default
        if plain:
            return link_to(value, record=record) if link_to else value
        arguments = {
            "value": value,
            "record": record,
            "column": column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": table,
        }
        content = render(**(arguments if catch_all else {key: arguments[key] for key in wanted}))
        return link_to(content, **arguments) if link_to else content

    return attrs, cell
