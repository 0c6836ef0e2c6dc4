"""Pages are read by their ids first, from the nearer end of the list: every
page, in every sort, holds exactly the rows a plain OFFSET would give."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Funding
from programs.selectors.lists import funding_list, with_stable_order
from programs.views.paging import page_ids, page_rows
from tests.factories import FundingFactory, SourceFactory

pytestmark = pytest.mark.django_db

ROWS = 23


@pytest.fixture
def funding():
    sources = [SourceFactory(slug=f"source-{letter}") for letter in "cab"]
    for number in range(ROWS):
        FundingFactory(
            source=sources[number % 3],
            key=f"f-{(number * 7) % ROWS:02d}",
            amount=Decimal(number % 5),  # ties
            year_start=None if number % 4 == 0 else 2010 + number % 6,  # blanks
            year_end=None if number % 4 == 0 else 2016,
        )


@pytest.mark.parametrize("sort", [(), ("-amount",), ("year_start",), ("-year_start",), ("source__slug", "-key")])
def test_every_page_holds_the_rows_an_offset_gives(funding, sort):
    queryset = with_stable_order(funding_list().order_by(*sort) if sort else funding_list())
    expected = list(queryset.values_list("pk", flat=True))
    for per_page in (5, 10):
        for bottom in range(0, ROWS, per_page):
            top = min(bottom + per_page, ROWS)
            assert page_ids(queryset, bottom=bottom, top=top, count=ROWS) == expected[bottom:top]
            assert [row.pk for row in page_rows(queryset, bottom=bottom, top=top, count=ROWS)] == expected[bottom:top]


def test_an_empty_page_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert page_rows(funding_list(), bottom=0, top=0, count=0) == []


def test_the_list_page_shows_each_page_as_an_offset_would(client):
    source = SourceFactory()
    for number in range(60):
        FundingFactory(source=source, key=f"g-{number:02d}", amount=Decimal(number % 7))
    ordered = list(with_stable_order(Funding.objects.order_by("-amount")).values_list("pk", flat=True))
    for page in (1, 2, 3):  # page 3 (rows 51-60) is read backwards from the end
        response = client.get(reverse("programs:funding_list"), {"sort": "-amount", "per_page": 25, "page": page})
        shown = [row.record.pk for row in response.context["table"].page.object_list]
        assert shown == ordered[(page - 1) * 25 : page * 25]
