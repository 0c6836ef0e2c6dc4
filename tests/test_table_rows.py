"""``CasebookTable.body_html`` draws exactly the cells django-tables2 itself
would draw, for every list's table over all of the documents' data."""

import re

import pytest
from django.template import Context
from django.template.base import render_value_in_context

from programs.models import Workshop
from programs.selectors.lists import region_list
from programs.tables import RegionTable, WorkshopTable
from programs.views import LIST_VIEWS
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.usefixtures("db", "documents")


def library_cells(table) -> list[list[str]]:
    """The cells as django-tables2's own template draws them."""
    context = Context()
    return [[render_value_in_context(cell, context) for _, cell in row.items()] for row in table.paginated_rows]


def fast_cells(table) -> list[list[str]]:
    return [re.findall(r"<td >(.*?)</td>", row, re.S) for row in str(table.body_html()).split("\n<tr")]


@pytest.mark.parametrize("list_view", LIST_VIEWS, ids=lambda view: view.__name__)
def test_rows_drawn_in_one_pass_match_the_library_cell_for_cell(list_view):
    table = list_view.table_class(list_view.queryset.all())
    table.paginate(per_page=500)
    expected = library_cells(table)
    assert len(expected) == list_view.queryset.count() > 0
    assert fast_cells(table) == expected
    assert str(table.body_html()).count('<tr class="even">') == (len(expected) + 1) // 2


def test_a_cell_is_escaped():
    WorkshopFactory(name="<b>Bold</b> & co")
    table = WorkshopTable(Workshop.objects.filter(name__startswith="<b>"))
    table.paginate(per_page=25)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in str(table.body_html())


def test_whole_numbers_follow_the_thousands_separator_setting(settings):
    # years and counts print as localize() prints them, with the separator when it is set
    table = WorkshopTable(Workshop.objects.exclude(opening_year=None).order_by("opening_year"))
    table.paginate(per_page=25)
    assert "<td >2019</td>" in str(table.body_html())
    settings.USE_THOUSAND_SEPARATOR = True
    separated = fast_cells(table)
    assert separated == library_cells(table)
    assert "2,019" in {cell for row in separated for cell in row}


def test_a_table_drawn_from_a_list_of_rows_shows_choice_labels_as_the_library_does():
    # a detail page's panel draws its table from a list of rows, not a queryset
    table = RegionTable(list(region_list().filter(level="province").order_by("path")))
    table.paginate(per_page=25)
    cells = fast_cells(table)
    assert cells == library_cells(table)
    assert {row[2] for row in cells} == {"Province"}


def library_head(table, request) -> str:
    """The header as django-tables2's Bootstrap 5 template draws it, whitespace collapsed."""
    from django.template.loader import get_template

    html = get_template("django_tables2/bootstrap5.html").render({"table": table, "request": request})
    return collapsed(re.search(r"<thead.*?</thead>", html, re.S).group(0))


def collapsed(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


@pytest.mark.parametrize("list_view", LIST_VIEWS, ids=lambda view: view.__name__)
@pytest.mark.parametrize("query", ["", "q=a%26b+%3Cc%3E&kind=x&kind=y&page=2", "sort=-year_start&per_page=50"])
def test_the_header_drawn_directly_matches_the_librarys(list_view, query, rf):
    from django_tables2 import RequestConfig

    request = rf.get(f"/list/?{query}")
    table = list_view.table_class(list_view.queryset.all())
    RequestConfig(request, paginate=False).configure(table)
    head = str(table.head_html())
    assert collapsed(head) == library_head(table, request)
    assert head.count('scope="col"') == len(table.columns) > 0


def test_a_panels_header_has_no_sort_links():
    table = RegionTable(list(region_list().filter(level="province")), orderable=False)
    head = str(table.head_html())
    assert "<a " not in head and head.count('scope="col"') == len(table.columns)
    assert collapsed(head) == library_head(table, None)
