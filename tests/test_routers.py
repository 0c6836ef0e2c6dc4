"""The read-replica router: analysts' pages read from the replica, every write
and everything in the admin uses the primary."""

import pytest
from django.test import override_settings

from casebook import routers
from programs.models import Funding
from tests.factories import FundingFactory

pytestmark = pytest.mark.django_db


class SpyRouter(routers.ReadReplicaRouter):
    """Records the router's choices and then lets the test database answer."""

    choices: list[tuple[str, str]] = []

    def has_replica(self):
        return True

    def db_for_read(self, model, **hints):
        self.choices.append(("read", super().db_for_read(model, **hints)))
        return None

    def db_for_write(self, model, **hints):
        self.choices.append(("write", super().db_for_write(model, **hints)))
        return None


@pytest.fixture
def spy():
    SpyRouter.choices = []
    with override_settings(DATABASE_ROUTERS=["tests.test_routers.SpyRouter"]):
        yield SpyRouter.choices


def test_an_analysts_list_page_and_its_export_read_from_the_replica(client, spy):
    FundingFactory()
    spy.clear()
    assert client.get("/funding/").status_code == 200
    response = client.get("/funding/?export=csv")
    b"".join(response.streaming_content)
    assert spy and set(spy) == {("read", "replica")}


def test_the_admin_reads_and_writes_on_the_primary(admin_client, spy):
    funding = FundingFactory()
    spy.clear()
    assert admin_client.get(f"/admin/programs/funding/{funding.pk}/change/").status_code == 200
    assert ("read", "default") in spy
    assert {choice for choice in spy if choice[1] != "default"} == set()


def test_every_write_goes_to_the_primary_even_during_an_analysts_request(spy):
    token = routers.analyst_read.set(True)
    try:
        Funding.objects.filter(pk=FundingFactory().pk).update(note="changed")
    finally:
        routers.analyst_read.reset(token)
    assert ("write", "default") in spy
    assert ("write", "replica") not in spy


def test_without_a_replica_configured_reads_stay_on_the_primary():
    router = routers.ReadReplicaRouter()
    token = routers.analyst_read.set(True)
    try:
        assert router.db_for_read(Funding) == "default"
        assert SpyRouter().has_replica() and routers.ReadReplicaRouter.db_for_read(SpyRouter(), Funding) == "replica"
    finally:
        routers.analyst_read.reset(token)
    assert routers.ReadReplicaRouter.db_for_read(SpyRouter(), Funding) == "default"
    assert router.allow_migrate("replica", "programs") is False
    assert router.allow_migrate("default", "programs") is True


def test_the_page_cache_reads_the_data_version_where_the_page_is_drawn(monkeypatch):
    # A lagging replica must store its pages under the version of the data it holds,
    # so the version is read from the replica whenever the pages are.
    from django.conf import settings

    from programs.services import page_cache

    assert page_cache._read_alias() == "default"
    monkeypatch.setattr(settings, "DATABASES", {**settings.DATABASES, "replica": settings.DATABASES["default"]})
    assert page_cache._read_alias() == "replica"
