"""Finding things as people type them: the documents' data searched through each
list page's own ``q`` (the same search the search page groups), in English and
Chinese, by full and short names, pinyin and several words at once. Each row
lists exactly what one kind of record must return."""

import html
import re

import pytest
from django.test import Client

from programs import filtersets
from programs.models import Funding, Outcome, Pairing, Program, Region, SupportMeasure, Workshop

pytestmark = pytest.mark.usefixtures("db", "documents")

LUEYANG_PROGRAMS = ["haian-lueyang-collaboration", "lueyang-community-factories"]
# Linxia prefecture, its seven counties, a township and a village in them.
LINXIA_REGIONS = [
    "anji",
    "baojia",
    "dongxiang",
    "guanghe",
    "hezheng",
    "jishishan",
    "kangle",
    "linxia",
    "linxia-county",
    "yongjing",
]
# Every workshop in those regions (the Xiamen–Linxia program's Xiamen plant is not in them).
LINXIA_WORKSHOPS = [
    "anji-umbrella-workshop",
    "guanghe-birds-nest-factory",
    "jihe-xingye-park",
    "jimei-bag-hezheng",
    "jiming-shoes-workshop",
    "linxia-county-new-parks",
    "linyuan-daida-clothing-workshop",
    "teligo-rain-gear-jishishan",
    "tongleyu-kangle",
    "xialin-breeding-base",
    "xialin-shoe-hezheng",
    "xialin-shoe-new-plant",
    "xiarun-fungus-bases",
    "xiarun-hezheng-planting-base",
    "yellow-river-danxia-tourism",
]
GUANGXI_REGIONS = ["baise", "chongzuo", "guangxi", "jinjie", "leye", "tiandeng"]
LINXIA_FUNDING = [
    "danxia-tourism-planned-investment",
    "introduced-enterprises-paid-in-2020-08",
    "jihe-park-total-investment",
    "registered-investment-2020h1",
    "xialin-breeding-investment",
]

LUEYANG = {"region": ["lueyang"], "program": LUEYANG_PROGRAMS, "pairing": ["haian-lueyang"]}
LINXIA = {
    "region": LINXIA_REGIONS,
    "workshop": LINXIA_WORKSHOPS,
    "pairing": ["xiamen-linxia"],
    "program": ["xiamen-linxia-collaboration"],
    "funding": LINXIA_FUNDING,
}
JISHISHAN = {"region": ["anji", "jishishan"], "workshop": ["anji-umbrella-workshop", "teligo-rain-gear-jishishan"]}
GUANGXI = {"region": GUANGXI_REGIONS, "pairing": ["guangdong-guangxi", "shenzhen-leye"]}
TIBET = {"region": ["shigatse", "tibet"], "pairing": ["qingdao-shigatse"], "workshop": []}
ENTERPRISES = {"outcome": ["enterprises-introduced-2020-08"], "funding": ["introduced-enterprises-paid-in-2020-08"]}
CAO = {"region": ["cao-county"], "pairing": ["qingdao-cao-county"]}
NOTHING = {kind: [] for kind in ("region", "program", "pairing", "workshop", "funding", "outcome", "supportmeasure")}

QUERIES = [
    # A county by every name: accents and case folded, Chinese full and short, English with its level.
    ("Lüeyang", LUEYANG),
    ("Lueyang", LUEYANG),
    ("LUEYANG", LUEYANG),
    ("lueyang county", LUEYANG),
    ("Lüeyang County", LUEYANG),
    ("略阳", LUEYANG),
    ("略阳县", LUEYANG),
    ("lüeyang community factories", {"program": ["lueyang-community-factories"], "region": []}),
    # An autonomous prefecture: the place and everything in and under it.
    ("临夏州", LINXIA),
    ("临夏", LINXIA),
    ("临夏回族自治州", LINXIA),
    # In English, "Linxia" is also in the name of the Xiamen–Linxia program, and so found in
    # its workshop in Xiamen (and, word by word, "linxia" + Xiamen's "prefecture").
    ("Linxia", LINXIA | {"workshop": sorted([*LINXIA_WORKSHOPS, "xiamen-ruihe-electronics"])}),
    ("linxia prefecture", LINXIA | {"workshop": sorted([*LINXIA_WORKSHOPS, "xiamen-ruihe-electronics"])}),
    # Several words, across a figure's own text and its pairing's places.
    ("Xiamen enterprises introduced", ENTERPRISES),
    ("xiamen ENTERPRISES Introduced", ENTERPRISES),
    ("Linxia investment", {"funding": LINXIA_FUNDING, "pairing": ["xiamen-linxia"], "region": []}),
    ("hezheng shoe", {"workshop": ["xialin-shoe-hezheng", "xialin-shoe-new-plant"], "region": []}),
    ("厦门 临夏", {"pairing": ["xiamen-linxia"], "program": ["xiamen-linxia-collaboration"], "region": []}),
    ("深圳 乐业", {"pairing": ["shenzhen-leye"], "region": [], "workshop": []}),
    ("Lueyang Linxia", NOTHING),
    # A county named after its peoples: the long official name, with 县, and bare.
    ("积石山保安族东乡族撒拉族自治县", JISHISHAN),
    ("积石山县", JISHISHAN),
    ("积石山", JISHISHAN),
    ("Jishishan", JISHISHAN),
    ("镇宁", {"region": ["zhenning"], "workshop": ["red-star-zhenning"]}),
    ("zhenning county", {"region": ["zhenning"], "workshop": ["red-star-zhenning"]}),
    ("黔南州", {"region": ["qiannan"]}),
    # Province-level autonomous regions: short forms and pinyin.
    ("广西", GUANGXI),
    ("广西壮族自治区", GUANGXI),
    ("Guangxi", GUANGXI),
    ("西藏", TIBET),
    ("xizang", TIBET),
    ("Tibet", TIBET),
    # A one-character county keeps its 县; pinyin finds it too.
    ("曹县", CAO | {"program": []}),
    ("caoxian", CAO),
    ("Cao County", CAO),
    # A township, by its two-character short form.
    ("进结", {"region": ["jinjie"], "program": ["jinjie-factory-district"], "workshop": ["jinjie-factory-zone"]}),
    ("百色", {"region": ["baise", "leye"], "pairing": ["shenzhen-leye"]}),
    # An indicator by its Chinese name (the casebook's own vocabulary), with a place.
    ("略阳 贫困发生率", {"outcome": ["lueyang-poverty-rate-2020"], "region": []}),
    ("贫困发生率", {"outcome": ["guangxi-poverty-incidence-2019", "lueyang-poverty-rate-2020"]}),
]

MODELS = {
    "region": Region,
    "program": Program,
    "pairing": Pairing,
    "workshop": Workshop,
    "funding": Funding,
    "outcome": Outcome,
    "supportmeasure": SupportMeasure,
}
FILTERSETS = {
    "region": filtersets.RegionFilterSet,
    "program": filtersets.ProgramFilterSet,
    "pairing": filtersets.PairingFilterSet,
    "workshop": filtersets.WorkshopFilterSet,
    "funding": filtersets.FundingFilterSet,
    "outcome": filtersets.OutcomeFilterSet,
    "supportmeasure": filtersets.SupportMeasureFilterSet,
}


def found(kind: str, query: str) -> list[str]:
    model = MODELS[kind]
    filterset = FILTERSETS[kind]({"q": query}, queryset=model.objects.all())
    assert filterset.is_valid(), filterset.errors
    key = "slug" if any(field.name == "slug" for field in model._meta.fields) else "key"
    return sorted(filterset.qs.values_list(key, flat=True))


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[query for query, _ in QUERIES])
def test_a_query_finds_exactly_these_records(query, expected):
    assert {kind: found(kind, query) for kind in expected} == expected


def test_the_table_covers_english_and_chinese_and_enough_queries():
    chinese = [query for query, _ in QUERIES if any("\u4e00" <= char <= "\u9fff" for char in query)]
    assert len(QUERIES) >= 30
    assert len(chinese) >= 12
    assert len(QUERIES) - len(chinese) >= 12


# Filters that name a record take its name as people type it: (list, filter, typed, slug it names).
NAMED_FILTERS = [
    ("workshop", "region", "临夏州", "linxia"),
    ("workshop", "region", "临夏", "linxia"),  # the prefecture before Linxia County (临夏县)
    ("workshop", "region", "Linxia", "linxia"),
    ("workshop", "region", "linxia county", "linxia-county"),
    ("workshop", "region", "Lueyang", "lueyang"),
    ("workshop", "region", "LÜEYANG COUNTY", "lueyang"),
    ("workshop", "region", "略阳", "lueyang"),
    ("funding", "recipient", "临夏回族自治州", "linxia"),
    ("workshop", "region", "积石山县", "jishishan"),
    ("pairing", "donor", "厦门", "xiamen"),
    ("pairing", "recipient", "xizang", "tibet"),
    ("workshop", "program", "Lüeyang community factories", "lueyang-community-factories"),
    ("workshop", "program", "lueyang COMMUNITY factories", "lueyang-community-factories"),
    ("supportmeasure", "program", "Hai'an–Lüeyang East–West collaboration", "haian-lueyang-collaboration"),
    ("funding", "pairing", "Xiamen → Linxia", "xiamen-linxia"),
    ("funding", "pairing", "xiamen-linxia", "xiamen-linxia"),
    ("outcome", "workshop", "wu jinquan's earphone workshop", "wu-jinquan-earphone-workshop"),
]


@pytest.mark.parametrize(("kind", "param", "typed", "slug"), NAMED_FILTERS, ids=[row[2] for row in NAMED_FILTERS])
def test_a_filter_takes_a_records_name_as_well_as_its_slug(kind, param, typed, slug):
    model = MODELS[kind]
    by_name = FILTERSETS[kind]({param: typed}, queryset=model.objects.all())
    by_slug = FILTERSETS[kind]({param: slug}, queryset=model.objects.all())
    assert by_name.is_valid(), by_name.errors
    assert by_name.form.cleaned_data[param].slug == slug
    assert list(by_name.qs) == list(by_slug.qs) != []


@pytest.mark.parametrize(
    ("kind", "param", "typed", "message"),
    [
        (
            "workshop",
            "program",
            "community factories",
            "There is no program “community factories” in the casebook. Did you mean: Lüeyang community factories?",
        ),
        ("workshop", "program", "Atlantis", "There is no program “Atlantis” in the casebook."),
        (
            "workshop",
            "region",
            "东乡族",
            "There is no region “东乡族” in the casebook. Did you mean: "
            "Dongxiang (东乡族自治县) — county, Linxia; Baojia — village, Dongxiang; "
            "Jishishan (积石山保安族东乡族撒拉族自治县) — county, Linxia; Anji (安集乡) — township, Jishishan?",
        ),
    ],
)
def test_a_name_that_is_no_records_says_which_it_might_be(kind, param, typed, message):
    filterset = FILTERSETS[kind]({param: typed}, queryset=MODELS[kind].objects.all())
    assert not filterset.is_valid()
    assert filterset.errors[param] == [message]


def test_a_filter_naming_no_record_is_a_400_listing_the_candidates(client):
    response = client.get("/workshops/", {"program": "community factories"})
    assert response.status_code == 400
    assert "Did you mean: Lüeyang community factories?" in response.content.decode()


def options(client, kind, typed):
    response = client.get(f"/suggest/{kind}/", {kind[:-1]: typed})
    assert response.status_code == 200
    found = re.findall(r'<option value="([^"]*)">([^<]*)</option>', response.content.decode())
    return [(html.unescape(value), html.unescape(label)) for value, label in found]


def test_suggestions_put_the_place_typed_first_then_what_lies_in_it(client):
    found = options(client, "regions", "临夏")
    assert found[:2] == [
        ("Linxia", "Linxia (临夏回族自治州) — prefecture, Gansu"),
        ("Linxia County", "Linxia County (临夏县) — county, Linxia"),
    ]
    assert len(found) == len(LINXIA_REGIONS)


def test_suggestions_of_programs_workshops_and_pairings_by_name_or_place(client):
    assert [value for value, _ in options(client, "programs", "lueyang")] == [
        "Lüeyang community factories",  # its name starts with what was typed
        "Hai'an–Lüeyang East–West collaboration",
    ]
    assert options(client, "workshops", "hezheng shoe") == [
        (
            "Xialin Shoe Industry Co., Ltd. factory, Hezheng",
            "Xialin Shoe Industry Co., Ltd. factory, Hezheng — Hezheng",
        ),
        ("Xialin Shoe Industry new plant, Hezheng", "Xialin Shoe Industry new plant, Hezheng — Hezheng"),
    ]
    # A pairing has no name of its own: the box takes its slug, the label says who pairs with whom.
    assert options(client, "pairings", "厦门") == [("xiamen-linxia", "Xiamen → Linxia")]


def test_suggestions_for_an_unknown_kind_are_a_404(client):
    assert client.get("/suggest/passwords/", {"q": "a"}).status_code == 404


def test_a_box_shows_the_chosen_record_by_its_name(client):
    page = client.get("/workshops/", {"region": "linxia", "program": "xiamen-linxia-collaboration"}).content.decode()
    assert 'name="region" value="Linxia"' in page
    assert 'name="program" value="Xiamen–Linxia poverty-alleviation collaboration"' in page
    assert '<datalist id="region-options"></datalist><datalist id="program-options"></datalist>' in page


def test_a_name_two_regions_share_is_shown_as_the_slug(client):
    Region.objects.create(
        slug="other-linxia", name_en="Linxia", level="county", parent=Region.objects.get(slug="tiandeng").parent
    )
    page = client.get("/workshops/", {"region": "linxia"}).content.decode()
    assert 'name="region" value="linxia"' in page
    assert ("linxia", "Linxia (临夏回族自治州) — prefecture, Gansu") in options(client, "regions", "Linxia")


def previews(client, query):
    groups = client.get("/search/", {"q": query}).context["groups"]
    return {group["name"]: [getattr(item, "slug", None) for item, _ in group["preview"]] for group in groups}


def test_the_search_page_puts_records_named_as_typed_first():
    client = Client()
    # The list's order is by name (Hai'an… before Lüeyang…); the name starting with the words comes first.
    assert previews(client, "Lueyang")["program"] == ["lueyang-community-factories", "haian-lueyang-collaboration"]
    # The places called 临夏 (the prefecture, and the county by its short form), then what lies in them.
    assert previews(client, "临夏")["region"] == ["linxia", "linxia-county", "dongxiang", "baojia", "guanghe"]
    # The one named exactly so, then by name prefix, though the list's order is otherwise.
    region = Region.objects.get(slug="hezheng")
    for slug, name in (("annex", "An annex of the Quilt works"), ("works", "Quilt works"), ("more", "Quilt works two")):
        Workshop.objects.create(slug=slug, name=name, region=region, kind="community_factory", status="operating")
    assert previews(client, "quilt works")["workshop"] == ["works", "more", "annex"]


@pytest.mark.parametrize(
    ("kind", "param", "typed", "slug"),
    [
        ("outcome", "indicator", "poverty INCIDENCE", "poverty-incidence"),
        ("outcome", "indicator", "poverty-incidence", "poverty-incidence"),
        ("outcome", "indicator", "贫困发生率", "poverty-incidence"),
        ("program", "approach", "labour transfer", "labour-transfer"),
        ("program", "approach", "东西部协作", "east-west-pairing"),
        (
            "funding",
            "source",
            "THIS YEAR, REMOTE LUEYANG BEAT POVERTY. NOW COMES THE HARD PART.",
            "sixthtone-lueyang-2020",
        ),
    ],
)
def test_a_checkbox_filter_takes_a_records_name_typed_in_the_url(kind, param, typed, slug):
    model = MODELS.get(kind) or Program
    filterset_class = FILTERSETS.get(kind) or filtersets.ProgramFilterSet
    by_name = filterset_class({param: [typed]}, queryset=model.objects.all())
    by_slug = filterset_class({param: [slug]}, queryset=model.objects.all())
    assert by_name.is_valid(), by_name.errors
    assert list(by_name.qs) == list(by_slug.qs) != []


def test_the_search_page_counts_up_to_a_cap_and_says_so(client, monkeypatch):
    from programs.selectors import search

    monkeypatch.setattr(search, "COUNT_CAP", 10)
    response = client.get("/search/", {"q": "临夏"})
    groups = {group["name"]: group for group in response.context["groups"]}
    assert (groups["workshop"]["count"], groups["workshop"]["more_than"], groups["workshop"]["more"]) == (10, True, 5)
    assert (groups["region"]["count"], groups["region"]["more_than"]) == (10, False)
    page = response.content.decode()
    assert "Workshops: more than 10</a>" in page
    assert "and many more matches among the workshops" in page
    # The figures shown are the first the index finds, by id, with the list's own joins.
    assert [item.pk for item, _ in groups["outcome"]["preview"]] == sorted(
        item.pk for item, _ in groups["outcome"]["preview"]
    )


def test_a_name_two_checkbox_choices_share_is_reported_not_guessed():
    from tests.factories import SourceFactory

    SourceFactory(slug="reprint", title="This Year, Remote Lüeyang Beat Poverty. Now Comes the Hard Part.")
    typed = "this year, remote lueyang beat poverty. now comes the hard part."
    filterset = filtersets.FundingFilterSet({"source": [typed]}, queryset=Funding.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors["source"] == [
        f"More than one source is called “{typed}”: reprint, sixthtone-lueyang-2020. Pick one from the suggestions."
    ]
