"""The fixture loader: atomic, idempotent, and precise about what is broken."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command

from programs.models import Funding, Outcome, Region
from programs.services import FixtureError, casebook_load

pytestmark = pytest.mark.django_db

SHARED = {
    "sources.yaml": [
        {"slug": "doc", "title": "A report", "publisher": "Press", "published_year": 2020, "kind": "news_report"}
    ],
    "approaches.yaml": [{"slug": "training", "name": "Training"}],
    "indicators.yaml": [{"slug": "jobs-created", "name": "Jobs created", "unit": "people"}],
    "regions.yaml": [
        # Children before parents on purpose: the loader orders them.
        {"slug": "tiandeng", "name_en": "Tiandeng", "name_zh": "天等县", "level": "county", "parent": "chongzuo"},
        {"slug": "chongzuo", "name_en": "Chongzuo", "level": "prefecture", "parent": "guangxi"},
        {"slug": "guangxi", "name_en": "Guangxi", "level": "province", "parent": "china", "belt": "west"},
        {"slug": "china", "name_en": "China", "level": "country"},
    ],
}
DOCUMENT = {
    "source": "doc",
    "programs": [
        {
            "slug": "district",
            "name": "Factory district",
            "summary": "Factories near villages.",
            "approaches": ["training"],
            "regions": ["tiandeng"],
            "sources": ["doc"],
        }
    ],
    "funding": [
        {
            "key": "county-money",
            "locator": "third paragraph",
            "amount": "30000000",
            "qualifier": "more_than",
            "funder_region": "tiandeng",
            "kind": "fiscal",
            "program": "district",
        }
    ],
    "outcomes": [
        {
            "key": "jobs",
            "locator": "results list",
            "indicator": "jobs-created",
            "value": "500",
            "qualifier": "more_than",
            "as_of": "2018-12-31",
            "year_end": 2018,
            "program": "district",
            "perspective": "official",
        }
    ],
}


def write_fixtures(folder: Path, shared=None, document=None) -> Path:
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    for name, records in (shared or SHARED).items():
        (folder / name).write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    (folder / "documents" / "doc.yaml").write_text(
        yaml.safe_dump(document or DOCUMENT, allow_unicode=True), encoding="utf-8"
    )
    return folder


def table_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("programs").get_models()}


@pytest.fixture
def fixtures(tmp_path):
    return write_fixtures(tmp_path / "fixtures")


def test_loading_creates_every_record_with_its_relations(fixtures):
    report = casebook_load(fixtures_dir=fixtures)
    assert report.created == {
        "sources": 1,
        "approaches": 1,
        "indicators": 1,
        "regions": 4,
        "programs": 1,
        "funding": 1,
        "outcomes": 1,
    }
    assert Region.objects.get(slug="tiandeng").path == "china/guangxi/chongzuo/tiandeng/"
    funding = Funding.objects.get(key="county-money")
    assert (funding.amount, funding.qualifier, funding.program.slug, funding.source.slug) == (
        Decimal("30000000"),
        "more_than",
        "district",
        "doc",
    )
    outcome = Outcome.objects.get(key="jobs")
    assert (str(outcome.as_of), outcome.unit) == ("2018-12-31", "people")


def test_loading_twice_changes_nothing(fixtures):
    casebook_load(fixtures_dir=fixtures)
    before = table_counts()
    values = list(Funding.objects.values()) + list(Outcome.objects.values()) + list(Region.objects.values())
    report = casebook_load(fixtures_dir=fixtures)
    assert report.created == {} and report.updated == {}
    assert sum(report.unchanged.values()) == 10
    assert table_counts() == before  # history tables included: nothing was saved again
    assert list(Funding.objects.values()) + list(Outcome.objects.values()) + list(Region.objects.values()) == values


def test_a_changed_figure_is_updated_in_place_with_history(fixtures, tmp_path):
    casebook_load(fixtures_dir=fixtures)
    document = yaml.safe_load((fixtures / "documents" / "doc.yaml").read_text())
    document["funding"][0]["amount"] = "31000000"
    (fixtures / "documents" / "doc.yaml").write_text(yaml.safe_dump(document))
    report = casebook_load(fixtures_dir=fixtures)
    assert report.updated == {"funding": 1}
    funding = Funding.objects.get(key="county-money")
    assert funding.amount == Decimal("31000000")
    assert funding.history.first().history_change_reason == "Loaded from doc.yaml"


def break_shared(name, index, **changes):
    shared = {key: [dict(record) for record in records] for key, records in SHARED.items()}
    shared[name][index].update(changes)
    return shared


def break_document(section, **changes):
    document = {key: value if key == "source" else [dict(r) for r in value] for key, value in DOCUMENT.items()}
    document[section][0].update(changes)
    return document


BROKEN = {
    "missing parent region": (
        {"shared": break_shared("regions.yaml", 1, parent="guangxii")},
        "regions.yaml, region 'chongzuo': region 'guangxii' does not exist",
    ),
    "negative amount": (
        {"document": break_document("funding", amount="-30000000")},
        "doc.yaml, funding record 'county-money': The figure cannot be negative.",
    ),
    "duplicate key": (
        {"document": {**DOCUMENT, "outcomes": DOCUMENT["outcomes"] * 2}},
        "doc.yaml, outcome 'jobs': duplicate key; each outcome appears once",
    ),
    "unknown field": (
        {"document": break_document("programs", budget="lots")},
        "doc.yaml, program 'district': unknown field 'budget'",
    ),
    "text where a number goes": (
        {"document": break_document("outcomes", value="five hundred")},
        "doc.yaml, outcome 'jobs': field 'value': “five hundred” value must be a decimal number.",
    ),
    "percentage over 100": (
        {"document": break_document("outcomes", indicator="poverty-incidence")},
        "doc.yaml, outcome 'jobs': indicator 'poverty-incidence' does not exist",
    ),
    "outcome without subject": (
        {"document": break_document("outcomes", program=None)},
        "doc.yaml, outcome 'jobs': An outcome must be about a region, pairing, program or workshop.",
    ),
}


@pytest.mark.parametrize("breakage, message", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_record_is_named_and_nothing_is_loaded(tmp_path, fixtures, breakage, message):
    casebook_load(fixtures_dir=fixtures)  # a loaded casebook must survive a broken reload untouched
    before = table_counts()
    values = list(Funding.objects.values()) + list(Region.objects.values())
    broken = write_fixtures(tmp_path / "broken", **breakage)
    with pytest.raises(FixtureError) as excinfo:
        casebook_load(fixtures_dir=broken)
    assert message in str(excinfo.value)
    assert table_counts() == before
    assert list(Funding.objects.values()) + list(Region.objects.values()) == values


def test_a_broken_record_in_an_empty_database_leaves_every_table_empty(tmp_path):
    broken = write_fixtures(tmp_path / "broken", document=break_document("funding", amount="-1"))
    empty = table_counts()
    with pytest.raises(FixtureError):
        casebook_load(fixtures_dir=broken)
    assert table_counts() == empty


def test_invalid_yaml_names_the_file(tmp_path, fixtures):
    shutil.copytree(fixtures, tmp_path / "bad")
    (tmp_path / "bad" / "regions.yaml").write_text("- slug: china\n  name_en: [unclosed\n")
    with pytest.raises(FixtureError) as excinfo:
        casebook_load(fixtures_dir=tmp_path / "bad")
    assert str(excinfo.value).startswith(f"{tmp_path / 'bad' / 'regions.yaml'}: not valid YAML")


def test_the_command_reports_the_broken_record_and_fails(tmp_path):
    broken = write_fixtures(tmp_path / "broken", shared=break_shared("regions.yaml", 1, parent="guangxii"))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_casebook", fixtures=broken)
    assert "Nothing was loaded." in str(excinfo.value)
    assert "region 'chongzuo': region 'guangxii' does not exist" in str(excinfo.value)
    assert Region.objects.count() == 0


def test_the_validation_pass_lists_objects_that_fail_full_clean(fixtures):
    casebook_load(fixtures_dir=fixtures)
    # A record saved without full_clean(): a province below a county.
    Region.objects.create(
        slug="misfiled", name_en="Misfiled", level="province", parent=Region.objects.get(slug="tiandeng")
    )
    with pytest.raises(FixtureError) as excinfo:
        casebook_load(fixtures_dir=fixtures)
    assert str(excinfo.value) == (
        "Validation failed after loading:\nregion 'misfiled': parent: A province cannot sit below a county."
    )
