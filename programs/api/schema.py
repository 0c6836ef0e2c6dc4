"""The OpenAPI description of the endpoints, drawn from the same declarations that
serve them: each list's parameters from its page's filterset (the filter's own
label, type and choices), its sorts from the page's table, its facets from the
page's facets; every status an endpoint answers with is listed with its body."""

import django_filters
from django import forms
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from programs.filters import RefField

from . import pagination


class CasebookSchema(AutoSchema):
    """Anyone may read: a token is needed only to write."""

    def get_auth(self):
        auths = super().get_auth()
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auths:
            auths.append({})
        return auths


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence or two.")
    errors = serializers.JSONField(
        required=False, help_text="Each problem: a list of messages, or per field of a write its messages."
    )


class FacetChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


# An empty value is the same as none (no filter, the default size), as on the pages.
EMPTY = {"type": "string", "enum": [""]}
ERROR = OpenApiResponse(ErrorSerializer, description="An error, with a message.")
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests; Retry-After says when to try again.")
UNAVAILABLE = OpenApiResponse(ErrorSerializer, description="The database cannot be reached; Retry-After says when.")


class RefFieldExtension(OpenApiSerializerFieldExtension):
    """A related record reads as an object (with ``?expand=``, the whole record) and is
    written as its slug."""

    target_class = "programs.api.serializers.references.Ref"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "The related record's slug."}
        return {
            "type": "object",
            "description": "A related record: its slug (or a figure's id and key), name and address in the API; "
            "with ?expand=, the whole record.",
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "id": {"type": "integer"},
                "key": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
            "required": ["url"],
        }


def _filter_parameter(name: str, field, rule) -> OpenApiParameter:
    label = str(getattr(field, "label", "") or name)
    help_text = str(getattr(field, "help_text", "") or "")
    description = f"{label}. {help_text}".strip()
    many = isinstance(field.widget, forms.CheckboxSelectMultiple) or getattr(
        field.widget, "allow_multiple_selected", False
    )
    if isinstance(rule, django_filters.NumberFilter):
        number = {"type": "integer" if rule.extra.get("decimal_places") == 0 else "number"}
        if rule.extra.get("min_value") is not None:
            number["minimum"] = rule.extra["min_value"]
        if rule.extra.get("max_value") is not None:
            number["maximum"] = rule.extra["max_value"]
        item = {"oneOf": [number, EMPTY]}
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField) and field.choices:
        # An empty value is no filter, as on the page.
        item = {"type": "string", "enum": ["", *(str(value) for value, _ in field.choices if str(value) != "")]}
    elif isinstance(field, RefField):
        item = {"type": "string", "maxLength": field.max_length or 120}
        description += " A slug, or a name in English or Chinese."
    elif isinstance(field, forms.ModelMultipleChoiceField):
        item = {"type": "string"}
        description += " A slug or a name; repeat the parameter for several."
    else:
        item = {"type": "string"}
        if getattr(field, "max_length", None):
            item["maxLength"] = field.max_length
    schema = {"type": "array", "items": item} if many else item
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description, explode=many or None)


def list_parameters(list_view, serializer) -> list[OpenApiParameter]:
    parameters = []
    if list_view is not None:
        form = list_view.filterset_class().form
        for name, rule in list_view.filterset_class.base_filters.items():
            parameters.append(_filter_parameter(name, form.fields[name], rule))
        sortable = list_view.sortable_columns()
        parameters.append(
            OpenApiParameter(
                "sort",
                {"type": "string", "enum": ["", *sortable, *(f"-{name}" for name in sortable)]},
                OpenApiParameter.QUERY,
                description="A column of the list page to sort by; “-” before it for descending. "
                "Without it, rows come in the order of their id.",
            )
        )
        if list_view.facets:
            parameters.append(
                OpenApiParameter(
                    "facets",
                    _names_pattern(list_view.facets),
                    OpenApiParameter.QUERY,
                    description="Comma-separated facets to count, as the page counts them: "
                    + ", ".join(list_view.facets),
                )
            )
    parameters += [
        OpenApiParameter(
            "cursor", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Where the page starts, from “next”."
        ),
        OpenApiParameter(
            "page_size",
            {"oneOf": [{"type": "integer", "minimum": 1, "maximum": pagination.MAX_PAGE_SIZE}, EMPTY]},
            OpenApiParameter.QUERY,
            description=f"Rows per page (default {pagination.DEFAULT_PAGE_SIZE}, at most {pagination.MAX_PAGE_SIZE}).",
        ),
    ]
    if serializer.expandable:
        parameters.append(_expand(serializer.expandable))
    return parameters


def _names_pattern(names) -> dict:
    """A comma-separated list of some of ``names`` (or nothing)."""
    one = "(" + "|".join(names) + ")"
    return {"type": "string", "pattern": f"^({one}(,{one})*)?$"}


def _expand(names) -> OpenApiParameter:
    return OpenApiParameter(
        "expand",
        _names_pattern(names),
        OpenApiParameter.QUERY,
        description="Comma-separated related records to embed whole: " + ", ".join(names),
    )


def detail_parameters(viewset) -> list[OpenApiParameter]:
    names = (*viewset.serializer_class.expandable, *viewset.figure_lists)
    return [_expand(names)] if names else []


def list_responses(serializer) -> dict:
    name = serializer.__name__.removesuffix("Serializer")
    # An object (count, next, results, facets), not a bare array of records.
    page = extend_schema_serializer(many=False)(
        type(
            f"{name}Page",
            (serializers.Serializer,),
            {
                "count": serializers.IntegerField(help_text="How many rows match, over all pages."),
                "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last."),
                "results": serializer(many=True),
                "facets": serializers.DictField(
                    child=FacetChoiceSerializer(many=True),
                    required=False,
                    help_text="With ?facets=: each facet's counts.",
                ),
            },
        )
    )
    return {200: page, 400: ERROR, 429: THROTTLED, 503: UNAVAILABLE}


def detail_responses(serializer) -> dict:
    return {200: serializer, 400: ERROR, 404: ERROR, 429: THROTTLED, 503: UNAVAILABLE}


def write_responses(serializer) -> dict:
    refused = {400: ERROR, 401: ERROR, 403: ERROR, 429: THROTTLED, 503: UNAVAILABLE}
    return {"create": {201: serializer, **refused}, "update": {200: serializer, 404: ERROR, **refused}}
