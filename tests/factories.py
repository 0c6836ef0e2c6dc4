"""factory-boy factories for every casebook model. Defaults build a small,
valid tree: China → a province → a prefecture → a county."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programs.choices import (
    Beneficiary,
    FundingKind,
    MeasureKind,
    Ownership,
    PairingLevel,
    Perspective,
    RegionLevel,
    SourceKind,
    Unit,
    WorkshopKind,
    WorkshopStatus,
)
from programs.models import (
    Approach,
    Funding,
    Indicator,
    Outcome,
    Pairing,
    Program,
    Region,
    Source,
    SupportMeasure,
    Workshop,
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Report number {n}")
    publisher = "Example Press"
    published_on = date(2020, 5, 23)
    published_year = 2020
    kind = SourceKind.NEWS_FEATURE
    summary = "A report on a poverty-alleviation program."


class RegionFactory(factory.django.DjangoModelFactory):
    """A county under a fresh province and prefecture unless a parent is given."""

    class Meta:
        model = Region

    slug = factory.Sequence(lambda n: f"region-{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    name_zh = "某县"
    level = RegionLevel.COUNTY
    parent = None


class CountryFactory(RegionFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = "china"
    name_en = "China"
    name_zh = "中国"
    level = RegionLevel.COUNTRY


def region_tree(*slugs_and_levels: tuple[str, str]) -> list[Region]:
    """Build a chain of regions below China, e.g. ("guangxi", "province"), ("chongzuo", "prefecture")."""
    parent = CountryFactory()
    chain = []
    for slug, level in slugs_and_levels:
        parent = RegionFactory(slug=slug, name_en=slug.title(), level=level, parent=parent)
        chain.append(parent)
    return chain


class ApproachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approach
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"approach-{n}")
    name = factory.Sequence(lambda n: f"Approach {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    summary = "Built factories near villages."
    year_start = 2016

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory()])


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"pairing-{n}")
    donor = factory.SubFactory(RegionFactory, level=RegionLevel.PREFECTURE, belt="east")
    recipient = factory.SubFactory(RegionFactory, level=RegionLevel.PREFECTURE, belt="west")
    level = PairingLevel.PREFECTURE
    start_year = 2010

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory()])


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"workshop-{n}")
    name = factory.Sequence(lambda n: f"Workshop {n}")
    kind = WorkshopKind.COMMUNITY_FACTORY
    region = factory.SubFactory(RegionFactory)
    ownership = Ownership.PRIVATE
    status = WorkshopStatus.OPERATING
    opening_year = 2019

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory()])


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    source = factory.SubFactory(SourceFactory)
    key = factory.Sequence(lambda n: f"funding-{n}")
    locator = "second paragraph"
    amount = Decimal("3680000000")
    year_start = 2016
    year_end = 2019
    funder_region = factory.SubFactory(RegionFactory, level=RegionLevel.PROVINCE)
    kind = FundingKind.FISCAL


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = Unit.PEOPLE
    higher_is_better = True


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    source = factory.SubFactory(SourceFactory)
    key = factory.Sequence(lambda n: f"outcome-{n}")
    locator = "results list"
    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal("500")
    year_end = 2018
    region = factory.SubFactory(RegionFactory)
    perspective = Perspective.OFFICIAL


class SupportMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportMeasure

    source = factory.SubFactory(SourceFactory)
    key = factory.Sequence(lambda n: f"measure-{n}")
    locator = "policy list"
    kind = MeasureKind.RENT_WAIVER
    beneficiary = Beneficiary.ENTERPRISE
    description = "Factory rent waived"
    program = factory.SubFactory(ProgramFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
