"""A region's, workshop's or program's page reads its outcomes panel (by
indicator) through composite indexes that start with the region, workshop or
program column, so the indicator is read from the index rather than from each
row; there is no single-column index on those columns for SQLite to prefer.

Funding keeps its single-column indexes: with composite (region, years) indexes
beside or instead of them, SQLite answered a county's funding filtered by years
from the wrong index (66 ms → 2.6 s at national scale), which outweighed the
faster region panel (measured; see the issue 9 notes)."""

import pytest
from django.db import connection

from programs.models import Funding, Outcome
from programs.views.lists import OutcomeListView

pytestmark = pytest.mark.django_db


def indexes_of(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: info["columns"] for name, info in constraints.items() if info["index"] and not info["unique"]}


def test_the_outcome_panels_columns_are_indexed_with_the_indicator_and_funding_by_region_alone():
    outcomes, funding = indexes_of(Outcome), indexes_of(Funding)
    for column in ("region_id", "workshop_id", "program_id"):
        assert [columns for columns in outcomes.values() if columns[0] == column] == [[column, "indicator_id"]]
    for column in ("recipient_region_id", "funder_region_id"):
        assert [columns for columns in funding.values() if columns[0] == column] == [[column]]


def sqlite_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


# PostgreSQL picks its plan from statistics that a test's few rows cannot give; the
# indexes it can use are pinned above.
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's depends on national statistics")
def test_a_regions_outcome_panel_is_read_through_the_composite_indexes(places):
    queryset = OutcomeListView.filtered({"region": places["guangxi"]}).order_by("indicator__name", "pk")
    text = sqlite_plan(queryset.values("pk"))
    for index in ("outcome_region_indicator_idx", "outcome_workshop_indicator_idx", "outcome_program_indicator_idx"):
        assert index in text
