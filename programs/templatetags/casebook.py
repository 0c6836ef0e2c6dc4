"""Template filters for exact numbers and periods, and tags that build a list page's links from its URL.
(A figure's text comes from its model: ``amount_text``, ``value_text``, ``baseline_text``.)"""

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


def _params(context):
    """The current query without the page number or an export request."""
    params = context["request"].GET.copy()
    for key in ("page", "export"):
        params.pop(key, None)
    return params


def _query(params) -> str:
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters set; back to page one."""
    params = _params(context)
    for key, value in changes.items():
        params[key] = value
    return _query(params)


@register.simple_tag(takes_context=True)
def query_with_param(context, name, value):
    """Set (or, with None, remove) one parameter whose name is a variable."""
    params = _params(context)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = value
    return _query(params)


@register.simple_tag(takes_context=True)
def toggle_param(context, name, value):
    """Add ``value`` to a multi-valued parameter, or take it out if it is there."""
    params = _params(context)
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return _query(params)


@register.simple_tag
def citation(obj):
    """A figure's source and where in it (``programs.tables.citation``)."""
    return tables.citation(obj)


@register.simple_tag
def choice_boxes(field):
    """A checkbox filter's boxes (``programs.forms.choice_boxes``)."""
    return forms.choice_boxes(field)
