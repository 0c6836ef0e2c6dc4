"""Strict list URLs: every parameter is known, single-valued ones come once, and
``page``, ``per_page``, ``sort`` and ``export`` are validated like the filters."""

import re
from html import unescape

import pytest
from django.urls import reverse

from programs.services import casebook_load
from programs.views import LIST_VIEWS
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db
# Each list page's filterset, by model name.
FILTERSETS = {view.model()._meta.model_name: view.filterset_class for view in LIST_VIEWS}
LISTS = ["program", "region", "pairing", "workshop", "funding", "outcome", "supportmeasure", "source"]


def errors_of(response) -> list[str]:
    return response.context["state"].errors


@pytest.mark.parametrize("model_name", LISTS)
def test_every_list_page_refuses_an_unknown_parameter_and_names_what_it_takes(client, model_name):
    response = client.get(reverse(f"programs:{model_name}_list"), {"colour": "red"})
    known = ", ".join(sorted({*FILTERSETS[model_name].base_filters, "page", "per_page", "sort", "export"}))
    assert response.status_code == 400
    assert errors_of(response) == [f"Unknown parameter “colour”. This page takes: {known}."]


def test_the_workshop_list_names_exactly_the_parameters_it_takes(client):
    response = client.get(reverse("programs:workshop_list"), {"year": "2016", "Status": "ceased"})
    assert errors_of(response) == [
        "Unknown parameters “Status”, “year”. This page takes: export, kind, opening_year__gte, opening_year__lte, "
        "ownership, page, pairing, per_page, program, q, region, sort, source, status."
    ]


def test_an_unknown_parameter_is_refused_on_export_too(client):
    WorkshopFactory()
    response = client.get(reverse("programs:workshop_list"), {"export": "csv", "stauts": "ceased"})
    assert (response.status_code, response["Content-Type"]) == (400, "text/html; charset=utf-8")


@pytest.mark.parametrize(
    "query, message",
    [
        ("sort=name&sort=-name", "“sort” was given 2 times; give it once."),
        ("region=lueyang&region=tiandeng", "“region” was given 2 times; give it once."),
        ("q=a&q=b&q=c", "“q” was given 3 times; give it once."),
        ("page=1&page=2", "“page” was given 2 times; give it once."),
    ],
)
def test_a_single_valued_parameter_given_twice_is_refused(client, query, message):
    response = client.get(reverse("programs:workshop_list") + "?" + query)
    assert response.status_code == 400
    assert errors_of(response) == [message]


def test_a_multi_valued_filter_may_be_given_several_times(client):
    WorkshopFactory(status="ceased")
    WorkshopFactory(status="planned")
    response = client.get(reverse("programs:workshop_list") + "?status=ceased&status=planned&status=operating")
    assert (response.status_code, response.context["table"].paginator.count) == (200, 2)


def test_empty_parameters_from_the_filter_form_are_accepted(client):
    WorkshopFactory()
    query = "q=&region=&opening_year__gte=&opening_year__lte=&program=&pairing=&per_page=25"
    response = client.get(reverse("programs:workshop_list") + "?" + query)
    assert (response.status_code, response.context["table"].paginator.count) == (200, 1)


def test_the_second_page_is_served(client):
    WorkshopFactory.create_batch(27)
    response = client.get(reverse("programs:workshop_list"), {"page": "2"})
    assert (response.status_code, len(response.context["table"].page.object_list)) == (200, 2)


HREF = re.compile(r'href="(\?[^"]*)"')


def test_every_link_a_list_page_offers_leads_to_a_page_that_accepts_it(client):
    """Facets, the region cascade, sortable headers, page sizes, pagination and
    exports all build URLs from the current one; none may build a refused one."""
    casebook_load()
    for model_name in LISTS:
        url = reverse(f"programs:{model_name}_list")
        for start in ("", "?q=a&per_page=50"):
            page = client.get(url + start)
            links = sorted(set(HREF.findall(page.content.decode())))
            assert page.status_code == 200 and "sort=" in " ".join(links), (url, start)
            refused = [
                (href, status) for href in links if (status := client.get(url + unescape(href)).status_code) != 200
            ]
            assert refused == [], (url + start, refused)


def test_a_bad_sort_is_one_error_naming_the_sortable_columns(client):
    response = client.get(reverse("programs:workshop_list"), {"sort": "x" * 70})
    assert errors_of(response) == [
        f"Cannot sort by “{'x' * 40}…”; sortable columns are: kind, name, opening_year, operator, ownership, "
        "program, region, status."
    ]
