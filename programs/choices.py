"""Controlled vocabularies used across the casebook's models.

Kept in one module so filters, tables, fixtures and the admin agree on the
same stored values.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    CASE_STUDY = "case_study", _("Case study")
    NEWS_FEATURE = "news_feature", _("News feature")
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL_RELEASE = "official_release", _("Official release")


class RegionLevel(models.TextChoices):
    """Administrative levels, coarsest first. A city district counts as a county."""

    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


# Depth of each level in the administrative hierarchy: a region's parent must
# sit at a smaller depth than the region itself.
REGION_LEVEL_DEPTH = {level: depth for depth, level in enumerate(RegionLevel.values)}


class Belt(models.TextChoices):
    """China's three economic belts, as used in regional-development statistics."""

    EAST = "east", _("East")
    CENTRAL = "central", _("Central")
    WEST = "west", _("West")


class PairingLevel(models.TextChoices):
    PROVINCE = "province", _("Province to province")
    PREFECTURE = "prefecture", _("City to prefecture")
    COUNTY = "county", _("District or county to county")


class PairingFramework(models.TextChoices):
    EAST_WEST = "east_west", _("East–West collaboration")
    COUNTERPART = "counterpart", _("Counterpart support")
    OTHER = "other", _("Other")


class WorkshopKind(models.TextChoices):
    WORKSHOP = "workshop", _("Poverty-alleviation workshop")
    COMMUNITY_FACTORY = "community_factory", _("Community factory")
    FACTORY_DISTRICT = "factory_district", _("Factory district")
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
    ENTERPRISE_PLANT = "enterprise_plant", _("Enterprise plant")
    BASE = "base", _("Farm or production base")
    PROJECT = "project", _("Development project")


class Ownership(models.TextChoices):
    PRIVATE = "private", _("Private")
    STATE_OWNED = "state_owned", _("State-owned")
    GOVERNMENT = "government", _("Government")
    MIXED = "mixed", _("Mixed (state and private)")
    COLLECTIVE = "collective", _("Collective")
    UNKNOWN = "unknown", _("Unknown")


class WorkshopStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    CEASED = "ceased", _("Ceased operating")
    BUILT_NOT_OPENED = "built_not_opened", _("Built, not yet opened")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    PLANNED = "planned", _("Planned")
    UNKNOWN = "unknown", _("Unknown")


class Qualifier(models.TextChoices):
    """How the source hedges a figure. A range is a value plus an upper bound."""

    EXACT = "exact", _("Exactly")
    MORE_THAN = "more_than", _("More than")
    AT_LEAST = "at_least", _("At least")
    ABOUT = "about", _("About")
    NEARLY = "nearly", _("Nearly")
    UP_TO = "up_to", _("Up to")
    LESS_THAN = "less_than", _("Less than")


class FundingKind(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal funds")
    SOCIAL_DONATION = "social_donation", _("Social donation")
    MATERIAL_DONATION = "material_donation", _("Material donation")
    ENTERPRISE_INVESTMENT = "enterprise_investment", _("Enterprise investment")
    LOAN = "loan", _("Loan")
    SUBSIDY = "subsidy", _("Subsidy or reward")
    WAIVER = "waiver", _("Rent or utility waiver")
    MIXED = "mixed", _("Mixed or unspecified")


class Perspective(models.TextChoices):
    """Who is speaking when a figure is stated."""

    OFFICIAL = "official", _("Official statistic")
    MEDIA = "media", _("Media report")
    ENTERPRISE = "enterprise", _("Enterprise report")
    EXPERT = "expert", _("Expert estimate")
    PARTICIPANT = "participant", _("Participant's account")


class Unit(models.TextChoices):
    """Units an indicator is measured in."""

    PEOPLE = "people", _("people")
    HOUSEHOLDS = "households", _("households")
    COUNT = "count", _("count")
    PERCENT = "percent", _("%")
    CNY = "cny", _("yuan")
    CNY_PER_MONTH = "cny_per_month", _("yuan per month")
    CNY_PER_YEAR = "cny_per_year", _("yuan per year")
    MU = "mu", _("mu")
    SQUARE_METRES = "square_metres", _("square metres")
    SQUARE_KILOMETRES = "square_kilometres", _("square kilometres")
    UNITS_PER_YEAR = "units_per_year", _("units per year")
    DAYS = "days", _("days")
    YEARS = "years", _("years")


class MeasureKind(models.TextChoices):
    RENT_WAIVER = "rent_waiver", _("Rent waived or reduced")
    UTILITIES_WAIVER = "utilities_waiver", _("Water and electricity waived")
    LOAN = "loan", _("Loans arranged")
    TAX_BENEFIT = "tax_benefit", _("Tax benefits")
    HIRING_ALLOWANCE = "hiring_allowance", _("Allowance for hiring the poor")
    MINIMUM_WAGE = "minimum_wage", _("Minimum wage")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    CHILDCARE = "childcare", _("Childcare")
    DORMITORY = "dormitory", _("Dormitories")
    CANTEEN = "canteen", _("Canteens")
    TRAINING = "training", _("Training")
    ONE_TIME_REWARD = "one_time_reward", _("One-time reward")
    EQUIPMENT_SUBSIDY = "equipment_subsidy", _("Equipment subsidy")
    RETENTION_REWARD = "retention_reward", _("Worker-retention reward")
    TRANSPORT = "transport", _("Transport")
    PREMISES = "premises", _("Premises furnished")
    RECRUITMENT = "recruitment", _("Help with advertising and hiring")
    OTHER = "other", _("Other")


class Beneficiary(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    WORKER = "worker", _("Worker")
    HOUSEHOLD = "household", _("Household")
