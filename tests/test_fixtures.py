"""The documents' data: what loading the real fixtures puts in the casebook.

The fixtures are loaded once for the module inside a transaction that is
rolled back at the end, so the other test modules still start empty.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from programs.models import Funding, Outcome, Pairing, Region, Source, SupportMeasure, Workshop
from programs.services import casebook_load


@pytest.fixture(scope="module")
def casebook(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = casebook_load()
        yield report
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("casebook", "db")


def figure(model, source, key):
    return model.objects.select_related("source").get(source__slug=source, key=key)


def subject_slugs(outcome):
    return {
        name: getattr(outcome, name).slug
        for name in ("region", "pairing", "program", "workshop")
        if getattr(outcome, name)
    }


# (model, source slug, key) → the values the document states.
KEY_FIGURES = {
    "Jinjie: more than 500 jobs by the end of 2018": (
        Outcome,
        "gpig-jinjie-2024",
        "jinjie-jobs-created-2018",
        {
            "value": Decimal("500"),
            "qualifier": "more_than",
            "as_of": date(2018, 12, 31),
            "indicator.slug": "jobs-created",
            "subjects": {"region": "jinjie", "program": "jinjie-factory-district", "workshop": "jinjie-factory-zone"},
        },
    ),
    "Jinjie: average pay 2,000 to 3,000 yuan a month": (
        Outcome,
        "gpig-jinjie-2024",
        "jinjie-average-monthly-wage-2018",
        {"value": Decimal("2000"), "value_max": Decimal("3000"), "indicator.slug": "monthly-wage"},
    ),
    "Jinjie: a 2,000-yuan monthly minimum wage": (
        SupportMeasure,
        "gpig-jinjie-2024",
        "jinjie-minimum-wage",
        {
            "kind": "minimum_wage",
            "beneficiary": "worker",
            "value": Decimal("2000"),
            "unit": "cny_per_month",
            "program.slug": "jinjie-factory-district",
        },
    ),
    "Jinjie: rent waived": (
        SupportMeasure,
        "gpig-jinjie-2024",
        "jinjie-rent-waiver",
        {"kind": "rent_waiver", "beneficiary": "enterprise"},
    ),
    "Lüeyang: poverty under 1% from 41% in 2014": (
        Outcome,
        "sixthtone-lueyang-2020",
        "lueyang-poverty-rate-2020",
        {
            "value": Decimal("1"),
            "qualifier": "less_than",
            "baseline_value": Decimal("41"),
            "baseline_year": 2014,
            "year_end": 2020,
            "indicator.slug": "poverty-incidence",
            "subjects": {"region": "lueyang"},
        },
    ),
    "Lüeyang: over 30 million yuan in 10 community factories": (
        Funding,
        "sixthtone-lueyang-2020",
        "lueyang-community-factory-investment",
        {"amount": Decimal("30000000"), "qualifier": "more_than", "funder_region.slug": "lueyang"},
    ),
    "Lüeyang: 376 workshop employees by September": (
        Outcome,
        "sixthtone-lueyang-2020",
        "lueyang-workshop-employees-2020",
        {"value": Decimal("376"), "qualifier": "exact", "year_end": 2020},
    ),
    "Lüeyang: more than 100 of them from poor households": (
        Outcome,
        "sixthtone-lueyang-2020",
        "lueyang-workshop-poor-employees-2020",
        {"value": Decimal("100"), "qualifier": "more_than", "indicator.slug": "poor-household-employees"},
    ),
    "Lüeyang: Hou earned 1,200 yuan in her best month, in her own words": (
        Outcome,
        "sixthtone-lueyang-2020",
        "hou-lihong-best-month-earnings",
        {
            "value": Decimal("1200"),
            "perspective": "participant",
            "subjects": {"program": "lueyang-community-factories", "workshop": "wu-jinquan-earphone-workshop"},
        },
    ),
    "Lüeyang: Luo earns up to 1,500 yuan a month": (
        Outcome,
        "sixthtone-lueyang-2020",
        "luo-ruihong-monthly-earnings-max",
        {"value": Decimal("1500"), "qualifier": "up_to", "perspective": "participant"},
    ),
    "Lüeyang: women at least 80% of workshop workforces, says an expert": (
        Outcome,
        "sixthtone-lueyang-2020",
        "community-factory-female-share",
        {"value": Decimal("80"), "qualifier": "at_least", "perspective": "expert"},
    ),
    "Guangdong–Guangxi: 3.68 billion yuan ($517.37 million) in 2016–2019": (
        Funding,
        "news-guangdong-guangxi-2020",
        "guangdong-guangxi-investment-2016-2019",
        {
            "amount": Decimal("3680000000"),
            "usd_amount": Decimal("517370000"),
            "qualifier": "exact",
            "year_start": 2016,
            "year_end": 2019,
            "funder_region.slug": "guangdong",
            "recipient_region.slug": "guangxi",
        },
    ),
    "Guangxi: poverty incidence 10.5% to 0.6%": (
        Outcome,
        "news-guangdong-guangxi-2020",
        "guangxi-poverty-incidence-2019",
        {
            "value": Decimal("0.6"),
            "baseline_value": Decimal("10.5"),
            "subjects": {
                "region": "guangxi",
                "pairing": "guangdong-guangxi",
                "program": "guangdong-guangxi-cooperation",
            },
        },
    ),
    "Guangdong–Guangxi: 1,166 projects": (
        Outcome,
        "news-guangdong-guangxi-2020",
        "guangdong-guangxi-projects-2016-2019",
        {"value": Decimal("1166"), "qualifier": "exact", "indicator.slug": "projects-implemented"},
    ),
    "Guangxi: 98,757 workers back in Guangdong by the end of April": (
        Outcome,
        "news-guangdong-guangxi-2020",
        "guangxi-workers-returned-to-guangdong-2020-04",
        {"value": Decimal("98757"), "as_of": date(2020, 4, 30)},
    ),
    "Guangxi: nearly 400,000 poor people working in Guangdong": (
        Outcome,
        "news-guangdong-guangxi-2020",
        "guangxi-poor-working-in-guangdong-2020",
        {"value": Decimal("400000"), "qualifier": "nearly"},
    ),
    "Qingdao: 16.40 million yuan of funds and materials to Anshun and Tongren in 2009": (
        Funding,
        "iprcc-qingdao-guizhou",
        "qingdao-govt-donation-2009",
        {"amount": Decimal("16400000"), "qualifier": "exact", "year_end": 2009, "funder_region.slug": "qingdao"},
    ),
    "Qingdao: annual relief funds of 100 million yuan": (
        Funding,
        "iprcc-qingdao-guizhou",
        "qingdao-annual-relief-funds-2009",
        {"amount": Decimal("100000000"), "is_annual": True, "funder_region.slug": "qingdao"},
    ),
    "Red Star: 580 million yuan of taxes paid in Guizhou": (
        Outcome,
        "iprcc-qingdao-guizhou",
        "redstar-taxes-paid",
        {"value": Decimal("580000000"), "qualifier": "exact", "workshop.slug": "red-star-group-guizhou"},
    ),
    "Red Star: more than 3,400 jobs created directly": (
        Outcome,
        "iprcc-qingdao-guizhou",
        "redstar-direct-jobs",
        {"value": Decimal("3400"), "qualifier": "more_than", "indicator.slug": "jobs-created"},
    ),
    "Xiamen: 57 enterprises brought to Linxia with 620 million yuan by August 2020": (
        Funding,
        "xinhua-xiamen-linxia-2020",
        "introduced-enterprises-paid-in-2020-08",
        {
            "amount": Decimal("620000000"),
            "year_end": 2020,
            "funder_region.slug": "xiamen",
            "recipient_region.slug": "linxia",
        },
    ),
    "Jihe Xingye park: 210 million yuan in all": (
        Funding,
        "xinhua-xiamen-linxia-2020",
        "jihe-park-total-investment",
        {"amount": Decimal("210000000"), "qualifier": "exact", "recipient_region.slug": "hezheng"},
    ),
    "Jimei bags: more than 100 workers in Hezheng": (
        Outcome,
        "xinhua-xiamen-linxia-2020",
        "jimei-workers",
        {"value": Decimal("100"), "qualifier": "more_than", "workshop.slug": "jimei-bag-hezheng"},
    ),
    "Xiamen: a one-time reward of up to 1 million yuan for firms": (
        SupportMeasure,
        "xinhua-xiamen-linxia-2020",
        "settlement-one-time-reward",
        {"kind": "one_time_reward", "value": Decimal("1000000"), "qualifier": "up_to", "unit": "cny"},
    ),
    "Xiamen: 1,000 yuan for workers who stay three months": (
        SupportMeasure,
        "xinhua-xiamen-linxia-2020",
        "retention-reward-3-months",
        {"kind": "retention_reward", "beneficiary": "worker", "value": Decimal("1000")},
    ),
    "Leye: a kiwi park of 100 million yuan": (
        Funding,
        "news-guangdong-guangxi-2020",
        "leye-kiwi-park-investment",
        {"amount": Decimal("100000000"), "workshop.slug": "leye-shenzhen-kiwi-industrial-park"},
    ),
}


def attribute(obj, dotted):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("model, source, key, expected", KEY_FIGURES.values(), ids=KEY_FIGURES.keys())
def test_key_figure_has_its_value_qualifier_and_subject(model, source, key, expected):
    obj = figure(model, source, key)
    actual = {name: subject_slugs(obj) if name == "subjects" else attribute(obj, name) for name in expected}
    assert actual == expected


def test_every_source_supports_at_least_one_record():
    unsupported = [
        source.slug
        for source in Source.objects.all()
        if not any(
            getattr(source, related).exists()
            for related in ("fundings", "outcomes", "supportmeasures", "programs", "workshops", "pairings")
        )
    ]
    assert unsupported == []


def test_lueyang_workshops_by_status():
    lueyang = Region.objects.get(slug="lueyang")
    statuses = Workshop.objects.filter(region__path__startswith=lueyang.path).values_list("status", flat=True)
    assert sorted(statuses) == ["built_not_opened"] * 4 + ["ceased"] + ["operating"] * 3


def test_region_tree_reaches_the_province():
    assert Region.objects.get(slug="jinjie").path == "china/guangxi/chongzuo/tiandeng/jinjie/"
    assert Region.objects.get(slug="lueyang").path == "china/shaanxi/hanzhong/lueyang/"
    assert Region.objects.get(slug="haian").path == "china/jiangsu/nantong/haian/"
    assert Region.objects.get(slug="leye").path == "china/guangxi/baise/leye/"


def test_counts_of_every_model():
    from programs.models import Approach, Indicator, Program

    counts = {
        model._meta.model_name: model.objects.count()
        for model in (Source, Region, Approach, Indicator, Program, Pairing, Workshop, Funding, Outcome, SupportMeasure)
    }
    assert counts == {
        "source": 5,
        "region": 44,
        "approach": 12,
        "indicator": 59,
        "program": 6,
        "pairing": 9,
        "workshop": 34,
        "funding": 14,
        "outcome": 96,
        "supportmeasure": 55,
    }


def test_counts_per_document():
    per_source = {
        source.slug: (
            source.fundings.count(),
            source.outcomes.count(),
            source.supportmeasures.count(),
            source.workshops.count(),
        )
        for source in Source.objects.all()
    }
    assert per_source == {
        "gpig-jinjie-2024": (0, 2, 11, 1),
        "sixthtone-lueyang-2020": (1, 22, 11, 8),
        "iprcc-qingdao-guizhou": (6, 26, 7, 8),
        "news-guangdong-guangxi-2020": (2, 8, 2, 1),
        "xinhua-xiamen-linxia-2020": (5, 38, 24, 16),
    }


def test_pairings_started_in_2009_or_earlier():
    slugs = sorted(Pairing.objects.filter(start_year__lte=2009).values_list("slug", flat=True))
    assert slugs == ["qingdao-anshun", "qingdao-cao-county", "qingdao-shigatse", "qingdao-tongren", "qingdao-yiling"]


def test_pairings_name_donor_and_recipient():
    pairs = {
        p.slug: (p.donor.slug, p.recipient.slug, p.start_year)
        for p in Pairing.objects.select_related("donor", "recipient")
    }
    assert pairs["haian-lueyang"] == ("haian", "lueyang", 2017)
    assert pairs["guangdong-guangxi"] == ("guangdong", "guangxi", None)
    assert pairs["xiamen-linxia"] == ("xiamen", "linxia", 2010)
    assert pairs["qingdao-anshun"] == ("qingdao", "anshun", 1996)


def test_loading_again_changes_nothing(casebook):
    report = casebook_load()
    assert (report.created, report.updated) == ({}, {})
    assert sum(report.unchanged.values()) == sum(casebook.created.values()) + sum(casebook.updated.values())
