"""Counts over whole tables, kept per data version: an unfiltered list's total,
facets and region cascade (and those of a list filtered only by chosen values),
the records citing each source, the home page's counts, and a region page's
panels over its whole subtree. Each is read back until the next write, and is
exact after every write (factory save, admin edit, import, delete, bulk load,
rolled-back transaction)."""

import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import DataVersion, Funding, Outcome, Program, Source, Workshop
from programs.selectors.facets import kept_scope
from programs.services import aggregates, casebook_load, page_cache
from tests.factories import FundingFactory, OutcomeFactory, PairingFactory, SourceFactory, WorkshopFactory
from tests.test_generate_national import SMALL
from tests.test_import_export import confirm, upload
from tests.test_permissions import posted_form

pytestmark = pytest.mark.django_db


def forget_what_is_kept():
    for alias in (aggregates.CACHE_ALIAS, aggregates.APART_CACHE_ALIAS, aggregates.TALLY_CACHE_ALIAS):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def nothing_kept():
    forget_what_is_kept()
    yield
    forget_what_is_kept()


@pytest.fixture
def workshops(places):
    WorkshopFactory(slug="a", name="Earphone workshop", region=places["lueyang"], status="operating")
    WorkshopFactory(slug="b", name="Shoe workshop", region=places["lueyang"], status="ceased")
    WorkshopFactory(slug="c", name="Wig workshop", region=places["tiandeng"], status="ceased")


def facets(response, param) -> dict[str, int]:
    for _label, name, choices in response.context["facets"]:
        if name == param:
            return {choice.value: choice.count for choice in choices}
    raise AssertionError(f"no facet {param}")


def summary(client, path="/workshops/"):
    """The list's total, its status facet and its cascade, and how many queries drew it."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    cascade = {step.region.slug: step.count for step in response.context["cascade"]["steps"]}
    return (response.context["table"].paginator.count, facets(response, "status"), cascade), len(context)


def test_an_unfiltered_list_counts_once_and_reads_its_counts_back(client, workshops):
    first, first_queries = summary(client)
    again, again_queries = summary(client)
    assert first == again == (3, {"ceased": 2, "operating": 1}, {"guangxi": 1, "shaanxi": 2})
    # the total, 3 facets, the cascade's counts and its regions, and the source choices are
    # read back: the version, the page's ids and its rows are read on both
    assert (first_queries, again_queries) == (10, 3)


def test_a_list_filtered_by_chosen_values_keeps_its_counts_and_follows_every_write(client, editor_client, workshops):
    first, first_queries = summary(client, "/workshops/?status=ceased")
    again, again_queries = summary(client, "/workshops/?status=ceased")
    assert first == again == (2, {"ceased": 2}, {"guangxi": 1, "shaanxi": 1})
    # the total, 2 facets (the status facet needs none: every row is ceased), the cascade's
    # counts and its regions, and the source choices
    assert (first_queries, again_queries) == (9, 3)
    # another choice is kept apart
    assert summary(client, "/workshops/?status=operating")[0] == (1, {"operating": 1}, {"shaanxi": 1})
    workshop = Workshop.objects.get(slug="a")
    url = reverse("admin:programs_workshop_change", args=[workshop.pk])
    data = posted_form(editor_client, url)
    data["status"] = ["ceased"]
    assert editor_client.post(url, data).status_code == 302
    assert summary(client, "/workshops/?status=ceased")[0] == (3, {"ceased": 3}, {"guangxi": 1, "shaanxi": 2})
    assert summary(client, "/workshops/?status=operating")[0] == (0, {}, {})


@pytest.mark.parametrize(
    ("list_name", "query", "scope"),
    [
        ("WorkshopListView", "", ""),
        ("WorkshopListView", "status=ceased", "status=ceased"),
        (
            "WorkshopListView",
            "status=ceased&status=operating&kind=community_factory",
            "kind=community_factory;status=ceased,operating",
        ),
        ("FundingListView", "source=the-source&kind=fiscal", "kind=fiscal;source_id={source}"),
        # anything else has no bound on its variety: counted afresh each time
        ("WorkshopListView", "source=the-source", None),  # a many-to-many relation
        ("WorkshopListView", "region=guangxi", None),
        ("WorkshopListView", "q=shoe", None),
        ("WorkshopListView", "status=ceased&opening_year__gte=2015", None),
        ("WorkshopListView", "program=the-program", "program_id={program}"),
        ("FundingListView", "amount__gte=5", None),
    ],
)
def test_what_counts_are_kept_for(list_name, query, scope, places):
    from django.http import QueryDict

    from programs.views import lists
    from tests.factories import ProgramFactory

    source, program = SourceFactory(slug="the-source"), ProgramFactory(slug="the-program")
    view = getattr(lists, list_name)
    filterset = view.filterset_class(QueryDict(query), queryset=view.queryset.all())
    assert filterset.is_valid(), filterset.errors
    counted = filterset.filter_queryset(view.queryset.all().select_related(None).prefetch_related(None))
    assert kept_scope(counted) == (scope.format(source=source.pk, program=program.pk) if scope is not None else None)
    assert kept_scope(counted[:10]) is None


def test_a_searchs_counts_are_kept_for_its_other_pages_and_sorts_and_follow_every_write(
    client, editor_client, workshops, places
):
    # the tally (total, 3 facets, cascade) is one query; the same search sorted, paged or
    # cased otherwise reads its counts back whole (the version, the page's ids and its rows
    # are read), another search is tallied apart
    first, first_queries = summary(client, "/workshops/?q=workshop")
    # first: the version, the tally, the regions' paths, the cascade's regions, the source
    # choices, the page's ids and its rows
    assert (first, first_queries) == ((3, {"ceased": 2, "operating": 1}, {"guangxi": 1, "shaanxi": 2}), 7)
    for again in ("/workshops/?q=workshop", "/workshops/?q=workshop&sort=-name", "/workshops/?q=WORKSHOP&per_page=50"):
        assert summary(client, again) == (first, 3)
    assert summary(client, "/workshops/?q=shoe")[0] == (1, {"ceased": 1}, {"shaanxi": 1})
    narrowed = summary(client, "/workshops/?q=workshop&status=ceased")[0]
    assert narrowed == (2, {"ceased": 2}, {"guangxi": 1, "shaanxi": 1})
    # every kind of write shows: a save, an admin edit, a delete
    WorkshopFactory(slug="d", name="Bag workshop", region=places["tiandeng"], status="operating")
    assert summary(client, "/workshops/?q=workshop")[0] == (
        4,
        {"ceased": 2, "operating": 2},
        {"guangxi": 2, "shaanxi": 2},
    )
    workshop = Workshop.objects.get(slug="a")
    url = reverse("admin:programs_workshop_change", args=[workshop.pk])
    data = posted_form(editor_client, url)
    data["name"] = ["Earphone plant"]
    assert editor_client.post(url, data).status_code == 302
    searched = summary(client, "/workshops/?q=workshop")[0]
    assert searched == (3, {"ceased": 2, "operating": 1}, {"guangxi": 2, "shaanxi": 1})
    Workshop.objects.get(slug="c").delete()
    searched = summary(client, "/workshops/?q=workshop")[0]
    assert searched == (2, {"ceased": 1, "operating": 1}, {"guangxi": 1, "shaanxi": 1})


def test_a_save_and_a_delete_show_in_the_kept_counts(client, workshops, places):
    summary(client)
    added = WorkshopFactory(slug="d", region=places["tiandeng"], status="ceased")
    assert summary(client)[0] == (4, {"ceased": 3, "operating": 1}, {"guangxi": 2, "shaanxi": 2})
    Workshop.objects.get(pk=added.pk).delete()
    assert summary(client)[0] == (3, {"ceased": 2, "operating": 1}, {"guangxi": 1, "shaanxi": 2})


def test_an_admin_edit_shows_in_the_kept_counts(client, editor_client, workshops):
    summary(client)
    workshop = Workshop.objects.get(slug="a")
    url = reverse("admin:programs_workshop_change", args=[workshop.pk])
    data = posted_form(editor_client, url)
    data["status"] = ["ceased"]
    assert editor_client.post(url, data).status_code == 302
    assert summary(client)[0] == (3, {"ceased": 3}, {"guangxi": 1, "shaanxi": 2})


def test_an_import_shows_in_the_kept_counts(client, editor_client, places):
    before = client.get("/regions/")
    assert facets(before, "level") == {"country": 1, "county": 2, "prefecture": 2, "province": 2}
    text = "slug,name_en,name_zh,level,parent,belt,is_poverty_county,note\nnew-place,Newplace,,county,chongzuo,,,\n"
    assert confirm(editor_client, "region", upload(editor_client, "region", text)).status_code == 302
    response = client.get("/regions/")
    assert response.context["table"].paginator.count == before.context["table"].paginator.count + 1 == 8
    assert facets(response, "level") == {"country": 1, "county": 3, "prefecture": 2, "province": 2}


def test_the_loader_and_a_bulk_load_show_in_the_kept_counts(client):
    casebook_load()
    before = client.get("/funding/").context["table"].paginator.count
    assert before == Funding.objects.count() > 0
    call_command("generate_national", *SMALL, stdout=io.StringIO())
    assert client.get("/funding/").context["table"].paginator.count == before + 300


def test_a_rolled_back_write_leaves_the_counts_of_the_data_that_stayed(client, workshops, places):
    before = page_cache.current()
    with transaction.atomic():
        WorkshopFactory(slug="d", region=places["tiandeng"], status="ceased")
        inside = page_cache.current()
        # drawn inside the transaction: kept under the version the rolled-back write made
        assert summary(client)[0] == (4, {"ceased": 3, "operating": 1}, {"guangxi": 2, "shaanxi": 2})
        transaction.set_rollback(True)
    assert page_cache.current() == before
    assert summary(client)[0] == (3, {"ceased": 2, "operating": 1}, {"guangxi": 1, "shaanxi": 2})
    # another workshop than the rolled-back one: counts kept from inside the transaction would show
    WorkshopFactory(slug="e", region=places["lueyang"], status="operating")
    assert page_cache.current() not in (before, inside)
    assert summary(client)[0] == (4, {"ceased": 2, "operating": 2}, {"guangxi": 1, "shaanxi": 3})


def test_each_sources_citing_records_are_counted_and_sortable(client, places):
    cited, quiet = SourceFactory(slug="cited"), SourceFactory(slug="quiet")
    FundingFactory.create_batch(2, source=cited, funder_region=places["guangxi"])
    rows = client.get("/sources/", {"sort": "-funding_count"}).context["table"].page.object_list
    assert [(row.record.slug, row.record.funding_count) for row in rows] == [("cited", 2), ("quiet", 0)]
    FundingFactory.create_batch(3, source=quiet, funder_region=places["guangxi"])
    rows = client.get("/sources/", {"sort": "-funding_count"}).context["table"].page.object_list
    assert [(row.record.slug, row.record.funding_count) for row in rows] == [("quiet", 3), ("cited", 2)]
    detail = client.get(reverse("programs:source_detail", args=["quiet"])).context["source"]
    assert (detail.funding_count, detail.outcome_count, detail.measure_count) == (3, 0, 0)


def test_the_home_pages_counts_follow_every_write(client, workshops):
    def counts():
        return {label: count for _name, label, count in client.get("/").context["counts"]}

    assert counts()["workshops"] == 3
    Workshop.objects.filter(slug="a").get().delete()
    assert counts()["workshops"] == 2


def test_without_the_version_row_every_view_counts_afresh(client, workshops, places):
    DataVersion.objects.all().delete()
    first, first_queries = summary(client)
    again, again_queries = summary(client)
    assert first == again and first_queries == again_queries
    WorkshopFactory(slug="d", region=places["tiandeng"], status="ceased")
    assert summary(client)[0][0] == 4


def test_a_search_that_folds_to_nothing_is_no_search(client, workshops, django_assert_num_queries):
    # a lone combining accent: no word is left to search for, so the list is the whole table,
    # counted from what is kept rather than tallied afresh on every view
    summary(client)
    first, queries = summary(client, "/workshops/?q=%CC%81")
    again, _ = summary(client)
    assert first == again
    assert queries == summary(client)[1]


def test_sorting_sources_by_a_count_nothing_has_yet(client, places):
    SourceFactory(slug="first"), SourceFactory(slug="second")
    for sort in ("outcome_count", "-measure_count"):
        response = client.get("/sources/", {"sort": sort})
        assert response.status_code == 200
        assert [row.record.outcome_count for row in response.context["table"].page.object_list] == [0, 0]


def region_panels(client, slug="guangxi"):
    """A region page's funding and outcome panels (their rows' ids and totals), and
    how many queries drew the page."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("programs:region_detail", args=[slug]))
    assert response.status_code == 200
    drawn = {
        name: ([row.pk for row in response.context[name].rows], response.context[name].count)
        for name in ("funding", "outcomes")
    }
    return drawn, len(context)


def test_a_region_pages_subtree_panels_are_kept_and_follow_every_write(client, editor_client, places):
    older = FundingFactory(recipient_region=places["tiandeng"], year_start=2012, year_end=2014)
    newer = FundingFactory(funder_region=places["chongzuo"], recipient_region=places["lueyang"], year_start=2019)
    elsewhere = FundingFactory(funder_region=places["shaanxi"], recipient_region=places["lueyang"])
    outcome = OutcomeFactory(region=places["tiandeng"])
    first, first_queries = region_panels(client)
    again, again_queries = region_panels(client)
    assert first == again == {"funding": ([older.pk, newer.pk], 2), "outcomes": ([outcome.pk], 1)}
    # each kept panel reads only its rows back (the ids with the total are kept), and the
    # sub-regions' counts of sub-regions and of workshops within are read back (kept per
    # data version: the regions by parent, the workshops by region, the regions' paths);
    # the data version is read on both views
    assert first_queries - again_queries == 2 + 3 + (2 if connection.vendor == "postgresql" else 0)

    # a save: the new record shows, in its place in the panel's order
    earliest = FundingFactory(
        funder_region=places["guangxi"], recipient_region=places["lueyang"], year_start=2001, year_end=2002
    )
    assert region_panels(client)[0]["funding"] == ([earliest.pk, older.pk, newer.pk], 3)
    # an admin edit that moves a record out of the subtree
    url = reverse("admin:programs_funding_change", args=[newer.pk])
    data = posted_form(editor_client, url)
    data["funder_region"] = [str(places["shaanxi"].pk)]
    assert editor_client.post(url, data).status_code == 302
    assert region_panels(client)[0]["funding"] == ([earliest.pk, older.pk], 2)
    # a delete, and a record of another region that never shows
    Outcome.objects.get(pk=outcome.pk).delete()
    Funding.objects.get(pk=earliest.pk).delete()
    assert region_panels(client)[0] == {"funding": ([older.pk], 1), "outcomes": ([], 0)}
    # the other province's page has its own panel: the record that was always there and the moved one
    assert region_panels(client, "shaanxi")[0]["funding"] == ([elsewhere.pk, newer.pk], 2)


def test_a_kept_panel_is_kept_per_region(client, places):
    here = FundingFactory(recipient_region=places["tiandeng"])
    there = FundingFactory(funder_region=places["hanzhong"], recipient_region=places["lueyang"])
    assert region_panels(client, "guangxi")[0]["funding"] == ([here.pk], 1)
    assert region_panels(client, "shaanxi")[0]["funding"] == ([there.pk], 1)
    assert region_panels(client, "tiandeng")[0]["funding"] == ([here.pk], 1)
    assert region_panels(client, "lueyang")[0]["funding"] == ([there.pk], 1)


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("pairing", {"level": "prefecture"}), ("program", {})],
    ids=["pairings", "programs"],
)
def test_each_records_counts_are_kept_sortable_and_follow_every_write(client, editor_client, places, kind, extra):
    """A pairing's and a program's funding, outcomes and workshops (``KeptCount``)."""
    from tests.factories import ProgramFactory

    factory = {"pairing": PairingFactory, "program": ProgramFactory}[kind]

    def listed(**params):
        rows = client.get(reverse(f"programs:{kind}_list"), params).context["table"].page.object_list
        return [(row.record.slug, row.record.funding_count, row.record.workshop_count) for row in rows]

    busy, quiet = factory(slug="busy"), factory(slug="quiet")
    FundingFactory.create_batch(2, funder_region=places["guangxi"], **{kind: busy})
    WorkshopFactory(slug="w", region=places["lueyang"], **{kind: quiet})
    assert listed(sort="-funding_count") == [("busy", 2, 0), ("quiet", 0, 1)]
    # a save, through a factory and through the admin
    moved = FundingFactory.create_batch(3, funder_region=places["guangxi"], **{kind: quiet})[0]
    assert listed(sort="-funding_count") == [("quiet", 3, 1), ("busy", 2, 0)]
    url = reverse("admin:programs_funding_change", args=[moved.pk])
    data = posted_form(editor_client, url)
    data[kind] = [str(busy.pk)]
    assert editor_client.post(url, data).status_code == 302
    assert listed(sort="funding_count") == [("quiet", 2, 1), ("busy", 3, 0)]
    # a delete; the record's own page counts the same way
    Workshop.objects.get(slug="w").delete()
    assert listed(sort="-workshop_count", **extra) == [("busy", 3, 0), ("quiet", 2, 0)]
    record = client.get(reverse(f"programs:{kind}_detail", args=["quiet"])).context[kind]
    assert (record.funding_count, record.outcome_count, record.workshop_count) == (2, 0, 0)


def test_a_page_read_by_id_writes_out_only_its_own_rows_counts(places):
    from programs.selectors.lists import program_list
    from tests.factories import ProgramFactory

    programs = [ProgramFactory(slug=f"p{index}") for index in range(3)]
    for count, program in enumerate(programs, start=1):
        FundingFactory.create_batch(count, program=program, funder_region=places["guangxi"])
    page = program_list().filter(pk__in=[programs[0].pk, programs[2].pk])
    sql = str(page.query)
    assert f"WHEN {programs[2].pk} THEN 3" in sql and f"WHEN {programs[1].pk} THEN" not in sql
    assert sorted((p.slug, p.funding_count) for p in page) == [("p0", 1), ("p2", 3)]
    # sorted by the count over every row, the whole table's counts are written out
    everything = program_list().order_by("-funding_count")
    assert f"WHEN {programs[1].pk} THEN 2" in str(everything.query)
    assert [(p.slug, p.funding_count) for p in everything] == [("p2", 3), ("p1", 2), ("p0", 1)]


def test_a_region_filtered_program_lists_counts_are_read_back_and_follow_every_write(client, places):
    """The programs' facets count many-to-many relations (no tally): a filter by region
    keeps its total and facets per selection, read back by its other pages and sorts."""
    from tests.factories import ApproachFactory, ProgramFactory

    training = ApproachFactory(slug="training", name="Training")
    for slug, region in (("p1", "tiandeng"), ("p2", "chongzuo"), ("p3", "lueyang")):
        ProgramFactory(slug=slug).regions.set([places[region]])
    Program.objects.get(slug="p1").approaches.set([training])  # an m2m change is a write

    def counted(path):
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
        assert response.status_code == 200
        return (response.context["table"].paginator.count, facets(response, "approach")), len(context)

    first, first_queries = counted("/programs/?region=guangxi")
    assert first == (2, {"training": 1})
    # the region named, the version, the ids, the rows, each program's approaches and regions
    assert counted("/programs/?region=guangxi&sort=-name&per_page=50") == (first, 6) != (first, first_queries)
    Program.objects.get(slug="p2").approaches.set([training])
    assert counted("/programs/?region=guangxi")[0] == (2, {"training": 2})
    Program.objects.get(slug="p1").delete()
    assert counted("/programs/?region=guangxi&sort=-name")[0] == (1, {"training": 1})


def test_the_filter_boxes_choices_are_kept_and_follow_every_write(client, places):
    """A model-choice filter's boxes (sources here) are listed once per data version."""
    SourceFactory(slug="first", publisher="First Press")
    page = client.get("/funding/").content.decode()
    assert "First Press" in page and "Second Press" not in page
    SourceFactory(slug="second", publisher="Second Press")
    page = client.get("/funding/").content.decode()
    assert "First Press" in page and "Second Press" in page
    Source.objects.get(slug="first").delete()
    page = client.get("/funding/").content.decode()
    assert "First Press" not in page and "Second Press" in page


def test_each_regions_sub_regions_and_workshops_within_are_kept_sortable_and_follow_every_write(
    client, editor_client, places
):
    """A region's sub-regions and the workshops in it or below it (``KeptCount``, the
    workshops summed up the region tree)."""
    from tests.factories import RegionFactory

    def listed(**params):
        rows = client.get(reverse("programs:region_list"), {"per_page": 100, **params}).context["table"].page
        return {row.record.slug: (row.record.children_count, row.record.workshop_count) for row in rows.object_list}

    WorkshopFactory(slug="a", region=places["lueyang"])
    WorkshopFactory(slug="b", region=places["hanzhong"])
    WorkshopFactory(slug="c", region=places["tiandeng"])
    assert listed() == {
        "china": (2, 3),
        "guangxi": (1, 1),
        "chongzuo": (1, 1),
        "tiandeng": (0, 1),
        "shaanxi": (1, 2),
        "hanzhong": (1, 2),
        "lueyang": (0, 1),
    }
    rows = client.get(reverse("programs:region_list"), {"sort": "-workshop_count"}).context["table"].page
    assert [row.record.slug for row in rows.object_list][:3] == ["china", "shaanxi", "hanzhong"]  # ties by id
    # a new region with a workshop, an admin edit that moves a workshop, a delete
    township = RegionFactory(slug="town", level="township", parent=places["tiandeng"])
    WorkshopFactory(slug="d", region=township)
    assert listed()["tiandeng"] == (1, 2) and listed()["guangxi"] == (1, 2) and listed()["town"] == (0, 1)
    workshop = Workshop.objects.get(slug="b")
    url = reverse("admin:programs_workshop_change", args=[workshop.pk])
    data = posted_form(editor_client, url)
    data["region"] = [str(places["chongzuo"].pk)]
    assert editor_client.post(url, data).status_code == 302
    assert listed()["hanzhong"] == (1, 1) and listed()["chongzuo"] == (1, 3) and listed()["china"] == (2, 4)
    Workshop.objects.get(slug="a").delete()
    assert listed()["shaanxi"] == (1, 0) and listed()["china"] == (2, 3)


def test_counts_drawn_while_another_process_writes_are_not_kept_under_the_new_version(
    editor_client, workshops, places, monkeypatch
):
    """A region renamed by another process after the list read the data version, while
    it validated its filters: what the list keeps goes under the version it read, so the
    next view (which reads the new version) draws the region as it now is."""
    from django.db import connection

    from programs import filters

    clean = filters.RegionField.clean
    renamed = []

    def clean_while_another_process_renames(self, value):
        region = clean(self, value)
        if region is not None and not renamed:
            read_before = connection.casebook_version
            fresh = type(region).objects.get(pk=region.pk)
            fresh.name_en = "Hanzhong Renamed"
            fresh.save()  # a new data version ...
            connection.casebook_version = read_before  # ... that this process has not seen
            renamed.append(fresh)
        return region

    monkeypatch.setattr(filters.RegionField, "clean", clean_while_another_process_renames)
    first = editor_client.get("/workshops/?region=hanzhong")
    assert first.context["cascade"]["within"].name_en != "Hanzhong Renamed"  # validated before the write
    monkeypatch.undo()
    again = editor_client.get("/workshops/?region=hanzhong&sort=name")
    assert renamed and again.context["cascade"]["within"].name_en == "Hanzhong Renamed"
    assert "<strong>Hanzhong Renamed</strong>" in again.content.decode()
