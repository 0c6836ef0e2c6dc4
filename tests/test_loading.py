"""The fixture loader: atomic, idempotent, precise about what is broken, and
never silently overwriting what editors changed in the admin."""

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command

from programs.models import Approach, Funding, Outcome, Program, Region
from programs.services import Conflict, EditorChangesError, FixtureError, casebook_load

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


# When the editor in these tests saves: 13:06 in the casebook's time zone (Asia/Shanghai).
EDITED_AT = datetime(2025, 3, 4, 5, 6, tzinfo=UTC)


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
    assert (report.updated, report.conflicts) == ({"funding": 1}, [])
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
        "doc.yaml, funding record 'county-money': amount: The figure cannot be negative.",
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


def edit_document(folder: Path, section: str, **changes) -> None:
    """Change the first record of a section of the document file; a value of None removes the field."""
    path = folder / "documents" / "doc.yaml"
    document = yaml.safe_load(path.read_text())
    record = document[section][0]
    record.update(changes)
    document[section][0] = {name: value for name, value in record.items() if value is not None}
    path.write_text(yaml.safe_dump(document, allow_unicode=True))


def as_editor(obj, user, **changes):
    """Save a record as the admin does: with the editor's user, at EDITED_AT."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._history_date = EDITED_AT
    obj.save()
    return obj


AMOUNT_CONFLICT = Conflict(
    record="funding record 'county-money' (source 'doc')",
    field="amount",
    fixture_value="30000000",
    current_value="32000000",
    user="editor",
    when=EDITED_AT,
)


def test_an_editors_change_is_reported_and_nothing_is_loaded(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    as_editor(Funding.objects.get(key="county-money"), editor, amount=Decimal("32000000"))
    edit_document(fixtures, "outcomes", value="600")  # a change nobody made in the admin
    before = table_counts()
    with pytest.raises(EditorChangesError) as excinfo:
        casebook_load(fixtures_dir=fixtures)
    assert excinfo.value.conflicts == [AMOUNT_CONFLICT]
    assert Funding.objects.get(key="county-money").amount == Decimal("32000000")
    assert Outcome.objects.get(key="jobs").value == Decimal("500")  # all or nothing
    assert table_counts() == before


def test_the_command_names_record_field_values_user_and_time_and_fails(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    as_editor(Funding.objects.get(key="county-money"), editor, amount=Decimal("32000000"))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_casebook", fixtures=fixtures)
    assert excinfo.value.returncode == 1
    assert str(excinfo.value).splitlines()[:2] == [
        "Nothing was loaded. 1 record(s) changed by editors since they were loaded differ from the fixtures:",
        "funding record 'county-money' (source 'doc'), field 'amount': fixture 30000000, database 32000000 "
        "(changed by editor on 2025-03-04 13:06 CST)",
    ]
    assert Funding.objects.get(key="county-money").amount == Decimal("32000000")


def test_overwrite_replaces_an_editors_change_and_says_so(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    as_editor(Funding.objects.get(key="county-money"), editor, amount=Decimal("32000000"))
    out = StringIO()
    call_command("load_casebook", fixtures=fixtures, overwrite=True, stdout=out)
    assert "funding: 0 created, 0 updated, 0 unchanged, 1 overwritten" in out.getvalue().splitlines()
    assert "Overwrote 1 record(s) editors had changed:\n" + AMOUNT_CONFLICT.line() in out.getvalue()
    funding = Funding.objects.get(key="county-money")
    assert funding.amount == Decimal("30000000")
    assert funding.history.first().history_change_reason == "Loaded from doc.yaml"


def test_an_editors_change_the_fixture_also_makes_is_no_conflict(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    as_editor(Funding.objects.get(key="county-money"), editor, amount=Decimal("31000000"))
    edit_document(fixtures, "funding", amount="31000000")
    report = casebook_load(fixtures_dir=fixtures)
    assert (report.conflicts, report.unchanged["funding"]) == ([], 1)
    assert Funding.objects.get(key="county-money").amount == Decimal("31000000")
    # The fixture now holds the editor's change, so later fixture changes apply again.
    edit_document(fixtures, "funding", amount="33000000")
    report = casebook_load(fixtures_dir=fixtures)
    assert (report.conflicts, report.updated) == ([], {"funding": 1})
    assert Funding.objects.get(key="county-money").amount == Decimal("33000000")


def test_an_editors_change_to_a_many_to_many_field_is_a_conflict(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    program = Program.objects.get(slug="district")
    program._history_user, program._history_date = editor, EDITED_AT
    program.regions.set([Region.objects.get(slug="chongzuo"), Region.objects.get(slug="guangxi")])
    with pytest.raises(EditorChangesError) as excinfo:
        casebook_load(fixtures_dir=fixtures)
    assert excinfo.value.conflicts == [
        Conflict("program 'district'", "regions", "[tiandeng]", "[guangxi, chongzuo]", "editor", EDITED_AT)
    ]
    assert sorted(program.regions.values_list("slug", flat=True)) == ["chongzuo", "guangxi"]


def test_a_record_an_editor_deleted_is_reported_and_recreated_only_with_overwrite(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    outcome = Outcome.objects.get(key="jobs")
    outcome._history_user, outcome._history_date = editor, EDITED_AT
    outcome.delete()
    with pytest.raises(EditorChangesError) as excinfo:
        casebook_load(fixtures_dir=fixtures)
    deleted = Conflict("outcome 'jobs' (source 'doc')", "", "the whole record", "deleted", "editor", EDITED_AT)
    assert excinfo.value.conflicts == [deleted]
    assert deleted.line() == (
        "outcome 'jobs' (source 'doc'): deleted by editor on 2025-03-04 13:06 CST; the fixture still defines it"
    )
    assert Outcome.objects.count() == 0
    report = casebook_load(fixtures_dir=fixtures, overwrite=True)
    assert report.overwritten == {"outcomes": 1}
    assert Outcome.objects.get(key="jobs").value == Decimal("500")


def test_a_slug_an_editor_changed_is_a_conflict_not_a_second_record(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    as_editor(Approach.objects.get(slug="training"), editor, slug="skills-training")
    with pytest.raises(EditorChangesError) as excinfo:
        casebook_load(fixtures_dir=fixtures)
    assert excinfo.value.conflicts == [
        Conflict("approach 'training'", "slug", '"training"', '"skills-training"', "editor", EDITED_AT)
    ]
    assert list(Approach.objects.values_list("slug", flat=True)) == ["skills-training"]


def test_records_editors_added_are_left_alone(fixtures, editor):
    casebook_load(fixtures_dir=fixtures)
    tiandeng = Region.objects.get(slug="tiandeng")
    jinjie = as_editor(Region(slug="jinjie", name_en="Jinjie", level="township", parent=tiandeng), editor)
    report = casebook_load(fixtures_dir=fixtures)
    assert (report.conflicts, report.updated, report.unchanged["regions"]) == ([], {}, 4)
    assert [(row.history_type, row.history_user) for row in jinjie.history.all()] == [("+", editor)]


def test_if_empty_loads_into_an_empty_database(fixtures):
    out = StringIO()
    call_command("load_casebook", fixtures=fixtures, if_empty=True, stdout=out)
    assert (Region.objects.count(), Funding.objects.count(), Outcome.objects.count()) == (4, 1, 1)
    assert out.getvalue().endswith("Casebook loaded; every object passed full_clean().\n")


def test_if_empty_changes_nothing_in_a_loaded_database(fixtures):
    casebook_load(fixtures_dir=fixtures)
    edit_document(fixtures, "funding", amount="31000000")
    before = table_counts()
    out = StringIO()
    call_command("load_casebook", fixtures=fixtures, if_empty=True, stdout=out)
    assert out.getvalue() == "The database already holds the casebook; nothing was loaded.\n"
    assert table_counts() == before
    assert Funding.objects.get(key="county-money").amount == Decimal("30000000")


def test_a_field_removed_from_a_fixture_is_reset_to_its_default(fixtures):
    casebook_load(fixtures_dir=fixtures)
    edit_document(fixtures, "outcomes", qualifier=None, as_of=None)
    edit_document(fixtures, "programs", approaches=None)
    report = casebook_load(fixtures_dir=fixtures)
    assert report.updated == {"outcomes": 1, "programs": 1}
    outcome = Outcome.objects.get(key="jobs")
    assert (outcome.qualifier, outcome.as_of, outcome.year_end) == ("exact", None, 2018)
    assert list(Program.objects.get(slug="district").approaches.all()) == []


def test_an_unquoted_decimal_means_its_decimal_value(fixtures):
    edit_document(fixtures, "outcomes", value=0.6, indicator="jobs-created")
    casebook_load(fixtures_dir=fixtures)
    assert Outcome.objects.get(key="jobs").value == Decimal("0.6")
    assert casebook_load(fixtures_dir=fixtures).updated == {}
