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


def plan(queryset) -> str:
    """The plan of ``queryset``; on PostgreSQL with sequential scans ruled out (on a
    test's few rows its planner rightly prefers them)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(row[-1] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("column", ["region", "workshop", "program"])
def test_the_outcomes_of_one_record_by_indicator_are_read_through_its_composite_index(column, places):
    index = f"outcome_{column}_indicator_idx"
    queryset = Outcome.objects.filter(**{f"{column}_id": 1}).order_by("indicator").values("pk")
    assert index in plan(queryset)


def test_a_regions_outcome_panel_finds_its_rows_and_on_sqlite_reads_the_composite_indexes(places):
    from tests.factories import IndicatorFactory, OutcomeFactory

    jobs, income = IndicatorFactory(name="Jobs"), IndicatorFactory(name="Income")
    inside = [
        OutcomeFactory(region=places["tiandeng"], indicator=jobs),
        OutcomeFactory(region=places["chongzuo"], indicator=income),
    ]
    OutcomeFactory(region=places["lueyang"], indicator=income)
    queryset = OutcomeListView.filtered({"region": places["guangxi"]}).order_by("indicator__name", "pk")
    assert list(queryset.values_list("pk", flat=True)) == [inside[1].pk, inside[0].pk]
    # PostgreSQL picks this plan from statistics a test's few rows cannot give; the
    # indexes it can use for each subject are pinned above.
    if connection.vendor == "sqlite":
        text = plan(queryset.values("pk"))
        for column in ("region", "workshop", "program"):
            assert f"outcome_{column}_indicator_idx" in text


LIST_ORDER_INDEXES = {
    "funding_source_key_cover": (Funding, ["source_id", "key", "id"]),
    "funding_kind_source_key_cover": (Funding, ["kind", "source_id", "key", "id"]),
    "outcome_source_key_cover": (Outcome, ["source_id", "key", "id"]),
}


def test_the_lists_default_order_has_covering_indexes_on_postgresql_only():
    """PostgreSQL reads a funding or outcome page's ids (by source, then key)
    from covering indexes (migration 0010); SQLite from its (source, key)
    unique index, so it has none of them."""
    for name, (model, columns) in LIST_ORDER_INDEXES.items():
        found = indexes_of(model).get(name)
        if connection.vendor == "postgresql":
            assert found == columns, name
        else:
            assert found is None, name


def test_a_region_filter_over_several_keys_looks_each_key_up_in_its_index(places):
    # outcomes in a region through their own region, their workshop's or their program's:
    # each branch an index lookup, the branches combined (SQLite: a MULTI-INDEX OR;
    # PostgreSQL: a BitmapOr, which it cannot use for IN subqueries under an OR)
    from tests.factories import OutcomeFactory, ProgramFactory, WorkshopFactory

    program = ProgramFactory()
    program.regions.set([places["tiandeng"]])
    inside = [
        OutcomeFactory(region=places["chongzuo"]),
        OutcomeFactory(region=None, workshop=WorkshopFactory(region=places["tiandeng"])),
        OutcomeFactory(region=None, program=program),
    ]
    OutcomeFactory(region=places["lueyang"])
    queryset = OutcomeListView.filtered({"region": places["guangxi"]}).order_by("pk").values("pk")
    assert list(queryset.values_list("pk", flat=True)) == [outcome.pk for outcome in inside]
    text = plan(queryset)
    if connection.vendor == "sqlite":
        assert "MULTI-INDEX OR" in text
    else:
        assert "BitmapOr" in text
        assert "hashed SubPlan" not in text
    for column in ("region", "workshop", "program"):
        assert f"outcome_{column}_indicator_idx" in text


def test_a_key_among_listed_values_is_a_plain_in(places):
    from tests.factories import OutcomeFactory

    here, there = OutcomeFactory(region=places["tiandeng"]), OutcomeFactory(region=places["lueyang"])
    OutcomeFactory(region=places["chongzuo"])
    found = Outcome.objects.filter(region__in_subquery=[places["tiandeng"].pk, places["lueyang"].pk])
    assert sorted(found.values_list("pk", flat=True)) == sorted([here.pk, there.pk])


def test_programs_in_a_region_are_found_from_the_subtrees_paths_not_program_by_program(places):
    # the subtree's regions by the path index, their programs by the link table's
    # region index; no correlated subquery run once per program
    from programs.views.lists import ProgramListView
    from tests.factories import ProgramFactory

    inside, twice, outside = ProgramFactory(), ProgramFactory(), ProgramFactory()
    inside.regions.set([places["tiandeng"]])
    twice.regions.set([places["chongzuo"], places["tiandeng"], places["lueyang"]])
    outside.regions.set([places["lueyang"]])
    queryset = ProgramListView.filtered({"region": places["guangxi"]}).order_by("pk")
    assert list(queryset.values_list("pk", flat=True)) == [inside.pk, twice.pk]
    assert queryset.count() == 2
    text = plan(queryset.values("pk"))
    assert "programs_program_regions_region_id" in text
    if connection.vendor == "sqlite":
        assert "region_path_prefix_idx (path>? AND path<?)" in text
        assert "CORRELATED" not in text
    else:
        assert "Index Cond: (((path)::text ~>=~ 'china/guangxi/'::text)" in text
        assert "SubPlan" not in text


def test_on_sqlite_a_page_of_one_kind_of_funding_is_read_in_order_from_an_index(places):
    # by source, then key: with only (kind, source) SQLite sorted a whole source's rows
    from programs.views.lists import FundingListView
    from tests.factories import FundingFactory

    rows = [FundingFactory(kind="fiscal", funder_region=places["guangxi"]) for _ in range(3)]
    FundingFactory(kind="material", funder_region=places["guangxi"])
    ids = FundingListView.filtered({"kind": ["fiscal"]}).order_by("source__slug", "key", "pk").values("pk")
    expected = sorted(rows, key=lambda row: (row.source.slug, row.key, row.pk))
    assert list(ids.values_list("pk", flat=True)) == [row.pk for row in expected]
    found = indexes_of(Funding).get("funding_kind_source_key")
    if connection.vendor == "sqlite":
        assert found == ["kind", "source_id", "key"]
        # which plan SQLite picks depends on the statistics of a national-scale file
        # (there: the index in order, no sort; see migration 0011); here it can use it
        assert "COVERING INDEX funding_kind_source_key" in plan(ids[:100])
    else:
        assert found is None  # PostgreSQL reads this order from funding_kind_source_key_cover


def test_a_cascade_reads_the_provinces_by_name_through_the_level_and_name_index(client, places):
    """Every list's region cascade starts at the provinces, by name: the composite
    index gives them in order, where the name index alone had SQLite look up every
    region for its level (1.3 ms of a 16 ms page at national scale)."""
    from programs.models import Region
    from programs.selectors.facets import cascade_children

    provinces = cascade_children(None)
    assert [region.slug for region in provinces] == ["guangxi", "shaanxi"]
    if connection.vendor == "sqlite":
        # PostgreSQL, which had no such trouble, may choose either index on a test's few rows.
        assert "region_level_name_idx" in plan(Region.objects.filter(level="province").order_by("name_en"))
    steps = client.get("/regions/").context["cascade"]["steps"]
    assert [step.region.slug for step in steps] == ["guangxi", "shaanxi"]
