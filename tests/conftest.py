import pytest
from django.db import transaction

from programs.services import EDITORS, VIEWERS, casebook_load
from tests.factories import UserFactory, region_tree


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=[EDITORS])


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer", groups=[VIEWERS])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture(autouse=True)
def caches_start_empty():
    """Nothing a test keeps in a cache (counts, choices, pages kept per data version)
    reaches the next test: a test database may start with the same data version as
    the one before, and a test may change rows without a write that changes it
    (``QuerySet.update()``, as a fixture's set-up does)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def streamed_responses_are_closed(monkeypatch):
    """Every streamed response the test client gave is closed when the test ends, as
    a WSGI server closes it when the request ends. An export has read its first row
    before it answers (on PostgreSQL, through a server-side cursor); left open, its
    generator would be finalised by the garbage collector at some later moment,
    possibly while psycopg holds that connection's lock in the same thread, which
    deadlocks (a suite once stopped at 91% that way)."""
    from django.test.client import Client

    opened = []
    request = Client.request

    def keeping(self, **kwargs):
        response = request(self, **kwargs)
        if response.streaming:
            opened.append(response)
        return response

    monkeypatch.setattr(Client, "request", keeping)
    yield
    for response in opened:
        close_response(response)


def close_response(response) -> None:
    """Close a response as the server does when a request ends, but keep the test's
    database connection: the close sends ``request_finished``, whose handler would
    close a connection inside a transaction (the test's own)."""
    from unittest import mock

    from django.db.backends.base.base import BaseDatabaseWrapper

    with mock.patch.object(BaseDatabaseWrapper, "close_if_unusable_or_obsolete", lambda self: None):
        response.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup):
    """pytest-django's live server, but stopped before the test database is torn
    down, so its thread's connection never holds the database open."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def places(db):
    """Two small region trees: Guangxi › Chongzuo › Tiandeng and Shaanxi › Hanzhong › Lüeyang."""
    guangxi, chongzuo, tiandeng = region_tree(
        ("guangxi", "province"), ("chongzuo", "prefecture"), ("tiandeng", "county")
    )
    shaanxi, hanzhong, lueyang = region_tree(("shaanxi", "province"), ("hanzhong", "prefecture"), ("lueyang", "county"))
    return {r.slug: r for r in (guangxi, chongzuo, tiandeng, shaanxi, hanzhong, lueyang)}


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    """The five documents' data, loaded once for the module that asks for it, inside a
    transaction rolled back at the module's end (each test's own changes roll back too)."""
    with django_db_blocker.unblock(), transaction.atomic():
        casebook_load()
        yield
        transaction.set_rollback(True)
