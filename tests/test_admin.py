"""The editors' admin: who may see and change what, and the change history."""

import pytest
from django.urls import reverse

from programs.models import Region, Source
from tests.factories import (
    ApproachFactory,
    FundingFactory,
    IndicatorFactory,
    OutcomeFactory,
    PairingFactory,
    ProgramFactory,
    RegionFactory,
    SourceFactory,
    SupportMeasureFactory,
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


def admin_urls(model_name, obj):
    base = f"admin:programs_{model_name}"
    return {
        "changelist": reverse(f"{base}_changelist"),
        "add": reverse(f"{base}_add"),
        "change": reverse(f"{base}_change", args=[obj.pk]),
        "history": reverse(f"{base}_history", args=[obj.pk]),
    }


@pytest.mark.parametrize("model_name", MODELS)
def test_editor_opens_changelist_add_change_and_history(editor_client, model_name):
    urls = admin_urls(model_name, FACTORIES[model_name]())
    statuses = {page: editor_client.get(url).status_code for page, url in urls.items()}
    assert statuses == {"changelist": 200, "add": 200, "change": 200, "history": 200}


@pytest.mark.parametrize("model_name", MODELS)
def test_changelist_search_runs(editor_client, model_name):
    FACTORIES[model_name]()
    response = editor_client.get(reverse(f"admin:programs_{model_name}_changelist"), {"q": "县"})
    assert response.status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_viewer_reads_but_cannot_add(viewer_client, model_name):
    urls = admin_urls(model_name, FACTORIES[model_name]())
    statuses = {page: viewer_client.get(url).status_code for page, url in urls.items()}
    assert statuses == {"changelist": 200, "add": 403, "change": 200, "history": 200}


@pytest.mark.parametrize("model_name", MODELS)
def test_viewer_post_is_refused_and_changes_nothing(viewer_client, model_name):
    obj = FACTORIES[model_name]()
    before = obj.history.count()
    urls = admin_urls(model_name, obj)
    assert viewer_client.post(urls["change"], {"note": "vandalised"}).status_code == 403
    assert viewer_client.post(urls["add"], {"note": "vandalised"}).status_code == 403
    assert obj.history.count() == before


@pytest.mark.parametrize("model_name", MODELS)
def test_anonymous_user_is_sent_to_login(client, model_name):
    urls = admin_urls(model_name, FACTORIES[model_name]())
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={url}"


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


def test_history_page_shows_who_changed_the_record(editor_client, editor):
    source = SourceFactory(title="Before")
    source._history_user = editor
    source.title = "After"
    source.save()
    page = editor_client.get(reverse("admin:programs_source_history", args=[source.pk])).content.decode()
    assert "editor" in page
    assert "After" in page


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
    assert "The publication year must match the publication date." in response.content.decode()
    assert Source.objects.get(pk=source.pk).published_year == 2024


def test_editors_and_viewers_groups_have_exactly_their_permissions():
    from django.contrib.auth.models import Group

    perms = {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=["Editors", "Viewers"])
    }
    assert perms["Viewers"] == sorted(f"view_{name}" for name in MODELS)
    assert perms["Editors"] == sorted(f"{action}_{name}" for name in MODELS for action in ("view", "add", "change"))


def test_editor_adds_a_region_below_another(editor_client, editor):
    from tests.factories import CountryFactory

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
