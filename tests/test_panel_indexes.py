"""A region's page reads its funding and outcome panels through composite
indexes that start with the region (or workshop or program) column: the years
or the indicator are read from the index, not from each row. On SQLite a
single-column index on the same column would be chosen instead and make the
province's funding panel four times slower at national scale, so there is none."""

import pytest
from django.db import connection

from programs.models import Funding, Outcome
from programs.views.lists import FundingListView, OutcomeListView

pytestmark = pytest.mark.django_db


def indexes_of(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: info["columns"] for name, info in constraints.items() if info["index"] and not info["unique"]}


def test_the_region_columns_are_indexed_only_with_what_their_panels_sort_by():
    funding, outcomes = indexes_of(Funding), indexes_of(Outcome)
    assert [columns for columns in funding.values() if columns[0] == "recipient_region_id"] == [
        ["recipient_region_id", "year_end", "year_start"]
    ]
    assert [columns for columns in funding.values() if columns[0] == "funder_region_id"] == [
        ["funder_region_id", "year_end", "year_start"]
    ]
    for column in ("region_id", "workshop_id", "program_id"):
        assert [columns for columns in outcomes.values() if columns[0] == column] == [[column, "indicator_id"]]


def sqlite_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


# PostgreSQL picks its plan from statistics that a test's few rows cannot give (on them it
# scans the years index and filters); the indexes it can use are pinned above.
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's depends on national statistics")
def test_a_regions_funding_and_outcome_panels_are_read_through_the_composite_indexes(places):
    queryset = FundingListView.filtered({"region": places["guangxi"]}).order_by("year_end", "year_start", "pk")
    text = sqlite_plan(queryset.values("pk"))
    assert "funding_funder_years_idx (funder_region_id=?)" in text
    assert "funding_recipient_years_idx (recipient_region_id=?)" in text
    queryset = OutcomeListView.filtered({"region": places["guangxi"]}).order_by("indicator__name", "pk")
    text = sqlite_plan(queryset.values("pk"))
    for index in ("outcome_region_indicator_idx", "outcome_workshop_indicator_idx", "outcome_program_indicator_idx"):
        assert index in text
