"""Figures read naturally and exactly: no rounding, hedges kept."""

from decimal import Decimal

import pytest

from programs import formatting

D = Decimal


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"amount": D("3680000000.00")}, "3.68 billion yuan"),
        ({"amount": D("1341000000")}, "1.341 billion yuan"),
        ({"amount": D("16400000")}, "16.4 million yuan"),
        ({"amount": D("30000000"), "qualifier": "more_than"}, "more than 30 million yuan"),
        ({"amount": D("200000"), "qualifier": "about"}, "about 200,000 yuan"),
        ({"amount": D("2000"), "upper": D("3000")}, "2,000–3,000 yuan"),
        ({"amount": D("1234567.89")}, "1.23456789 million yuan"),
        ({"amount": D("5"), "currency": "USD"}, "5 US dollars"),
    ],
)
def test_money_reads_naturally_and_exactly(kwargs, expected):
    assert formatting.money(**kwargs) == expected


def test_stated_dollars():
    assert formatting.usd(D("517370000")) == "US$517.37 million"


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"value": D("500"), "qualifier": "more_than", "unit": "people"}, "more than 500"),
        ({"value": D("1.0000"), "qualifier": "less_than", "unit": "percent"}, "less than 1%"),
        ({"value": D("0.6"), "unit": "percent"}, "0.6%"),
        ({"value": D("98757"), "unit": "people"}, "98,757"),
        ({"value": D("600000000"), "qualifier": "about", "unit": "people"}, "about 600 million"),
        ({"value": D("2000"), "upper": D("3000"), "unit": "cny_per_month"}, "2,000–3,000 yuan a month"),
        ({"value": D("3"), "upper": D("4"), "unit": "count"}, "3–4"),
        ({"value": D("13.2"), "unit": "percent"}, "13.2%"),
        ({"value": D("1500"), "qualifier": "up_to", "unit": "cny_per_month"}, "up to 1,500 yuan a month"),
    ],
)
def test_figures_keep_their_hedge_and_unit(kwargs, expected):
    assert formatting.figure(**kwargs) == expected


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (2016, 2019, "2016–2019"),
        (2009, 2009, "2009"),
        (None, 2018, "2018"),
        (2017, None, "since 2017"),
        (None, None, ""),
    ],
)
def test_periods(start, end, expected):
    assert formatting.period(start, end) == expected
