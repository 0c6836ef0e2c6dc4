"""The search index behind ``q``: folded texts, the words found, the index the
database really uses (EXPLAIN), and texts that stay exact after every kind of
write (admin, import, loader, renaming a related record, deleting)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.filtersets import FundingFilterSet, WorkshopFilterSet
from programs.models import Funding, Outcome, Source, Workshop
from programs.services import casebook_load, search_index
from programs.services.search_index import MARK, document, fold, indexed_form, terms
from tests.factories import FundingFactory, OutcomeFactory, RegionFactory, WorkshopFactory
from tests.test_import_export import FUNDING_HEADER, confirm, upload
from tests.test_permissions import posted_form

pytestmark = pytest.mark.django_db


# --- folding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lüeyang", "lueyang"),
        ("LÜEYANG", "lueyang"),
        ("Hai'an", "hai'an"),
        ("Ｘｉａｍｅｎ", "xiamen"),
        ("Straße", "strasse"),
        ("略阳县", "略阳县"),
        (f"a{MARK}b", "a b"),
    ],
)
def test_fold_drops_case_accents_and_width(text, folded):
    assert fold(text) == folded


def test_a_document_is_the_folded_fields_then_each_pair_of_adjacent_chinese_characters_marked():
    assert document(["Lüeyang 服装车间", None, "", "Shaanxi", "略阳"]) == (
        f"lueyang 服装车间\nshaanxi\n略阳\n服装{MARK} 略阳{MARK} 装车{MARK} 车间{MARK}"
    )
    assert document(["Tiandeng", None]) == "tiandeng"


def test_query_words_are_folded_and_only_short_non_chinese_words_miss_the_index():
    assert terms("  Lüeyang   GARMENTS ") == ["lueyang", "garments"]
    assert [indexed_form(term) for term in ("lue", "略阳", "略", "ab", "a略")] == [
        "lue",
        f"略阳{MARK}",
        None,
        None,
        None,
    ]


# --- what q finds ---------------------------------------------------------------------------


@pytest.fixture
def workshops(places):
    lueyang = places["lueyang"]
    lueyang.name_zh = "略阳县"
    lueyang.save()
    made = {
        "garments": WorkshopFactory(
            slug="garments", name="Lüeyang garment workshop", name_zh="略阳服装车间", region=lueyang
        ),
        "shoes": WorkshopFactory(slug="shoes", name="Shoe plant", industry="Footwear", region=places["tiandeng"]),
        "bags": WorkshopFactory(slug="bags", name="Bag workshop", products="Bags, 10 kinds", region=lueyang),
    }
    return made


def found(filterset, query, model=Workshop) -> list[str]:
    rows = filterset({"q": query}, queryset=model.objects.all()).qs
    return sorted(rows.values_list("slug" if model is Workshop else "key", flat=True))


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("lueyang", ["bags", "garments"]),  # its own name, and the region's name for both
        ("LÜEYANG", ["bags", "garments"]),
        ("Lüeyang garment", ["garments"]),  # every word, in any field
        ("garment shoe", []),
        ("服装", ["garments"]),  # two Chinese characters: the marked pair
        ("服装车", ["garments"]),  # three: trigrams
        ("略阳", ["bags", "garments"]),  # the workshop's own Chinese name, or its region's
        ("装车", ["garments"]),
        ("车服", []),
        ("服", ["garments"]),  # one character: a scan, still right
        ("foot", ["shoes"]),
        ("10", ["bags"]),
        ('"bag', []),  # a quote is a character like any other
        ("%", []),
    ],
)
def test_q_finds_records_containing_every_word(workshops, query, slugs):
    assert found(WorkshopFilterSet, query) == slugs


def test_an_empty_or_blank_q_filters_nothing(workshops):
    assert found(WorkshopFilterSet, "   ") == ["bags", "garments", "shoes"]


# --- the index the database uses -----------------------------------------------------------


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(row[-1] for row in cursor.fetchall())
        # Tiny test tables: take away every plan but a bitmap scan, which needs an
        # index that serves the condition itself.
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("query", ["车间", "training", "lueyang 车间"])
def test_q_on_funding_is_served_by_the_search_index(query):
    FundingFactory(purpose="车间 training in Lüeyang")
    queryset = FundingFilterSet({"q": query}, queryset=Funding.objects.all()).qs
    assert queryset.count() == 1
    text = plan(queryset.order_by().values("pk"))  # the rows found, as the page's count reads them
    if connection.vendor == "sqlite":
        assert "VIRTUAL TABLE INDEX" in text
        assert "programs_funding_search" in text
        # joined, not "id IN (SELECT rowid …)", which sorts every match into a temporary index first
        assert "LIST SUBQUERY" not in text
    else:
        assert "Bitmap Index Scan on funding_search_trgm" in text
        assert "programs_region" not in text  # one column of the table itself, no joins


def test_a_search_used_inside_another_query_keeps_to_its_own_matches():
    """The search's join names the row through the ORM, so it holds when the
    searched rows become a subquery (whose tables Django renames)."""
    found = FundingFactory(purpose="车间 training")
    other = FundingFactory(purpose="roads")
    searched = FundingFilterSet({"q": "车间"}, queryset=Funding.objects.all()).qs
    assert list(Funding.objects.filter(pk__in=searched.values("pk"))) == [found]
    assert list(Funding.objects.exclude(pk__in=searched.values("pk"))) == [other]
    assert list(Source.objects.filter(pk__in=searched.values("source"))) == [found.source]


def test_a_search_within_a_search_finds_the_rows_with_both_and_ids_combine_with_other_rows():
    both = FundingFactory(purpose="车间 training")
    training = FundingFactory(purpose="training alone")
    FundingFactory(purpose="车间 alone")
    searched = search_index.matching(search_index.matching(Funding.objects.all(), "training"), "车间")
    assert list(searched) == [both]
    assert searched.count() == 1
    # the documented way to OR a search with other rows
    either = Funding.objects.filter(pk__in=searched.values("pk")) | Funding.objects.filter(pk=training.pk)
    assert sorted(either.values_list("pk", flat=True)) == sorted([both.pk, training.pk])


def test_sqlite_has_an_fts5_trigram_table_per_searched_model_and_postgresql_a_trigram_index():
    names = [model._meta.db_table for model in search_index.indexed_models()]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_search' ESCAPE '\\'"
            )
            tables = dict(cursor.fetchall())
            assert sorted(tables) == sorted(f"{name}_search" for name in names)
            assert "tokenize='trigram case_sensitive 1'" in tables["programs_funding_search"]
        else:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
            indexes = dict(cursor.fetchall())
            assert sorted(indexes) == sorted(f"{name.removeprefix('programs_')}_search_trgm" for name in names)
            assert "gin_trgm_ops" in indexes["funding_search_trgm"]


# --- texts stay exact after every write ----------------------------------------------------


def assert_index_exact(*words: str) -> None:
    """Every record's text is what its fields say now, and the index finds
    exactly the records whose text holds each word."""
    for model in search_index.indexed_models():
        assert search_index.refresh(model) == {}, f"{model.__name__} texts were stale"
        texts = dict(model.objects.values_list("pk", "search_text"))
        for word in words:
            wanted = sorted(pk for pk, text in texts.items() if all(term in text for term in terms(word)))
            got = sorted(search_index.matching(model.objects.all(), word).values_list("pk", flat=True))
            assert got == wanted, (model.__name__, word)


def test_an_admin_edit_is_found_by_its_new_words_and_not_its_old(editor_client, places):
    funding = FundingFactory(purpose="old purpose", funder_region=places["guangxi"])
    url = reverse("admin:programs_funding_change", args=[funding.pk])
    data = posted_form(editor_client, url)
    data["purpose"] = ["新的 purpose: 扶贫车间"]
    assert editor_client.post(url, data).status_code == 302
    assert found(FundingFilterSet, "扶贫", Funding) == [funding.key]
    assert found(FundingFilterSet, "old purpose", Funding) == []
    assert_index_exact("扶贫", "old", "purpose")


def test_renaming_a_region_changes_what_finds_its_records(places):
    funding = FundingFactory(funder_region=places["lueyang"], recipient_region=places["tiandeng"])
    outcome = OutcomeFactory(region=places["lueyang"])
    workshop = WorkshopFactory(region=places["lueyang"])
    places["lueyang"].name_en = "Renamed County"
    places["lueyang"].save()
    assert found(FundingFilterSet, "renamed county", Funding) == [funding.key]
    assert search_index.matching(Outcome.objects.all(), "renamed").get() == outcome
    assert search_index.matching(Workshop.objects.all(), "renamed").get() == workshop
    assert found(FundingFilterSet, "lueyang", Funding) == []
    assert_index_exact("renamed", "lueyang", "tiandeng")


def test_saving_a_region_without_renaming_it_leaves_the_texts_that_carry_its_name(places):
    FundingFactory.create_batch(3, funder_region=places["lueyang"])
    places["lueyang"].note = "a note"
    with CaptureQueriesContext(connection) as context:
        places["lueyang"].save()
    touched = [query["sql"] for query in context.captured_queries if "programs_funding" in query["sql"]]
    assert touched == []
    places["lueyang"].name_zh = "略阳县"
    with CaptureQueriesContext(connection) as context:
        places["lueyang"].save()
    touched = [query["sql"] for query in context.captured_queries if "programs_funding" in query["sql"]]
    # the funding naming it as funder: read and written; as recipient: read (there is none). SQLite
    # writes the 3 texts with executemany (captured as "3 times: UPDATE …"), PostgreSQL in one UPDATE.
    written = "3" if connection.vendor == "sqlite" else "UPDATE"
    assert [query.split()[0] for query in touched] == ["SELECT", written, "SELECT"]


def test_an_imported_row_is_found(editor_client, places):
    text = FUNDING_HEADER + "news-2020,gd-import,second paragraph,5.00,,exact,CNY,guangdong,fiscal,2016,2019\n"
    RegionFactory(slug="guangdong", name_en="Guangdong", level="province", parent=places["guangxi"].parent)
    from tests.factories import SourceFactory

    SourceFactory(slug="news-2020")
    response = confirm(editor_client, "funding", upload(editor_client, "funding", text))
    assert response.status_code == 302
    assert found(FundingFilterSet, "guangdong", Funding) == ["gd-import"]
    assert_index_exact("guangdong", "second")


def test_a_deleted_record_is_no_longer_found(places):
    kept, gone = FundingFactory(purpose="trigram kept"), FundingFactory(purpose="trigram gone")
    gone.delete()
    assert found(FundingFilterSet, "trigram", Funding) == [kept.key]
    assert_index_exact("trigram")


def test_the_documents_data_is_indexed_exactly_when_loaded():
    casebook_load()
    assert found(WorkshopFilterSet, "lüeyang") == found(WorkshopFilterSet, "LUEYANG") != []
    assert_index_exact("lueyang", "车间", "xiamen", "linxia", "qingdao")


def test_a_lost_trigger_is_restored_after_migrate_and_the_index_rebuilt(places):
    funding = FundingFactory(purpose="before")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute('DROP TRIGGER "programs_funding_search_update"')
    funding.purpose = "afterwards"
    funding.save()
    created = search_index.ensure_index()
    assert created == (["programs_funding_search"] if connection.vendor == "sqlite" else [])
    assert found(FundingFilterSet, "afterwards", Funding) == [funding.key]
    assert found(FundingFilterSet, "before", Funding) == []
    assert search_index.ensure_index() == []


def index_parts(model_name: str) -> list[str]:
    """What keeps the model's search index up to date: SQLite's triggers, PostgreSQL's index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [f"programs_{model_name}"]
            )
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE '%%_trgm'",
                [f"programs_{model_name}"],
            )
        return sorted(name for (name,) in cursor.fetchall())


def test_a_bulk_load_suspends_the_triggers_and_indexes_once_at_the_end(places):
    from programs.services import bulk

    made = FundingFactory(key="made", funder_region=places["lueyang"], amount=Decimal(1))
    columns = [field.attname for field in Funding._meta.concrete_fields if field.attname not in ("id", "search_text")]
    rows = [tuple(f"bulk-{n}" if name == "key" else getattr(made, name) for name in columns) for n in (1, 2)]
    with search_index.suspended([Funding]):
        assert index_parts("funding") == []
        bulk.insert_rows(Funding, columns, rows)
        assert found(FundingFilterSet, "lueyang", Funding) == ["made"]  # not indexed yet
        search_index.refresh(Funding)
    assert index_parts("funding") == (
        ["programs_funding_search_delete", "programs_funding_search_insert", "programs_funding_search_update"]
        if connection.vendor == "sqlite"
        else ["funding_search_trgm"]
    )
    assert found(FundingFilterSet, "lueyang", Funding) == ["bulk-1", "bulk-2", "made"]
    assert_index_exact("lueyang")
