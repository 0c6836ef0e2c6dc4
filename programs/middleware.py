"""Middleware that keeps failures polite: a database that cannot be reached is a
503 page with ``Retry-After`` (never a 500), and a page that does not exist is
the casebook's own 404 page, never Django's list of URL patterns, whatever
``DEBUG`` says. Load balancers' probes are answered before anything else."""

import logging

from django.conf import settings
from django.http import Http404

from programs import views
from programs.views import DATABASE_ERRORS

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` ahead of every other middleware. A load
    balancer probes each backend over plain HTTP by its own address, so neither
    the HTTPS redirect nor the ``ALLOWED_HOSTS`` check may stand in its way; the
    answers carry no data, whatever the host."""

    PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns a database error raised by a view into the 503 page. (Errors raised
    outside views reach ``views.server_error``, which does the same.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return views.service_unavailable(request)
        return None


class PlainNotFoundMiddleware:
    """With ``DEBUG`` on, Django answers a 404 with a technical page that lists
    every URL pattern; this answers with the casebook's own page instead. A 404
    raised by a view keeps its message ("There is no such region …"); a URL that
    matches no pattern gets the plain one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # resolver_match stays None only when no URL pattern matched the path.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return views.not_found(request, None)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return views.not_found(request, exception)
        return None
