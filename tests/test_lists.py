"""A new list page is one declaration and one URL line (see DEVELOPERS.md): a
throwaway list of closed workshops, declared in tests/throwaway_urls.py against
the existing workshop model, filters, counts its facets, sorts and exports."""

import csv
import io

import pytest

from tests.factories import WorkshopFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.throwaway_urls")]


@pytest.fixture
def workshops(places):
    return {
        "bags": WorkshopFactory(
            slug="bags", name="Bag workshop", status="ceased", kind="community_factory", region=places["lueyang"]
        ),
        "shoes": WorkshopFactory(
            slug="shoes", name="Shoe plant", status="ceased", kind="enterprise_plant", region=places["lueyang"]
        ),
        "toys": WorkshopFactory(
            slug="toys", name="Toy workshop", status="ceased", kind="community_factory", region=places["tiandeng"]
        ),
        "open": WorkshopFactory(slug="open", name="Open workshop", status="operating", region=places["lueyang"]),
    }


def slugs(response) -> list[str]:
    return [row.record.slug for row in response.context["table"].page.object_list]


def test_the_declared_list_shows_only_its_rows_with_facets_and_cascade(client, workshops):
    response = client.get("/closed-workshops/")
    facets = {param: {c.value: c.count for c in choices} for _, param, choices in response.context["facets"]}
    assert (response.status_code, slugs(response)) == (200, ["bags", "shoes", "toys"])
    assert facets == {"kind": {"community_factory": 2, "enterprise_plant": 1}, "ownership": {"private": 3}}
    assert [(s.region.slug, s.count) for s in response.context["cascade"]["steps"]] == [("guangxi", 1), ("shaanxi", 2)]


def test_the_declared_list_filters_and_sorts(client, workshops):
    response = client.get("/closed-workshops/", {"region": "shaanxi", "sort": "-name"})
    assert (response.status_code, slugs(response)) == (200, ["shoes", "bags"])


def test_the_declared_list_exports_its_own_columns(client, workshops):
    response = client.get("/closed-workshops/", {"kind": "community_factory", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == [
        ["slug", "name", "region", "closing_year"],
        ["bags", "Bag workshop", "lueyang", ""],
        ["toys", "Toy workshop", "tiandeng", ""],
    ]


def test_the_declared_list_refuses_what_it_does_not_know(client, workshops):
    response = client.get("/closed-workshops/", {"colour": "red"})
    assert response.status_code == 400
