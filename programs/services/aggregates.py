"""Counts over whole tables, computed once per data version.

A list page with no filter counts every row of its table for its total, its
facets and its region cascade; the sources list and the home page count each
source's figures; at national scale each of those reads a million rows. They
change only when the data does, so each is computed on the first view after a
write and then read back, keyed by the data version (``page_cache.current``)
that every write changes in the same transaction. A value is therefore exact
by construction: a write through the admin, an import, the loader or the
generator gives a new version, under which nothing is stored yet.

The version is read once per request on each database (``page_cache.version``,
one query shared with the page cache); a write in the same request forgets it.
Two requests that miss at once both compute (each process keeps its own).
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS

from programs.services import page_cache

T = TypeVar("T")
CACHE_ALIAS = "default"
# Where what is kept per subset rather than per table goes (a region page's panels, the
# counts of a list filtered by chosen values): there are many of them, and apart from
# the whole tables' counts a crawl of them cannot push those out.
APART_CACHE_ALIAS = "panels"
# Where the counts of any other selection go (a search, a range, a region: ``facets.tally``):
# its next page, or the same rows sorted otherwise, read them back. Such selections vary
# without bound, so their cache holds few, and never pushes out the others.
TALLY_CACHE_ALIAS = "tallies"
# An aggregate is dropped this long after it was last computed, changed or not.
TIMEOUT_SECONDS = 24 * 60 * 60


def per_version(name: str, compute: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS, alias: str = CACHE_ALIAS) -> T:
    """``compute()`` for the current data version, computed once per version per
    process (unless two threads miss at once) and kept in the cache ``alias``.
    Without a version (its row is missing) it is computed every time."""
    current = page_cache.version(using)
    if current is None:
        return compute()
    key = f"aggregate:{using}:{current}:{name}"
    cache = caches[alias]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value
