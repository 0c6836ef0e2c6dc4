"""The analysts' pages: lists, details, exports, search, and bad input."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Region, Source
from programs.views import LIST_VIEWS
from tests.factories import (
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
# Each list page's filterset, by model name.
FILTERSETS = {view.model()._meta.model_name: view.filterset_class for view in LIST_VIEWS}
LISTS = ["program", "region", "pairing", "workshop", "funding", "outcome", "supportmeasure", "source"]


def test_home_page_counts_the_records_and_lists_the_cases(client):
    WorkshopFactory.create_batch(2)
    FundingFactory()
    program = ProgramFactory(name="Jinjie factory district")
    response = client.get(reverse("programs:home"))
    assert response.status_code == 200
    counts = {url_name: count for url_name, _, count in response.context["counts"]}
    assert counts == {
        "programs:program_list": 1,
        "programs:region_list": Region.objects.count(),
        "programs:pairing_list": 0,
        "programs:workshop_list": 2,
        "programs:funding_list": 1,
        "programs:outcome_list": 0,
        "programs:supportmeasure_list": 0,
        "programs:source_list": Source.objects.count(),
    }
    assert program.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("model_name", LISTS)
def test_every_list_page_renders(client, model_name):
    response = client.get(reverse(f"programs:{model_name}_list"))
    assert response.status_code == 200


def test_workshops_in_a_province_include_everything_below_it(client, places):
    WorkshopFactory(slug="in-tiandeng", region=places["tiandeng"])
    WorkshopFactory(slug="in-lueyang", region=places["lueyang"], status="ceased")
    WorkshopFactory(slug="in-lueyang-2", region=places["lueyang"])
    response = client.get(reverse("programs:workshop_list"), {"region": "shaanxi"})
    slugs = sorted(row.record.slug for row in response.context["table"].rows)
    assert slugs == ["in-lueyang", "in-lueyang-2"]
    response = client.get(reverse("programs:workshop_list"), {"region": "lueyang", "status": "ceased"})
    assert [row.record.slug for row in response.context["table"].rows] == ["in-lueyang"]


def test_pairings_started_in_2009_or_earlier(client):
    PairingFactory(slug="qingdao-anshun", start_year=1996)
    PairingFactory(slug="qingdao-yiling", start_year=2009)
    PairingFactory(slug="xiamen-linxia", start_year=2010)
    response = client.get(reverse("programs:pairing_list"), {"start_year__lte": "2009"})
    assert sorted(row.record.slug for row in response.context["table"].rows) == ["qingdao-anshun", "qingdao-yiling"]


def test_programs_that_waived_rent(client):
    rent = SupportMeasureFactory(kind="rent_waiver").program
    SupportMeasureFactory(kind="minimum_wage")
    workshop_program = ProgramFactory(slug="via-workshop")
    SupportMeasureFactory(kind="rent_waiver", program=None, workshop=WorkshopFactory(program=workshop_program))
    response = client.get(reverse("programs:program_list"), {"measure": "rent_waiver"})
    assert sorted(row.record.slug for row in response.context["table"].rows) == sorted([rent.slug, "via-workshop"])


def test_search_finds_chinese_names(client, places):
    WorkshopFactory(slug="a", name="Bag workshop", region=places["lueyang"])
    places["lueyang"].name_zh = "略阳县"
    places["lueyang"].save()
    response = client.get(reverse("programs:workshop_list"), {"q": "略阳"})
    assert [row.record.slug for row in response.context["table"].rows] == ["a"]


def test_sorting_by_a_column_with_a_stable_tiebreak(client, places):
    for slug, year in (("b", 2019), ("a", 2019), ("c", 2018)):
        WorkshopFactory(slug=slug, name="Same name", opening_year=year, region=places["lueyang"])
    response = client.get(reverse("programs:workshop_list"), {"sort": "-opening_year"})
    rows = [row.record.slug for row in response.context["table"].rows]
    assert rows == ["b", "a", "c"]  # equal years keep creation (primary key) order


def test_the_count_of_matching_rows_is_shown(client):
    WorkshopFactory.create_batch(3)
    page = client.get(reverse("programs:workshop_list")).content.decode()
    assert 'data-count="3">3</strong> matching rows' in page


def test_htmx_requests_get_only_the_results(client):
    WorkshopFactory()
    response = client.get(reverse("programs:workshop_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "matching row" in body
    assert "<html" not in body


# ------------------------------------------------------------------ details


def test_region_page_shows_breadcrumbs_children_pairings_and_cited_outcomes(client, places):
    source = SourceFactory(publisher="Sixth Tone", published_year=2020)
    OutcomeFactory(
        region=places["lueyang"],
        source=source,
        locator="paragraph on poverty",
        indicator=IndicatorFactory(slug="poverty-incidence", name="Poverty incidence", unit="percent"),
        value=Decimal("1"),
        qualifier="less_than",
        baseline_value=Decimal("41"),
        baseline_year=2014,
        year_end=2020,
    )
    PairingFactory(donor=RegionFactory(slug="haian", level="county"), recipient=places["lueyang"], start_year=2017)
    response = client.get(places["lueyang"].get_absolute_url())
    page = response.content.decode()
    assert [a.slug for a in response.context["ancestors"]] == ["china", "shaanxi", "hanzhong"]
    assert "less than 1%" in page and "41% in 2014" in page
    assert f'href="{source.get_absolute_url()}"' in page and "paragraph on poverty" in page
    assert response.context["pairings_in"].count == 1
    assert response.context["charts"][0]["title"] == "Poverty incidence over time"


def test_panel_counts_link_to_the_filtered_list(client, places):
    WorkshopFactory(region=places["lueyang"])
    response = client.get(places["shaanxi"].get_absolute_url())
    panel = response.context["workshops"]
    assert (panel.count, panel.url) == (1, "/workshops/?region=shaanxi")
    assert 'href="/workshops/?region=shaanxi"' in response.content.decode()


def test_pairing_page_shows_money_readably_with_stated_dollars(client):
    pairing = PairingFactory()
    FundingFactory(
        pairing=pairing, amount=Decimal("3680000000"), usd_amount=Decimal("517370000"), year_start=2016, year_end=2019
    )
    FundingFactory(pairing=pairing, amount=Decimal("100000000"), year_start=None, year_end=None)
    response = client.get(pairing.get_absolute_url())
    page = response.content.decode()
    assert "3.68 billion yuan (US$517.37 million)" in page
    assert response.context["funding_chart"]["bars"][0]["label"] == "3.68 billion yuan (US$517.37 million)"


@pytest.mark.parametrize("factory", [ProgramFactory, WorkshopFactory, SourceFactory, FundingFactory, OutcomeFactory])
def test_detail_pages_render(client, factory):
    obj = factory()
    assert client.get(obj.get_absolute_url()).status_code == 200


def test_source_page_lists_everything_it_supports(client):
    source = SourceFactory()
    FundingFactory(source=source)
    OutcomeFactory(source=source)
    OutcomeFactory(source=source)
    response = client.get(source.get_absolute_url())
    assert (response.context["funding"].count, response.context["outcomes"].count) == (1, 2)


def test_unknown_records_are_404_with_a_message(client):
    response = client.get(reverse("programs:region_detail", args=["atlantis"]))
    assert response.status_code == 404
    assert "There is no such region in the casebook." in response.content.decode()
    assert client.get("/funding/999999/").status_code == 404


def test_markup_in_data_is_escaped_everywhere(client):
    workshop = WorkshopFactory(name="<script>alert(1)</script>", operator="<b>x</b>")
    for url in (reverse("programs:workshop_list"), workshop.get_absolute_url(), "/search/?q=script"):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_search_groups_matches_by_kind(client):
    ProgramFactory(name="Kiwi park program")
    WorkshopFactory(name="Kiwi park")
    response = client.get(reverse("programs:search"), {"q": "kiwi"})
    counts = {group["name"]: group["count"] for group in response.context["groups"]}
    assert (counts["program"], counts["workshop"], counts["funding"]) == (1, 1, 0)


def test_region_suggestions_offer_matching_regions(client, places):
    response = client.get(reverse("programs:region_suggest"), {"region": "shaan"})
    assert '<option value="Shaanxi">' in response.content.decode()


# ------------------------------------------------------------------ bad input

NASTY = {
    "text": "abc",
    "impossible-date": "2019-02-30",
    "negative": "-5",
    "huge": "9" * 40,
    "long": "x" * 10_000,
    "markup": "<script>alert(1)</script>",
    "sql": "1' OR '1'='1; DROP TABLE programs_region;--",
    "unknown-region": "atlantis",
    "nul": "a\x00b",
}


def _params():
    params = set()
    for filterset in FILTERSETS.values():
        params.update(filterset.base_filters)
    return sorted(params | {"page", "per_page", "sort", "export"})


@pytest.mark.parametrize("model_name", LISTS)
def test_no_nasty_value_in_any_parameter_causes_a_server_error(client, model_name):
    WorkshopFactory()
    url = reverse(f"programs:{model_name}_list")
    params = [
        p for p in _params() if p in FILTERSETS[model_name].base_filters or p in {"page", "per_page", "sort", "export"}
    ]
    for param in params:
        for label, value in NASTY.items():
            response = client.get(url, {param: value})
            assert response.status_code < 500, (param, label, response.status_code)


BAD_FILTERS = [
    ("workshop", {"opening_year__gte": "abc"}, "Enter a number."),
    ("workshop", {"opening_year__lte": "-5"}, "Ensure this value is greater than or equal to 1949."),
    ("funding", {"amount__gte": "9" * 40}, "Ensure this value is less than or equal to 100000000000000000."),
    ("workshop", {"region": "atlantis"}, "There is no region “atlantis” in the casebook."),
    ("workshop", {"status": "<script>"}, "Select a valid choice. &lt;script&gt; is not one of the available choices."),
    ("workshop", {"q": "x" * 10_000}, "Ensure this value has at most 200 characters (it has 10000)."),
    ("outcome", {"year__gte": "2019-02-30"}, "Enter a number."),
    ("pairing", {"source": "nope"}, "Select a valid choice. nope is not one of the available choices."),
    ("workshop", {"per_page": "1000"}, "Rows per page must be one of 25, 50, 100, not “1000”."),
    ("workshop", {"sort": "password"}, "Cannot sort by “password”"),
    (
        "workshop",
        {"sort": "x" * 70},
        f"Cannot sort by “{'x' * 40}…”; sortable columns are: kind, name, opening_year, operator, ownership, program, "
        "region, status.</li>",
    ),
    ("workshop", {"export": "xlsx"}, "Export format must be csv or json, not “xlsx”."),
    ("workshop", {"per_page": "²"}, "Rows per page must be one of 25, 50, 100, not “²”."),
    ("workshop", {"page": "abc"}, "“abc” is not a page number."),
    ("workshop", {"page": "²"}, "“²” is not a page number."),
    ("workshop", {"page": "-1"}, "“-1” is not a page number."),
    ("workshop", {"page": "0"}, "Pages are numbered from 1; there is no page 0."),
    ("funding", {"year": "2016"}, "Unknown parameter “year”. This page takes: amount__gte, amount__lte, export, "),
    ("workshop", {"Status": "ceased"}, "Unknown parameter “Status”."),
    ("region", {"region": "lueyang"}, "Unknown parameter “region”. This page takes: belt, export, is_poverty_county,"),
]


@pytest.mark.parametrize("model_name, params, message", BAD_FILTERS)
def test_a_bad_filter_is_reported_not_ignored(client, model_name, params, message):
    WorkshopFactory()
    response = client.get(reverse(f"programs:{model_name}_list"), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "These filters could not be applied" in page
    assert message in page
    assert response.context["table"].paginator.count == 0


@pytest.mark.parametrize("page", ["999", "99999999999", "9" * 5000])
def test_a_page_past_the_end_is_a_404_that_says_how_many_pages_there_are(client, page):
    WorkshopFactory()
    response = client.get(reverse("programs:workshop_list"), {"page": page})
    assert response.status_code == 404
    shown = page if len(page) <= 40 else page[:40] + "…"
    assert f"Page {shown} is past the end of this list, which has 1 page." in response.content.decode()


# ------------------------------------------------------------- review fixes


def test_region_suggestions_answer_every_region_box_and_ignore_bad_text(client, places):
    for param in ("region", "donor", "recipient", "within", "funder"):
        body = client.get(reverse("programs:region_suggest"), {param: "shaan"}).content.decode()
        assert '<option value="Shaanxi">' in body, param
    response = client.get(reverse("programs:region_suggest"), {"region": "a\x00b"})
    assert (response.status_code, response.content.decode().strip()) == (200, "")


def test_search_with_a_nul_byte_is_reported(client):
    ProgramFactory()
    response = client.get(reverse("programs:search"), {"q": "a\x00"})
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


def test_search_shows_figures_with_their_hedge_unit_and_citation(client):
    OutcomeFactory(
        indicator=IndicatorFactory(name="Monthly wage", unit="cny_per_month"),
        value=Decimal("2000"),
        value_max=Decimal("3000"),
        locator="results list",
        description="wage",
    )
    page = client.get(reverse("programs:search"), {"q": "wage"}).content.decode()
    assert "2,000–3,000 yuan a month" in page and "results list" in page


def test_list_responses_vary_on_htmx_and_history_restores_get_the_full_page(client):
    response = client.get(reverse("programs:workshop_list"), HTTP_HX_REQUEST="true")
    assert "HX-Request" in response["Vary"]
    restored = client.get(
        reverse("programs:workshop_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restored.content.decode()


def test_the_filter_form_submits_to_the_page_itself_and_keeps_the_sort(client):
    page = client.get(reverse("programs:workshop_list"), {"sort": "name", "status": "ceased"}).content.decode()
    assert 'hx-get="/workshops/"' in page
    assert '<input type="hidden" name="sort" value="name">' in page


def test_region_page_outcome_count_matches_the_list_it_links_to(client, places):
    OutcomeFactory(region=places["lueyang"])
    OutcomeFactory(region=None, workshop=WorkshopFactory(region=places["lueyang"]))
    program = ProgramFactory()
    program.regions.set([places["lueyang"]])
    OutcomeFactory(region=None, program=program)
    panel = client.get(places["shaanxi"].get_absolute_url()).context["outcomes"]
    listed = client.get(panel.url).context["table"].paginator.count
    assert (panel.count, listed) == (3, 3)


def test_the_search_page_shows_only_kinds_with_matches_and_how_many_more_there_are(client):
    for n in range(7):
        WorkshopFactory(name=f"Kiwi park {n}")
    ProgramFactory(name="Kiwi program")
    page = client.get(reverse("programs:search"), {"q": "kiwi"}).content.decode()
    headings = re.findall(r'<h2 class="h5"><a href="([^"]*)">([^<]*)</a></h2>', page)
    assert headings == [("/programs/?q=kiwi", "Programs: 1"), ("/workshops/?q=kiwi", "Workshops: 7")]
    assert page.count("<li>") == 1 + 5
    assert '<a href="/workshops/?q=kiwi">and 2 more matches among the workshops</a>' in page
    assert "more match" not in page.split("Workshops: 7")[0]  # the program's list shows its one match whole
    assert "No matches among the regions, pairings, funding, outcomes, support measures, sources." in page
    nothing = client.get(reverse("programs:search"), {"q": "durian"}).content.decode()
    assert "Nothing in the casebook matches “durian”." in nothing and '<h2 class="h5">' not in nothing
    assert "No matches among" not in nothing


def test_each_search_hit_says_where_and_when(client, places):
    workshop = WorkshopFactory(name="Kiwi park", region=places["lueyang"], opening_year=2019)
    FundingFactory(purpose="Kiwi orchards", recipient_region=places["tiandeng"], year_start=2016, year_end=2018)
    source = SourceFactory(title="Kiwi report", publisher="Kiwi Press", published_year=2020)
    groups = {group["name"]: group for group in client.get(reverse("programs:search"), {"q": "kiwi"}).context["groups"]}
    lueyang, hanzhong = places["lueyang"].name_en, places["hanzhong"].name_en
    assert groups["workshop"]["preview"] == [(workshop, f"{lueyang}, {hanzhong} · 2019")]
    assert [facts for _, facts in groups["funding"]["preview"]] == [f"{places['tiandeng'].name_en} · 2016–2018"]
    assert groups["source"]["preview"] == [(source, "Kiwi Press · 2020")]
    page = client.get(reverse("programs:search"), {"q": "kiwi"}).content.decode()
    assert f'<span class="text-muted small">{lueyang}, {hanzhong} · 2019</span>' in page
