"""Every API error is JSON with a message (``detail``), whatever went wrong: a bad
parameter (400), no such record or address (404), a refused write (401, 403), too
many requests (429), a database out of reach (503, with Retry-After), and the last
resort (500)."""

import logging

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from programs.views.errors import DATABASE_ERRORS, RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


def bad_request(messages: list[str]) -> exceptions.ValidationError:
    """A 400 whose body names every problem (``detail``: all of them in one sentence)."""
    return exceptions.ValidationError({"detail": " ".join(messages), "errors": messages})


def exception_handler(exception, context):
    if isinstance(exception, DATABASE_ERRORS):
        logger.error("Database unavailable for an API request: %s", exception)
        return database_unavailable()
    if isinstance(exception, Http404):
        message = exception.args[0] if exception.args and isinstance(exception.args[0], str) else None
        exception = exceptions.NotFound(message or _("There is no such record in the casebook."))
    response = drf_exception_handler(exception, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        # A write's field errors: one sentence for people, the fields for programs.
        messages = [f"{field}: {' '.join(map(str, errors))}" for field, errors in response.data.items()]
        response.data = {"detail": " ".join(messages), "errors": response.data}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(map(str, response.data)), "errors": response.data}
    elif response is not None and isinstance(response.data.get("detail"), list):
        response.data["detail"] = " ".join(map(str, response.data["detail"]))
    return response


def database_unavailable() -> JsonResponse:
    response = JsonResponse(
        {"detail": _("The database cannot be reached just now. Nothing was changed. Try again shortly.")},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def not_found(request) -> JsonResponse:
    return JsonResponse({"detail": _("There is no such address in the API.")}, status=404)


def server_error(request) -> JsonResponse:
    return JsonResponse({"detail": _("Something went wrong on the casebook's side; it has been logged.")}, status=500)
