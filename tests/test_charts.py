"""Chart data (``programs.charts``): outcomes over time with one series per
perspective and baselines as points; funding as bars that are never summed."""

from datetime import date
from decimal import Decimal

import pytest

from programs.charts import funding_bars, outcome_series
from tests.factories import FundingFactory, IndicatorFactory, OutcomeFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incidence():
    return IndicatorFactory(name="Poverty incidence", unit="percent")


def test_competing_accounts_are_separate_series_and_a_baseline_is_a_point(incidence):
    official = SourceFactory(publisher="County office")
    OutcomeFactory(
        indicator=incidence,
        source=official,
        value=Decimal("1"),
        qualifier="less_than",
        baseline_value=Decimal("41"),
        baseline_year=2014,
        year_start=None,
        year_end=2020,
        perspective="official",
    )
    OutcomeFactory(
        indicator=incidence,
        source=SourceFactory(publisher="A worker"),
        value=Decimal("5"),
        year_start=None,
        year_end=2019,
        perspective="participant",
    )
    (chart,) = outcome_series(incidence.outcomes.select_related("source", "indicator"))
    assert (chart["title"], chart["unit"]) == ("Poverty incidence over time", "%")
    assert chart["series"] == [
        {
            "name": "Official statistic",
            "points": [
                {"x": 2014, "y": 41, "label": "41% in 2014 (baseline)", "source": "County office"},
                {"x": 2020, "y": 1, "label": "less than 1%", "source": "County office"},
            ],
        },
        {"name": "Participant's account", "points": [{"x": 2019, "y": 5, "label": "5%", "source": "A worker"}]},
    ]


def test_an_as_of_date_places_the_point_in_its_year(incidence):
    OutcomeFactory(indicator=incidence, value=Decimal("3"), year_start=None, year_end=None, as_of=date(2018, 12, 31))
    OutcomeFactory(indicator=incidence, value=Decimal("2"), year_start=None, year_end=2019)
    (chart,) = outcome_series(incidence.outcomes.select_related("source", "indicator"))
    assert [point["x"] for series in chart["series"] for point in series["points"]] == [2018, 2019]


def test_a_single_year_makes_no_chart(incidence):
    OutcomeFactory(indicator=incidence, value=Decimal("3"), year_start=None, year_end=2019)
    OutcomeFactory(indicator=incidence, value=Decimal("2"), year_start=None, year_end=2019, perspective="media")
    assert outcome_series(incidence.outcomes.select_related("source", "indicator")) == []


def test_funding_bars_keep_every_record_apart_in_time_order_and_only_in_yuan():
    later = FundingFactory(amount=Decimal("620000000"), year_start=2018, year_end=2019, purpose="Investment")
    earlier = FundingFactory(amount=Decimal("100000000"), year_start=2016, year_end=2016, purpose="")
    dollars = FundingFactory(amount=Decimal("5"), currency="USD", year_start=2017, year_end=2017)
    chart = funding_bars([later, dollars, earlier])
    assert chart["bars"] == [
        {
            "category": "2016",
            "y": 100000000,
            "label": "100 million yuan",
            "name": earlier.get_kind_display(),
            "source": earlier.source.publisher,
        },
        {
            "category": "2018–2019",
            "y": 620000000,
            "label": "620 million yuan",
            "name": "Investment",
            "source": later.source.publisher,
        },
    ]
    assert chart["title"] == "Funding records by period (yuan; not summed)"


def test_one_funding_record_makes_no_bar_chart():
    assert funding_bars([FundingFactory()]) is None
