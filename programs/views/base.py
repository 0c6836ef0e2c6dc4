"""The two generic views every page is declared with.

``CasebookListView`` serves a list page: filters with facet counts, free-text
search, sortable columns with a stable order, pagination, and on
``?export=csv`` or ``?export=json`` a streamed download of exactly the filtered
rows. A list page is a subclass that declares its queryset, filterset, table,
export columns, facets and region cascade.

``CasebookDetailView`` serves a record's page: one selector gathers the record,
and its related lists are ``Panel``s — a list page's own rows under fixed
filters, drawn with the list's own table — so a panel's count always equals
the count on the list page it links to.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django_filters import MultipleChoiceFilter
from django_tables2 import RequestConfig

from programs.exports import export_response
from programs.forms import PER_PAGE_CHOICES, ListControlsForm, echo, parameter_errors, present_filter_form
from programs.models import Region
from programs.selectors.facets import facet_counts, kept_scope, region_cascade, row_count, tallied_columns, tally
from programs.selectors.lists import first_ids, first_rows, rows_by_id, with_stable_order
from programs.services import search_index
from programs.services.aggregates import APART_CACHE_ALIAS, TALLY_CACHE_ALIAS, per_version
from programs.services.export_files import export_key
from programs.services.page_cache import version

from .paging import CasebookPaginator

# How many related rows a detail page shows before pointing to the full list.
PANEL_ROWS = 50


@dataclass(frozen=True)
class Cascade:
    """A list's "by region" navigation: the region field its rows are counted by
    (``"self"`` for regions themselves) and the filter a step sets."""

    through: str
    param: str = "region"


@dataclass(frozen=True)
class SelectionCounts:
    """What a list page counts of its filtered rows (``selection_counts``): the
    total, each facet's choices with their counts, and the region cascade."""

    count: int
    facets: list[tuple[str, list]]
    cascade: dict | None


@dataclass
class ListState:
    """What the list template needs beyond the table itself."""

    errors: list[str] = field(default_factory=list)
    page: int = 1
    page_text: str = "1"
    per_page: int = PER_PAGE_CHOICES[0]
    export: str | None = None


class CasebookListView(View):
    """A filterable, sortable, paginated, exportable list of one model."""

    queryset: QuerySet
    filterset_class: type
    table_class: type
    export_columns: list[tuple[str, Callable]]
    url_name: str
    # Facets: URL parameter → model field whose values are counted beside the choices.
    facets: dict[str, str] = {}
    cascade: Cascade | None = None
    template_name = "programs/list.html"
    partial_template_name = "programs/partials/results.html"

    @classmethod
    def model(cls) -> type[Model]:
        return cls.queryset.model

    @classmethod
    def filtered(cls, params: dict) -> QuerySet:
        """The list's rows under fixed filters whose values are records (not URL
        text): each value goes through the very filter the page applies to it."""
        filterset = cls.filterset_class(queryset=cls.queryset.all())
        queryset = filterset.queryset
        for name, value in params.items():
            queryset = filterset.filters[name].filter(queryset, value)
        return queryset

    @classmethod
    def sortable_columns(cls) -> list[str]:
        """The names of the table's sortable columns (what ``sort`` may name), found
        once per list: the table's columns are the same for every request."""
        if cls.__dict__.get("_sortable") is None:
            table = cls.table_class(cls.queryset.none())
            cls._sortable = sorted(column.name for column in table.columns if column.orderable)
        return cls._sortable

    def get(self, request):
        # The data version is read before any query, the filters' own included: what is
        # kept under it (an export's file, programs.services.export_files; the counts of
        # this selection) is then never drawn from data older than the version says,
        # even when another process writes while the filters are validated.
        version(self.queryset.db)
        base = self.queryset.all()
        filterset = self.filterset_class(request.GET, queryset=base, request=request)
        present_filter_form(filterset.form)
        state = self.read_state(request, filterset, sortable=self.sortable_columns())
        valid = filterset.is_valid() and not state.errors
        table = self.table_class(filterset.qs if valid else base.none())
        # Sorts the table by the (validated) ``sort`` parameter and gives it the request.
        RequestConfig(request, paginate=False).configure(table)
        table.data.data = with_stable_order(table.data.data)
        if valid and state.export:
            filename = self.model()._meta.verbose_name_plural.replace(" ", "-")
            return export_response(
                queryset=table.data.data,
                columns=self.export_columns,
                fmt=state.export,
                filename=filename,
                key=export_key(request, state.export),
            )
        # What is counted: the filtered rows without the selector's joins (annotations
        # it does not use are left out of a count or a GROUP BY by Django itself).
        counted = filterset.filter_queryset(base.select_related(None).prefetch_related(None)) if valid else base.none()
        counts = self.selection_counts(request, filterset, counted) if valid else SelectionCounts(0, [], None)
        self.paginate(table, state if valid else ListState(per_page=state.per_page), count=counts.count, rows_from=base)
        context = {
            "verbose_name_plural": self.model()._meta.verbose_name_plural,
            "filterset": filterset,
            "table": table,
            "state": state,
            "valid": valid,
            "per_page_choices": PER_PAGE_CHOICES,
            "facets": [(filterset.filters[param].label, param, choices) for param, choices in counts.facets],
            "cascade": counts.cascade,
            "api_url": self.api_url(),
        }
        return self.render(request, context, status=200 if valid else 400)

    def api_url(self) -> str | None:
        """The list's endpoint in the API (None where the URLs have no API, as a test's may not)."""
        try:
            return reverse(f"api:{self.model()._meta.model_name}-list")
        except NoReverseMatch:
            return None

    def render(self, request, context, *, status):
        # htmx swaps only the results, except when it restores a page from history.
        partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
        response = render(
            request, self.partial_template_name if partial else self.template_name, context, status=status
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    def read_state(self, request, filterset, *, sortable: list[str]) -> ListState:
        state = ListState(errors=parameter_errors(request.GET, filterset.form.fields))
        controls = ListControlsForm(request.GET, sortable=sortable)
        if controls.is_valid():
            state.page = controls.cleaned_data["page"]
            state.page_text = echo(request.GET.get("page", "1"))
            state.per_page = controls.cleaned_data["per_page"]
            state.export = controls.cleaned_data["export"]
        else:
            state.errors += controls.error_messages()
            state.per_page = controls.cleaned_data.get("per_page", PER_PAGE_CHOICES[0])
        return state

    def tally(self, filterset, counted: QuerySet):
        """A search, a range or a region (anything but the whole table or chosen
        values, whose counts are each kept per data version: ``kept_scope``) is
        counted, and grouped by every facet and by region, in one pass, since each
        statement would otherwise find the rows again; the tally is kept per data
        version and selection (``tally``)."""
        if not search_index.terms(filterset.form.cleaned_data.get("q") or "") and kept_scope(counted) is not None:
            return None
        columns = tallied_columns(self.model(), list(self.facets.values()), self.cascade and self.cascade.through)
        return tally(counted, columns) if columns else None

    def selection_counts(self, request, filterset, counted: QuerySet) -> SelectionCounts:
        """The rows' total, facets and region cascade, kept per data version and
        selection (``TALLY_CACHE_ALIAS``): the next page of the same filters, the
        same rows sorted otherwise or at another page size read them back whole
        instead of finding, counting and naming them again. The selection is the
        filters' own parameters as the URL gives them, a search by its folded words
        (``q=Lüeyang`` is ``q=lueyang``; a search with no words is none), and the
        language, which names the choices; anything else in the URL (page, size,
        sort) does not change what is counted. Each count is itself kept or
        tallied as before, so a first view costs what it did."""
        params = []
        for name, values in sorted(request.GET.lists()):
            if name == "q":
                values = [" ".join(search_index.terms(value)) for value in values]
                if values == [""]:
                    continue  # no words: the whole list (``search_index.matching``)
            if name in filterset.form.fields:
                params.append((name, tuple(values)))
        selection = repr((self.url_name, get_language(), params))
        key = f"selection:{hashlib.sha256(selection.encode()).hexdigest()}"

        def compute() -> SelectionCounts:
            tallied = self.tally(filterset, counted)
            count = tallied.count if tallied else row_count(counted)
            return SelectionCounts(
                count,
                self.facet_choices(request, filterset, counted, tallied, total=count),
                self.cascade_steps(filterset, counted, tallied),
            )

        return per_version(key, compute, using=counted.db, alias=TALLY_CACHE_ALIAS)

    def paginate(self, table, state: ListState, *, count: int, rows_from=None) -> None:
        try:
            table.paginate(
                paginator_class=CasebookPaginator,
                page=state.page,
                per_page=state.per_page,
                count=count,
                queryset=table.data.data,
                table=table,
                rows_from=rows_from,
            )
        except EmptyPage:
            pages = table.paginator.num_pages
            raise Http404(
                ngettext(
                    "Page %(page)s is past the end of this list, which has %(pages)s page.",
                    "Page %(page)s is past the end of this list, which has %(pages)s pages.",
                    pages,
                )
                % {"page": state.page_text, "pages": pages}
            ) from None

    def facet_choices(self, request, filterset, counted: QuerySet, tallied=None, total=None):
        """Each facet's parameter and its choices with their counts."""
        return [
            (
                param,
                facet_counts(
                    queryset=counted,
                    field=field_name,
                    selected=request.GET.getlist(param),
                    tallied=tallied,
                    only=self.only_value(filterset, param, field_name),
                    total=total,
                ),
            )
            for param, field_name in self.facets.items()
        ]

    def only_value(self, filterset, param: str, field_name: str) -> str | None:
        """The one value of a plain field the list is filtered to (``?kind=training``):
        every row has it, so its facet needs no count of its own."""
        rule = filterset.filters[param]
        chosen = filterset.form.cleaned_data.get(param)
        plain = not self.model()._meta.get_field(field_name).is_relation
        if (
            plain
            and type(rule) is MultipleChoiceFilter
            and rule.method is None
            and (rule.field_name, rule.lookup_expr, rule.exclude) == (field_name, "exact", False)
            and isinstance(chosen, list)
            and len(chosen) == 1
        ):
            return chosen[0]
        return None

    def cascade_steps(self, filterset, counted: QuerySet, tallied=None):
        if self.cascade is None:
            return None
        within = filterset.form.cleaned_data.get(self.cascade.param)
        return {
            "param": self.cascade.param,
            "within": within,
            "ancestors": list(Region.objects.ancestors_of(within)) if within else [],
            "steps": region_cascade(queryset=counted, through=self.cascade.through, within=within, tallied=tallied),
        }


def url_value(value):
    """A filter value as the URL names it: records by slug, lists value by value."""
    if isinstance(value, list | tuple):
        return [url_value(item) for item in value]
    return value.slug if isinstance(value, Model) else value


@dataclass
class PanelRows:
    """A panel as a detail page shows it: its table of the first rows, how many
    rows there are in all, and the list page that shows them all."""

    title: str
    table: object
    rows: list
    count: int
    url: str

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


@dataclass(frozen=True)
class Panel:
    """A related list on a detail page: ``list_view``'s rows under the filters
    ``params(record)`` gives (filter name → value), in the order of the table's
    ``sort`` column, drawn with the list's table with the columns in ``hide``
    left out (they would repeat the record).

    A ``kept`` panel keeps its first ids and its total per data version
    (``per_version``), as the whole-table counts are: a region's panels cover its
    whole subtree, which for a province at national scale is tens of thousands of
    rows to count and sort. The first view after a write computes them; later
    views read only the rows back, by id."""

    name: str
    title: str
    list_view: type[CasebookListView]
    params: Callable[[Model], dict]
    hide: tuple[str, ...] = ()
    # A sortable column of the list's table; the link to the list sorts the same way.
    sort: str | None = None
    kept: bool = False

    def build(self, record) -> PanelRows:
        params = self.params(record)
        queryset = self.list_view.filtered(params)
        if self.sort:
            queryset = queryset.order_by(*self.list_view.table_class.base_columns[self.sort].order_by)
            params = {**params, "sort": self.sort}
        queryset = with_stable_order(queryset)
        query = urlencode({name: url_value(value) for name, value in params.items()}, doseq=True)
        url = f"{reverse(self.list_view.url_name)}?{query}"
        if self.kept:
            ids, count = per_version(
                f"panel:{url}",
                lambda: first_ids(queryset, limit=PANEL_ROWS),
                using=queryset.db,
                alias=APART_CACHE_ALIAS,
            )
            rows = rows_by_id(queryset, ids)
        else:
            rows, count = first_rows(queryset, limit=PANEL_ROWS)
        table = self.list_view.table_class(rows, exclude=self.hide, orderable=False)
        return PanelRows(self.title.format(record=record), table, rows, count, url)


class CasebookDetailView(View):
    """A record's page: ``selector`` gathers the record (under
    ``context_object_name``) and what surrounds it; each panel adds a related list."""

    selector: Callable[..., dict | None]
    lookup = "slug"
    context_object_name: str
    template_name: str
    panels: tuple[Panel, ...] = ()

    def get(self, request, **kwargs):
        context = type(self).selector(**{self.lookup: kwargs[self.lookup]})
        if context is None:
            # The kind is one of the models' verbose names, translated with them.
            kind = _(self.context_object_name)
            raise Http404(_("There is no such %(kind)s in the casebook.") % {"kind": kind})
        record = context[self.context_object_name]
        for panel in self.panels:
            context[panel.name] = panel.build(record)
        context.update(self.charts(context))
        return render(request, self.template_name, context)

    def charts(self, context) -> dict:
        """Chart data for the page, from what the selector and panels gathered."""
        return {}
