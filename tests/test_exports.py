"""Exports (``programs.exports``): exactly the rows a list page shows, streamed
as CSV or JSON with exact figures, formula-like cells neutralised, each figure
also as the text the pages show, and columns that cannot silently come out empty."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from programs.exports import FUNDING_COLUMNS, OUTCOME_COLUMNS, attr, columns
from programs.resources import FundingResource, OutcomeResource
from programs.views import LIST_VIEWS
from tests.conftest import close_response
from tests.factories import FundingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_export_has_exactly_the_filtered_rows_with_chinese_intact(client, places):
    places["lueyang"].name_zh = "略阳县"
    places["lueyang"].save()
    WorkshopFactory(slug="in-lueyang", name="耳机车间", region=places["lueyang"])
    WorkshopFactory(slug="in-tiandeng", region=places["tiandeng"])
    response = client.get(reverse("programs:workshop_list"), {"region": "shaanxi", "export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="workshops.csv"'
    rows = read_csv(response)
    assert [(row["slug"], row["name"], row["region"]) for row in rows] == [("in-lueyang", "耳机车间", "lueyang")]


def test_csv_export_neutralises_formulas(client):
    FundingFactory(purpose='=HYPERLINK("http://evil")', funder_organisation="+SUM(A1)", locator="@cmd")
    rows = read_csv(client.get(reverse("programs:funding_list"), {"export": "csv"}))
    assert (rows[0]["purpose"], rows[0]["funder_organisation"], rows[0]["locator"]) == (
        '\'=HYPERLINK("http://evil")',
        "'+SUM(A1)",
        "'@cmd",
    )


def test_json_export_streams_exact_figures(client):
    FundingFactory(key="gd", amount=Decimal("3680000000"), usd_amount=Decimal("517370000"), qualifier="exact")
    response = client.get(reverse("programs:funding_list"), {"export": "json"})
    assert isinstance(response, StreamingHttpResponse)
    data = json.loads(b"".join(response.streaming_content))
    assert [(r["key"], r["amount"], r["usd_amount"], r["qualifier"]) for r in data] == [
        ("gd", "3680000000", "517370000", "exact")
    ]


def test_export_follows_the_sort_order(client, places):
    for slug, year in (("b", 2017), ("a", 2019), ("c", 2018)):
        WorkshopFactory(slug=slug, opening_year=year, region=places["lueyang"])
    rows = read_csv(client.get(reverse("programs:workshop_list"), {"sort": "opening_year", "export": "csv"}))
    assert [row["slug"] for row in rows] == ["b", "c", "a"]


def test_a_misspelt_column_fails_instead_of_coming_out_empty():
    funding = FundingFactory(workshop=None)
    assert attr("workshop.slug")(funding) is None  # a blank link in the chain is a blank cell
    with pytest.raises(AttributeError):
        attr("purpse")(funding)


def test_funding_and_outcome_exports_have_the_admin_import_columns_and_the_figure_text():
    assert [header for header, _ in FUNDING_COLUMNS] == list(FundingResource._meta.fields)
    fields = list(OutcomeResource._meta.fields)
    assert [header for header, _ in OUTCOME_COLUMNS] == [*fields[:4], "unit", *fields[4:]]
    assert (FUNDING_COLUMNS[-1][0], OUTCOME_COLUMNS[-2][0], OUTCOME_COLUMNS[-1][0]) == (
        "amount_text",
        "value_text",
        "baseline_text",
    )


def test_columns_are_named_after_their_path_without_slug():
    assert [header for header, _ in columns("source.slug", "region.path", "key")] == ["source", "region_path", "key"]


@pytest.mark.parametrize("list_view", LIST_VIEWS, ids=lambda view: view.__name__)
@pytest.mark.django_db
def test_exports_read_as_plain_rows_give_what_the_records_give(list_view, documents):
    """Rows read with values_list() (slugs looked up by id, figure texts computed
    from the row) are exactly the rows read through model instances."""
    from programs.exports import value_rows
    from programs.selectors.lists import with_stable_order

    queryset = with_stable_order(list_view.queryset.all())
    expected = [tuple(get(obj) for _, get in list_view.export_columns) for obj in queryset]
    assert len(expected) > 0
    assert [tuple(row) for row in value_rows(queryset, list_view.export_columns)] == expected


def test_an_export_reads_its_rows_through_a_server_side_cursor_where_there_is_one(client, monkeypatch):
    # A client-side cursor would hold every row of a million-row export in the worker's
    # memory on PostgreSQL before the first byte (measured: about 1 GB).
    from django.db import connection

    from tests.factories import SourceFactory

    FundingFactory.create_batch(3, source=SourceFactory(slug="export-cursor"))
    opened = []
    chunked_cursor = connection.chunked_cursor

    def spy():
        cursor = chunked_cursor()
        opened.append(cursor.cursor)
        return cursor

    monkeypatch.setattr(connection, "chunked_cursor", spy)
    response = client.get(reverse("programs:funding_list"), {"export": "csv", "source": "export-cursor"})
    assert len(read_csv(response)) == 3
    assert len(opened) == 1
    if connection.vendor == "postgresql":
        import psycopg

        assert isinstance(opened[0], psycopg.ServerCursor)


def test_a_download_closed_partway_releases_its_cursor(client, monkeypatch):
    """A reader who stops a download: the server closes the response, which closes the
    export's cursor there and then (not whenever the garbage collector gets to it)."""
    from django.db import connection

    from tests.factories import SourceFactory

    monkeypatch.setattr("programs.exports.CHUNK_SIZE", 2)
    FundingFactory.create_batch(5, source=SourceFactory(slug="export-stopped"))
    closed = []
    chunked_cursor = connection.chunked_cursor

    def spy():
        cursor = chunked_cursor()
        close = cursor.close
        cursor.close = lambda: closed.append(True) or close()
        return cursor

    monkeypatch.setattr(connection, "chunked_cursor", spy)
    response = client.get(reverse("programs:funding_list"), {"export": "csv", "source": "export-stopped"})
    header = next(iter(response.streaming_content))  # the first rows are read before it goes out
    assert header.decode().startswith("\ufeffsource,key,locator,amount,")
    assert closed == []
    close_response(response)
    assert closed == [True]


def test_a_program_export_reads_approaches_and_regions_in_a_fixed_number_of_queries(client):
    """The programs' approaches and regions come from the lists the selector
    prefetches, not from one query per program."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ApproachFactory, ProgramFactory, RegionFactory

    rent = ApproachFactory(slug="rent-free-x", name="Zz rent-free premises")
    training = ApproachFactory(slug="training-x", name="Zz training")
    east, west = RegionFactory(slug="east-county-x"), RegionFactory(slug="west-county-x")

    def export():
        with CaptureQueriesContext(connection) as captured:
            rows = read_csv(client.get(reverse("programs:program_list"), {"export": "csv"}))
        return rows, len(captured)

    for number in range(2):
        program = ProgramFactory(slug=f"few-{number}")
        program.approaches.set([rent, training])
        program.regions.set([west, east])
    rows, few = export()
    for number in range(6):
        ProgramFactory(slug=f"more-{number}").approaches.set([training])
    more_rows, more = export()
    assert few == more
    assert len(more_rows) == len(rows) + 6
    first = next(row for row in rows if row["slug"] == "few-0")
    # approaches by name, regions by path
    assert (first["approaches"], first["regions"]) == ("rent-free-x;training-x", "east-county-x;west-county-x")
