"""The page cache: an anonymous reader's repeated page costs one query, and
every write (admin, import, loader, bulk load, delete, many-to-many) makes
every cached page stale."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import DataVersion, Workshop
from programs.services import page_cache
from tests.factories import ProgramFactory, RegionFactory, SourceFactory, WorkshopFactory
from tests.test_import_export import confirm, upload
from tests.test_permissions import posted_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    caches[settings.PAGE_CACHE_ALIAS].clear()
    yield
    caches[settings.PAGE_CACHE_ALIAS].clear()


@pytest.fixture
def workshop(places):
    return WorkshopFactory(slug="earphones", name="Earphone workshop", region=places["lueyang"])


def cached_pages(settings) -> int:
    return len(caches[settings.PAGE_CACHE_ALIAS]._cache)


def get(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    return response, len(context.captured_queries)


def test_a_repeated_page_is_answered_with_one_query_and_the_same_bytes(client, workshop):
    first, queries = get(client, "/workshops/")
    assert queries > 1
    assert first["Vary"] == "HX-Request"
    again, queries = get(client, "/workshops/")
    assert queries == 1  # the data version
    assert (again.status_code, again.content) == (200, first.content)
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/workshops/?colour=red", "/no-such-page/", "/workshops/?export=csv"])
def test_errors_and_exports_are_never_cached(client, workshop, path, settings):
    for _ in range(2):
        response = get(client, path)[0]
        assert response.status_code in (400, 404, 200)
        if response.streaming:
            # Read to the end, as a download is: an export's server-side cursor (PostgreSQL)
            # is then closed in this test's transaction, not in the next test's.
            b"".join(response.streaming_content)
    assert cached_pages(settings) == 0


def test_the_rows_htmx_asks_for_are_cached_apart_from_the_whole_page(client, workshop, settings):
    whole = client.get("/workshops/").content
    rows = client.get("/workshops/", HTTP_HX_REQUEST="true").content
    assert len(rows) < len(whole)
    assert client.get("/workshops/").content == whole
    assert client.get("/workshops/", HTTP_HX_REQUEST="true").content == rows
    assert cached_pages(settings) == 2


def test_a_reader_with_a_session_always_gets_a_fresh_page(editor_client, workshop):
    get(editor_client, "/workshops/")
    _, queries = get(editor_client, "/workshops/")
    assert queries > 1


def test_a_host_that_is_not_allowed_is_refused_even_for_a_cached_page(client, workshop):
    get(client, "/workshops/")
    assert client.get("/workshops/", HTTP_HOST="evil.example").status_code == 400


def test_an_admin_edit_shows_on_the_next_anonymous_view(client, editor_client, workshop):
    assert b"Earphone workshop" in client.get("/workshops/").content
    url = reverse("admin:programs_workshop_change", args=[workshop.pk])
    data = posted_form(editor_client, url)
    data["name"] = ["Headphone workshop"]
    assert editor_client.post(url, data).status_code == 302
    page = client.get("/workshops/").content
    assert (b"Headphone workshop" in page, b"Earphone workshop" in page) == (True, False)


def test_an_import_shows_on_the_next_anonymous_view(client, editor_client, places):
    assert b"Chongzuo-new" not in client.get("/regions/").content
    text = "slug,name_en,name_zh,level,parent,belt,is_poverty_county,note\nnew-place,Chongzuo-new,,county,chongzuo,,,\n"
    assert confirm(editor_client, "region", upload(editor_client, "region", text)).status_code == 302
    assert b"Chongzuo-new" in client.get("/regions/").content


def test_deleting_and_many_to_many_changes_show_on_the_next_view(client, workshop):
    program = ProgramFactory(slug="p", name="A program")
    path = f"/programs/{program.slug}/"
    assert b"Lueyang" not in client.get(path).content
    program.regions.add(workshop.region)
    assert workshop.region.name_en.encode() in client.get(path).content
    assert b"Earphone workshop" in client.get("/workshops/").content
    Workshop.objects.get(pk=workshop.pk).delete()
    assert b"Earphone workshop" not in client.get("/workshops/").content


def test_the_loader_makes_cached_pages_stale(client):
    from programs.services import casebook_load

    assert b"Jinjie" not in client.get("/programs/").content
    casebook_load()
    assert b"Jinjie" in client.get("/programs/").content


def test_every_write_changes_the_version_once_and_reading_it_is_one_query(places):
    seen = [page_cache.current()]
    with CaptureQueriesContext(connection) as context:
        RegionFactory(slug="x", level="county", parent=places["chongzuo"])
    assert sum("programs_dataversion" in query["sql"] for query in context.captured_queries) == 1
    seen.append(page_cache.current())
    source = SourceFactory()
    seen.append(page_cache.current())
    with CaptureQueriesContext(connection) as context:
        page_cache.current()
    assert len(context.captured_queries) == 1
    source.note = "changed"
    source.save()
    seen.append(page_cache.current())
    assert len(set(seen)) == 4


def test_without_its_row_nothing_is_cached(client, workshop):
    DataVersion.objects.all().delete()
    get(client, "/workshops/")
    _, queries = get(client, "/workshops/")
    assert queries > 1
    page_cache.ensure_row()
    assert DataVersion.objects.get().pk == 1


def test_turned_off_nothing_is_cached(client, workshop, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, "/workshops/")
    _, queries = get(client, "/workshops/")
    assert queries > 1
