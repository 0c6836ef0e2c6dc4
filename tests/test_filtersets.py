"""One small test per filter, with exact results, and a guard that every
field an analyst filters by has a filter."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from programs.filtersets import (
    FundingFilterSet,
    OutcomeFilterSet,
    PairingFilterSet,
    ProgramFilterSet,
    RegionFilterSet,
    SourceFilterSet,
    SupportMeasureFilterSet,
    WorkshopFilterSet,
)
from programs.models import Funding, Outcome, Pairing, Program, Region, Source, SupportMeasure, Workshop
from programs.views import LIST_VIEWS
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
    region_tree,
)

pytestmark = pytest.mark.django_db
# Each list page's filterset, by model name.
FILTERSETS = {view.model()._meta.model_name: view.filterset_class for view in LIST_VIEWS}


@pytest.fixture
def data():
    guangxi, _baise, leye = region_tree(("guangxi", "province"), ("baise", "prefecture"), ("leye", "county"))
    gansu, linxia, hezheng = region_tree(("gansu", "province"), ("linxia", "prefecture"), ("hezheng", "county"))
    guangxi.belt = gansu.belt = "west"
    guangxi.save()
    gansu.save()
    leye.is_poverty_county = True
    leye.save()
    xiamen = RegionFactory(
        slug="xiamen", name_en="Xiamen", name_zh="厦门市", level="prefecture", belt="east", parent=guangxi.parent
    )
    news, xinhua = (
        SourceFactory(slug="news", kind="news_report", published_year=2020),
        SourceFactory(
            slug="xinhua",
            publisher="Xinhua Daily Telegraph",
            kind="news_feature",
            published_year=2021,
            published_on=None,
        ),
    )
    pairing = PairingFactory(
        slug="xiamen-linxia", donor=xiamen, recipient=linxia, start_year=2010, framework="east_west", sources=[xinhua]
    )
    PairingFactory(
        slug="shenzhen-leye",
        donor=RegionFactory(slug="shenzhen", level="prefecture", belt="east", parent=guangxi.parent),
        recipient=leye,
        start_year=None,
        level="county",
        framework="counterpart",
        sources=[news],
    )
    park = ProgramFactory(slug="park", name="Kiwi park", year_start=2016, sources=[news])
    park.approaches.set([ApproachFactory(slug="industrial-park")])
    park.regions.set([leye])
    collab = ProgramFactory(slug="collab", name="Xiamen–Linxia", year_start=2010, sources=[xinhua])
    collab.regions.set([linxia])
    collab.pairings.set([pairing])
    bag = WorkshopFactory(
        slug="bag",
        region=hezheng,
        kind="workshop",
        status="operating",
        ownership="private",
        opening_year=2018,
        program=collab,
        pairing=pairing,
        operator="Tian Xiaoping",
        sources=[xinhua],
    )
    WorkshopFactory(
        slug="kiwi",
        region=leye,
        kind="industrial_park",
        status="operating",
        ownership="unknown",
        opening_year=None,
        program=park,
        sources=[news],
    )
    WorkshopFactory(
        slug="shoes",
        region=hezheng,
        kind="enterprise_plant",
        status="under_construction",
        ownership="mixed",
        opening_year=2020,
        sources=[xinhua],
    )
    FundingFactory(
        key="gd",
        source=news,
        amount=Decimal("3680000000"),
        kind="fiscal",
        funder_region=guangxi,
        recipient_region=guangxi,
        year_start=2016,
        year_end=2019,
        qualifier="exact",
        program=park,
    )
    FundingFactory(
        key="xm",
        source=xinhua,
        amount=Decimal("620000000"),
        kind="enterprise_investment",
        funder_region=xiamen,
        recipient_region=linxia,
        year_start=None,
        year_end=2020,
        qualifier="exact",
        pairing=pairing,
        program=collab,
    )
    FundingFactory(
        key="jihe",
        source=xinhua,
        amount=Decimal("30000000"),
        kind="fiscal",
        funder_region=xiamen,
        recipient_region=hezheng,
        year_start=None,
        year_end=None,
        qualifier="nearly",
        workshop=bag,
        purpose="cattle breeding",
    )
    incidence = IndicatorFactory(slug="poverty-incidence", unit="percent")
    jobs = IndicatorFactory(slug="jobs-created")
    OutcomeFactory(
        key="inc",
        source=news,
        indicator=incidence,
        value=Decimal("0.6"),
        region=guangxi,
        year_end=2019,
        perspective="official",
    )
    OutcomeFactory(
        key="jobs",
        source=xinhua,
        indicator=jobs,
        value=Decimal("100"),
        qualifier="more_than",
        region=None,
        workshop=bag,
        year_end=2020,
        perspective="enterprise",
        attributed_to="Zhou Jinmin",
    )
    OutcomeFactory(
        key="wage",
        source=xinhua,
        indicator=jobs,
        value=Decimal("3000"),
        qualifier="nearly",
        region=linxia,
        pairing=pairing,
        program=collab,
        year_start=2018,
        year_end=2020,
        perspective="participant",
    )
    SupportMeasureFactory(key="rent", source=xinhua, kind="rent_waiver", beneficiary="enterprise", program=collab)
    SupportMeasureFactory(
        key="bus",
        source=xinhua,
        kind="transport",
        beneficiary="worker",
        program=None,
        workshop=bag,
        description="Bus service arranged",
    )
    SupportMeasureFactory(key="wage-floor", source=news, kind="minimum_wage", beneficiary="worker", program=park)


def keys(filterset_class, params):
    model = filterset_class._meta.model
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    filterset = filterset_class(query, queryset=model.objects.all())
    assert filterset.is_valid(), filterset.errors
    attribute = "key" if model in (Funding, Outcome, SupportMeasure) else "slug"
    return sorted(getattr(obj, attribute) for obj in filterset.qs)


CASES = [
    (SourceFilterSet, {"kind": "news_report"}, ["news"]),
    (SourceFilterSet, {"published_year__gte": "2021"}, ["xinhua"]),
    (SourceFilterSet, {"published_year__lte": "2020"}, ["news"]),
    (SourceFilterSet, {"q": "xinhua"}, ["xinhua"]),
    (RegionFilterSet, {"within": "linxia"}, ["hezheng", "linxia"]),
    (RegionFilterSet, {"level": "prefecture", "belt": "east"}, ["shenzhen", "xiamen"]),
    (RegionFilterSet, {"is_poverty_county": "yes"}, ["leye"]),
    (RegionFilterSet, {"q": "厦门"}, ["xiamen"]),
    (ProgramFilterSet, {"region": "gansu"}, ["collab"]),
    (ProgramFilterSet, {"approach": "industrial-park"}, ["park"]),
    (ProgramFilterSet, {"measure": "transport"}, ["collab"]),
    (ProgramFilterSet, {"measure": "minimum_wage"}, ["park"]),
    (ProgramFilterSet, {"pairing": "xiamen-linxia"}, ["collab"]),
    (ProgramFilterSet, {"source": "news"}, ["park"]),
    (ProgramFilterSet, {"year_start__gte": "2011"}, ["park"]),
    (ProgramFilterSet, {"year_start__lte": "2010"}, ["collab"]),
    (ProgramFilterSet, {"q": "kiwi"}, ["park"]),
    (PairingFilterSet, {"region": "gansu"}, ["xiamen-linxia"]),
    (PairingFilterSet, {"donor": "xiamen"}, ["xiamen-linxia"]),
    (PairingFilterSet, {"recipient": "guangxi"}, ["shenzhen-leye"]),
    (PairingFilterSet, {"level": "county"}, ["shenzhen-leye"]),
    (PairingFilterSet, {"framework": "counterpart"}, ["shenzhen-leye"]),
    (PairingFilterSet, {"start_year__gte": "2010"}, ["xiamen-linxia"]),
    (PairingFilterSet, {"start_year__lte": "2009"}, []),
    (PairingFilterSet, {"source": "news"}, ["shenzhen-leye"]),
    (PairingFilterSet, {"q": "xiamen"}, ["xiamen-linxia"]),
    (WorkshopFilterSet, {"region": "linxia"}, ["bag", "shoes"]),
    (WorkshopFilterSet, {"kind": "industrial_park"}, ["kiwi"]),
    (WorkshopFilterSet, {"status": "under_construction"}, ["shoes"]),
    (WorkshopFilterSet, {"ownership": ["private", "mixed"]}, ["bag", "shoes"]),
    (WorkshopFilterSet, {"opening_year__gte": "2019"}, ["shoes"]),
    (WorkshopFilterSet, {"opening_year__lte": "2018"}, ["bag"]),
    (WorkshopFilterSet, {"program": "park"}, ["kiwi"]),
    (WorkshopFilterSet, {"pairing": "xiamen-linxia"}, ["bag"]),
    (WorkshopFilterSet, {"source": "news"}, ["kiwi"]),
    (WorkshopFilterSet, {"q": "tian xiaoping"}, ["bag"]),
    (FundingFilterSet, {"region": "gansu"}, ["jihe", "xm"]),
    (FundingFilterSet, {"funder": "guangxi"}, ["gd"]),
    (FundingFilterSet, {"recipient": "hezheng"}, ["jihe"]),
    (FundingFilterSet, {"kind": "fiscal"}, ["gd", "jihe"]),
    (FundingFilterSet, {"qualifier": "nearly"}, ["jihe"]),
    (FundingFilterSet, {"amount__gte": "620000000"}, ["gd", "xm"]),
    (FundingFilterSet, {"amount__lte": "620000000"}, ["jihe", "xm"]),
    (FundingFilterSet, {"year__gte": "2020"}, ["xm"]),
    (FundingFilterSet, {"year__lte": "2016"}, ["gd"]),
    (FundingFilterSet, {"pairing": "xiamen-linxia"}, ["xm"]),
    (FundingFilterSet, {"program": "park"}, ["gd"]),
    (FundingFilterSet, {"workshop": "bag"}, ["jihe"]),
    (FundingFilterSet, {"source": "news"}, ["gd"]),
    (FundingFilterSet, {"q": "cattle"}, ["jihe"]),
    (OutcomeFilterSet, {"region": "gansu"}, ["jobs", "wage"]),
    (OutcomeFilterSet, {"indicator": "poverty-incidence"}, ["inc"]),
    (OutcomeFilterSet, {"perspective": "participant"}, ["wage"]),
    (OutcomeFilterSet, {"qualifier": "more_than"}, ["jobs"]),
    (OutcomeFilterSet, {"value__gte": "100"}, ["jobs", "wage"]),
    (OutcomeFilterSet, {"value__lte": "1"}, ["inc"]),
    (OutcomeFilterSet, {"year__gte": "2020"}, ["jobs", "wage"]),
    (OutcomeFilterSet, {"year__lte": "2018"}, ["wage"]),
    (OutcomeFilterSet, {"pairing": "xiamen-linxia"}, ["wage"]),
    (OutcomeFilterSet, {"program": "collab"}, ["wage"]),
    (OutcomeFilterSet, {"workshop": "bag"}, ["jobs"]),
    (OutcomeFilterSet, {"source": "news"}, ["inc"]),
    (OutcomeFilterSet, {"q": "zhou jinmin"}, ["jobs"]),
    (SupportMeasureFilterSet, {"region": "linxia"}, ["bus", "rent"]),
    (SupportMeasureFilterSet, {"kind": "rent_waiver"}, ["rent"]),
    (SupportMeasureFilterSet, {"beneficiary": "worker"}, ["bus", "wage-floor"]),
    (SupportMeasureFilterSet, {"program": "park"}, ["wage-floor"]),
    (SupportMeasureFilterSet, {"workshop": "bag"}, ["bus"]),
    (SupportMeasureFilterSet, {"source": "news"}, ["wage-floor"]),
    (SupportMeasureFilterSet, {"q": "bus"}, ["bus"]),
]


@pytest.mark.parametrize(
    "filterset_class, params, expected", CASES, ids=[f"{c[0].__name__}-{'-'.join(c[1])}" for c in CASES]
)
def test_filter_returns_exactly(data, filterset_class, params, expected):
    assert keys(filterset_class, params) == expected


# Fields that are deliberately not filters, each with its reason. A field listed
# here must really have no filter (the guard below checks both ways).
NOT_FILTERED = {
    "source": {
        "id": "a database id, never shown",
        "slug": "the URL of the source's page",
        "title": "free text, reached through q",
        "publisher": "free text, reached through q",
        "published_on": "the year filters cover dates",
        "language": "all five documents are in English",
        "url": "a link, not a property",
        "file_name": "free text, reached through q",
        "summary": "free text, reached through q",
        "note": "editors' notes",
    },
    "region": {
        "id": "a database id, never shown",
        "slug": "the URL of the region's page",
        "name_en": "free text, reached through q",
        "name_zh": "free text, reached through q",
        "aliases": "other names, reached through q (they are among its names)",
        "note": "editors' notes",
    },
    "program": {
        "id": "a database id, never shown",
        "slug": "the URL of the program's page",
        "name": "free text, reached through q",
        "name_zh": "free text, reached through q",
        "summary": "free text, reached through q",
        "implementer": "free text, reached through q",
        "year_end": "most programs are ongoing; the start-year range is what analysts ask for",
        "lessons": "free text, reached through q",
        "challenges": "free text, reached through q",
        "note": "free text, reached through q",
    },
    "pairing": {
        "id": "a database id, never shown",
        "slug": "the URL of the pairing's page",
        "end_year": "every pairing in the sources is ongoing",
        "description": "free text, reached through q",
        "note": "free text, reached through q",
    },
    "workshop": {
        "id": "a database id, never shown",
        "slug": "the URL of the workshop's page",
        "name": "free text, reached through q",
        "name_zh": "free text, reached through q",
        "operator": "free text, reached through q",
        "industry": "free text, reached through q",
        "products": "free text, reached through q",
        "closing_year": "status=ceased answers the question",
        "description": "free text, reached through q",
        "note": "free text, reached through q",
    },
    "funding": {
        "id": "a database id, never shown",
        "key": "an import key, reached through q",
        "locator": "a citation, reached through q",
        "note": "free text, reached through q",
        "amount_max": "the amount range filters the lower bound",
        "currency": "every amount in the sources is in yuan",
        "usd_amount": "stated by the source only; yuan is the filterable amount",
        "is_annual": "shown beside the amount",
        "funder_organisation": "free text, reached through q",
        "purpose": "free text, reached through q",
    },
    "outcome": {
        "id": "a database id, never shown",
        "key": "an import key, reached through q",
        "locator": "a citation, reached through q",
        "note": "free text, reached through q",
        "unit": "follows from the indicator",
        "value_max": "the value range filters the lower bound",
        "as_of": "the year filters cover it through year_end",
        "baseline_value": "shown beside the figure",
        "baseline_qualifier": "shown beside the baseline",
        "baseline_year": "shown beside the baseline",
        "attributed_to": "free text, reached through q",
        "description": "free text, reached through q",
    },
    "supportmeasure": {
        "id": "a database id, never shown",
        "key": "an import key, reached through q",
        "locator": "a citation, reached through q",
        "note": "free text, reached through q",
        "description": "free text, reached through q",
        "value": "values of different units do not compare",
        "value_max": "values of different units do not compare",
        "qualifier": "values of different units do not compare",
        "unit": "values of different units do not compare",
    },
}
# Filters whose method reaches fields its name does not say.
METHOD_FILTER_FIELDS = {
    "q": {"search_text", "names"},
    "year__gte": {"year_start", "year_end"},
    "year__lte": {"year_start", "year_end"},
    ("program", "region"): {"regions"},
    ("region", "within"): {"path", "parent"},
}


def fields_filtered_by(model_name: str) -> set[str]:
    """The model fields the list page's filters reach: a filter's field_name up to its
    first lookup, the fields a region filter looks through, and the method filters above."""
    reached = set()
    for name, filter_ in FILTERSETS[model_name].base_filters.items():
        reached.add(filter_.field_name.split("__")[0])
        reached.update(getattr(filter_, "through", ()))
        reached.update(METHOD_FILTER_FIELDS.get(name, ()))
        reached.update(METHOD_FILTER_FIELDS.get((model_name, name), ()))
    return reached


def model_fields(model) -> set[str]:
    """Every field the model itself declares: columns and forward many-to-many."""
    return {f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many)}


FILTERED_MODELS = [Source, Region, Program, Pairing, Workshop, Funding, Outcome, SupportMeasure]


@pytest.mark.parametrize("model", FILTERED_MODELS)
def test_every_model_field_has_a_filter_or_a_stated_reason(model):
    name = model._meta.model_name
    fields = model_fields(model)
    reached = fields_filtered_by(name)
    assert sorted(fields - reached - set(NOT_FILTERED[name])) == []


@pytest.mark.parametrize("model", FILTERED_MODELS)
def test_no_field_is_excused_from_filtering_while_it_has_a_filter(model):
    name = model._meta.model_name
    fields = model_fields(model)
    assert sorted(set(NOT_FILTERED[name]) & fields_filtered_by(name)) == []
    assert sorted(set(NOT_FILTERED[name]) - fields) == []


def test_a_region_can_be_named_by_its_english_or_chinese_name(data):
    Region.objects.filter(slug="gansu").update(name_en="Gansu", name_zh="甘肃省")
    assert keys(WorkshopFilterSet, {"region": ["gansu", "province"][0].title()}) == ["bag", "shoes"]
    assert keys(WorkshopFilterSet, {"region": "甘肃省"}) == ["bag", "shoes"]


def test_an_ambiguous_region_name_is_reported(data):
    RegionFactory(slug="other-gansu", name_en="Gansu", level="county", parent=Region.objects.get(slug="leye"))
    Region.objects.filter(slug="gansu").update(name_en="Gansu")
    filterset = WorkshopFilterSet({"region": "gansu"}, queryset=Workshop.objects.all())
    assert filterset.is_valid()  # the slug itself is never ambiguous
    filterset = WorkshopFilterSet({"region": "GANSU"}, queryset=Workshop.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors["region"] == [
        "More than one region is called “GANSU”: Gansu (某县) — province; Gansu (某县) — county, Leye. "
        "Pick one from the suggestions."
    ]


def test_a_period_without_an_end_reaches_later_years(data):
    FundingFactory(key="open", source=Source.objects.get(slug="news"), year_start=2010, year_end=None)
    assert keys(FundingFilterSet, {"year__gte": "2019"}) == ["gd", "open", "xm"]
    assert keys(FundingFilterSet, {"year__lte": "2009"}) == []


def test_a_region_named_by_its_slug_is_one_lookup_by_the_slug_alone(data):
    # the names are compared without an index (on PostgreSQL a scan of every region)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.filters import RegionField

    with CaptureQueriesContext(connection) as captured:
        assert RegionField().clean("gansu").slug == "gansu"
    assert len(captured) == 1
    assert "name_en" not in captured[0]["sql"].split("WHERE")[1]
