"""The analysts' pages. Views are wiring: they bind a filterset, a table and
a selector to the request and render; queries live in ``selectors``.

One generic list view serves every list page: filters with facet counts,
free-text search, sortable columns with a stable order, pagination, and on
``?export=csv`` or ``?export=json`` a streamed download of exactly the
filtered rows.
"""

import sys
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import EmptyPage
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.decorators.cache import never_cache
from django_tables2 import RequestConfig

from programs import selectors
from programs.exports import EXPORT_COLUMNS, export_response
from programs.filtersets import FILTERSETS
from programs.forms import PER_PAGE_CHOICES, ListControlsForm, echo, parameter_errors
from programs.models import Region
from programs.tables import TABLES


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

    model_name: str = ""
    template_name = "programs/list.html"
    partial_template_name = "programs/partials/results.html"

    def get(self, request):
        base = selectors.LIST_SELECTORS[self.model_name]()
        filterset = FILTERSETS[self.model_name](request.GET, queryset=base, request=request)
        table_class = TABLES[self.model_name]
        state = self._read_state(request, filterset, sortable=sortable_columns(table_class(base.none())))
        valid = filterset.is_valid() and not state.errors
        table = table_class(filterset.qs if valid else base.none())
        # Sorts the table by the (validated) ``sort`` parameter and gives it the request.
        RequestConfig(request, paginate=False).configure(table)
        table.data.data = selectors.with_stable_order(table.data.data)

        if valid and state.export:
            return export_response(
                queryset=table.data.data,
                columns=EXPORT_COLUMNS[self.model_name],
                fmt=state.export,
                filename=base.model._meta.verbose_name_plural.replace(" ", "-"),
            )
        if valid:
            self._paginate(table, state)
        else:
            table.paginate(page=1, per_page=state.per_page)
        context = {
            "model_name": self.model_name,
            "verbose_name_plural": base.model._meta.verbose_name_plural,
            "filterset": filterset,
            "table": table,
            "state": state,
            "valid": valid,
            "per_page_choices": PER_PAGE_CHOICES,
            "facets": self._facets(request, filterset) if valid else [],
            "cascade": self._cascade(filterset) if valid else None,
        }
        # htmx swaps only the results, except when it restores a page from history.
        partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
        template = self.partial_template_name if partial else self.template_name
        response = render(request, template, context, status=200 if valid else 400)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def _read_state(self, request, filterset, *, sortable: list[str]) -> ListState:
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

    def _paginate(self, table, state: ListState) -> None:
        try:
            table.paginate(page=state.page, per_page=state.per_page)
        except EmptyPage:
            pages = table.paginator.num_pages
            raise Http404(
                f"Page {state.page_text} is past the end of this list, "
                f"which has {pages} page{'s' if pages != 1 else ''}."
            ) from None

    def _facets(self, request, filterset):
        return [
            (
                filterset.filters[param].label,
                param,
                selectors.facet_counts(queryset=filterset.qs, field=field_name, selected=request.GET.getlist(param)),
            )
            for param, field_name in filterset.facets.items()
        ]

    def _cascade(self, filterset):
        if not filterset.cascade_through:
            return None
        within = filterset.form.cleaned_data.get(filterset.cascade_param)
        return {
            "param": filterset.cascade_param,
            "within": within,
            "ancestors": list(Region.objects.ancestors_of(within)) if within else [],
            "steps": selectors.region_cascade(queryset=filterset.qs, through=filterset.cascade_through, within=within),
        }


def sortable_columns(table) -> list[str]:
    return sorted(column.name for column in table.columns if column.orderable)


def list_view(model_name: str):
    return type(f"{model_name.title()}ListView", (CasebookListView,), {"model_name": model_name}).as_view()


def home(request):
    """The casebook at a glance: counts, the cases and the pairings, and a search box."""
    return render(request, "programs/home.html", selectors.home_summary())


def search(request):
    """Search every kind of record at once; each group links to its filtered list."""
    field = forms.CharField(max_length=200, required=False)
    try:
        query = field.clean(request.GET.get("q", "")).strip()
    except forms.ValidationError as error:
        context = {"query": request.GET.get("q", "")[:200], "errors": error.messages}
        return render(request, "programs/search.html", context, status=400)
    return render(request, "programs/search.html", {"query": query, "groups": selectors.casebook_search(query=query)})


def region_suggest(request):
    """Region names for the autocomplete boxes (an htmx partial of <option>s).
    htmx sends the box's own name (region, donor, within…), so the first
    non-empty parameter is the text typed; text that is not valid gets no options."""
    typed = next((value for value in request.GET.values() if value.strip()), "")
    field = forms.CharField(max_length=60, required=False)
    try:
        query = field.clean(typed)
    except forms.ValidationError:
        query = ""
    regions = selectors.region_suggestions(query=query)
    return render(request, "programs/partials/region_options.html", {"regions": regions})


def detail_view(model_name: str, lookup: str):
    """A detail page: one selector gathers the record and everything around it."""
    selector = selectors.DETAIL_SELECTORS[model_name]

    def view(request, **kwargs):
        context = selector(**{lookup: kwargs[lookup]})
        if context is None:
            raise Http404(f"There is no such {model_name} in the casebook.")
        return render(request, f"programs/{model_name}_detail.html", context)

    view.__name__ = f"{model_name}_detail"
    return view


def not_found(request, exception):
    """The casebook's 404 page. A message the casebook raised itself is shown; a
    URL that matches no pattern (``Resolver404``, whose text lists the patterns
    tried and the files they live in) gets the plain message."""
    message = None
    own = isinstance(exception, Http404) and not isinstance(exception, Resolver404)
    if own and len(exception.args) == 1 and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


RETRY_AFTER_SECONDS = 30
# What a database that cannot be reached raises (psycopg's and sqlite3's errors, wrapped by Django).
DATABASE_ERRORS = (OperationalError, InterfaceError)


def service_unavailable(request):
    """The page shown while the database cannot be reached: a 503 that tells
    browsers and load balancers when to try again. It needs no database."""
    response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """Django's last resort for an exception no view handled. A database that
    cannot be reached (for example while a session is read) is still a 503."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return render(request, "500.html", status=500)


@never_cache
def healthz(request):
    """Liveness for a load balancer: the process answers. No database involved."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
def readyz(request):
    """Readiness for a load balancer: the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        response = HttpResponse("database unavailable\n", content_type="text/plain; charset=utf-8", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ready\n", content_type="text/plain; charset=utf-8")
