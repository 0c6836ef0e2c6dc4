"""Every list and detail page runs a fixed number of SQL queries, however
many rows it shows. Each count is pinned at 25 and at 100 rows."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories import (
    ApproachFactory,
    FundingFactory,
    IndicatorFactory,
    OutcomeFactory,
    PairingFactory,
    ProgramFactory,
    RegionFactory,
    SourceFactory,
    SupportMeasureFactory,
    WorkshopFactory,
    region_tree,
)

ROWS = 110


@pytest.fixture(scope="module")
def casebook(django_db_setup, django_db_blocker):
    """110 rows of every kind, spread over a small region tree and two sources; built
    once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("db")


def _build():
    guangxi, _chongzuo, tiandeng = region_tree(
        ("guangxi", "province"), ("chongzuo", "prefecture"), ("tiandeng", "county")
    )
    sources = [SourceFactory(slug="doc-a"), SourceFactory(slug="doc-b")]
    SourceFactory.create_batch(ROWS - 2)
    approaches = [ApproachFactory(slug="training"), ApproachFactory(slug="industrial-park")]
    indicator = IndicatorFactory(slug="jobs-created")
    regions = [RegionFactory(slug=f"town-{i}", level="township", parent=tiandeng) for i in range(ROWS)]
    donor = RegionFactory(slug="shenzhen", level="prefecture", parent=guangxi.parent)
    programs = []
    for i in range(ROWS):
        program = ProgramFactory(slug=f"program-{i:03}", sources=sources)
        program.approaches.set(approaches)
        program.regions.set([regions[i], tiandeng])
        programs.append(program)
    pairings = [
        PairingFactory(slug=f"pairing-{i:03}", donor=donor, recipient=regions[i], sources=sources) for i in range(ROWS)
    ]
    for i in range(ROWS):
        workshop = WorkshopFactory(
            slug=f"workshop-{i:03}", region=regions[i], program=programs[i], pairing=pairings[i], sources=sources
        )
        FundingFactory(
            source=sources[i % 2],
            funder_region=donor,
            recipient_region=regions[i],
            pairing=pairings[i],
            program=programs[i],
            workshop=workshop,
            amount=Decimal(1000 + i),
        )
        OutcomeFactory(
            source=sources[i % 2],
            indicator=indicator,
            region=regions[i],
            pairing=pairings[i],
            program=programs[i],
            workshop=workshop,
            value=Decimal(i),
            baseline_value=Decimal(1),
            baseline_year=2014,
        )
        SupportMeasureFactory(source=sources[i % 2], program=programs[i], workshop=workshop)
    return {"region": tiandeng, "program": programs[0], "pairing": pairings[0]}


# Queries each list page runs, whatever the page size: 1 COUNT(*) for the paginator,
# 1 for the ids of the page (sorted without joins), 1 for those rows (joins for
# single-valued relations, correlated subqueries for counts over to-many ones),
# 1 GROUP BY per facet, 1 per model-choice filter to list its
# choices (sources, approaches, indicators), and 2 for the region cascade (the child
# regions, then the rows grouped by region path).
LIST_QUERIES = {
    "source": 4,  # count, the page's ids, rows, facet kind
    "region": 7,  # count, the page's ids, rows, facets level and belt, cascade 2
    # count, the page's ids, rows, approaches and regions prefetches, facets approach and source, their 2 choice lists
    "program": 9,
    "pairing": 8,  # count, the page's ids, rows, facets level and framework, source choices, cascade 2
    "workshop": 9,  # count, the page's ids, rows, facets kind, status and ownership, source choices, cascade 2
    "funding": 9,  # count, the page's ids, rows, facets kind, qualifier and source, source choices, cascade 2
    # count, the page's ids, rows, facets indicator, perspective, qualifier and source, their 2 choice lists
    "outcome": 9,
    "supportmeasure": 7,  # count, the page's ids, rows, facets kind, beneficiary and source, source choices
}


@pytest.mark.parametrize("per_page", [25, 100])
@pytest.mark.parametrize("model_name, expected", LIST_QUERIES.items())
def test_list_page_runs_a_fixed_number_of_queries(
    client, casebook, django_assert_num_queries, model_name, expected, per_page
):
    url = reverse(f"programs:{model_name}_list")
    with django_assert_num_queries(expected):
        response = client.get(url, {"per_page": per_page})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == per_page


@pytest.mark.parametrize("per_page", [25, 100])
def test_naming_a_region_adds_two_queries_its_lookup_and_its_ancestors(
    client, casebook, django_assert_num_queries, per_page
):
    # + 1 to look up the region named in the URL, + 1 for its ancestors in the cascade
    with django_assert_num_queries(LIST_QUERIES["workshop"] + 2):
        response = client.get(reverse("programs:workshop_list"), {"per_page": per_page, "region": "guangxi"})
    assert response.context["table"].paginator.count == ROWS


# Each panel on a detail page is two queries: its first 50 ids with the panel's total
# as a window count (read without the list's joins), then those rows (plus the
# prefetches of the list it comes from); an empty panel stops after the first.
DETAIL_QUERIES = {
    # region with counts, ancestors, children with counts, the region's own outcomes for its
    # charts; then 6 panels: pairings out (empty: 1), pairings in (2), programs (2, + their
    # approaches and regions prefetched: 2), workshops (2), outcomes (2), funding (2)
    "region": ("tiandeng", 17),
    # pairing with counts, its sources; then 5 panels: child pairings (empty: 1), programs
    # (empty: 1), workshops, funding, outcomes (2 each)
    "pairing": ("pairing-000", 10),
    # program with counts, its approaches, regions, sources and pairings; then 4 panels:
    # workshops, funding, outcomes, support measures (2 each)
    "program": ("program-000", 13),
    # workshop, its sources, its region's ancestors; then 3 panels: outcomes, measures, funding
    # (2 each)
    "workshop": ("workshop-000", 9),
    # source with counts; then 6 panels: programs (2, + approaches and regions prefetched: 2),
    # pairings, workshops, funding, outcomes, support measures (2 each)
    "source": ("doc-a", 15),
}


@pytest.mark.parametrize("model_name, slug_and_expected", DETAIL_QUERIES.items())
def test_detail_page_runs_a_fixed_number_of_queries(
    client, casebook, django_assert_num_queries, model_name, slug_and_expected
):
    slug, expected = slug_and_expected
    with django_assert_num_queries(expected):
        response = client.get(reverse(f"programs:{model_name}_detail", args=[slug]))
    assert response.status_code == 200


def test_search_runs_a_fixed_number_of_queries(client, casebook, django_assert_num_queries):
    # for each of the 8 kinds of record: one COUNT(*) and one query for the first few matches,
    # plus the approaches and regions prefetched with the programs
    with django_assert_num_queries(18):
        response = client.get(reverse("programs:search"), {"q": "0"})
    assert response.status_code == 200


def test_funding_and_outcome_pages_run_one_query_and_an_indicator_page_two(client, casebook, django_assert_num_queries):
    from programs.models import Funding, Outcome

    funding, outcome = Funding.objects.first(), Outcome.objects.first()
    for url in (funding.get_absolute_url(), outcome.get_absolute_url()):
        # the record with every related record it names, in one joined query
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
    # the indicator, then its outcomes panel (the first 50 ids with their total, then those rows)
    with django_assert_num_queries(3):
        assert client.get(reverse("programs:indicator_detail", args=["jobs-created"])).status_code == 200


def test_home_page_runs_a_fixed_number_of_queries(client, casebook, django_assert_num_queries):
    # one COUNT(*) per kind of record (8); the first 50 programs' ids, then those programs with
    # their counts (+ the approaches and regions prefetched by the program list); the same two
    # for the pairings; the sources
    with django_assert_num_queries(15):
        assert client.get(reverse("programs:home")).status_code == 200
