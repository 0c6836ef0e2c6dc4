"""The API's endpoints. A list endpoint is a list page's own declaration
(``programs.views.lists``): its rows, filterset, sorts and facets, and the same
messages for a bad value or an unknown parameter; only the paging (by cursor)
and the format differ. A detail endpoint reads the record by the slug or id its
page uses."""

from django import forms
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from programs.forms import ListControlsForm, echo, parameter_errors
from programs.links import fixed_context
from programs.models import Approach, Funding, Indicator, Outcome, SupportMeasure
from programs.selectors.lists import with_stable_order
from programs.services.page_cache import version
from programs.views import lists

from . import pagination, schema, serializers
from .errors import bad_request

CONTROLS = ("cursor", "page_size", "sort", "expand", "facets")


class ControlsForm(forms.Form):
    """The API's own parameters beside the filters: ``cursor``, ``page_size``, ``sort``
    (a sortable column of the page, "-" for descending), ``expand`` and ``facets``
    (comma-separated names)."""

    cursor = forms.CharField(required=False, strip=False, max_length=4000)
    page_size = forms.CharField(required=False, strip=False)
    sort = forms.CharField(required=False, strip=False)
    expand = forms.CharField(required=False, strip=False)
    facets = forms.CharField(required=False, strip=False)

    def __init__(self, *args, sortable, expandable, facets, **kwargs):
        super().__init__(*args, **kwargs)
        self.sortable, self.expandable, self.facet_names = sortable, expandable, facets

    def clean_page_size(self) -> int:
        raw = self.cleaned_data["page_size"]
        if raw == "":
            return pagination.DEFAULT_PAGE_SIZE
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw[:6]) <= pagination.MAX_PAGE_SIZE):
            raise forms.ValidationError(
                _("The page size must be a whole number from 1 to %(most)s, not “%(text)s”.")
                % {"most": pagination.MAX_PAGE_SIZE, "text": echo(raw)}
            )
        return int(raw)

    def clean_sort(self):
        # The list page's own rule and message.
        return ListControlsForm.clean_sort(self)

    def clean_expand(self) -> tuple[str, ...]:
        return self._names("expand", self.expandable, _("Cannot expand “%(text)s”; this endpoint expands: %(names)s."))

    def clean_facets(self) -> tuple[str, ...]:
        return self._names("facets", self.facet_names, _("There is no facet “%(text)s”; this list counts: %(names)s."))

    def _names(self, field: str, allowed, message: str) -> tuple[str, ...]:
        raw = self.cleaned_data[field]
        names = tuple(name.strip() for name in raw.split(",") if name.strip())
        for name in names:
            if name not in allowed:
                raise forms.ValidationError(message % {"text": echo(name), "names": ", ".join(allowed) or "—"})
        return names

    def error_messages(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]


class CasebookViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Lists filtered as the pages filter, paged by cursor; records by slug or id;
    editors create and change records (no deletion: the admin's editors cannot delete)."""

    list_view: type[lists.CasebookListView] | None = None
    model = None
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    # What the rows of a page read besides their own table (one query each, not one per row).
    related: tuple[str, ...] = ()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.list_view is not None:
            return self.list_view.queryset.all()
        return self.model._default_manager.all()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["expand"] = getattr(self, "expand", ())
        return context

    # --- reading ---------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        query = request.query_params
        base = self.get_queryset()
        version(base.db)
        list_view = self.list_view
        filterset = list_view.filterset_class(query, queryset=base, request=request) if list_view else None
        fields = filterset.form.fields if filterset else {}
        errors = parameter_errors(query, fields, controls=CONTROLS)
        controls = ControlsForm(
            query,
            sortable=list_view.sortable_columns() if list_view else [],
            expandable=self.serializer_class.expandable,
            facets=list(list_view.facets) if list_view else [],
        )
        if not controls.is_valid():
            errors += controls.error_messages()
        if filterset is not None and not filterset.is_valid():
            errors += [message for messages in filterset.errors.values() for message in messages]
        if errors:
            raise bad_request(errors)
        options = controls.cleaned_data
        self.expand = options["expand"]
        rows = self.ordered(filterset.qs if filterset else base, options["sort"])
        found, after = pagination.page_of(
            rows, rows_from=base, sort=options["sort"] or "", cursor=options["cursor"], size=options["page_size"]
        )
        self.read_related(found)
        body = {}
        if list_view is not None:
            counts = self.selection_counts(request, filterset)
            body["count"] = counts.count
        else:
            body["count"] = base.count()
        body["next"] = self.page_url(request, after) if after else None
        with fixed_context():  # hundreds of addresses, one URL configuration and language
            body["results"] = self.get_serializer(found, many=True).data
        if options["facets"]:
            chosen = dict(counts.facets)
            body["facets"] = {
                name: [{"value": c.value, "label": str(c.label), "count": c.count} for c in chosen[name]]
                for name in options["facets"]
            }
        links = [f'<{self.page_url(request, None)}>; rel="first"']
        if after:
            links.insert(0, f'<{body["next"]}>; rel="next"')
        return Response(body, headers={"Link": ", ".join(links)})

    # Many-to-many relations the records name: field → what each related record brings along.
    many: dict[str, tuple[str, ...]] = {}

    def read_related(self, records: list) -> None:
        """What a page's records name, one query per relation (not per record)."""
        if self.related:
            prefetch_related_objects(records, *self.related)
        for field_name, with_related in self.many.items():
            serializers.attach_many(records, field_name, with_related=with_related)

    def ordered(self, rows, sort: str | None):
        """The rows in the page's order for ``sort`` (its table's own), or by id."""
        if not sort:
            return rows.order_by("pk")
        table = self.list_view.table_class(rows)
        table.order_by = sort
        return with_stable_order(table.data.data)

    def selection_counts(self, request, filterset):
        """The total and facets, counted (and kept) exactly as the list page counts them."""
        page = self.list_view()
        page.request = request._request
        base = self.list_view.queryset.all()
        counted = filterset.filter_queryset(base.select_related(None).prefetch_related(None))
        return page.selection_counts(request._request, filterset, counted)

    def page_url(self, request, cursor: str | None) -> str:
        query = request.query_params.copy()
        query.pop("cursor", None)
        if cursor:
            query["cursor"] = cursor
        encoded = query.urlencode()
        return request.build_absolute_uri(request.path + (f"?{encoded}" if encoded else ""))

    def retrieve(self, request, *args, **kwargs):
        unknown = sorted(name for name in request.query_params if name != "expand")
        if unknown:
            raise bad_request(
                [_("Unknown parameter “%(name)s”. A record takes: expand.") % {"name": echo(name)} for name in unknown]
            )
        controls = ControlsForm(
            {"expand": request.query_params.get("expand", "")},
            sortable=[],
            expandable=self.expandable_here(),
            facets=[],
        )
        if not controls.is_valid():
            raise bad_request(controls.error_messages())
        self.expand = controls.cleaned_data["expand"]
        record = self.get_object()
        data = self.get_serializer(record).data
        for name in self.expand:
            if name in self.figure_lists:
                data[name] = self.figures(record, name)
        return Response(data)

    # Figures a record's page lists, embedded with ?expand= on its detail endpoint:
    # name → (model, the figure's field that points at the record).
    figure_lists: dict = {}
    FIGURES_EMBEDDED = 500

    def expandable_here(self) -> tuple[str, ...]:
        return (*self.serializer_class.expandable, *self.figure_lists)

    def figures(self, record, name: str) -> list:
        model, field = self.figure_lists[name]
        serializer = serializers.SERIALIZERS[model._meta.model_name]
        rows = list(model._default_manager.filter(**{field: record}).order_by("pk")[: self.FIGURES_EMBEDDED])
        # One query per kind of record the figures name, as on their own list.
        prefetch_related_objects(rows, *VIEWSETS[model._meta.model_name].related)
        return serializer(rows, many=True, context={**self.get_serializer_context(), "expand": ()}).data

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        if self.lookup_field == "pk" and not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise Http404
        record = self.get_queryset().filter(**{self.lookup_field: value}).first()
        if record is None:
            kind = self.get_queryset().model._meta.verbose_name
            raise Http404(_("There is no such %(kind)s in the casebook.") % {"kind": kind})
        self.check_object_permissions(self.request, record)
        return record

    # --- writing ----------------------------------------------------------------------

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()


def _list_schema(list_view, serializer):
    return extend_schema(
        parameters=schema.list_parameters(list_view, serializer),
        responses=schema.list_responses(serializer),
    )


def _detail_schema(viewset):
    return extend_schema(
        parameters=schema.detail_parameters(viewset),
        responses=schema.detail_responses(viewset.serializer_class),
    )


def declare(viewset):
    """Describe the endpoints of ``viewset`` in the OpenAPI document."""
    writes = schema.write_responses(viewset.serializer_class)
    return extend_schema_view(
        list=_list_schema(viewset.list_view, viewset.serializer_class),
        retrieve=_detail_schema(viewset),
        create=extend_schema(responses=writes["create"]),
        partial_update=extend_schema(responses=writes["update"]),
    )(viewset)


@declare
class ProgramViewSet(CasebookViewSet):
    list_view = lists.ProgramListView
    serializer_class = serializers.ProgramSerializer
    # (Its approaches and regions come with the rows: programs.selectors.lists.listed_relations.)
    many = {"pairings": ("donor", "recipient"), "sources": ()}
    figure_lists = {
        "funding": (Funding, "program"),
        "outcomes": (Outcome, "program"),
        "support_measures": (SupportMeasure, "program"),
    }


@declare
class RegionViewSet(CasebookViewSet):
    list_view = lists.RegionListView
    serializer_class = serializers.RegionSerializer
    related = ("parent",)


@declare
class PairingViewSet(CasebookViewSet):
    list_view = lists.PairingListView
    serializer_class = serializers.PairingSerializer
    related = ("donor", "recipient", "parent__donor", "parent__recipient")
    many = {"sources": ()}
    figure_lists = {"funding": (Funding, "pairing"), "outcomes": (Outcome, "pairing")}


@declare
class WorkshopViewSet(CasebookViewSet):
    list_view = lists.WorkshopListView
    serializer_class = serializers.WorkshopSerializer
    related = ("region", "program", "pairing__donor", "pairing__recipient")
    many = {"sources": ()}
    figure_lists = {
        "funding": (Funding, "workshop"),
        "outcomes": (Outcome, "workshop"),
        "support_measures": (SupportMeasure, "workshop"),
    }


class FigureViewSet(CasebookViewSet):
    """Figures have no slug: they are addressed by id, as their pages are."""

    lookup_field = "pk"
    lookup_value_regex = r"[0-9]+"


FIGURE_RELATED = ("source", "program", "workshop", "pairing__donor", "pairing__recipient")


@declare
class FundingViewSet(FigureViewSet):
    list_view = lists.FundingListView
    serializer_class = serializers.FundingSerializer
    related = (*FIGURE_RELATED, "funder_region", "recipient_region")


@declare
class OutcomeViewSet(FigureViewSet):
    list_view = lists.OutcomeListView
    serializer_class = serializers.OutcomeSerializer
    related = (*FIGURE_RELATED, "indicator", "region")


@declare
class SupportMeasureViewSet(FigureViewSet):
    list_view = lists.SupportMeasureListView
    serializer_class = serializers.SupportMeasureSerializer
    related = ("source", "program", "workshop")


@declare
class SourceViewSet(CasebookViewSet):
    list_view = lists.SourceListView
    serializer_class = serializers.SourceSerializer


@declare
class IndicatorViewSet(CasebookViewSet):
    model = Indicator
    serializer_class = serializers.IndicatorSerializer


@declare
class ApproachViewSet(CasebookViewSet):
    model = Approach
    serializer_class = serializers.ApproachSerializer


VIEWSETS = {
    "program": ProgramViewSet,
    "region": RegionViewSet,
    "pairing": PairingViewSet,
    "workshop": WorkshopViewSet,
    "funding": FundingViewSet,
    "outcome": OutcomeViewSet,
    "supportmeasure": SupportMeasureViewSet,
    "source": SourceViewSet,
    "indicator": IndicatorViewSet,
    "approach": ApproachViewSet,
}
