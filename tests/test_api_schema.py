"""The API's OpenAPI document: valid, complete, and true — schemathesis generates
requests from it for every operation and parameter (property-based, with
Hypothesis) and checks that no answer is a server error, contradicts the schema or
has a status the schema does not list."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from programs.api.serializers import ENDPOINTS
from programs.views.lists import LIST_VIEWS

pytestmark = pytest.mark.usefixtures("db", "documents", "connections_kept_open")

# The document as the site serves it (drawing it reads no data), requests sent to the
# application in-process.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(scope="module")
def connections_kept_open():
    """Requests reach the application as the test client sends them: without closing the
    database connection when each ends (the test's transaction lives on it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_openapi_document_is_valid_and_describes_every_endpoint():
    document = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(document)
    paths = document["paths"]
    for name in ENDPOINTS.values():
        assert {"get", "post"} <= set(paths[f"/api/v1/{name}/"]), name
    for list_view in LIST_VIEWS:
        name = ENDPOINTS[list_view.model()._meta.model_name]
        documented = {parameter["name"] for parameter in paths[f"/api/v1/{name}/"]["get"]["parameters"]}
        assert set(list_view.filterset_class.base_filters) | {"sort", "cursor", "page_size"} <= documented


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case):
    # Every check but one: a request the schema allows may still name a record that is
    # not in the casebook (a region, a program, a cursor from nowhere), which is a
    # documented 400 with a message, not a fault; the schema cannot list the data.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@schema.include(method=["POST", "PATCH"]).parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_writes_by_a_superuser_are_validated_never_a_server_error(case):
    """Generated records and changes sent with a superuser's token (who may write
    everything): each is created, changed or refused with a message, as the schema says."""
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    token, _ = Token.objects.get_or_create(user=UserFactory(username="fuzzer", is_superuser=True))
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, excluded_checks=[positive_data_acceptance])
