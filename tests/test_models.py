"""Every invariant is refused twice: by ``full_clean()`` with a clear message,
and by the database when validation is skipped."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.choices import RegionLevel, Unit
from programs.models import Outcome, Region, Source
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
    region_tree,
)

pytestmark = pytest.mark.django_db


def percent_outcome():
    return OutcomeFactory(indicator=IndicatorFactory(slug="incidence", unit=Unit.PERCENT), value=Decimal("10.5"))


def make_pairing_with_itself():
    pairing = PairingFactory()
    pairing.recipient = pairing.donor
    return pairing


def make_region_its_own_parent():
    region = RegionFactory()
    region.parent = region
    return region


def make_outcome_without_subject():
    outcome = OutcomeFactory()
    outcome.region = None
    return outcome


def make_measure_without_subject():
    measure = SupportMeasureFactory()
    measure.program = None
    return measure


def with_changes(factory, **changes):
    def build():
        instance = factory()
        for field, value in changes.items():
            setattr(instance, field, value)
        return instance

    return build


INVARIANTS = {
    "funding amount negative": (with_changes(FundingFactory, amount=Decimal("-1")), "cannot be negative"),
    "funding upper bound below amount": (
        with_changes(FundingFactory, amount=Decimal("3000"), amount_max=Decimal("2000")),
        "upper bound cannot be below",
    ),
    "funding US-dollar amount negative": (
        with_changes(FundingFactory, usd_amount=Decimal("-5")),
        "US-dollar amount cannot be negative",
    ),
    "funding end year before start year": (
        with_changes(FundingFactory, year_start=2019, year_end=2016),
        "end year cannot come before the start year",
    ),
    "funding year implausible": (with_changes(FundingFactory, year_end=20016), "Years must lie between"),
    "funding without funder": (
        with_changes(FundingFactory, funder_region=None, funder_organisation=""),
        "Name the funder",
    ),
    "funding without locator": (with_changes(FundingFactory, locator=""), "locator"),
    "outcome value negative": (with_changes(OutcomeFactory, value=Decimal("-0.5")), "cannot be negative"),
    "outcome upper bound below value": (
        with_changes(OutcomeFactory, value=Decimal("3000"), value_max=Decimal("2000")),
        "upper bound cannot be below",
    ),
    "outcome baseline negative": (
        with_changes(OutcomeFactory, baseline_value=Decimal("-41")),
        "baseline cannot be negative",
    ),
    "outcome percentage above 100": (
        lambda: _set(percent_outcome(), value=Decimal("100.5")),
        "percentage must lie between 0 and 100",
    ),
    "outcome percentage upper bound above 100": (
        lambda: _set(percent_outcome(), value_max=Decimal("101")),
        "percentage must lie between 0 and 100",
    ),
    "outcome percentage baseline above 100": (
        lambda: _set(percent_outcome(), baseline_value=Decimal("141")),
        "percentage must lie between 0 and 100",
    ),
    "outcome without subject": (make_outcome_without_subject, "region, pairing, program or workshop"),
    "outcome end year before start year": (
        with_changes(OutcomeFactory, year_start=2020, year_end=2014),
        "end year cannot come before the start year",
    ),
    "outcome baseline after period": (
        with_changes(OutcomeFactory, baseline_year=2021, year_end=2020),
        "baseline year cannot come after the period",
    ),
    "support measure without program or workshop": (make_measure_without_subject, "belongs to a program or a workshop"),
    "support measure value negative": (
        with_changes(SupportMeasureFactory, value=Decimal("-2000"), unit=Unit.CNY_PER_MONTH),
        "cannot be negative",
    ),
    "support measure upper bound below value": (
        with_changes(SupportMeasureFactory, value=Decimal("3"), value_max=Decimal("2"), unit=Unit.PEOPLE),
        "upper bound cannot be below",
    ),
    "support measure value without unit": (
        with_changes(SupportMeasureFactory, value=Decimal("2000"), unit=""),
        "value needs a unit",
    ),
    "support measure percentage above 100": (
        with_changes(SupportMeasureFactory, value=Decimal("115"), unit=Unit.PERCENT),
        "percentage must lie between 0 and 100",
    ),
    "pairing donor is its recipient": (make_pairing_with_itself, "cannot be paired with itself"),
    "pairing end year before start year": (
        with_changes(PairingFactory, start_year=2017, end_year=2010),
        "end year cannot come before the start year",
    ),
    "program end year before start year": (
        with_changes(ProgramFactory, year_start=2016, year_end=2012),
        "end year cannot come before the start year",
    ),
    "workshop closing year before opening year": (
        with_changes(WorkshopFactory, opening_year=2019, closing_year=2018),
        "end year cannot come before the start year",
    ),
    "region its own parent": (make_region_its_own_parent, "own parent"),
    "source year implausible": (
        with_changes(SourceFactory, published_year=1020, published_on=None),
        "must lie between",
    ),
    "source URL with a javascript scheme": (
        with_changes(SourceFactory, url="javascript:alert(document.cookie)//https://example.org"),
        "Enter a valid URL.",
    ),
    "source URL with a data scheme": (
        with_changes(SourceFactory, url="data:text/html,<script>alert(1)</script>"),
        "Enter a valid URL.",
    ),
}


def _set(instance, **changes):
    for field, value in changes.items():
        setattr(instance, field, value)
    return instance


@pytest.mark.parametrize("build, message", INVARIANTS.values(), ids=INVARIANTS.keys())
def test_invariant_is_refused_by_full_clean(build, message):
    instance = build()
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message in str(excinfo.value)


@pytest.mark.parametrize("build, message", INVARIANTS.values(), ids=INVARIANTS.keys())
def test_invariant_is_refused_by_the_database(build, message):
    instance = build()
    with pytest.raises(IntegrityError), transaction.atomic():
        if isinstance(instance, Region):
            # Region.save() rebuilds the path from the parent; write the bad row directly.
            Region.objects.filter(pk=instance.pk).update(parent=instance.pk)
        else:
            instance.save()


UNIQUE_KEYS = {
    "source slug": lambda: (SourceFactory(slug="dup"), lambda: SourceFactory.build(slug="dup")),
    "region slug": lambda: (RegionFactory(slug="dup"), lambda: RegionFactory.build(slug="dup")),
    "program slug": lambda: (ProgramFactory(slug="dup"), lambda: ProgramFactory.build(slug="dup")),
    "pairing slug": lambda: (PairingFactory(slug="dup"), lambda: _copy_pairing(slug="dup")),
    "workshop slug": lambda: (WorkshopFactory(slug="dup"), lambda: _copy_workshop(slug="dup")),
    "indicator slug": lambda: (IndicatorFactory(slug="dup"), lambda: _new_indicator(slug="dup")),
    "funding source and key": lambda: _duplicate_cited(FundingFactory),
    "outcome source and key": lambda: _duplicate_cited(OutcomeFactory),
    "support measure source and key": lambda: _duplicate_cited(SupportMeasureFactory),
}


def _copy_pairing(slug):
    other = PairingFactory()
    other.slug = slug
    return other


def _copy_workshop(slug):
    other = WorkshopFactory()
    other.slug = slug
    return other


def _new_indicator(slug):
    return IndicatorFactory.build(slug=slug, name="Another indicator")


def _duplicate_cited(factory):
    first = factory(key="same-key")
    return first, lambda: _set(factory(source=first.source), key="same-key")


@pytest.mark.parametrize("build", UNIQUE_KEYS.values(), ids=UNIQUE_KEYS.keys())
def test_natural_keys_are_unique_in_full_clean(build):
    _, make_second = build()
    second = make_second()
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "already" in str(excinfo.value)


@pytest.mark.parametrize("build", UNIQUE_KEYS.values(), ids=UNIQUE_KEYS.keys())
def test_natural_keys_are_unique_in_the_database(build):
    _, make_second = build()
    second = make_second()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_region_below_a_finer_level_is_refused_by_full_clean():
    _guangxi, county = region_tree(("guangxi", "province"), ("tiandeng", "county"))
    province = RegionFactory.build(slug="oops", level=RegionLevel.PROVINCE, parent=county)
    with pytest.raises(ValidationError) as excinfo:
        province.full_clean()
    assert excinfo.value.message_dict["parent"] == ["A province cannot sit below a county."]


def test_region_below_its_own_descendant_is_refused_by_full_clean():
    province, _prefecture, county = region_tree(
        ("guangxi", "province"), ("chongzuo", "prefecture"), ("tiandeng", "county")
    )
    province.parent = county
    with pytest.raises(ValidationError) as excinfo:
        province.full_clean()
    assert excinfo.value.message_dict["parent"] == ["A region cannot sit below one of its own descendants."]


def test_outcome_takes_its_unit_from_the_indicator():
    outcome = OutcomeFactory(indicator=IndicatorFactory(unit=Unit.PERCENT), value=Decimal("41"))
    assert Outcome.objects.get(pk=outcome.pk).unit == Unit.PERCENT


def test_changing_an_indicator_unit_updates_its_outcomes():
    indicator = IndicatorFactory(unit=Unit.PEOPLE)
    outcome = OutcomeFactory(indicator=indicator, value=Decimal("41"))
    indicator.unit = Unit.PERCENT
    indicator.save()
    outcome.refresh_from_db()
    assert outcome.unit == Unit.PERCENT


def test_indicator_cannot_become_a_percentage_while_outcomes_exceed_100():
    indicator = IndicatorFactory(unit=Unit.PEOPLE)
    OutcomeFactory(indicator=indicator, value=Decimal("376"))
    indicator.unit = Unit.PERCENT
    with pytest.raises(ValidationError) as excinfo:
        indicator.full_clean()
    assert excinfo.value.message_dict["unit"] == [
        "Some outcomes of this indicator exceed 100, so it cannot be a percentage."
    ]


def test_hedged_figures_keep_their_qualifier_and_range():
    outcome = OutcomeFactory(value=Decimal("2000"), value_max=Decimal("3000"), qualifier="about")
    outcome.refresh_from_db()
    assert (outcome.value, outcome.value_max, outcome.get_qualifier_display()) == (
        Decimal("2000"),
        Decimal("3000"),
        "About",
    )


def test_funding_amounts_are_stored_exactly_in_whole_units():
    funding = FundingFactory(amount=Decimal("3680000000"), usd_amount=Decimal("517370000"))
    funding.refresh_from_db()
    assert (funding.amount, funding.usd_amount) == (Decimal("3680000000.00"), Decimal("517370000.00"))


def test_string_forms_name_the_record():
    china = RegionFactory(slug="cn", name_en="China", name_zh="中国", level=RegionLevel.COUNTRY)
    xiamen = RegionFactory(slug="xiamen", name_en="Xiamen", parent=china, level=RegionLevel.PREFECTURE)
    linxia = RegionFactory(slug="linxia", name_en="Linxia", parent=china, level=RegionLevel.PREFECTURE)
    pairing = PairingFactory(donor=xiamen, recipient=linxia)
    funding = FundingFactory(amount=Decimal("100000000"), qualifier="more_than", key="qingdao-annual")
    assert [str(china), str(pairing), str(funding)] == [
        "China (中国)",
        "Xiamen → Linxia",
        "more than 100 million yuan (qingdao-annual)",
    ]


def test_a_web_address_with_an_upper_case_scheme_is_stored_lower_case():
    source = SourceFactory.build(url="HTTPS://www.example.org/report.html")
    source.full_clean()
    source.save()
    assert Source.objects.get(pk=source.pk).url == "https://www.example.org/report.html"


def test_the_source_page_links_its_web_address(client):
    source = SourceFactory(url="https://www.example.org/report.html")
    page = client.get(source.get_absolute_url()).content.decode()
    assert '<a href="https://www.example.org/report.html" rel="noopener">' in page
