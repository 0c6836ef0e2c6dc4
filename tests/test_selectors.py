"""Reads (``programs.selectors``): facet counts, the region cascade, a panel's
first rows with their total, the stable order, and search across the lists."""

import pytest
from django.db import connection
from django.urls import reverse

from programs.models import Workshop
from programs.selectors.lists import first_ids, first_rows, program_list, with_stable_order, workshop_list
from programs.selectors.search import casebook_search
from programs.views import LIST_VIEWS
from tests.factories import ApproachFactory, PairingFactory, ProgramFactory, RegionFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_facets_count_the_current_rows(client, places):
    WorkshopFactory(region=places["lueyang"], status="ceased")
    WorkshopFactory(region=places["lueyang"], status="operating")
    WorkshopFactory(region=places["lueyang"], status="operating")
    WorkshopFactory(region=places["tiandeng"], status="ceased")
    response = client.get(reverse("programs:workshop_list"), {"region": "shaanxi"})
    facets = {param: {c.value: c.count for c in choices} for _, param, choices in response.context["facets"]}
    assert facets["status"] == {"operating": 2, "ceased": 1}
    cascade = response.context["cascade"]
    assert [(step.region.slug, step.count) for step in cascade["steps"]] == [("hanzhong", 3)]


def test_region_cascade_starts_at_the_provinces(client, places):
    WorkshopFactory(region=places["lueyang"])
    WorkshopFactory(region=places["tiandeng"])
    WorkshopFactory(region=places["tiandeng"])
    response = client.get(reverse("programs:workshop_list"))
    assert [(s.region.slug, s.count) for s in response.context["cascade"]["steps"]] == [("guangxi", 2), ("shaanxi", 1)]


def test_many_to_many_facets_keep_the_other_values_of_matching_rows(client):
    program = ProgramFactory()
    program.approaches.set([ApproachFactory(slug="training", name="Training"), ApproachFactory(slug="relocation")])
    response = client.get(reverse("programs:program_list"), {"approach": "training"})
    facets = {param: {c.value: c.count for c in choices} for _, param, choices in response.context["facets"]}
    assert facets["approach"] == {"training": 1, "relocation": 1}


def test_pairing_cascade_sets_the_filter_it_counts_by(client, places):
    PairingFactory(donor=places["hanzhong"], recipient=places["chongzuo"])
    cascade = client.get(reverse("programs:pairing_list")).context["cascade"]
    assert cascade["param"] == "recipient"
    assert [(s.region.slug, s.count) for s in cascade["steps"]] == [("guangxi", 1)]


def test_blank_values_are_no_facet_choice(client, places):
    RegionFactory(slug="beltless", level="county", parent=places["tiandeng"].parent, belt="")
    response = client.get(reverse("programs:region_list"))
    facets = {param: {c.value for c in choices} for _, param, choices in response.context["facets"]}
    assert "" not in facets["belt"]


def test_first_rows_bring_their_total_in_two_queries(places, django_assert_num_queries):
    WorkshopFactory.create_batch(7, region=places["lueyang"])
    queryset = with_stable_order(workshop_list().filter(region__path__startswith=places["shaanxi"].path))
    everything = [workshop.pk for workshop in queryset]
    # the first ids with the total, then their rows; on PostgreSQL the total is a COUNT of its
    # own (its planner costs a window count under a LIMIT as if the scan stopped early)
    postgresql = connection.vendor == "postgresql"
    with django_assert_num_queries(3 if postgresql else 2) as context:
        rows, total = first_rows(queryset, limit=5)
    assert (len(rows), total, [row.pk for row in rows]) == (5, 7, everything[:5])
    ids_query = context.captured_queries[0]["sql"]
    if postgresql:
        assert ids_query.startswith('SELECT "programs_workshop"."id" AS "pk" FROM')
        assert context.captured_queries[1]["sql"].startswith('SELECT COUNT(*) AS "__count" FROM')
    else:
        assert ids_query.startswith('SELECT "programs_workshop"."id" AS "pk", COUNT(*) OVER () AS "rows_in_all" FROM')


def test_first_rows_of_an_empty_list_are_none_in_all(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert first_rows(workshop_list(), limit=5) == ([], 0)


def test_first_rows_of_a_distinct_query_count_apart_only_when_the_limit_is_reached(django_assert_num_queries):
    ProgramFactory.create_batch(3)
    list(program_list()[:1])  # the data version and the programs' kept counts, read once
    with django_assert_num_queries(3):  # the rows, then their approaches and regions
        rows, total = first_rows(program_list().distinct(), limit=5)
    assert (len(rows), total) == (3, 3)
    with django_assert_num_queries(4):  # the same, and a COUNT because the limit was reached
        rows, total = first_rows(program_list().distinct(), limit=2)
    assert (len(rows), total) == (2, 3)


def test_the_stable_order_puts_blanks_last_and_breaks_ties_by_key(places):
    late, blank, early, tie = (
        WorkshopFactory(opening_year=2019, region=places["lueyang"]),
        WorkshopFactory(opening_year=None, region=places["lueyang"]),
        WorkshopFactory(opening_year=2017, region=places["lueyang"]),
        WorkshopFactory(opening_year=2019, region=places["lueyang"]),
    )
    ordered = with_stable_order(Workshop.objects.order_by("-opening_year"))
    assert [w.pk for w in ordered] == [late.pk, tie.pk, early.pk, blank.pk]


def test_search_counts_each_list_with_its_own_filter_and_previews_the_first_five():
    ProgramFactory(name="Kiwi park program")
    for number in range(7):
        WorkshopFactory(name=f"Kiwi park {number}")
    groups = {group["name"]: group for group in casebook_search(query="kiwi", lists=LIST_VIEWS)}
    assert [group["name"] for group in groups.values()] == [
        "program",
        "region",
        "pairing",
        "workshop",
        "funding",
        "outcome",
        "supportmeasure",
        "source",
    ]
    assert {name: group["count"] for name, group in groups.items() if group["count"]} == {"program": 1, "workshop": 7}
    assert (len(groups["workshop"]["preview"]), groups["workshop"]["url_name"]) == (5, "programs:workshop_list")


def test_search_with_nothing_typed_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert casebook_search(query="", lists=LIST_VIEWS) == []


@pytest.mark.django_db
def test_choice_filters_never_make_the_rows_distinct():
    from programs.filtersets import FundingFilterSet, ProgramFilterSet, WorkshopFilterSet
    from programs.selectors.lists import funding_list

    checks = [
        (FundingFilterSet, {"kind": ["loan", "fiscal"], "qualifier": ["exact"]}, funding_list()),
        (WorkshopFilterSet, {"status": ["ceased"], "kind": ["workshop"], "ownership": ["private"]}, workshop_list()),
        (ProgramFilterSet, {"measure": ["rent_waiver"]}, program_list()),
    ]
    for filterset_class, data, queryset in checks:
        filterset = filterset_class(data, queryset=queryset)
        assert filterset.is_valid(), filterset.errors
        assert filterset.qs.query.distinct is False, filterset_class.__name__


def test_the_first_ids_of_a_distinct_query_are_refused_rather_than_miscounted():
    with pytest.raises(TypeError, match="DISTINCT"):
        first_ids(program_list().distinct(), limit=5)


def listed(program) -> tuple[list[str], list[str]]:
    return [a.slug for a in program.listed_approaches], [r.slug for r in program.listed_regions]


def test_each_program_lists_its_approaches_by_name_and_its_regions_by_path(
    places, django_assert_num_queries, monkeypatch
):
    from programs.selectors import lists

    training = ApproachFactory(slug="training", name="Training")
    relocation = ApproachFactory(slug="relocation", name="Relocation")
    expected = {}
    for index in range(5):
        program = ProgramFactory(slug=f"p{index}")
        approaches = [training, relocation][: index % 3]
        program.approaches.set(approaches)
        program.regions.set([places["lueyang"]] if index % 2 else [places["tiandeng"], places["guangxi"]])
        # by name (Relocation before Training), by path (a province before its counties)
        expected[program.slug] = (
            sorted(a.slug for a in approaches),
            ["lueyang"] if index % 2 else ["guangxi", "tiandeng"],
        )
    list(program_list()[:1])  # the data version and the programs' kept counts, read once
    # the programs with their counts, then one query per relation, however many programs
    with django_assert_num_queries(3):
        programs = list(program_list())
    assert {program.slug: listed(program) for program in programs} == expected
    # only what is shown is read; a record several programs name is built once
    named = [a for program in programs for a in program.listed_approaches if a.slug == "training"]
    assert len(named) == 3 and named[0] is named[1] is named[2]
    region = programs[0].listed_regions[0]
    assert region.get_deferred_fields() >= {"path", "level", "parent_id", "search_text"}
    assert (region.name_en, region.name_zh) == (places["guangxi"].name_en, places["guangxi"].name_zh)
    # read in chunks (an export): the programs in one statement, then per chunk of 2 (3
    # chunks), one query per relation
    with django_assert_num_queries(1 + 3 * 2):
        chunked = {program.slug: listed(program) for program in program_list().iterator(chunk_size=2)}
    assert chunked == expected
    # without server-side cursors (behind pgbouncer), in batches all the same
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(lists, "LISTED_BATCH", 3)
    with django_assert_num_queries(1 + 2 * 2):
        unstreamed = {program.slug: listed(program) for program in program_list().iterator(chunk_size=2)}
    assert unstreamed == expected
    # a program a join repeats has its lists on every copy
    repeated = [listed(program) for program in program_list().filter(approaches__in=[training, relocation])]
    assert sorted(repeated) == sorted([expected["p2"], expected["p2"], expected["p1"], expected["p4"]])
    # values() reads no lists
    with django_assert_num_queries(1):
        assert sorted(program_list().values_list("slug", flat=True)) == sorted(expected)
