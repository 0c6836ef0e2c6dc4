"""CSV import and export of funding and outcomes in the admin: a file with
one bad row is rejected whole, naming the row and the reason."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Funding, Outcome
from tests.factories import FundingFactory, IndicatorFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db

FUNDING_HEADER = "source,key,locator,amount,amount_max,qualifier,currency,funder_region,kind,year_start,year_end\n"


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


def test_funding_csv_with_one_bad_row_saves_nothing_and_names_the_row(editor_client, places):
    csv = (
        FUNDING_HEADER
        + "news-2020,gd-2016-2019,second paragraph,3680000000,,exact,CNY,guangdong,fiscal,2016,2019\n"
        + "news-2020,gd-bad,second paragraph,-5,,exact,CNY,guangdong,fiscal,2016,2019\n"
    )
    response = upload(editor_client, "funding", csv)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in page
    invalid = response.context["result"].invalid_rows
    assert [(row.number, row.error_dict) for row in invalid] == [(2, {"__all__": ["The figure cannot be negative."]})]
    assert "The figure cannot be negative." in page
    assert 'name="import_file_name"' not in page  # no confirm button: the file is rejected
    assert Funding.objects.count() == 0


def test_funding_csv_naming_an_unknown_region_is_rejected(editor_client, places):
    csv = FUNDING_HEADER + "news-2020,gd-x,second paragraph,100,,exact,CNY,atlantis,fiscal,2016,2019\n"
    page = upload(editor_client, "funding", csv).content.decode()
    assert "Region matching query does not exist" in page
    assert Funding.objects.count() == 0


def test_outcome_csv_with_a_percentage_over_100_saves_nothing(editor_client, places):
    csv = (
        "source,key,locator,indicator,value,qualifier,region,perspective,year_end\n"
        "news-2020,gx-incidence,opening paragraph,poverty-incidence,0.6,exact,guangdong,official,2019\n"
        "news-2020,gx-incidence-bad,opening paragraph,poverty-incidence,140,exact,guangdong,official,2019\n"
    )
    page = upload(editor_client, "outcome", csv).content.decode()
    assert "A percentage must lie between 0 and 100." in page
    assert Outcome.objects.count() == 0


def test_valid_funding_csv_is_previewed_then_saved_on_confirm(editor_client, places, editor):
    csv = FUNDING_HEADER + "news-2020,gd-2016-2019,second paragraph,3680000000,,exact,CNY,guangdong,fiscal,2016,2019\n"
    preview = upload(editor_client, "funding", csv)
    assert Funding.objects.count() == 0
    confirm = preview.context["confirm_form"]
    response = editor_client.post(reverse("admin:programs_funding_process_import"), confirm.initial)
    assert response.status_code == 302
    funding = Funding.objects.get(key="gd-2016-2019")
    assert (funding.amount, funding.funder_region.slug, funding.source.slug) == (
        Decimal("3680000000.00"),
        "guangdong",
        "news-2020",
    )
    assert funding.history.get().history_user == editor


def test_viewer_cannot_import(viewer_client, places):
    csv = FUNDING_HEADER + "news-2020,gd,second paragraph,1,,exact,CNY,guangdong,fiscal,2016,2019\n"
    assert upload(viewer_client, "funding", csv).status_code == 403
    assert Funding.objects.count() == 0


def test_funding_export_names_related_records_by_slug(editor_client):
    FundingFactory(
        source=SourceFactory(slug="iprcc"),
        key="qingdao-2009-relief",
        amount=Decimal("100000000"),
        funder_region=RegionFactory(slug="qingdao", level="prefecture"),
        is_annual=True,
        year_start=2009,
        year_end=2009,
    )
    url = reverse("admin:programs_funding_export")
    form = editor_client.get(url).context["form"]
    chosen = {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = editor_client.post(url, {"format": "0", "resource": "0", **chosen})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("source,key,locator,amount,amount_max,qualifier,currency,usd_amount,is_annual")
    assert lines[1].startswith(
        "iprcc,qingdao-2009-relief,second paragraph,100000000.00,,exact,CNY,,1,2009,2009,qingdao"
    )
