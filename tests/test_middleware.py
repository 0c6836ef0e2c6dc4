"""Failing politely: the 404 page never shows URL patterns or file paths, a
database that cannot be reached is a 503 with Retry-After on every page, and
load balancers get /healthz and /readyz. Every response carries the CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from tests.factories import SourceFactory

ROOT = Path(__file__).resolve().parent.parent
PLAIN_404 = "There is no page at this address."
# What Django's technical 404 page and Resolver404's text give away.
LEAKS = ("programs/urls.py", "programs.urls", "URLconf", "regions/&lt;slug:slug&gt;/", "regions/<slug:slug>/", "tried")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_url_gets_the_plain_404_page_with_debug_on_or_off(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert PLAIN_404 in body
    assert [leak for leak in LEAKS if leak in body] == []


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.django_db
def test_a_404_raised_by_a_page_keeps_its_message_with_debug_on_or_off(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get(reverse("programs:region_detail", args=["atlantis"]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "There is no such region in the casebook." in body
    assert [leak for leak in LEAKS if leak in body] == []


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_slash_still_redirects(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/workshops")
    assert (response.status_code, response["Location"]) == (301, "/workshops/")


def test_healthz_answers_without_the_database(client):
    # No django_db mark: pytest-django raises on any database access here.
    response = client.get("/healthz")
    assert (response.status_code, response.content, response["Cache-Control"]) == (
        200,
        b"ok\n",
        "max-age=0, no-cache, no-store, must-revalidate, private",
    )


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ready\n")


EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/workshops/", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_a_policy_that_forbids_inline_script(client, url):
    header = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert directives == EXPECTED_CSP


# The database is out of reach: PostgreSQL on a port nothing listens on, or a
# SQLite file in a folder that does not exist.
UNREACHABLE = {
    "postgresql": "postgres://postgres@127.0.0.1:9/casebook",
    "sqlite": "sqlite:////nonexistent-folder/casebook.sqlite3",
}
PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
# Production settings expect collectstatic's manifest; the probe serves files as they are.
settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
client = Client()
client.cookies["sessionid"] = "a-session-the-database-would-hold"
for url in ("/", "/workshops/", "/workshops/?export=csv", "/regions/lueyang/", "/search/?q=x", "/readyz",
            "/healthz", "/admin/programs/region/"):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print(url, response.status_code, response.get("Retry-After"), b"briefly unavailable" in body)
"""


@pytest.mark.parametrize("settings_module", ["casebook.settings.production", "casebook.settings.local"])
@pytest.mark.parametrize("engine", UNREACHABLE)
def test_every_page_answers_503_with_retry_after_when_the_database_is_unreachable(engine, settings_module):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=UNREACHABLE[engine],
        DJANGO_SECRET_KEY="only-for-this-test-0123456789-abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == [
        "/ 503 30 True",
        "/workshops/ 503 30 True",
        "/workshops/?export=csv 503 30 True",
        "/regions/lueyang/ 503 30 True",
        "/search/?q=x 503 30 True",
        "/readyz 503 30 False",
        "/healthz 200 None False",
        "/admin/programs/region/ 503 30 True",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a database server restart only exists on PostgreSQL")
def test_a_persistent_connection_the_server_dropped_is_replaced_not_failed(transactional_db, settings):
    """What a database restart does to each worker's kept connection: the next
    request checks it first (CONN_HEALTH_CHECKS) and reconnects instead of failing."""
    from django.db import close_old_connections, connections

    from programs.models import Source

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    # The test settings close connections after each request; keep this one, as production does.
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    try:
        SourceFactory()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with connections.create_connection("default").cursor() as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        close_old_connections()  # what Django does as each request starts
        assert Source.objects.count() == 1
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()


PROBES_UNDER_PRODUCTION_DEFAULTS = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for host, url in (("10.0.0.5:8000", "/healthz"), ("10.0.0.5:8000", "/readyz"), ("10.0.0.5:8000", "/"),
                  ("casebook.example.org", "/")):
    response = client.get(url, HTTP_HOST=host)
    body = response.content if response.status_code == 200 else b""
    print(host, url, response.status_code, response.get("Location"), body)
"""


def test_probes_answer_over_plain_http_by_the_backend_address_under_production_defaults(tmp_path):
    """A load balancer probes each backend by its own address, over HTTP. Production's
    HTTPS redirect and host check still hold for every other URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="casebook.settings.production",
        DJANGO_SECRET_KEY="only-for-this-test-0123456789-abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="casebook.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBES_UNDER_PRODUCTION_DEFAULTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == [
        "10.0.0.5:8000 /healthz 200 None b'ok\\n'",
        "10.0.0.5:8000 /readyz 200 None b'ready\\n'",
        "10.0.0.5:8000 / 400 None b''",
        "casebook.example.org / 301 https://casebook.example.org/ b''",
    ]
