"""The fixture dumper: the database written back to the fixture files, in a
format that loading and dumping again reproduces byte for byte."""

import shutil
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from programs.models import Funding, Indicator, Outcome, Pairing, Program, Region, Source
from programs.services import DumpError, casebook_dump, casebook_load
from programs.services.loading import VALIDATED_MODELS
from tests.factories import FundingFactory, OutcomeFactory, ProgramFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db

REPO_FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def fixture_files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.yaml"))}


def folder_contents(folder: Path) -> dict[str, bytes]:
    """Every file and folder below ``folder``, hidden ones included."""
    return {str(path.relative_to(folder)): path.is_file() and path.read_bytes() for path in folder.rglob("*")}


def casebook_snapshot() -> dict:
    """Every field of every record, keyed by natural key, related records by natural key."""

    def natural(obj):
        return obj.natural_key() if obj is not None else None

    snapshot = {}
    for model in VALIDATED_MODELS:
        for obj in model.objects.all():
            row = {
                field.name: natural(getattr(obj, field.name)) if field.is_relation else getattr(obj, field.attname)
                for field in model._meta.concrete_fields
                if not field.primary_key
            }
            for field in model._meta.many_to_many:
                row[field.name] = sorted(natural(related) for related in getattr(obj, field.name).all())
            snapshot[model._meta.label, natural(obj)] = row
    return snapshot


def empty_the_casebook() -> None:
    """Leave the casebook as a fresh database has it: no records and no history."""
    for model in reversed(VALIDATED_MODELS):
        while model.objects.exists():
            records = model.objects.all()
            if model in (Region, Pairing):
                records = records.filter(children__isnull=True)  # parents are protected from deletion
            records.delete()
        model.history.all().delete()


def test_loading_and_dumping_the_fixtures_gives_them_back_byte_for_byte(tmp_path):
    casebook_load()
    casebook_dump(fixtures_dir=tmp_path)
    expected = fixture_files(REPO_FIXTURES)
    assert len(expected) == 9
    assert fixture_files(tmp_path) == expected


def test_changes_made_in_the_admin_reach_a_fresh_database_through_the_dump(tmp_path, editor):
    casebook_load()
    funding = Funding.objects.get(source__slug="iprcc-qingdao-guizhou", key="qingdao-govt-donation-2009")
    funding._history_user = editor
    funding.amount = Decimal("16450000.50")
    funding.save()
    program = Program.objects.get(slug="jinjie-factory-district")
    program._history_user = editor
    program.regions.set(Region.objects.filter(slug__in=["jinjie", "tiandeng"]))
    added = Outcome(
        source=Source.objects.get(slug="gpig-jinjie-2024"),
        key="jinjie-kindergartens",
        locator="results list, fourth bullet",
        indicator=Indicator.objects.get(slug="jobs-created"),
        value=Decimal("12.5"),
        as_of=date(2018, 12, 31),
        program=program,
        perspective="official",
        note="Added in the admin.\nSecond line.",
    )
    added._history_user = editor
    added.full_clean()
    added.save()
    edited = casebook_snapshot()

    casebook_dump(fixtures_dir=tmp_path)
    empty_the_casebook()
    assert casebook_snapshot() == {}
    casebook_load(fixtures_dir=tmp_path)

    assert casebook_snapshot() == edited
    reloaded = Funding.objects.get(source__slug="iprcc-qingdao-guizhou", key="qingdao-govt-donation-2009")
    assert reloaded.amount == Decimal("16450000.50")
    assert sorted(Program.objects.get(slug=program.slug).regions.values_list("slug", flat=True)) == [
        "jinjie",
        "tiandeng",
    ]
    outcome = Outcome.objects.get(key="jinjie-kindergartens")
    assert (outcome.value, outcome.as_of, outcome.note) == (
        Decimal("12.5"),
        date(2018, 12, 31),
        "Added in the admin.\nSecond line.",
    )


def test_figures_go_to_their_sources_file_with_exact_decimals_and_dates(tmp_path):
    source = SourceFactory(slug="doc", file_name="000_doc.txt", published_on=date(2020, 5, 23))
    county = RegionFactory(slug="tiandeng", name_en="Tiandeng", name_zh="天等县")
    FundingFactory(
        source=source, key="county-money", amount=Decimal("3680000000.00"), funder_region=county, year_start=None
    )
    OutcomeFactory(source=source, key="poverty", value=Decimal("0.6000"), region=county, as_of=date(2019, 12, 31))
    casebook_dump(fixtures_dir=tmp_path)
    document = (tmp_path / "documents" / "000-doc.yaml").read_text()
    funding = document.split("funding:\n")[1].split("\n\n")[0]
    assert funding.splitlines() == [
        "  - locator: second paragraph",
        "    key: county-money",
        '    note: ""',
        "    qualifier: exact",
        '    amount: "3680000000"',
        "    amount_max: null",
        "    currency: CNY",
        "    usd_amount: null",
        "    is_annual: false",
        "    year_start: null",
        "    year_end: 2019",
        "    funder_region: tiandeng",
        '    funder_organisation: ""',
        "    recipient_region: null",
        "    pairing: null",
        "    program: null",
        "    workshop: null",
        "    kind: fiscal",
        '    purpose: ""',
    ]
    assert '    value: "0.6"\n' in document and "    as_of: 2019-12-31\n" in document
    assert "unit:" not in document  # an outcome's unit is copied from its indicator, not written
    assert "  published_on: 2020-05-23\n" in (tmp_path / "sources.yaml").read_text()
    assert "path:" not in (tmp_path / "regions.yaml").read_text()
    assert yaml.safe_load(document)["outcomes"][0]["value"] == "0.6"


def test_long_text_is_folded_and_wrapped_and_reads_back_unchanged(tmp_path):
    summary = " ".join(["Factories were built near the villages so that mothers could work."] * 4)
    ProgramFactory(slug="district", summary=summary, sources=[SourceFactory(slug="doc", file_name="000_doc.txt")])
    casebook_dump(fixtures_dir=tmp_path)
    lines = (tmp_path / "documents" / "000-doc.yaml").read_text().splitlines()
    start = lines.index("    summary: >-")
    assert [len(line) <= 90 for line in lines] == [True] * len(lines)
    # "built" would end the line at column 94.
    assert lines[start + 1] == "      Factories were built near the villages so that mothers could work. Factories were"
    document = yaml.safe_load((tmp_path / "documents" / "000-doc.yaml").read_text())
    assert document["programs"][0]["summary"] == summary


def test_a_new_source_gets_a_numbered_file_and_existing_names_are_kept(tmp_path):
    casebook_load()
    shutil.copytree(REPO_FIXTURES, tmp_path, dirs_exist_ok=True)
    documents = tmp_path / "documents"
    (documents / "004-xinhua-xiamen-linxia-2020.yaml").rename(documents / "009-xinhua-xiamen-linxia-2020.yaml")
    (documents / "007-a-source-since-deleted.yaml").write_text("source: a-source-since-deleted\n")
    source = SourceFactory(slug="new-report", file_name="005_0123456789abcdef.txt")
    FundingFactory(source=source, key="new-money", funder_region=Region.objects.get(slug="xiamen"))
    casebook_dump(fixtures_dir=tmp_path)
    assert sorted(path.name for path in documents.iterdir()) == [
        "000-gpig-jinjie-2024.yaml",
        "001-sixthtone-lueyang-2020.yaml",
        "002-iprcc-qingdao-guizhou.yaml",
        "003-news-guangdong-guangxi-2020.yaml",
        "005-new-report.yaml",
        "009-xinhua-xiamen-linxia-2020.yaml",
    ]
    new = yaml.safe_load((documents / "005-new-report.yaml").read_text())
    assert (new["source"], [record["key"] for record in new["funding"]], new["programs"]) == (
        "new-report",
        ["new-money"],
        [],
    )
    assert (tmp_path / "NOTES.md").read_bytes() == (REPO_FIXTURES / "NOTES.md").read_bytes()


def test_a_program_without_a_source_stops_the_dump_and_writes_nothing(tmp_path):
    shutil.copytree(REPO_FIXTURES, tmp_path, dirs_exist_ok=True)
    before = folder_contents(tmp_path)
    ProgramFactory(slug="orphan-program").sources.clear()
    with pytest.raises(DumpError) as excinfo:
        casebook_dump(fixtures_dir=tmp_path)
    assert str(excinfo.value) == (
        "program 'orphan-program' has no source, so no document file can hold it; give it a source in the admin."
    )
    assert folder_contents(tmp_path) == before


def test_a_failure_while_writing_leaves_the_fixtures_as_they_were(tmp_path, monkeypatch):
    FundingFactory(source=SourceFactory(slug="gpig-jinjie-2024", file_name="000_43c45fd144e9070e.txt"))
    shutil.copytree(REPO_FIXTURES, tmp_path, dirs_exist_ok=True)
    before = folder_contents(tmp_path)
    write_text = Path.write_text

    def fail_on_documents(path, *args, **kwargs):
        if path.parent.name == "documents":
            raise OSError("disk full")
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fail_on_documents)
    with pytest.raises(OSError, match="disk full"):
        casebook_dump(fixtures_dir=tmp_path)
    assert folder_contents(tmp_path) == before


def test_the_command_writes_the_files_or_explains_why_not(tmp_path):
    FundingFactory(source=SourceFactory(slug="doc", file_name="000_doc.txt"))
    out = StringIO()
    call_command("dump_casebook", fixtures=tmp_path, stdout=out)
    assert out.getvalue() == f"Wrote 5 fixture files to {tmp_path}.\n"
    assert sorted(fixture_files(tmp_path)) == [
        "approaches.yaml",
        "documents/000-doc.yaml",
        "indicators.yaml",
        "regions.yaml",
        "sources.yaml",
    ]
    ProgramFactory(slug="orphan-program").sources.clear()
    with pytest.raises(CommandError, match=r"^Nothing was written\. program 'orphan-program' has no source"):
        call_command("dump_casebook", fixtures=tmp_path / "other")
    assert not (tmp_path / "other").exists()
