"""``manage.py generate_national``: synthetic data of the asked sizes, valid
under every model's rules, cited to clearly named synthetic sources, the same
for the same seed, and never added to a database that holds other data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from programs.models import Funding, Outcome, Pairing, Program, Region, Source, SupportMeasure, Workshop
from programs.services import casebook_load, casebook_validate
from programs.services.national import SOURCE_SLUG_PREFIX
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db(transaction=False)

SMALL = [
    "--prefectures=6",
    "--counties=30",
    "--prefecture-pairings=3",
    "--county-pairings-each=2",
    "--programs=8",
    "--workshops=40",
    "--funding=300",
    "--outcomes=200",
    "--measures=25",
    "--sources=3",
]


DOCUMENT_SOURCES = [
    "gpig-jinjie-2024",
    "sixthtone-lueyang-2020",
    "iprcc-qingdao-guizhou",
    "news-guangdong-guangxi-2020",
    "xinhua-xiamen-linxia-2020",
]


def generate(*options):
    call_command("generate_national", *SMALL, *options, stdout=io.StringIO())


@pytest.fixture
def documents():
    casebook_load()
    counts = {model: model.objects.count() for model in (Region, Pairing, Program, Workshop, Funding, Outcome)}
    counts["provinces"] = Region.objects.filter(level="province").count()
    return counts


def test_it_adds_exactly_the_sizes_asked_for_and_every_record_is_valid(documents):
    generate()
    assert Region.objects.filter(level="province").count() == 31
    assert Region.objects.count() == documents[Region] + (31 - documents["provinces"]) + 6 + 30
    assert Pairing.objects.count() == documents[Pairing] + 3 * (1 + 2)
    assert Program.objects.count() == documents[Program] + 8
    assert Workshop.objects.count() == documents[Workshop] + 40
    assert Funding.objects.count() == documents[Funding] + 300
    assert Outcome.objects.count() == documents[Outcome] + 200
    assert SupportMeasure.objects.filter(source__slug__startswith=SOURCE_SLUG_PREFIX).count() == 25
    assert casebook_validate() == []


def test_every_generated_record_says_it_is_synthetic(documents):
    generate()
    synthetic = Source.objects.filter(slug__startswith=SOURCE_SLUG_PREFIX)
    assert synthetic.count() == 3
    assert all("not a real document" in title for title in synthetic.values_list("title", flat=True))
    for model in (Funding, Outcome, SupportMeasure):
        cited_elsewhere = model.objects.exclude(source__in=synthetic)
        assert cited_elsewhere.count() == model.objects.filter(source__slug__in=DOCUMENT_SOURCES).count()
    for model, made in ((Workshop, 40), (Program, 8), (Pairing, 9)):
        assert model.objects.filter(note__startswith="Synthetic record").count() == made
    assert Workshop.objects.filter(note__startswith="Synthetic record", name_zh="").count() == 0


def fingerprint() -> list:
    return list(
        Funding.objects.filter(source__slug__startswith=SOURCE_SLUG_PREFIX)
        .order_by("key")
        .values_list("key", "amount", "kind", "qualifier", "recipient_region__slug", "pairing__slug")
    )


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(documents):
    runs = {}
    for label, seed in (("first", 7), ("again", 7), ("other", 8)):
        with transaction.atomic():
            generate(f"--seed={seed}")
            runs[label] = fingerprint()
            transaction.set_rollback(True)
    assert len(runs["first"]) == 300
    assert runs["first"] == runs["again"]
    assert runs["first"] != runs["other"]


def test_a_second_run_is_refused(documents):
    generate()
    with pytest.raises(CommandError, match="holds records that are not the documents' data"):
        generate()


def test_it_refuses_an_empty_database():
    with pytest.raises(CommandError, match="Load the documents' data first"):
        call_command("generate_national", *SMALL)


def test_it_refuses_a_database_with_more_than_the_documents_data_unless_forced(documents):
    SourceFactory(slug="an-editors-new-source")
    with pytest.raises(CommandError, match="holds records that are not the documents' data"):
        call_command("generate_national", *SMALL)
    assert Funding.objects.count() == documents[Funding]
    generate("--force")
    assert Funding.objects.count() == documents[Funding] + 300


def test_a_size_that_is_not_a_whole_number_is_refused():
    with pytest.raises(CommandError, match="not a whole number: lots"):
        call_command("generate_national", "--funding=lots")


@pytest.mark.django_db(transaction=True)
def test_after_a_bulk_load_postgresql_is_vacuumed_and_every_database_analysed():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.services import bulk

    with CaptureQueriesContext(connection) as context:
        bulk.analyse()
    expected = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    assert [query["sql"] for query in context.captured_queries] == [expected]
