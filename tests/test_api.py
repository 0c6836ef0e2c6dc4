"""The REST API: every list page's filters, search, sorts and facets work on its
endpoint with the same rows and the same messages; records read with their
citations; cursors walk every row once; errors are JSON; editors write under their
admin permissions, into the history."""

import html
import json
import re

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from programs import tables
from programs.api.serializers import ENDPOINTS
from programs.filters import RefField
from programs.models import Funding, Outcome, Pairing, Program, Region, Source, Workshop
from programs.views.lists import LIST_VIEWS
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("db", "documents")


def endpoint(list_view) -> str:
    return f"/api/v1/{ENDPOINTS[list_view.model()._meta.model_name]}/"


def page_path(list_view) -> str:
    from django.urls import reverse

    return reverse(list_view.url_name)


def api_rows(client, url: str, params: dict) -> tuple[int, list[int]]:
    """Every row of an API list (walking its cursors): the count it states and the ids."""
    response = client.get(url, {**params, "page_size": 500})
    assert response.status_code == 200, response.content
    body = response.json()
    count, ids = body["count"], [row["id"] if "id" in row else row["url"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        ids += [row["id"] if "id" in row else row["url"] for row in body["results"]]
    return count, ids


def page_rows(client, list_view, params: dict) -> tuple[int, set]:
    response = client.get(page_path(list_view), params)
    assert response.status_code == 200, params
    table = response.context["table"]
    return table.paginator.count, table.data.data


def as_ids(list_view, rows, client) -> list:
    """The page's rows named as the API names them (a figure by id, a record by its URL)."""
    model = list_view.model()
    if any(field.name == "slug" for field in model._meta.fields):
        return sorted(f"http://testserver/api/v1/{ENDPOINTS[model._meta.model_name]}/{row.slug}/" for row in rows)
    return sorted(row.pk for row in rows)


def samples(list_view, name: str, rule) -> list:
    """Values to try for one filter of a list: every choice of a choice filter, every
    record of a record checkbox, some places and records for a box that names one,
    years and amounts for a number. A filter of a kind not known here fails the test."""
    field = list_view.filterset_class().form.fields[name]
    if name == "q":
        return ["Lueyang", "临夏", "enterprises introduced", "xiamen investment"]
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [[record.slug] for record in field.queryset] + [
            [record.name_zh] for record in field.queryset[:3] if getattr(record, "name_zh", "")
        ]
    if isinstance(field, forms.ChoiceField):
        values = [value for value, _ in field.choices if value != ""]
        return [[value] for value in values] if isinstance(field, forms.MultipleChoiceField) else values
    if isinstance(field, RefField):
        model = field.model
        if model is Region:
            return ["china", "gansu", "linxia", "临夏州", "lueyang", "guangxi", "qingdao"]
        used = []
        try:  # records the list's rows point at, then any
            rows = list_view.model().objects.exclude(**{f"{rule.field_name}__isnull": True})
            used = list(rows.order_by().values_list(f"{rule.field_name}__slug", flat=True).distinct()[:4])
        except FieldError:
            pass
        return sorted(set(used)) + [record.slug for record in model.objects.order_by("slug")[:3]]
    if isinstance(rule, django_filters.NumberFilter):
        return [2010, 2016, 2019] if "year" in name else [0, 1000000, 50000000]
    raise AssertionError(f"{list_view.__name__}.{name}: a filter this test does not know how to try")


FILTERS = [
    (list_view, name, rule) for list_view in LIST_VIEWS for name, rule in list_view.filterset_class.base_filters.items()
]


@pytest.mark.parametrize(
    ("list_view", "name", "rule"), FILTERS, ids=[f"{view.__name__}-{name}" for view, name, _ in FILTERS]
)
def test_every_filter_of_every_list_gives_the_same_rows_on_the_api(client, list_view, name, rule):
    tried = 0
    for value in samples(list_view, name, rule):
        params = {name: value}
        count, rows = page_rows(client, list_view, params)
        api_count, ids = api_rows(client, endpoint(list_view), params)
        assert (api_count, sorted(ids)) == (count, as_ids(list_view, rows, client)), params
        tried += 1 if count else 0
    assert tried >= 1, "at least one value finds rows"


BAD = {"q": "x" * 201, "region": "atlantis", "within": "atlantis", "year__gte": "soon", "amount__gte": "-5"}


def bad_value(list_view, name, rule):
    field = list_view.filterset_class().form.fields[name]
    if name in BAD:
        return BAD[name]
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ChoiceField):
        return "no-such-choice"
    if isinstance(field, RefField):
        return "no-such-record"
    if isinstance(rule, django_filters.NumberFilter):
        return "many"
    raise AssertionError(f"{list_view.__name__}.{name}: no bad value known")


@pytest.mark.parametrize(
    ("list_view", "name", "rule"), FILTERS, ids=[f"{view.__name__}-{name}" for view, name, _ in FILTERS]
)
def test_a_bad_value_gets_the_pages_own_message_from_the_api(client, list_view, name, rule):
    params = {name: bad_value(list_view, name, rule)}
    page = client.get(page_path(list_view), params)
    assert page.status_code == 400
    messages = [message for errors in page.context["filterset"].errors.values() for message in errors]
    answer = client.get(endpoint(list_view), params)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["errors"] == messages != []
    assert answer.json()["detail"] == " ".join(messages)


SORTS = [(list_view, column) for list_view in LIST_VIEWS for column in list_view.sortable_columns()]


@pytest.mark.parametrize(("list_view", "column"), SORTS, ids=[f"{view.__name__}-{column}" for view, column in SORTS])
def test_every_sort_of_a_page_orders_the_api_the_same(client, list_view, column):
    for sort in (column, f"-{column}"):
        response = client.get(page_path(list_view), {"sort": sort, "per_page": 100})
        shown = list(response.context["table"].page.object_list)
        expected = [row.record.pk for row in shown]
        walked, url = [], endpoint(list_view) + f"?sort={sort}&page_size=7"
        while url and len(walked) < len(expected):
            body = client.get(url).json()
            walked += [row["id"] if "id" in row else row["slug"] for row in body["results"]]
            url = body["next"]
        if "id" not in body["results"][0]:
            slugs = dict(list_view.model().objects.values_list("pk", "slug"))
            expected = [slugs[pk] for pk in expected]
        assert walked[: len(expected)] == expected, sort


def test_a_cursor_walk_reaches_every_row_once_in_order_of_id(client):
    count, ids = api_rows(client, "/api/v1/outcomes/", {})
    walked, url = [], "/api/v1/outcomes/?page_size=9"
    pages = 0
    while url:
        response = client.get(url)
        body = response.json()
        walked += [row["id"] for row in body["results"]]
        assert ('rel="next"' in response["Link"]) == (body["next"] is not None)
        assert response["Link"].endswith('<http://testserver/api/v1/outcomes/?page_size=9>; rel="first"')
        url, pages = body["next"], pages + 1
    assert walked == sorted(Outcome.objects.values_list("pk", flat=True)) == ids
    assert (count, pages) == (len(walked), -(-len(walked) // 9))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("cursor=nonsense", "This cursor is not one the casebook gave out."),
        ("cursor=eyJzb3J0IjoiIiwiYWZ0ZXIiOlsiYWJjIl19", "This cursor is not one the casebook gave out."),
        (
            "cursor=eyJzb3J0IjoiLWFtb3VudCIsImFmdGVyIjpbIjEiLDFdfQ",
            "This cursor was made for another sort; start again without it.",
        ),
        ("page_size=0", "The page size must be a whole number from 1 to 500, not “0”."),
        ("page_size=501", "The page size must be a whole number from 1 to 500, not “501”."),
        (
            "sort=colour",
            "Cannot sort by “colour”; sortable columns are: amount, funder, kind, period, purpose, recipient_region.",
        ),
        ("facets=kind,colour", "There is no facet “colour”; this list counts: kind, qualifier, source."),
        (
            "expand=donor",
            "Cannot expand “donor”; this endpoint expands: "
            "source, funder_region, recipient_region, program, pairing, workshop.",
        ),
        (
            "page=2",
            "Unknown parameter “page”. This page takes: amount__gte, amount__lte, cursor, expand, facets, funder, "
            "kind, page_size, pairing, program, q, qualifier, recipient, region, sort, source, workshop, "
            "year__gte, year__lte.",
        ),
        ("kind=fiscal&kind=x&sort=amount&sort=kind", "“sort” was given 2 times; give it once."),
    ],
)
def test_bad_paging_sorting_or_expanding_is_a_400_in_json(client, query, message):
    response = client.get(f"/api/v1/funding/?{query}")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert message in response.json()["errors"]


def test_facets_count_what_the_page_counts(client):
    page = client.get("/funding/", {"region": "linxia"})
    expected = {param: [(c.value, c.count) for c in choices] for _, param, choices in page.context["facets"]}
    body = client.get("/api/v1/funding/", {"region": "linxia", "facets": "kind,qualifier,source"}).json()
    assert {name: [(c["value"], c["count"]) for c in choices] for name, choices in body["facets"].items()} == expected
    assert body["count"] == page.context["table"].paginator.count == 5


def test_a_funding_record_reads_with_its_citation_hedge_and_exact_amount(client):
    record = Funding.objects.get(key="jihe-park-total-investment")
    body = client.get(f"/api/v1/funding/{record.pk}/").json()
    assert {
        name: body[name] for name in ("key", "amount", "amount_max", "currency", "qualifier", "text", "locator")
    } == {
        "key": "jihe-park-total-investment",
        "amount": format(record.amount.normalize(), "f"),
        "amount_max": None,
        "currency": "CNY",
        "qualifier": record.qualifier,
        "text": record.amount_text,
        "locator": record.locator,
    }
    assert body["source"] == {
        "slug": record.source.slug,
        "name": record.source.title,
        "url": f"http://testserver/api/v1/sources/{record.source.slug}/",
    }
    assert body["citation"] == f"{record.source.publisher}, {record.source.published_year} — {record.locator}"
    # The pages' citation, without its link.
    assert body["citation"] == html.unescape(re.sub(r"<[^>]+>", "", str(tables.citation(record))))
    assert body["url"] == f"http://testserver/api/v1/funding/{record.pk}/"
    assert body["page"] == f"http://testserver/funding/{record.pk}/"


def test_amounts_are_exact_decimal_strings(client):
    record = Funding.objects.get(key="jihe-park-total-investment")
    Funding.objects.filter(pk=record.pk).update(amount="36800000000.25", amount_max="40000000000")
    body = client.get(f"/api/v1/funding/{record.pk}/").json()
    assert (body["amount"], body["amount_max"]) == ("36800000000.25", "40000000000")


def test_a_pairing_expands_to_its_figures_and_citations(client, django_assert_num_queries):
    pairing = Pairing.objects.get(slug="xiamen-linxia")
    # The version, the pairing list's three kept counts (first view), the pairing with its
    # sources and the donor expanded; its funding and one query per kind of record they
    # name (source, program, workshop, pairing with donor and recipient, the two regions),
    # its outcomes and theirs (the same, with indicator and region): however many figures.
    with django_assert_num_queries(25):
        body = client.get("/api/v1/pairings/xiamen-linxia/", {"expand": "funding,outcomes,donor"}).json()
    assert [row["key"] for row in body["funding"]] == list(
        Funding.objects.filter(pairing=pairing).order_by("pk").values_list("key", flat=True)
    )
    assert [row["key"] for row in body["outcomes"]] == list(
        Outcome.objects.filter(pairing=pairing).order_by("pk").values_list("key", flat=True)
    )
    assert all(row["citation"] and row["source"]["slug"] for row in body["funding"] + body["outcomes"])
    assert body["donor"]["name_zh"] == "厦门市"
    assert "funding" not in client.get("/api/v1/pairings/xiamen-linxia/").json()


def test_a_record_is_addressed_by_the_slug_or_id_of_its_page(client):
    for model in (Program, Region, Pairing, Workshop, Source):
        record = model.objects.order_by("pk").first()
        name = ENDPOINTS[model._meta.model_name]
        assert client.get(f"/api/v1/{name}/{record.slug}/").json()["slug"] == record.slug
    missing = client.get("/api/v1/workshops/atlantis/")
    assert (missing.status_code, missing.json()) == (404, {"detail": "There is no such workshop in the casebook."})
    assert client.get("/api/v1/funding/999999999/").status_code == 404
    unknown = client.get("/api/v1/nothing-here/")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "There is no such address in the API."})
    assert client.get("/api/v1/regions/lueyang/", {"colour": "red"}).json()["detail"] == (
        "Unknown parameter “colour”. A record takes: expand."
    )


def test_the_api_speaks_chinese_under_its_chinese_address(client):
    body = client.get("/zh-hans/api/v1/regions/lueyang/").json()
    assert (body["name"], body["parent"]["name"], body["url"]) == (
        "略阳县",
        "汉中市",
        "http://testserver/zh-hans/api/v1/regions/lueyang/",
    )
    bad = client.get("/zh-hans/api/v1/workshops/", {"region": "atlantis"}).json()
    assert "atlantis" in bad["detail"] and "没有" in bad["detail"]


def test_every_list_page_links_to_its_api_twin_with_the_same_query(client):
    for list_view in LIST_VIEWS:
        response = client.get(page_path(list_view), {"q": "Lueyang", "per_page": 50, "page": 1})
        twin = f'href="{endpoint(list_view)}?q=Lueyang"'
        assert twin in response.content.decode(), list_view


def test_a_list_reads_its_rows_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    # The version, the page's ids with the next cursor's values, the rows with every record
    # they name (the list page's own joins); the first time also the count, the facets and
    # the region cascade, as the list page counts them (kept per data version, for both).
    with django_assert_num_queries(9):
        assert len(client.get("/api/v1/funding/?page_size=5").json()["results"]) == 5
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/funding/?page_size=12").json()["results"]) == 12
    # The version, the page's ids (with the next cursor's values), the programs; their
    # approaches and regions (one query each, as the page reads them), their pairings and
    # sources (the links, then each pairing with its places, each source, once): the same
    # for any number of programs. The first time, also the list's three kept counts, the
    # count and the two facets.
    with django_assert_num_queries(15):
        assert len(client.get("/api/v1/programs/?page_size=3").json()["results"]) == 3
    with django_assert_num_queries(9):
        found = client.get("/api/v1/programs/?page_size=9").json()["results"]
    assert len(found) == Program.objects.count() == 6


# --- writing ---------------------------------------------------------------------------


def token_client(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


NEW_SOURCE = {
    "slug": "new-report-2021",
    "title": "A new report",
    "publisher": "A publisher",
    "published_year": 2021,
    "kind": "news_report",
}


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("viewer", 403), ("nonstaff", 403), ("editor", 201), ("superuser", 201)],
)
def test_who_may_create_a_record_is_who_may_in_the_admin(role, status):
    from programs.services.groups import EDITORS, VIEWERS

    users = {
        "viewer": lambda: UserFactory(username="viewer", groups=[VIEWERS]),
        "nonstaff": lambda: UserFactory(username="nonstaff", is_staff=False, groups=[EDITORS]),
        "editor": lambda: UserFactory(username="editor", groups=[EDITORS]),
        "superuser": lambda: UserFactory(username="superuser", is_superuser=True),
    }
    client = Client() if role == "anonymous" else token_client(users[role]())
    before = Source.objects.count()
    response = client.post("/api/v1/sources/", json.dumps(NEW_SOURCE), content_type="application/json")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert Source.objects.count() == before + (1 if status == 201 else 0)
    if status == 201:
        created = Source.objects.get(slug="new-report-2021")
        assert created.history.get().history_user.username == role
        assert response.json()["url"] == "http://testserver/api/v1/sources/new-report-2021/"


def test_an_editor_changes_a_figure_and_the_history_names_them(editor):
    record = Funding.objects.get(key="jihe-park-total-investment")
    client = token_client(editor)
    response = client.patch(
        f"/api/v1/funding/{record.pk}/", json.dumps({"purpose": "Corrected purpose"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    latest = record.history.first()
    assert (record.purpose, latest.history_user, latest.history_type) == ("Corrected purpose", editor, "~")


def test_a_write_the_model_refuses_changes_nothing_and_says_why(editor):
    record = Funding.objects.get(key="jihe-park-total-investment")
    client = token_client(editor)
    response = client.patch(
        f"/api/v1/funding/{record.pk}/",
        json.dumps({"amount_max": "1", "recipient_region": "atlantis"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"recipient_region"}
    response = client.patch(
        f"/api/v1/funding/{record.pk}/", json.dumps({"amount_max": "1"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "amount_max" in response.json()["errors"]
    record.refresh_from_db()
    assert record.amount_max is None and record.history.count() == 1


def test_nobody_deletes_through_the_api(editor):
    record = Funding.objects.get(key="jihe-park-total-investment")
    response = token_client(editor).delete(f"/api/v1/funding/{record.pk}/")
    assert response.status_code == 405
    assert Funding.objects.filter(pk=record.pk).exists()


def test_anonymous_readers_are_throttled_per_address(client):
    from django.core.cache import cache

    cache.clear()
    rates = {"anon": "3/minute", "user": "1000/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [client.get("/api/v1/approaches/").status_code for _ in range(4)]
        other = client.get("/api/v1/approaches/", REMOTE_ADDR="10.0.0.9")
        refused = client.get("/api/v1/approaches/")
    cache.clear()
    assert statuses == [200, 200, 200, 429]
    assert other.status_code == 200
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert int(refused["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"purpose": "a\x00b"}, "purpose", "Not a valid string."),
        ({"purpose": "\ud800"}, "purpose", "Not a valid string."),
        ({"purpose": 5}, "purpose", "Not a valid string."),
        ({"is_annual": 1}, "is_annual", "Not a valid true or false."),
        ({"year_start": "2019"}, "year_start", "Not a valid whole number."),
        ({"amount": 5}, "amount", "Not a valid string."),
        ({"recipient_region": "lin\x00xia"}, "recipient_region", "Not a valid string."),
    ],
)
def test_a_value_of_the_wrong_type_or_unstorable_text_is_refused(editor, change, field, message):
    record = Funding.objects.get(key="jihe-park-total-investment")
    before = {name: getattr(record, name) for name in ("purpose", "is_annual", "year_start", "amount")}
    body = json.dumps(change)  # "\ud800" goes out as the escape JSON allows
    response = token_client(editor).patch(f"/api/v1/funding/{record.pk}/", body, content_type="application/json")
    assert (response.status_code, response.json()["errors"]) == (400, {field: [message]})
    record.refresh_from_db()
    assert {name: getattr(record, name) for name in before} == before


ROLES = {
    "anonymous": None,
    "viewer": {"groups": ["Viewers"]},
    "nonstaff": {"groups": ["Editors"], "is_staff": False},
    "editor": {"groups": ["Editors"]},
    "superuser": {"is_superuser": True},
}
# What each role gets when it changes a record through the API, as in the admin: editors
# and superusers may change every casebook record, viewers and non-staff accounts none.
CHANGE_STATUS = {"anonymous": 401, "viewer": 403, "nonstaff": 403, "editor": 200, "superuser": 200}
MATRIX = [(model_name, role) for model_name in ENDPOINTS for role in ROLES]


@pytest.mark.parametrize(("model_name", "role"), MATRIX, ids=[f"{m}-{r}" for m, r in MATRIX])
def test_permission_matrix_of_changes_through_the_api(model_name, role):
    from django.apps import apps

    model = apps.get_model("programs", model_name)
    record = model.objects.order_by("pk").first()
    field = "note" if any(f.name == "note" for f in model._meta.fields) else "description"
    key = getattr(record, "slug", record.pk)
    client = Client() if ROLES[role] is None else token_client(UserFactory(username=role, **ROLES[role]))
    history = record.history.count()
    response = client.patch(
        f"/api/v1/{ENDPOINTS[model_name]}/{key}/",
        json.dumps({field: "Checked again."}),
        content_type="application/json",
    )
    assert response.status_code == CHANGE_STATUS[role], response.content
    record.refresh_from_db()
    changed = CHANGE_STATUS[role] == 200
    assert (getattr(record, field) == "Checked again.") is changed
    assert record.history.count() == history + (1 if changed else 0)
    if changed:
        assert record.history.first().history_user.username == role
