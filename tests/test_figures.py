"""Each figure reads the same everywhere: a funding record's amount, an outcome's
value and baseline, a support measure's value come from one property of their
model, and the table, the record's page, the panels, the export and the chart
all show exactly that text."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.charts import funding_bars, outcome_series
from tests.factories import (
    FundingFactory,
    IndicatorFactory,
    OutcomeFactory,
    PairingFactory,
    SupportMeasureFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def exported(client, list_name, column, fmt="csv") -> list[str]:
    response = client.get(reverse(list_name), {"export": fmt})
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = csv.DictReader(io.StringIO(body)) if fmt == "csv" else json.loads(body)
    return [row[column] for row in rows]


def test_a_funding_amount_reads_the_same_on_every_surface(client):
    pairing = PairingFactory()
    funding = FundingFactory(
        pairing=pairing, amount=Decimal("3680000000"), usd_amount=Decimal("517370000"), year_start=2016, year_end=2019
    )
    FundingFactory(pairing=pairing, amount=Decimal("100000000"), year_start=2009, year_end=2009)
    text = "3.68 billion yuan (US$517.37 million)"
    assert (funding.amount_text, str(funding)) == (text, f"{text} ({funding.key})")
    assert f">{text}</a>" in client.get(reverse("programs:funding_list")).content.decode()
    assert f'<h1 class="h3">{text}</h1>' in client.get(funding.get_absolute_url()).content.decode()
    pairing_page = client.get(pairing.get_absolute_url())
    assert f">{text}</a>" in pairing_page.content.decode()
    assert exported(client, "programs:funding_list", "amount_text") == [text, "100 million yuan"]
    assert exported(client, "programs:funding_list", "amount_text", fmt="json") == [text, "100 million yuan"]
    labels = [bar["label"] for bar in funding_bars(pairing.funding.select_related("source"))["bars"]]
    assert labels == ["100 million yuan", text]


def test_an_outcome_value_and_baseline_read_the_same_on_every_surface(client):
    workshop = WorkshopFactory()
    outcome = OutcomeFactory(
        workshop=workshop,
        indicator=IndicatorFactory(name="Poverty incidence", unit="percent"),
        value=Decimal("1"),
        qualifier="less_than",
        baseline_value=Decimal("41"),
        baseline_year=2014,
        year_start=None,
        year_end=2020,
    )
    value, baseline = "less than 1%", "41% in 2014"
    assert (outcome.value_text, outcome.baseline_text, str(outcome)) == (value, baseline, f"Poverty incidence: {value}")
    for page in (reverse("programs:outcome_list"), workshop.get_absolute_url()):
        body = client.get(page).content.decode()
        assert f">{value}</a>" in body and f">{baseline}</td>" in body
    detail = client.get(outcome.get_absolute_url()).content.decode()
    assert f"Poverty incidence: {value}</h1>" in detail and baseline in detail
    assert exported(client, "programs:outcome_list", "value_text") == [value]
    assert exported(client, "programs:outcome_list", "baseline_text") == [baseline]
    (chart,) = outcome_series([outcome])
    assert [point["label"] for point in chart["series"][0]["points"]] == [f"{baseline} (baseline)", value]


def test_a_support_measure_value_reads_the_same_on_every_surface(client):
    measure = SupportMeasureFactory(
        value=Decimal("2000"), value_max=Decimal("3000"), unit="cny_per_month", qualifier="about"
    )
    text = "about 2,000–3,000 yuan a month"
    assert measure.value_text == text
    assert text in client.get(reverse("programs:supportmeasure_list")).content.decode()
    assert text in client.get(measure.program.get_absolute_url()).content.decode()
    assert exported(client, "programs:supportmeasure_list", "value_text") == [text]
