"""CSV import and export in the admin, for every model editors edit: the same
columns both ways, related records named by slug, formula-like cells
neutralised on the way out and restored on the way in. A file is written
whole or not at all, and every error names its row, column and value."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from programs import resources
from programs.models import Approach, Funding, Program, Region, Source
from tests.factories import (
    ApproachFactory,
    CountryFactory,
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

pytestmark = pytest.mark.django_db

FUNDING_HEADER = "source,key,locator,amount,amount_max,qualifier,currency,funder_region,kind,year_start,year_end\n"
GOOD_FUNDING = "news-2020,gd-2016-2019,second paragraph,3680000000,,exact,CNY,guangdong,fiscal,2016,2019\n"
FUNDING_KINDS = "fiscal, social_donation, material_donation, enterprise_investment, loan, subsidy, waiver, mixed"
QUALIFIERS = "exact, more_than, at_least, about, nearly, up_to, less_than"


def program_with(*, approaches=(), regions=(), **fields):
    program = ProgramFactory(**fields)
    program.approaches.set(approaches)
    program.regions.set(regions)
    return program


# One record of every model editors import, with its related records, and the resource that reads it.
BUILDERS = {
    "source": (SourceFactory, resources.SourceResource),
    "region": (lambda: RegionFactory(level="province", parent=CountryFactory()), resources.RegionResource),
    "approach": (ApproachFactory, resources.ApproachResource),
    "program": (lambda: program_with(approaches=[ApproachFactory(), ApproachFactory()]), resources.ProgramResource),
    "pairing": (PairingFactory, resources.PairingResource),
    "workshop": (WorkshopFactory, resources.WorkshopResource),
    "funding": (FundingFactory, resources.FundingResource),
    "indicator": (IndicatorFactory, resources.IndicatorResource),
    "outcome": (OutcomeFactory, resources.OutcomeResource),
    "supportmeasure": (SupportMeasureFactory, resources.SupportMeasureResource),
}


@pytest.fixture
def places():
    SourceFactory(slug="news-2020")
    RegionFactory(slug="guangdong", level="province")
    IndicatorFactory(slug="poverty-incidence", unit="percent")


def upload(client, model_name, text):
    return client.post(
        reverse(f"admin:programs_{model_name}_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("rows.csv", text.encode("utf-8"), content_type="text/csv"),
        },
    )


def confirm(client, model_name, preview):
    assert preview.context["result"].has_validation_errors() is False
    return client.post(reverse(f"admin:programs_{model_name}_process_import"), preview.context["confirm_form"].initial)


def export(client, model_name, file_format="0"):
    url = reverse(f"admin:programs_{model_name}_export")
    form = client.get(url).context["form"]
    chosen = {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = client.post(url, {"format": file_format, "resource": "0", **chosen})
    assert response.status_code == 200
    return response.content.decode("utf-8")


def rows_of(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def errors_of(response):
    return [(row.number, row.error_dict) for row in response.context["result"].invalid_rows]


def flash(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("model_name", list(BUILDERS))
def test_export_and_import_use_the_same_columns(model_name):
    resource = BUILDERS[model_name][1]()
    assert resource.get_export_headers() == [field.column_name for field in resource.get_import_fields()]
    assert resource.get_export_headers() == list(resource._meta.fields)


@pytest.mark.parametrize("model_name", list(BUILDERS))
def test_an_exported_file_imports_back_unchanged(editor_client, model_name):
    build, _ = BUILDERS[model_name]
    build()
    build()
    model = BUILDERS[model_name][1]._meta.model
    count, history_before = model.objects.count(), model.history.count()
    preview = upload(editor_client, model_name, export(editor_client, model_name))
    assert [row.import_type for row in preview.context["result"].rows] == ["skip"] * count
    response = confirm(editor_client, model_name, preview)
    assert response.status_code == 302
    plural = model._meta.verbose_name_plural
    assert flash(response) == [f"Import finished: 0 new, 0 updated and {count} unchanged {plural}."]
    assert model.history.count() == history_before


def test_funding_export_names_related_records_by_slug(editor_client):
    FundingFactory(
        source=SourceFactory(slug="iprcc"),
        key="qingdao-2009-relief",
        amount=Decimal("100000000"),
        funder_region=RegionFactory(slug="qingdao", level="prefecture"),
        is_annual=True,
        year_start=2009,
        year_end=2009,
        purpose="relief",
    )
    assert export(editor_client, "funding").splitlines() == [
        ",".join(resources.FundingResource._meta.fields),
        "iprcc,qingdao-2009-relief,second paragraph,100000000.00,,exact,CNY,,1,2009,2009,qingdao,,,,,,fiscal,relief,,"
        "100 million yuan a year",
    ]


def test_program_export_lists_related_records_as_slugs_separated_by_semicolons(editor_client):
    program_with(
        slug="jinjie",
        approaches=[ApproachFactory(slug="training", name="Training"), ApproachFactory(slug="factories", name="A")],
        sources=[SourceFactory(slug="gpig")],
    )
    header, row = rows_of(export(editor_client, "program"))
    record = dict(zip(header, row, strict=True))
    assert (record["slug"], record["approaches"], record["regions"], record["sources"]) == (
        "jinjie",
        "factories;training",
        "",
        "gpig",
    )


def test_program_import_sets_related_records_named_by_slug(editor_client):
    ApproachFactory(slug="training")
    ApproachFactory(slug="factories")
    SourceFactory(slug="gpig")
    text = "slug,name,summary,year_start,approaches,sources\njinjie,Jinjie,Factories.,2016,training; factories,gpig\n"
    assert confirm(editor_client, "program", upload(editor_client, "program", text)).status_code == 302
    program = Program.objects.get(slug="jinjie")
    approaches, sources = program.approaches.order_by("slug"), program.sources.all()
    assert ([a.slug for a in approaches], [s.slug for s in sources]) == (["factories", "training"], ["gpig"])


def test_region_rows_may_name_a_parent_defined_earlier_in_the_file(editor_client):
    region_tree()
    text = (
        "slug,name_en,level,parent,belt\n"
        "guangxi,Guangxi,province,china,west\n"
        "chongzuo,Chongzuo,prefecture,guangxi,west\n"
        "tiandeng,Tiandeng,county,chongzuo,west\n"
    )
    response = confirm(editor_client, "region", upload(editor_client, "region", text))
    assert flash(response) == ["Import finished: 3 new, 0 updated and 0 unchanged regions."]
    assert Region.objects.get(slug="tiandeng").path == "china/guangxi/chongzuo/tiandeng/"


def test_valid_funding_csv_is_previewed_then_saved_on_confirm(editor_client, places, editor):
    preview = upload(editor_client, "funding", FUNDING_HEADER + GOOD_FUNDING)
    assert [row.import_type for row in preview.context["result"].rows] == ["new"]
    response = confirm(editor_client, "funding", preview)
    assert (response.status_code, response["Location"]) == (302, reverse("admin:programs_funding_changelist"))
    assert flash(response) == ["Import finished: 1 new, 0 updated and 0 unchanged funding."]
    funding = Funding.objects.get(key="gd-2016-2019")
    assert (funding.amount, funding.funder_region.slug, funding.source.slug) == (
        Decimal("3680000000.00"),
        "guangdong",
        "news-2020",
    )
    assert funding.history.get().history_user == editor


def test_figures_are_matched_on_source_and_key_and_the_message_counts_what_was_written(editor_client, places):
    source = Source.objects.get(slug="news-2020")
    guangdong = Region.objects.get(slug="guangdong")
    kept = FundingFactory(source=source, key="kept", amount=Decimal("5.00"), funder_region=guangdong)
    changed = FundingFactory(source=source, key="changed", amount=Decimal("5.00"), funder_region=guangdong)
    text = (
        FUNDING_HEADER
        + "news-2020,kept,second paragraph,5.00,,exact,CNY,guangdong,fiscal,2016,2019\n"
        + "news-2020,changed,second paragraph,7.00,,exact,CNY,guangdong,fiscal,2016,2019\n"
        + "news-2020,added,second paragraph,9.00,,exact,CNY,guangdong,fiscal,2016,2019\n"
    )
    response = confirm(editor_client, "funding", upload(editor_client, "funding", text))
    assert flash(response) == ["Import finished: 1 new, 1 updated and 1 unchanged funding."]
    assert dict(Funding.objects.values_list("key", "amount")) == {
        "kept": Decimal("5.00"),
        "changed": Decimal("7.00"),
        "added": Decimal("9.00"),
    }
    assert (kept.history.count(), changed.history.count()) == (1, 2)


def test_funding_csv_with_one_bad_row_is_rejected_at_the_preview_naming_the_row(editor_client, places):
    text = (
        FUNDING_HEADER + GOOD_FUNDING + "news-2020,gd-bad,second paragraph,-5,,exact,CNY,guangdong,fiscal,2016,2019\n"
    )
    response = upload(editor_client, "funding", text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in page
    assert errors_of(response) == [
        (2, {"amount": ["row 2, column amount, value “-5”: The figure cannot be negative."]})
    ]
    assert "row 2, column amount, value “-5”: The figure cannot be negative." in page
    assert response.context.get("confirm_form") is None
    assert 'name="import_file_name"' not in page


def funding_csv(*rows: dict) -> str:
    """A funding file: a good row for Guangdong, then one row per dict of changed cells."""
    good = {
        "source": "news-2020",
        "key": "gd-2016-2019",
        "locator": "second paragraph",
        "amount": "3680000000",
        "qualifier": "exact",
        "funder_region": "guangdong",
        "kind": "fiscal",
        "is_annual": "0",
        "year_start": "2016",
        "year_end": "2019",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(good))
    writer.writeheader()
    writer.writerow(good)
    for number, changes in enumerate(rows, 2):
        writer.writerow({**good, "key": f"row-{number}", **changes})
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("funder_region", "atlantis", "no region “atlantis”"),
        ("source", "nowhere", "no source “nowhere”"),
        ("amount", "3.68bn", "“3.68bn” is not a number"),
        ("year_start", "2016.5", "“2016.5” is not a whole number"),
        ("kind", "grant", f"“grant” is not one of {FUNDING_KINDS}"),
        ("qualifier", "More than", f"“More than” is not one of {QUALIFIERS}"),
        ("is_annual", "yes", "“yes” is not 1 or 0"),
    ],
)
def test_a_cell_that_cannot_be_read_is_named_by_row_column_and_value(editor_client, places, column, value, message):
    response = upload(editor_client, "funding", funding_csv({column: value}))
    assert errors_of(response) == [(2, {column: [f"row 2, column {column}: {message}"]})]
    assert f"row 2, column {column}: {message}" in response.content.decode()
    assert response.context.get("confirm_form") is None


def test_a_value_the_model_refuses_is_named_by_row_column_and_value(editor_client, places):
    response = upload(editor_client, "funding", funding_csv({"year_start": "2016", "year_end": "2015"}))
    assert errors_of(response) == [
        (2, {"year_end": ["row 2, column year_end, value “2015”: The end year cannot come before the start year."]})
    ]


def test_a_missing_required_value_is_named_by_row_and_column(editor_client, places):
    response = upload(editor_client, "funding", funding_csv({"locator": ""}))
    assert errors_of(response) == [(2, {"locator": ["row 2, column locator: This field cannot be blank."]})]


def test_outcome_csv_with_a_percentage_over_100_is_rejected(editor_client, places):
    text = (
        "source,key,locator,indicator,value,qualifier,region,perspective,year_end\n"
        "news-2020,gx-incidence,opening paragraph,poverty-incidence,0.6,exact,guangdong,official,2019\n"
        "news-2020,gx-incidence-bad,opening paragraph,poverty-incidence,140,exact,guangdong,official,2019\n"
    )
    response = upload(editor_client, "outcome", text)
    assert errors_of(response) == [
        (2, {"value": ["row 2, column value, value “140”: A percentage must lie between 0 and 100."]})
    ]
    assert response.context.get("confirm_form") is None


def test_program_rows_naming_an_unknown_approach_or_no_source_are_rejected(editor_client):
    SourceFactory(slug="gpig")
    ApproachFactory(slug="training")
    text = (
        "slug,name,summary,approaches,sources\n"
        "jinjie,Jinjie,Factories.,training;nope;gone,gpig\n"
        "lueyang,Lueyang,Workshops.,training,\n"
    )
    assert errors_of(upload(editor_client, "program", text)) == [
        (1, {"approaches": ["row 1, column approaches: no approach “nope”, “gone”"]}),
        (2, {"sources": ["row 2, column sources: name at least one source"]}),
    ]


def test_confirm_after_a_named_record_was_deleted_writes_nothing_and_shows_the_error(editor_client, places):
    RegionFactory(slug="guangxi", level="province")
    preview = upload(editor_client, "funding", funding_csv({"funder_region": "guangxi"}, {}))
    Region.objects.get(slug="guangxi").delete()
    response = confirm(editor_client, "funding", preview)
    assert response.status_code == 200
    assert errors_of(response) == [(2, {"funder_region": ["row 2, column funder_region: no region “guangxi”"]})]
    assert "row 2, column funder_region: no region “guangxi”" in response.content.decode()
    assert (Funding.objects.count(), Funding.history.count(), flash(response)) == (0, 0, [])


def test_confirm_after_a_conflicting_record_was_created_writes_nothing_and_shows_the_error(editor_client):
    text = "slug,name\ncrafts,Crafts\ntraining,Training\n"
    preview = upload(editor_client, "approach", text)
    ApproachFactory(slug="vocational-training", name="Training")
    response = confirm(editor_client, "approach", preview)
    assert response.status_code == 200
    assert errors_of(response) == [
        (2, {"name": ["row 2, column name, value “Training”: Approach with this Name already exists."]})
    ]
    assert (list(Approach.objects.values_list("slug", flat=True)), flash(response)) == (["vocational-training"], [])


def test_confirm_that_the_database_refuses_writes_nothing_and_shows_the_error(editor_client, places, monkeypatch):
    preview = upload(editor_client, "funding", funding_csv({}))
    save = resources.FundingResource.do_instance_save

    def refuse_the_second_row(resource, instance, is_create):
        if instance.key == "row-2":
            raise IntegrityError("duplicate key")
        save(resource, instance, is_create)

    monkeypatch.setattr(resources.FundingResource, "do_instance_save", refuse_the_second_row)
    response = confirm(editor_client, "funding", preview)
    assert response.status_code == 200
    assert errors_of(response) == [(2, {"__all__": ["row 2: the database refused it: duplicate key"]})]
    assert (Funding.objects.count(), Funding.history.count(), flash(response)) == (0, 0, [])


FORMULAS = {
    "title": '=HYPERLINK("http://evil.example","click")',
    "publisher": "+1+1",
    "language": "-2+3",
    "file_name": "@SUM(A1:A9)",
    "summary": "\tindented",
    "note": "\rreturned\r\nsecond line",
}


def test_csv_export_neutralises_every_formula_start(editor_client):
    SourceFactory(slug="formulas", **FORMULAS)
    header, row = rows_of(export(editor_client, "source"))
    exported = dict(zip(header, row, strict=True))
    assert {column: exported[column] for column in FORMULAS} == {
        column: "'" + value for column, value in FORMULAS.items()
    }
    assert (exported["slug"], exported["published_year"]) == ("formulas", "2020")


def test_json_export_keeps_formula_like_text_as_it_is(editor_client):
    SourceFactory(slug="formulas", **FORMULAS)
    (record,) = json.loads(export(editor_client, "source", file_format="1"))
    assert {column: record[column] for column in FORMULAS} == FORMULAS


def test_neutralised_cells_import_back_unchanged(editor_client):
    source = SourceFactory(slug="formulas", **FORMULAS)
    preview = upload(editor_client, "source", export(editor_client, "source"))
    assert [row.import_type for row in preview.context["result"].rows] == ["skip"]
    response = confirm(editor_client, "source", preview)
    assert flash(response) == ["Import finished: 0 new, 0 updated and 1 unchanged sources."]
    source.refresh_from_db()
    assert {column: getattr(source, column) for column in FORMULAS} == FORMULAS
    assert source.history.count() == 1


def test_only_an_apostrophe_before_a_formula_start_is_taken_off_on_import(editor_client):
    text = "slug,title,publisher,published_year,kind\nquotes,'=1+1,'Tis the season,2020,news_feature\n"
    confirm(editor_client, "source", upload(editor_client, "source", text))
    assert Source.objects.values_list("title", "publisher").get(slug="quotes") == ("=1+1", "'Tis the season")


@pytest.mark.parametrize("page", ["export", "import"])
def test_import_and_export_pages_carry_no_inline_script(editor_client, page):
    html = editor_client.get(reverse(f"admin:programs_funding_{page}")).content.decode()
    assert re.findall(r"\son[a-z]+\s*=", html) == []
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []


def test_export_page_loads_the_script_that_binds_select_all(editor_client):
    html = editor_client.get(reverse("admin:programs_funding_export")).content.decode()
    assert '<input type="checkbox" class="select-toggle" name="select-all-toggle" checked>' in html
    assert '<script src="/static/programs/admin-export.js"></script>' in html


def base_errors(response) -> list[str]:
    return [str(error.error) for error in response.context["result"].base_errors]


def test_a_misspelt_header_rejects_the_file_naming_it_and_the_columns(editor_client, places):
    text = FUNDING_HEADER.replace("funder_region", "funder_regoin") + GOOD_FUNDING
    response = upload(editor_client, "funding", text)
    columns = ", ".join(field.column_name for field in resources.FundingResource().get_import_fields())
    assert base_errors(response) == [f"unknown column “funder_regoin”; the columns are: {columns}"]
    assert response.context.get("confirm_form") is None
    assert Funding.objects.count() == 0


def test_a_header_given_twice_rejects_the_file(editor_client, places):
    text = FUNDING_HEADER.rstrip("\n") + ",kind\n" + GOOD_FUNDING.rstrip("\n") + ",fiscal\n"
    response = upload(editor_client, "funding", text)
    assert base_errors(response) == ["the column “kind” appears twice"]
    assert Funding.objects.count() == 0


def test_two_rows_naming_the_same_record_reject_the_file(editor_client, places):
    response = upload(editor_client, "funding", FUNDING_HEADER + GOOD_FUNDING + GOOD_FUNDING)
    assert base_errors(response) == ["rows 1 and 2 both name the record with source “news-2020”, key “gd-2016-2019”"]
    assert response.context.get("confirm_form") is None
    assert Funding.objects.count() == 0


def test_an_error_about_the_whole_file_is_shown_without_a_traceback(editor_client, places):
    text = FUNDING_HEADER.replace("funder_region", "funder_regoin") + GOOD_FUNDING
    page = upload(editor_client, "funding", text).content.decode()
    assert '<li class="import-error-li">unknown column “funder_regoin”; the columns are: source,' in page
    assert ("Traceback" in page, "site-packages" in page, "programs/resources" in page) == (False, False, False)
