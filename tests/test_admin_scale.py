"""The admin stays usable at national scale: every related record is chosen
with an autocomplete widget (a change form never lists 30,000 workshops), the
big changelists do not count the whole table twice, and change pages with their
figures listed run a fixed number of queries however many figures there are."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.cache import caches
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from programs.models import Funding, Outcome
from tests.factories import (
    FundingFactory,
    OutcomeFactory,
    ProgramFactory,
    SourceFactory,
    SupportMeasureFactory,
)

pytestmark = pytest.mark.django_db


def test_every_related_record_in_a_casebook_form_is_chosen_by_autocomplete():
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "programs":
            continue
        for field in model._meta.get_fields():
            editable = getattr(field, "editable", False) and not field.auto_created
            related = isinstance(field, models.ForeignKey | models.ManyToManyField)
            if editable and related and field.name not in model_admin.autocomplete_fields:
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


@pytest.mark.parametrize(("model_name", "factory"), [("funding", FundingFactory), ("outcome", OutcomeFactory)])
def test_the_big_changelists_read_newest_first_and_list_no_distinct_values(editor_client, model_name, factory):
    factory.create_batch(3)
    with CaptureQueriesContext(connection) as context:
        assert editor_client.get(f"/admin/programs/{model_name}/").status_code == 200
    table = f'"programs_{model_name}"'
    orders = [query["sql"].split(" ORDER BY ")[1] for query in context.captured_queries if " ORDER BY " in query["sql"]]
    assert f'{table}."id" DESC' in orders
    assert not any("DISTINCT" in query["sql"] for query in context.captured_queries)


def test_the_big_changelists_count_only_the_filtered_rows():
    assert admin.site._registry[Funding].show_full_result_count is False
    assert admin.site._registry[Outcome].show_full_result_count is False


def _program_with_figures(count: int):
    program = ProgramFactory()
    source = SourceFactory()
    for number in range(count):
        FundingFactory(program=program, source=source, amount=Decimal(number))
        OutcomeFactory(program=program, source=source)
        SupportMeasureFactory(program=program, source=source)
    return program


def test_a_program_change_page_runs_the_same_queries_with_2_or_12_figures(admin_client):
    programs = {size: _program_with_figures(size) for size in (2, 12)}
    admin_client.get(f"/admin/programs/program/{programs[2].pk}/change/")  # caches warmed
    counts = []
    for size, program in programs.items():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(f"/admin/programs/program/{program.pk}/change/")
        assert response.status_code == 200
        assert response.content.decode().count("/change/") >= 3 * size  # a link to each figure
        counts.append(len(captured))
    assert counts[0] == counts[1] == 11


def test_the_funding_changelist_runs_the_same_queries_for_3_or_30_rows(admin_client):
    admin_client.get("/admin/programs/funding/")  # caches warmed
    counts = []
    for size in (3, 27):
        for number in range(size):
            FundingFactory(amount=Decimal(number))
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get("/admin/programs/funding/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("value", "keys"), [("CNY", ["yuan"]), ("other", ["dollars"]), ("", ["dollars", "yuan"])])
def test_the_currency_filter_offers_yuan_or_other_currencies(editor_client, value, keys):
    FundingFactory(key="yuan", currency="CNY")
    FundingFactory(key="dollars", currency="USD")
    response = editor_client.get("/admin/programs/funding/", {"currency": value} if value else {})
    assert sorted(row.key for row in response.context["cl"].result_list) == keys


@pytest.mark.parametrize("model", [Funding, Outcome])
def test_the_selection_checkbox_is_the_markup_django_draws(model):
    """The admins write each row's checkbox directly; it must stay what
    Django's own ``action_checkbox`` renders through the widget template."""
    awkward = 'a<b>&"c"'
    record = FundingFactory(key=awkward) if model is Funding else OutcomeFactory(indicator__name=awkward)
    model_admin = admin.site._registry[model]
    ours = model_admin.action_checkbox(record)
    djangos = admin.ModelAdmin.action_checkbox(model_admin, record)
    assert ours == djangos
    assert f'value="{record.pk}"' in ours and "&lt;b&gt;" in ours


def test_the_changelists_count_is_kept_per_data_version_and_follows_every_write(admin_client):
    from programs.services.aggregates import APART_CACHE_ALIAS, CACHE_ALIAS, TALLY_CACHE_ALIAS

    for alias in (CACHE_ALIAS, APART_CACHE_ALIAS, TALLY_CACHE_ALIAS):
        caches[alias].clear()
    FundingFactory.create_batch(3, kind="fiscal")
    FundingFactory(kind="material")

    def shown(query=""):
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(f"/admin/programs/funding/{query}")
        assert response.status_code == 200
        counted = [
            q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "programs_funding"')
        ]
        return response.context["cl"].result_count, len(counted)

    assert shown() == (4, 1)
    assert shown() == (4, 0)  # read back
    assert shown("?kind__exact=fiscal") == (3, 1)
    assert shown("?kind__exact=fiscal") == (3, 0)
    assert shown("?q=nothing-like-it") == (0, 1)
    assert shown("?q=nothing-like-it") == (0, 1)  # a search is counted every time
    FundingFactory(kind="fiscal")
    assert shown() == (5, 1)
    assert shown("?kind__exact=fiscal") == (4, 1)
