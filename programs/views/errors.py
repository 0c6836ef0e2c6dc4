"""Pages that are not lists or records, each failing politely: the 404 page,
the 503 page while the database is out of reach, the last-resort 500, and the
load balancer's probes."""

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.views.decorators.cache import never_cache


def not_found(request, exception):
    """The casebook's 404 page. A message the casebook raised itself is shown; a
    URL that matches no pattern (``Resolver404``, whose text lists the patterns
    tried and the files they live in) gets the plain message."""
    if _is_api(request):
        from programs.api.errors import not_found as api_not_found

        return api_not_found(request)
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
    if _is_api(request):
        from programs.api.errors import database_unavailable

        return database_unavailable()
    response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """Django's last resort for an exception no view handled. A database that
    cannot be reached (for example while a session is read) is still a 503."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    if _is_api(request):
        from programs.api.errors import server_error as api_server_error

        return api_server_error(request)
    return render(request, "500.html", status=500)


def _is_api(request) -> bool:
    """Whether the request is for the API, which answers in JSON, errors included."""
    from programs.languages import without_language

    return without_language(request.path_info).startswith("/api/")


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
