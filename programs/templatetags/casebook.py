"""Template filters for exact numbers and periods, and tags that build a list page's links from its URL.
(A figure's text comes from its model: ``amount_text``, ``value_text``, ``baseline_text``.)"""

from urllib.parse import urlencode

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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
def api_twin(context) -> str:
    """The list's endpoint in the API with the same filters, search and sort (the page's
    own paging and size are the page's: the API pages by cursor)."""
    params = _params(context)
    params.pop("per_page", None)
    query = _query(params)
    return context["api_url"] + (query if query != "?" else "")


def _with(params: dict[str, list], name: str, value) -> dict[str, list]:
    """``params`` with parameter ``name`` set to ``value`` (removed for None)."""
    changed = {**params}
    if value is None:
        changed.pop(name, None)
    else:
        changed[name] = [value]
    return changed


def _toggled(params: dict[str, list], name: str, value) -> dict[str, list]:
    """``params`` with ``value`` added to parameter ``name``, or taken out if it is there."""
    values = params.get(name, [])
    return {**params, name: [v for v in values if v != value] if value in values else [*values, value]}


@register.simple_tag(takes_context=True)
def query_with_param(context, name, value):
    """Set (or, with None, remove) one parameter whose name is a variable."""
    return _query(_with(_params(context), name, value))


@register.simple_tag(takes_context=True)
def toggle_param(context, name, value):
    """Add ``value`` to a multi-valued parameter, or take it out if it is there."""
    return _query(_toggled(_params(context), name, value))


def _href(params: dict[str, list]) -> str:
    """A link's query, escaped for an attribute (as the template escapes a tag's text)."""
    return conditional_escape(_query(params))


def _count(value) -> str:
    return f'<span class="facet-count text-muted">{value}</span>'


@register.simple_tag(takes_context=True)
def facet_links(context, facets) -> str:
    """Each facet's choices as links that add the choice to the filter (or take it out
    when chosen), with their counts: what ``toggle_param`` gives per choice, written
    directly, since a list shows dozens of choices."""
    params = _params(context)
    blocks = []
    for label, param, choices in facets:
        if not choices:
            continue
        links = []
        for choice in choices:
            chosen = ' class="fw-bold" aria-current="true"' if choice.selected else ' class=""'
            href = _href(_toggled(params, param, choice.value))
            links.append(f'<a href="{href}"{chosen}>{conditional_escape(choice.label)}</a> {_count(choice.count)}')
        heading = f'<span class="fw-semibold">{conditional_escape(label)}:</span>'
        blocks.append(f"<div>{heading}\n" + " · \n".join(links) + "\n</div>")
    if not blocks:
        return ""
    return SafeString('<div class="mb-3 small">\n' + "\n".join(blocks) + "\n</div>")


@register.simple_tag(takes_context=True)
def cascade_links(context, cascade) -> str:
    """The region cascade: the chosen region's ancestors and the way back to any
    region, then the regions one level down with their counts, each a link that
    sets the region filter (what ``query_with_param`` gives per link)."""
    params, param = _params(context), cascade["param"]
    # Marked outside the f-strings: makemessages does not read inside them.
    narrow, by_region, any_region = _("Narrow by region"), _("By region:"), _("any region")
    parts = [
        f'<nav class="mb-2 small" aria-label="{conditional_escape(narrow)}">\n'
        f'<span class="fw-semibold">{conditional_escape(by_region)}</span>'
    ]
    within = cascade["within"]
    if within:
        trail = "".join(
            f'<a href="{_href(_with(params, param, a.slug))}">{conditional_escape(a.local_name)}</a> › '
            for a in cascade["ancestors"]
        )
        back = f'(<a href="{_href(_with(params, param, None))}">{conditional_escape(any_region)}</a>)'
        parts.append(
            f"{trail}<strong>{conditional_escape(within.local_name)}</strong> {back}{' ›' if cascade['steps'] else ''}"
        )
    steps = [
        f'<a href="{_href(_with(params, param, step.region.slug))}">{conditional_escape(step.region.local_name)}</a> '
        + _count(step.count)
        for step in cascade["steps"]
    ]
    if steps:
        parts.append(" · \n".join(steps))
    return SafeString("\n".join(parts) + "\n</nav>")


@register.simple_tag
def citation(obj):
    """A figure's source and where in it (``programs.tables.citation``)."""
    return tables.citation(obj)


@register.simple_tag
def choice_boxes(field):
    """A checkbox filter's boxes (``programs.forms.choice_boxes``)."""
    return forms.choice_boxes(field)
