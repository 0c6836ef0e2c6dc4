"""The index of indicators at /indicators/: grouped by unit, with definitions,
figure counts and subjects, searchable by name or definition."""

import re

import pytest
from django.urls import reverse

from programs.models import Indicator

pytestmark = pytest.mark.usefixtures("db", "documents")


def rows(client, **params):
    response = client.get(reverse("programs:indicator_list"), params)
    assert response.status_code == 200
    return [
        (group["unit"], row["indicator"].slug, row["figures"], row["subjects"])
        for group in response.context["groups"]
        for row in group["indicators"]
    ]


def test_every_indicator_is_listed_once_under_its_unit_with_its_figures(client):
    listed = rows(client)
    assert sorted(slug for _, slug, _, _ in listed) == sorted(Indicator.objects.values_list("slug", flat=True))
    by_slug = {slug: (unit, figures, subjects) for unit, slug, figures, subjects in listed}
    assert by_slug["poverty-incidence"] == ("%", 2, [("programs", 1), ("regions", 1)])
    assert by_slug["monthly-wage"] == ("yuan per month", 6, [("workshops", 6)])
    assert by_slug["land-area"] == ("mu", 4, [("workshops", 2), ("programs", 2)])


def test_the_page_links_each_indicator_and_its_figures(client):
    page = client.get("/indicators/").content.decode()
    assert '<a href="/indicators/poverty-incidence/">' in page
    assert '<a href="/outcomes/?indicator=poverty-incidence">2</a>' in page
    assert "1 about programs · 1 about regions" in page
    assert re.search(r'<h2 class="h5" id="unit-\d+">yuan per month</h2>', page)


def test_the_index_is_searched_by_name_or_definition_folding_case(client):
    assert [slug for _, slug, _, _ in rows(client, q="POVERTY incidence")] == ["poverty-incidence"]
    assert rows(client, q="nothing-like-this") == []
    assert (
        "No indicator matches “nothing-like-this”."
        in client.get("/indicators/", {"q": "nothing-like-this"}).content.decode()
    )


def test_a_search_too_long_is_a_400(client):
    response = client.get("/indicators/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
