"""Record URLs without walking the URL resolver for every link.

A list page of 100 rows draws about 400 links, and ``reverse()`` costs more
than the rest of a cell. ``record_url`` reverses each URL name once (per
script prefix, URL configuration and language), with a placeholder for each
argument, and afterwards puts each record's value where the placeholder was,
quoted as ``reverse()`` quotes it. A value its URL pattern would not accept
goes to ``reverse()`` itself, which raises as it always does.

Reading the script prefix, URL configuration and language costs more than the
rest of ``record_url``; inside ``fixed_context()`` (a table being drawn) they
are read once.
"""

import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import quote

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse, set_script_prefix
from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils.translation import get_language, override

# Digits pass every converter the casebook's detail URLs use (int, slug, str).
PLACEHOLDER = "9071531{}0997"
SAFE = RFC3986_SUBDELIMS + "/~:@"


@lru_cache(maxsize=256)
def _template(viewname: str, names: tuple[str, ...], prefix: str, urlconf, language) -> tuple[str, list] | None:
    placeholders = {name: PLACEHOLDER.format(index) for index, name in enumerate(names)}
    # Reversed under the prefix and language of the key, which inside fixed_context()
    # may differ from the ones set now.
    current = get_script_prefix()
    set_script_prefix(prefix)
    try:
        with override(language):
            url = reverse(viewname, kwargs=placeholders, urlconf=urlconf)
    finally:
        set_script_prefix(current)
    if any(url.count(placeholder) != 1 for placeholder in placeholders.values()):
        return None
    name_of = {placeholder: name for name, placeholder in placeholders.items()}
    pattern = re.compile("|".join(re.escape(placeholder) for placeholder in placeholders.values()))
    parts = pattern.split(url)
    order = [name_of[found] for found in pattern.findall(url)]
    converters = _converters(viewname, urlconf)
    if converters is None:
        return None
    return parts, [(name, converters.get(name)) for name in order]


def _converters(viewname: str, urlconf) -> dict | None:
    """The converters of the URL pattern ``viewname`` names (one pattern only)."""
    resolver = get_resolver(urlconf)
    *namespaces, name = viewname.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return None
        _, resolver = resolver.namespace_dict[namespace]
    possibilities = resolver.reverse_dict.getlist(name)
    if len(possibilities) != 1:
        return None
    _, _, _, converters = possibilities[0]
    return converters


_fixed = threading.local()


@contextmanager
def fixed_context():
    """Within this block, ``record_url`` reads the script prefix, URL configuration
    and language as they were on entering it (for code that changes none of them:
    drawing a table's rows)."""
    outer = getattr(_fixed, "context", None)
    _fixed.context = (get_script_prefix(), get_urlconf(), get_language())
    try:
        yield
    finally:
        _fixed.context = outer


def record_url(viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)``, the same text, cheaper."""
    context = getattr(_fixed, "context", None) or (get_script_prefix(), get_urlconf(), get_language())
    template = _template(viewname, tuple(sorted(kwargs)), *context)
    if template is None:
        return reverse(viewname, kwargs=kwargs)
    parts, arguments = template
    text = []
    for name, converter in arguments:
        value = str(converter.to_url(kwargs[name]) if converter else kwargs[name])
        if converter and not re.fullmatch(converter.regex, value):
            return reverse(viewname, kwargs=kwargs)  # raises NoReverseMatch as reverse() does
        text.append(quote(value, safe=SAFE))
    url = parts[0]
    for value, part in zip(text, parts[1:], strict=True):
        url += value + part
    return url
