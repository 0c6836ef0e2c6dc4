"""The editors' admin: searching, editing, the change history and reverting,
the groups' permissions and sign-in throttling. Who may open which admin URL
is the matrix in test_permissions.py."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from programs.models import Region, Source
from programs.services import EDITORS
from tests.factories import (
    ApproachFactory,
    CountryFactory,
    FundingFactory,
    IndicatorFactory,
    OutcomeFactory,
    PairingFactory,
    ProgramFactory,
    RegionFactory,
    SourceFactory,
    SupportMeasureFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "source": SourceFactory,
    "region": RegionFactory,
    "approach": ApproachFactory,
    "program": ProgramFactory,
    "pairing": PairingFactory,
    "workshop": WorkshopFactory,
    "funding": FundingFactory,
    "indicator": IndicatorFactory,
    "outcome": OutcomeFactory,
    "supportmeasure": SupportMeasureFactory,
}
MODELS = list(FACTORIES)


@pytest.mark.parametrize("model_name", MODELS)
def test_changelist_search_finds_the_record_by_its_first_search_field(editor_client, model_name):
    record = FACTORIES[model_name]()
    model_admin = admin.site._registry[type(record)]
    term = getattr(record, model_admin.search_fields[0])
    url = reverse(f"admin:programs_{model_name}_changelist")
    found = editor_client.get(url, {"q": term}).context["cl"]
    missing = editor_client.get(url, {"q": "no-such-record-县"}).context["cl"]
    assert ([obj.pk for obj in found.result_list], missing.result_count) == ([record.pk], 0)


def test_admin_edit_writes_exactly_one_history_row_naming_the_user(editor_client, editor):
    source = SourceFactory(slug="sixth-tone", title="Old title", published_year=2020, published_on=None)
    before = source.history.count()
    response = editor_client.post(
        reverse("admin:programs_source_change", args=[source.pk]),
        {
            "slug": "sixth-tone",
            "title": "This Year, Remote Lüeyang Beat Poverty",
            "publisher": "Sixth Tone",
            "published_year": "2020",
            "kind": "news_feature",
            "language": "English",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert source.history.count() == before + 1
    latest = source.history.first()
    assert (latest.history_user, latest.history_type, latest.title) == (
        editor,
        "~",
        "This Year, Remote Lüeyang Beat Poverty",
    )
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field in {"title", "publisher"}] == [
        ("publisher", "Example Press", "Sixth Tone"),
        ("title", "Old title", "This Year, Remote Lüeyang Beat Poverty"),
    ]


def test_history_page_shows_who_changed_the_record_and_what(editor_client, editor):
    source = SourceFactory(title="Before")
    source._history_user = editor
    source.title = "After"
    source.save()
    response = editor_client.get(reverse("admin:programs_source_history", args=[source.pk]))
    rows = list(response.context["page_obj"])
    assert [(row.history_type, row.history_user) for row in rows] == [("~", editor), ("+", None)]
    assert rows[0].history_delta_changes == [{"field": "Title", "old": "Before", "new": "After"}]
    table = history_table(response)
    assert table.count(f'<a href="/admin/auth/user/{editor.pk}/change/">editor</a>') == 1
    assert re.findall(r"<strong>(\w+):</strong>\s*(\w+)\s*&nbsp;&rarr;&nbsp;&nbsp;(\w+)", table) == [
        ("Title", "Before", "After")
    ]


def history_table(response) -> str:
    page = response.content.decode()
    return page[page.index('<table id="change-history"') : page.index("</table>", page.index("change-history"))]


def test_history_page_offers_revert_only_to_users_who_may_change(client, editor, viewer):
    source = SourceFactory()
    url = reverse("admin:programs_source_history", args=[source.pk])
    revert_disabled = {}
    for user in (editor, viewer):
        client.force_login(user)
        revert_disabled[user.username] = client.get(url).context["revert_disabled"]
    assert revert_disabled == {"editor": False, "viewer": True}


def test_editor_reverts_a_record_to_an_earlier_version(editor_client, editor):
    source = SourceFactory(slug="gpig", title="First title", published_on=None)
    first = source.history.get()
    source.title = "Second title"
    source.save()
    form = {
        "slug": "gpig",
        "title": "First title",
        "publisher": source.publisher,
        "published_year": "2020",
        "kind": source.kind,
        "language": source.language,
    }
    response = editor_client.post(
        reverse("admin:programs_source_simple_history", args=[source.pk, first.history_id]), form
    )
    assert response.status_code == 302
    latest = source.history.first()
    assert (Source.objects.get(pk=source.pk).title, latest.history_user, source.history.count()) == (
        "First title",
        editor,
        3,
    )


def test_invalid_admin_edit_is_refused_with_a_message_and_saves_nothing(editor_client):
    source = SourceFactory(slug="gpig", published_year=2024, published_on=None)
    response = editor_client.post(
        reverse("admin:programs_source_change", args=[source.pk]),
        {
            "slug": "gpig",
            "title": "Factory district",
            "publisher": "GPIG",
            "published_on": "2024-04-25",
            "published_year": "2023",
            "kind": "case_study",
            "language": "English",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "published_year": ["The publication year must match the publication date."]
    }
    assert (Source.objects.get(pk=source.pk).published_year, source.history.count()) == (2024, 1)


def test_editors_and_viewers_groups_have_exactly_their_permissions():
    perms = {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=["Editors", "Viewers"])
    }
    assert perms["Viewers"] == sorted(f"view_{name}" for name in MODELS)
    assert perms["Editors"] == sorted(f"{action}_{name}" for name in MODELS for action in ("view", "add", "change"))


def test_editor_adds_a_region_below_another(editor_client, editor):
    china = CountryFactory()
    response = editor_client.post(
        reverse("admin:programs_region_add"),
        {
            "slug": "guangxi",
            "name_en": "Guangxi",
            "name_zh": "广西壮族自治区",
            "level": "province",
            "parent": china.pk,
            "belt": "west",
            "is_poverty_county": "unknown",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    region = Region.objects.get(slug="guangxi")
    assert (region.path, region.history.get().history_user) == ("china/guangxi/", editor)


def sign_in(client, username, password, ip="127.0.0.1", forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


WRONG = "not the password"
RIGHT = "correct horse battery staple"  # UserFactory's password


def test_five_wrong_passwords_lock_the_user_out_from_that_address(client, editor):
    statuses = [sign_in(client, "editor", WRONG).status_code for _ in range(5)]
    locked = sign_in(client, "editor", RIGHT)
    page = locked.content.decode()
    assert (statuses, locked.status_code) == ([200, 200, 200, 200, 429], 429)
    assert "Too many failed sign-ins" in page
    assert "After 5 wrong passwords in a row, signing in as this user from this address is" in page
    assert "_auth_user_id" not in client.session


def test_a_lockout_holds_only_for_its_user_and_address(client, editor):
    UserFactory(username="colleague", groups=[EDITORS])
    for _ in range(5):
        sign_in(client, "editor", WRONG)
    assert sign_in(Client(), "editor", RIGHT, ip="10.0.0.2").status_code == 302
    assert sign_in(Client(), "colleague", RIGHT).status_code == 302
    assert sign_in(Client(), "editor", RIGHT).status_code == 429


def test_signing_in_before_the_limit_starts_the_count_again(client, editor):
    for _ in range(4):
        sign_in(client, "editor", WRONG)
    assert sign_in(client, "editor", RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "editor", WRONG)
    assert sign_in(client, "editor", RIGHT).status_code == 302


PROXY = "10.0.0.2"  # every request reaches the casebook from the TLS proxy's address


def test_behind_a_proxy_a_stranger_cannot_lock_an_editor_out(client, editor, settings):
    settings.CASEBOOK_TRUSTED_PROXIES = 1
    for _ in range(5):
        sign_in(client, "editor", WRONG, ip=PROXY, forwarded_for="203.0.113.66")
    assert sign_in(Client(), "editor", RIGHT, ip=PROXY, forwarded_for="203.0.113.66").status_code == 429
    assert sign_in(Client(), "editor", RIGHT, ip=PROXY, forwarded_for="198.51.100.7").status_code == 302


def test_behind_a_proxy_an_address_the_client_wrote_in_front_is_not_trusted(client, editor, settings):
    settings.CASEBOOK_TRUSTED_PROXIES = 1
    for number in range(5):  # a new forged address every time; the proxy appends the real one
        sign_in(client, "editor", WRONG, ip=PROXY, forwarded_for=f"192.0.2.{number}, 203.0.113.66")
    assert sign_in(Client(), "editor", RIGHT, ip=PROXY, forwarded_for="192.0.2.99, 203.0.113.66").status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_header_does_not_dodge_the_lock(client, editor, settings):
    settings.CASEBOOK_TRUSTED_PROXIES = 0
    for number in range(5):
        sign_in(client, "editor", WRONG, forwarded_for=f"192.0.2.{number}")
    assert sign_in(Client(), "editor", RIGHT, forwarded_for="192.0.2.99").status_code == 429


@pytest.mark.parametrize("query", ["x=1", "q=a&bogus=1"], ids=["unknown", "unknown-with-search"])
def test_an_export_with_filters_that_do_not_apply_goes_back_to_the_list_with_a_message(viewer_client, query):
    FundingFactory()
    response = viewer_client.get(reverse("admin:programs_funding_export") + "?" + query, follow=True)
    assert response.redirect_chain == [(reverse("admin:programs_funding_changelist"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The filters in that address do not apply to this list; nothing was exported."
    ]


@pytest.mark.parametrize("object_id, version_id", [("abc", "1"), ("1", "abc"), ("999999", "1")])
def test_a_history_version_that_cannot_exist_is_a_404(editor_client, object_id, version_id):
    response = editor_client.get(f"/admin/programs/funding/{object_id}/history/{version_id}/")
    assert response.status_code == 404
