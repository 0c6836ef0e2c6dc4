"""Large exports kept on disk per data version (``programs.services.export_files``):
the second download of an export is the file the first one left, byte for
byte, until a write; a write, a download broken off, or a write landing while
an export streams never leaves a file that disagrees with the data."""

import os
import time

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from programs.services import page_cache
from tests.factories import FundingFactory

pytestmark = pytest.mark.django_db

FUNDING = reverse("programs:funding_list")


@pytest.fixture
def folder(settings, tmp_path):
    settings.EXPORT_FILES_DIR = str(tmp_path / "exports")
    settings.EXPORT_FILES_MIN_BYTES = 0
    return tmp_path / "exports"


@pytest.fixture
def funding():
    return [FundingFactory(key=f"f{number}", purpose=f"排水{mark}渠") for number, mark in enumerate("甲乙丙")]


def body(response) -> bytes:
    # Read to the end, the test client closes the response (as a server would).
    return b"".join(response.streaming_content)


def kind_of(response) -> str:
    """ "file" (the kept file) or "streamed" (drawn from the database), read to
    the end either way (on PostgreSQL an export left unread would hold its
    server-side cursor open in the test's transaction)."""
    kind = "file" if isinstance(response, FileResponse) else "streamed"
    assert isinstance(response, StreamingHttpResponse)
    body(response)
    return kind


def client_goes_away(response) -> None:
    """What a server does when the client leaves mid-download: it closes the
    response. (As the test client does it, without the request_finished signal
    closing the test's database connection.)"""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def files(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_the_second_download_is_the_file_the_first_left(client, folder, funding):
    first = client.get(FUNDING, {"export": "csv", "kind": funding[0].kind})
    assert isinstance(first, StreamingHttpResponse)
    streamed = body(first)
    number = page_cache.current()
    [name] = files(folder)
    assert name.startswith(f"{number}-") and name.endswith(".export")

    again = client.get(FUNDING, {"kind": funding[0].kind, "export": "csv", "page": "3"})
    assert isinstance(again, FileResponse)
    assert again["Content-Type"] == "text/csv; charset=utf-8"
    assert again["Content-Disposition"] == 'attachment; filename="funding.csv"'
    assert again["Content-Length"] == str(len(streamed))
    assert body(again) == streamed
    assert streamed.decode("utf-8").count("排水") == 3


def test_each_export_and_format_has_a_file_of_its_own(client, folder, funding):
    csv_text = body(client.get(FUNDING, {"export": "csv"}))
    json_text = body(client.get(FUNDING, {"export": "json"}))
    one = body(client.get(FUNDING, {"export": "csv", "q": "排水乙"}))
    assert len(files(folder)) == 3
    assert body(client.get(FUNDING, {"export": "json"})) == json_text
    assert body(client.get(FUNDING, {"export": "csv"})) == csv_text
    assert body(client.get(FUNDING, {"q": "排水乙", "export": "csv"})) == one
    assert one.decode("utf-8").count("排水") == 1


def test_a_write_makes_the_next_download_fresh_and_removes_the_old_file(client, folder, funding):
    body(client.get(FUNDING, {"export": "csv"}))
    [old] = files(folder)
    FundingFactory(key="later", purpose="新增")
    fresh = client.get(FUNDING, {"export": "csv"})
    assert isinstance(fresh, StreamingHttpResponse)
    assert "新增" in body(fresh).decode("utf-8")
    [new] = files(folder)
    assert new != old and new.startswith(f"{page_cache.current()}-")


def test_a_write_while_an_export_streams_leaves_no_file(client, folder, funding):
    response = client.get(FUNDING, {"export": "csv"})
    chunks = iter(response.streaming_content)
    next(chunks)  # the header has gone out, the rows have been read
    FundingFactory(key="meanwhile")
    rest = b"".join(chunks)
    assert b"meanwhile" not in rest  # the export holds the rows it read before the write
    assert files(folder) == []
    assert kind_of(client.get(FUNDING, {"export": "csv"})) == "streamed"


def test_a_download_broken_off_leaves_nothing_behind(client, folder, funding):
    response = client.get(FUNDING, {"export": "json"})
    chunks = iter(response.streaming_content)
    next(chunks)
    client_goes_away(response)
    assert files(folder) == []


def test_a_small_export_is_drawn_again_rather_than_kept(client, folder, funding, settings):
    settings.EXPORT_FILES_MIN_BYTES = 1 << 20
    body(client.get(FUNDING, {"export": "csv"}))
    assert files(folder) == []
    assert kind_of(client.get(FUNDING, {"export": "csv"})) == "streamed"


def test_only_the_newest_files_are_kept(client, folder, funding, settings):
    settings.EXPORT_FILES_MAX = 2
    for query in ("排水甲", "排水乙", "排水丙"):
        body(client.get(FUNDING, {"export": "csv", "q": query}))
        time.sleep(0.01)  # distinct modification times
    assert len(files(folder)) == 2
    assert kind_of(client.get(FUNDING, {"export": "csv", "q": "排水丙"})) == "file"
    assert kind_of(client.get(FUNDING, {"export": "csv", "q": "排水甲"})) == "streamed"


def test_keeping_a_file_removes_part_files_left_by_a_dead_worker(client, folder, funding):
    folder.mkdir()
    stale, recent = folder / "stale.part", folder / "recent.part"
    stale.write_text("half an export")
    recent.write_text("an export being written")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))
    body(client.get(FUNDING, {"export": "csv"}))
    assert [name for name in files(folder) if name.endswith(".part")] == ["recent.part"]


def test_turned_off_nothing_is_written(client, folder, funding, settings):
    settings.EXPORT_FILES_DIR = None
    body(client.get(FUNDING, {"export": "csv"}))
    assert kind_of(client.get(FUNDING, {"export": "csv"})) == "streamed"
    assert files(folder) == []


def test_a_refused_export_keeps_nothing(client, folder, funding):
    response = client.get(FUNDING, {"export": "xlsx"})
    assert response.status_code == 400
    assert files(folder) == []


def test_a_folder_that_cannot_be_written_only_means_nothing_is_kept(client, settings, tmp_path, funding):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.EXPORT_FILES_DIR = str(blocker / "exports")
    settings.EXPORT_FILES_MIN_BYTES = 0
    text = body(client.get(FUNDING, {"export": "csv"})).decode("utf-8")
    assert text.count("排水") == 3
    assert kind_of(client.get(FUNDING, {"export": "csv"})) == "streamed"


def test_a_full_disk_mid_export_still_sends_every_row(client, folder, funding, monkeypatch):
    import os

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, *args, **kwargs):
            self.file = real_fdopen(*args, **kwargs)

        def write(self, text):
            raise OSError(28, "No space left on device")

        def tell(self):
            return self.file.tell()

        def close(self):
            self.file.close()

    monkeypatch.setattr(os, "fdopen", FullDisk)
    text = body(client.get(FUNDING, {"export": "csv"})).decode("utf-8")
    monkeypatch.undo()
    assert text.count("排水") == 3
    assert files(folder) == []


def test_files_kept_before_the_export_format_changed_are_not_sent(client, folder, funding, monkeypatch):
    from programs import exports

    body(client.get(FUNDING, {"export": "csv"}))
    assert kind_of(client.get(FUNDING, {"export": "csv"})) == "file"
    monkeypatch.setattr(exports, "EXPORT_FORMAT", exports.EXPORT_FORMAT + 1)
    assert kind_of(client.get(FUNDING, {"export": "csv"})) == "streamed"


def test_the_version_is_read_before_the_filters_read_anything(client, folder, funding, places):
    """A region moved between the filter's reading of it and the version read
    would otherwise leave a file of the old subtree under the new version."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body(client.get(FUNDING, {"export": "csv", "region": "guangxi"}))
    tables = [query["sql"] for query in captured.captured_queries]
    first_version = next(i for i, sql in enumerate(tables) if "programs_dataversion" in sql)
    first_region = next(i for i, sql in enumerate(tables) if "programs_region" in sql)
    assert first_version < first_region


def test_a_kept_file_goes_out_as_a_file_past_the_replica_middleware(rf, folder):
    """The middleware that keeps an export's reads on the replica leaves a kept
    file alone, so the server can send it with sendfile."""
    from casebook.routers import AnalystReadsMiddleware

    kept = folder.parent / "kept.export"
    kept.write_text("a,b\n")
    response = AnalystReadsMiddleware(lambda request: FileResponse(kept.open("rb")))(rf.get("/funding/"))
    assert response.file_to_stream is not None
    response.close()
