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
