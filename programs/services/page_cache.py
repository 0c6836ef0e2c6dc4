"""Whole public pages cached for anonymous readers, exact after every write.

A page is stored under the casebook's data version (``DataVersion``), which
every write to a record changes in the same transaction: after a save, delete
or many-to-many change through the admin, an import, the loader, or a bulk load
(which calls :func:`bump` itself), every page is drawn afresh. A hit costs one
query (the version, always read from the primary database). Only anonymous
GET and HEAD requests of the public pages are cached, and only complete 200
answers without cookies; editors (who have a session) always get a fresh page.
Set ``DJANGO_PAGE_CACHE_SECONDS=0`` to turn it off.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save

from programs.languages import without_language

# Never cached: the admin, the login, and anything an editor's session may change.
UNCACHED_PREFIXES = ("/admin/", "/accounts/", "/static/")
# A reader with any of these cookies may see something of their own.
PERSONAL_COOKIES = ("messages",)
MAX_BYTES = 1 << 20
# The request headers a page may vary on (htmx asks for the list's rows alone);
# each is part of the key, and a page that varies on anything else is not cached.
KEYED_HEADERS = ("HX-Request",)


def current(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The data version, or None when its row is missing (then nothing is cached)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT number FROM programs_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def version(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The data version as ``current`` gives it, read once per request on this
    connection (the page cache and the kept aggregates share the read)."""
    connection = connections[using]
    if getattr(connection, "casebook_version", None) is None:
        connection.casebook_version = current(using)
    return connection.casebook_version


def forget_version(using: str | None = None, **kwargs) -> None:
    """Read the version afresh next time (a request starts, or a write changed it)."""
    for alias in [using] if using else connections:
        if hasattr(connections._connections, alias):
            connections[alias].casebook_version = None


def ensure_row(using: str = DEFAULT_DB_ALIAS) -> None:
    """After every migrate: the counter's one row exists."""
    from programs.models import DataVersion

    DataVersion.objects.using(using).get_or_create(pk=1)


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached page stale (inside the writer's transaction).

    The new version is drawn at random rather than counted up: a write that is
    rolled back restores the old version together with the old data, and a
    later write never reuses the number of the one that was rolled back (and
    whose pages, drawn inside that transaction, may be in the cache)."""
    with connections[using].cursor() as cursor:
        cursor.execute("UPDATE programs_dataversion SET number = %s WHERE id = 1", [secrets.randbits(62)])
    forget_version(using)


def _on_write(sender, using=DEFAULT_DB_ALIAS, action="post_save", **kwargs):
    meta = sender._meta
    if meta.app_label != "programs" or meta.model_name.startswith("historical") or meta.model_name == "dataversion":
        return
    if action.startswith("post_"):  # many-to-many changes are sent before and after
        bump(using)


def connect_signals() -> None:
    request_started.connect(forget_version, dispatch_uid="page-cache-forget-version")
    post_save.connect(_on_write, dispatch_uid="page-cache-save")
    post_delete.connect(_on_write, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_write, dispatch_uid="page-cache-m2m")


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not without_language(request.path_info).startswith(UNCACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and _varies_only_on_keyed_headers(response)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= MAX_BYTES
    )


def _varies_only_on_keyed_headers(response) -> bool:
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    return varies <= {name.lower() for name in KEYED_HEADERS}


def _read_alias() -> str:
    """The database an anonymous reader's page is drawn from (the replica when
    there is one, casebook/routers.py): the version is read there too, so that a
    replica that lags stores its page under the version of the data it holds."""
    from casebook.routers import REPLICA

    return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS


def _key(request, version: int) -> str:
    # get_host() also refuses a Host that ALLOWED_HOSTS does not allow (400), cached page or not.
    headers = "|".join(request.headers.get(name, "") for name in KEYED_HEADERS)
    seen = f"{request.method} {request.scheme}://{request.get_host()}{request.get_full_path()} {headers}"
    return f"page:{version}:{hashlib.sha256(seen.encode()).hexdigest()}"


class PageCacheMiddleware:
    """Answers an anonymous reader's repeated page from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        from programs.views import DATABASE_ERRORS

        try:
            number = version(_read_alias())
        except DATABASE_ERRORS:
            number = None  # the page itself reports the outage
        if number is None:
            return self.get_response(request)
        key = _key(request, number)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response
