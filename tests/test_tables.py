"""Tables (``programs.tables``): the cells a list page and a panel show, with
figures as their models word them and a citation beside each."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_tables2 import RequestConfig

from programs.tables import FundingTable, OutcomeTable, WorkshopTable
from tests.factories import FundingFactory, IndicatorFactory, OutcomeFactory, ProgramFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def cells(table) -> list[dict]:
    """Each row as {column name: the text its cell renders}."""
    return [{column.name: str(cell) for column, cell in row.items()} for row in table.rows]


def test_table_cells_render_even_when_their_field_is_blank(client):
    FundingFactory(funder_region=None, funder_organisation="Xiamen state-owned firms", year_start=2017, year_end=None)
    page = client.get(reverse("programs:funding_list")).content.decode()
    assert "Xiamen state-owned firms" in page and "since 2017" in page


def test_a_funding_row_shows_its_amount_period_and_funder():
    funding = FundingFactory(
        amount=Decimal("30000000"),
        qualifier="more_than",
        year_start=2016,
        year_end=2019,
        funder_region=None,
        funder_organisation="County migration office",
    )
    (row,) = cells(FundingTable([funding]))
    assert (row["amount"], row["period"], row["funder"]) == (
        f'<a href="{funding.get_absolute_url()}">more than 30 million yuan</a>',
        "2016–2019",
        "County migration office",
    )


def test_an_outcome_row_shows_its_figure_baseline_and_when():
    outcome = OutcomeFactory(
        indicator=IndicatorFactory(name="Poverty incidence", unit="percent"),
        value=Decimal("1"),
        qualifier="less_than",
        baseline_value=Decimal("41"),
        baseline_year=2014,
        year_start=None,
        year_end=2020,
    )
    (row,) = cells(OutcomeTable([outcome]))
    assert (row["value"], row["baseline_value"], row["period"]) == (
        f'<a href="{outcome.get_absolute_url()}">less than 1%</a>',
        "41% in 2014",
        "2020",
    )


def test_a_panel_table_leaves_out_the_column_that_would_repeat_its_record_and_does_not_sort():
    program = ProgramFactory()
    WorkshopFactory(program=program)
    table = WorkshopTable(list(program.workshops.all()), exclude=("program",), orderable=False)
    RequestConfig(RequestFactory().get("/", {"sort": "name"}), paginate=False).configure(table)
    assert [column.name for column in table.columns] == [
        "name",
        "kind",
        "region",
        "operator",
        "ownership",
        "status",
        "opening_year",
    ]
    assert [column.orderable for column in table.columns] == [False] * 7
