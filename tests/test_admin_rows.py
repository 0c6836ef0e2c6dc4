"""The admin changelists draw their rows with casebook_result_list: the same cells,
byte for byte, as Django's own ``result_list`` draws, for every model the casebook
registers, filtered, sorted and plain, with awkward text and blank values."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.urls import reverse

from programs.admin import CasebookAdmin
from programs.templatetags import casebook_admin
from tests.factories import FundingFactory, WorkshopFactory

CASEBOOK_ADMINS = sorted(
    (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, CasebookAdmin)),
    key=lambda model: model._meta.model_name,
)


def admin_model(name: str):
    return next(model for model in CASEBOOK_ADMINS if model._meta.model_name == name)


def changelist(client, model, params=None):
    response = client.get(reverse(f"admin:programs_{model._meta.model_name}_changelist"), params or {})
    assert response.status_code == 200
    return response


def rows(results) -> list[list[str]]:
    return [[str(cell) for cell in row] for row in results]


@pytest.mark.parametrize("model", CASEBOOK_ADMINS, ids=lambda model: model._meta.model_name)
def test_every_changelists_rows_are_the_cells_django_draws(admin_client, documents, model):
    response = changelist(admin_client, model)
    cl = response.context["cl"]
    assert len(cl.result_list) > 0
    ours = rows(casebook_admin.results(cl))
    assert ours == rows(admin_list.results(cl))
    assert "admin/casebook_change_list.html" in [t.name for t in response.templates]
    # the page shows these rows: the first row's link cell is in it
    assert ours[0][1] in response.content.decode()


@pytest.mark.parametrize(
    ("model_name", "params"),
    [
        ("funding", {"qualifier__exact": "more_than"}),
        ("funding", {"kind__exact": "fiscal", "o": "-3"}),
        ("workshop", {"status__exact": "ceased", "q": "Lueyang"}),
        ("outcome", {"o": "2.-1"}),
    ],
)
def test_filtered_and_sorted_rows_keep_the_lists_filters_in_their_links(admin_client, documents, model_name, params):
    model = admin_model(model_name)
    cl = changelist(admin_client, model, params).context["cl"]
    ours = rows(casebook_admin.results(cl))
    assert ours == rows(admin_list.results(cl))
    if cl.result_list:
        assert "_changelist_filters=" in ours[0][1]


def test_awkward_text_and_blank_values_are_escaped_and_shown_as_django_shows_them(admin_client):
    funding = FundingFactory(key='a<b>&"c"', funder_region=None, funder_organisation="A & B Co", locator="p. 3 & 4")
    WorkshopFactory(name="<script>x</script>", opening_year=None)
    drawn = {}
    for model_name in ("funding", "workshop"):
        model = admin_model(model_name)
        cl = changelist(admin_client, model).context["cl"]
        drawn[model_name] = rows(casebook_admin.results(cl))
        assert drawn[model_name] == rows(admin_list.results(cl))
    url = reverse("admin:programs_funding_change", args=[funding.pk])
    link = f'<th class="field-key"><a href="{url}">a&lt;b&gt;&amp;&quot;c&quot;</a></th>'
    (row,) = [row for row in drawn["funding"] if row[1] == link]
    assert '<td class="field-funder_region nowrap">-</td>' in row
    assert '<td class="field-locator">p. 3 &amp; 4</td>' in row
    assert '<td class="field-funder_organisation">A &amp; B Co</td>' in row
    assert any("&lt;script&gt;x&lt;/script&gt;" in cell for cell in drawn["workshop"][0])


def test_a_popup_list_is_drawn_by_djangos_own_rows(admin_client):
    FundingFactory()
    model = admin_model("funding")
    cl = changelist(admin_client, model, {"_popup": "1"}).context["cl"]
    assert cl.is_popup
    ours = rows(casebook_admin.results(cl))
    assert ours == rows(admin_list.results(cl))
    assert "data-popup-opener" in ours[0][0]


def test_numbers_are_grouped_as_django_groups_them_when_the_settings_ask(admin_client, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    funding = FundingFactory(amount=Decimal("3680000000"), year_start=2018)
    model = admin_model("funding")
    cl = changelist(admin_client, model).context["cl"]
    ours = rows(casebook_admin.results(cl))
    assert ours == rows(admin_list.results(cl))
    (row,) = [row for row in ours if f"/{funding.pk}/change/" in row[1]]
    assert '<td class="field-amount">3,680,000,000.00</td>' in row
    assert '<td class="field-year_start">2,018</td>' in row
