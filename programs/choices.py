"""Controlled vocabularies used across the casebook's models.

Kept in one module so filters, tables, fixtures and the admin agree on the
same stored values.
"""

from django.db import models


class SourceKind(models.TextChoices):
    CASE_STUDY = "case_study", "Case study"
    NEWS_FEATURE = "news_feature", "News feature"
    NEWS_REPORT = "news_report", "News report"
    OFFICIAL_RELEASE = "official_release", "Official release"


class RegionLevel(models.TextChoices):
    """Administrative levels, coarsest first. A city district counts as a county."""

    COUNTRY = "country", "Country"
    PROVINCE = "province", "Province"
    PREFECTURE = "prefecture", "Prefecture"
    COUNTY = "county", "County"
    TOWNSHIP = "township", "Township"
    VILLAGE = "village", "Village"


# Depth of each level in the administrative hierarchy: a region's parent must
# sit at a smaller depth than the region itself.
REGION_LEVEL_DEPTH = {level: depth for depth, level in enumerate(RegionLevel.values)}


class Belt(models.TextChoices):
    """China's three economic belts, as used in regional-development statistics."""

    EAST = "east", "East"
    CENTRAL = "central", "Central"
    WEST = "west", "West"


class PairingLevel(models.TextChoices):
    PROVINCE = "province", "Province to province"
    PREFECTURE = "prefecture", "City to prefecture"
    COUNTY = "county", "District or county to county"


class PairingFramework(models.TextChoices):
    EAST_WEST = "east_west", "East–West collaboration"
    COUNTERPART = "counterpart", "Counterpart support"
    OTHER = "other", "Other"


class WorkshopKind(models.TextChoices):
    WORKSHOP = "workshop", "Poverty-alleviation workshop"
    COMMUNITY_FACTORY = "community_factory", "Community factory"
    FACTORY_DISTRICT = "factory_district", "Factory district"
    INDUSTRIAL_PARK = "industrial_park", "Industrial park"
    ENTERPRISE_PLANT = "enterprise_plant", "Enterprise plant"
    BASE = "base", "Farm or production base"
    PROJECT = "project", "Development project"


class Ownership(models.TextChoices):
    PRIVATE = "private", "Private"
    STATE_OWNED = "state_owned", "State-owned"
    GOVERNMENT = "government", "Government"
    MIXED = "mixed", "Mixed (state and private)"
    COLLECTIVE = "collective", "Collective"
    UNKNOWN = "unknown", "Unknown"


class WorkshopStatus(models.TextChoices):
    OPERATING = "operating", "Operating"
    CEASED = "ceased", "Ceased operating"
    BUILT_NOT_OPENED = "built_not_opened", "Built, not yet opened"
    UNDER_CONSTRUCTION = "under_construction", "Under construction"
    PLANNED = "planned", "Planned"
    UNKNOWN = "unknown", "Unknown"


class Qualifier(models.TextChoices):
    """How the source hedges a figure. A range is a value plus an upper bound."""

    EXACT = "exact", "Exactly"
    MORE_THAN = "more_than", "More than"
    AT_LEAST = "at_least", "At least"
    ABOUT = "about", "About"
    NEARLY = "nearly", "Nearly"
    UP_TO = "up_to", "Up to"
    LESS_THAN = "less_than", "Less than"


class FundingKind(models.TextChoices):
    FISCAL = "fiscal", "Fiscal funds"
    SOCIAL_DONATION = "social_donation", "Social donation"
    MATERIAL_DONATION = "material_donation", "Material donation"
    ENTERPRISE_INVESTMENT = "enterprise_investment", "Enterprise investment"
    LOAN = "loan", "Loan"
    SUBSIDY = "subsidy", "Subsidy or reward"
    WAIVER = "waiver", "Rent or utility waiver"
    MIXED = "mixed", "Mixed or unspecified"


class Perspective(models.TextChoices):
    """Who is speaking when a figure is stated."""

    OFFICIAL = "official", "Official statistic"
    MEDIA = "media", "Media report"
    ENTERPRISE = "enterprise", "Enterprise report"
    EXPERT = "expert", "Expert estimate"
    PARTICIPANT = "participant", "Participant's account"


class Unit(models.TextChoices):
    """Units an indicator is measured in."""

    PEOPLE = "people", "people"
    HOUSEHOLDS = "households", "households"
    COUNT = "count", "count"
    PERCENT = "percent", "%"
    CNY = "cny", "yuan"
    CNY_PER_MONTH = "cny_per_month", "yuan per month"
    CNY_PER_YEAR = "cny_per_year", "yuan per year"
    MU = "mu", "mu"
    SQUARE_METRES = "square_metres", "square metres"
    SQUARE_KILOMETRES = "square_kilometres", "square kilometres"
    UNITS_PER_YEAR = "units_per_year", "units per year"
    DAYS = "days", "days"
    YEARS = "years", "years"


class MeasureKind(models.TextChoices):
    RENT_WAIVER = "rent_waiver", "Rent waived or reduced"
    UTILITIES_WAIVER = "utilities_waiver", "Water and electricity waived"
    LOAN = "loan", "Loans arranged"
    TAX_BENEFIT = "tax_benefit", "Tax benefits"
    HIRING_ALLOWANCE = "hiring_allowance", "Allowance for hiring the poor"
    MINIMUM_WAGE = "minimum_wage", "Minimum wage"
    SOCIAL_INSURANCE = "social_insurance", "Social insurance"
    CHILDCARE = "childcare", "Childcare"
    DORMITORY = "dormitory", "Dormitories"
    CANTEEN = "canteen", "Canteens"
    TRAINING = "training", "Training"
    ONE_TIME_REWARD = "one_time_reward", "One-time reward"
    EQUIPMENT_SUBSIDY = "equipment_subsidy", "Equipment subsidy"
    RETENTION_REWARD = "retention_reward", "Worker-retention reward"
    TRANSPORT = "transport", "Transport"
    PREMISES = "premises", "Premises furnished"
    RECRUITMENT = "recruitment", "Help with advertising and hiring"
    OTHER = "other", "Other"


class Beneficiary(models.TextChoices):
    ENTERPRISE = "enterprise", "Enterprise"
    WORKER = "worker", "Worker"
    HOUSEHOLD = "household", "Household"
