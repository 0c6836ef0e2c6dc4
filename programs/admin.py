"""The editors' admin. Every model records its history (who changed what and
when); funding and outcomes can be imported and exported as CSV. Declarative
only: behaviour lives in the models, resources and services."""

from django.contrib import admin
from django.db import models
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, JSON
from simple_history.admin import SimpleHistoryAdmin

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
from programs.resources import FundingResource, OutcomeResource


class CsvImportExportAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Editors import CSV (all rows or none) and export CSV or JSON, and every
    change is recorded in the history."""

    import_formats = (CSV,)
    export_formats = (CSV, JSON)


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    fields = (
        "amount",
        "amount_max",
        "qualifier",
        "currency",
        "year_start",
        "year_end",
        "kind",
        "funder_region",
        "funder_organisation",
        "source",
        "locator",
        "key",
    )
    autocomplete_fields = ("funder_region", "source")
    show_change_link = True


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = (
        "indicator",
        "value",
        "value_max",
        "qualifier",
        "year_start",
        "year_end",
        "as_of",
        "perspective",
        "source",
        "locator",
        "key",
    )
    autocomplete_fields = ("indicator", "source")
    show_change_link = True


class SupportMeasureInline(admin.TabularInline):
    model = SupportMeasure
    extra = 0
    fields = ("kind", "beneficiary", "description", "value", "qualifier", "unit", "source", "locator", "key")
    autocomplete_fields = ("source",)
    show_change_link = True


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "publisher", "published_year", "kind", "language", "file_name")
    list_filter = ("kind", "language", "published_year")
    search_fields = ("title", "publisher", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("name_en", "name_zh", "level", "parent", "belt", "is_poverty_county", "path")
    list_filter = ("level", "belt", "is_poverty_county")
    search_fields = ("name_en", "name_zh", "slug")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    readonly_fields = ("path",)
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Approach)
class ApproachAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_zh", "implementer", "year_start", "year_end")
    list_filter = ("approaches", "year_start", "sources")
    search_fields = ("name", "name_zh", "implementer", "summary", "regions__name_en", "regions__name_zh")
    autocomplete_fields = ("approaches", "regions", "pairings", "sources")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (FundingInline, OutcomeInline, SupportMeasureInline)


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "level", "framework", "start_year", "end_year", "parent")
    list_filter = ("level", "framework", "start_year")
    search_fields = (
        "slug",
        "donor__name_en",
        "donor__name_zh",
        "recipient__name_en",
        "recipient__name_zh",
    )
    autocomplete_fields = ("donor", "recipient", "parent", "sources")
    list_select_related = ("donor", "recipient", "parent__donor", "parent__recipient")


@admin.register(Workshop)
class WorkshopAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_zh", "kind", "region", "operator", "ownership", "status", "opening_year")
    list_filter = ("kind", "status", "ownership", "opening_year")
    search_fields = ("name", "name_zh", "operator", "industry", "products", "region__name_en", "region__name_zh")
    autocomplete_fields = ("region", "program", "pairing", "sources")
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (FundingInline, OutcomeInline, SupportMeasureInline)


@admin.register(Funding)
class FundingAdmin(CsvImportExportAdmin):
    resource_classes = (FundingResource,)
    list_display = (
        "key",
        "qualifier",
        "amount",
        "amount_max",
        "currency",
        "usd_amount",
        "year_start",
        "year_end",
        "kind",
        "funder_region",
        "funder_organisation",
        "recipient_region",
        "source",
        "locator",
    )
    list_filter = ("kind", "qualifier", "currency", "is_annual", "source")
    search_fields = (
        "key",
        "purpose",
        "funder_organisation",
        "funder_region__name_en",
        "funder_region__name_zh",
        "recipient_region__name_en",
        "recipient_region__name_zh",
        "locator",
    )
    autocomplete_fields = ("source", "funder_region", "recipient_region", "pairing", "program", "workshop")
    list_select_related = ("source", "funder_region", "recipient_region")


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "higher_is_better", "slug")
    list_filter = ("unit", "higher_is_better")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Outcome)
class OutcomeAdmin(CsvImportExportAdmin):
    resource_classes = (OutcomeResource,)
    list_display = (
        "key",
        "indicator",
        "qualifier",
        "value",
        "value_max",
        "year_end",
        "as_of",
        "baseline_value",
        "baseline_year",
        "perspective",
        "region",
        "program",
        "source",
        "locator",
    )
    list_filter = ("perspective", "qualifier", "indicator", "source")
    search_fields = (
        "key",
        "description",
        "attributed_to",
        "indicator__name",
        "region__name_en",
        "region__name_zh",
        "program__name",
        "workshop__name",
        "locator",
    )
    autocomplete_fields = ("indicator", "source", "region", "pairing", "program", "workshop")
    list_select_related = ("indicator", "source", "region", "program")
    readonly_fields = ("unit",)


@admin.register(SupportMeasure)
class SupportMeasureAdmin(SimpleHistoryAdmin):
    list_display = (
        "description",
        "kind",
        "beneficiary",
        "qualifier",
        "value",
        "unit",
        "program",
        "workshop",
        "source",
        "locator",
    )
    list_filter = ("kind", "beneficiary", "source")
    search_fields = ("description", "key", "program__name", "workshop__name", "locator")
    autocomplete_fields = ("source", "program", "workshop")
    list_select_related = ("source", "program", "workshop")
