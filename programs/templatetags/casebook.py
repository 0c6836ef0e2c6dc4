"""Template filters for exact numbers and periods, and tags that build a list page's links from its URL.
(A figure's text comes from its model: ``amount_text``, ``value_text``, ``baseline_text``.)"""

from urllib.parse import urlencode

from django import template

from programs import formatting, forms, tables

register = template.Library()


@register.filter
def number(value):
    return formatting.plain_number(value)


@register.filter
def period(obj):
    start = getattr(obj, "year_start", None)
    end = getattr(obj, "year_end", None)
    return formatting.period(start, end)


def _params(context) -> dict[str, list[str]]:
    """The current query without the page number or an export request: each
    parameter's values, in the query's order. Read from the request once per page
    (a list page builds a link for every facet choice, and copying a ``QueryDict``
    deep-copies it); each link gets its own copy of the lists."""
    request = context["request"]
    kept = getattr(request, "_casebook_list_params", None)
    if kept is None:
        kept = {key: values for key, values in request.GET.lists() if key not in ("page", "export")}
        request._casebook_list_params = kept
    return {key: list(values) for key, values in kept.items()}


def _query(params: dict[str, list]) -> str:
    """``?`` and the parameters, encoded as ``QueryDict.urlencode()`` encodes them."""
    pairs = [(key, value) for key, values in params.items() for value in values]
    return "?" + urlencode(pairs) if pairs else "?"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters set; back to page one."""
    params = _params(context)
    for key, value in changes.items():
        params[key] = [value]
    return _query(params)


@register.simple_tag(takes_context=True)
def query_with_param(context, name, value):
    """Set (or, with None, remove) one parameter whose name is a variable."""
    params = _params(context)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = [value]
    return _query(params)


@register.simple_tag(takes_context=True)
def toggle_param(context, name, value):
    """Add ``value`` to a multi-valued parameter, or take it out if it is there."""
    params = _params(context)
    values = params.get(name, [])
    params[name] = [v for v in values if v != value] if value in values else [*values, value]
    return _query(params)


@register.simple_tag
def citation(obj):
    """A figure's source and where in it (``programs.tables.citation``)."""
    return tables.citation(obj)


@register.simple_tag
def choice_boxes(field):
    """A checkbox filter's boxes (``programs.forms.choice_boxes``)."""
    return forms.choice_boxes(field)
