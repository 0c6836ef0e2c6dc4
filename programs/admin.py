"""The editors' admin. Every model records its history (who changed what and
when) and can be imported and exported as CSV. Permissions hold on every view
that writes (``EditorPermissionsMixin``) and an import writes all its rows or
none (``CasebookAdmin``); the model admins themselves are declarative:
behaviour lives in the models, resources and services."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import JSON
from import_export.results import RowResult
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from programs import formatting, resources
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
from programs.resources.formats import ByteExactTempStorage, SpreadsheetSafeCSV
from programs.selectors.facets import row_count


class EditorPermissionsMixin:
    """Every view that writes refuses a user without the matching permission.

    Django's add, change, delete and bulk-delete views check their own. This
    closes the others: simple-history's revert form saves for anyone who may
    merely view the record (django-simple-history #1362), so it needs change
    permission, even to be shown; an import creates and updates records, so
    both its steps need add and change; an export is a read and needs view."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        try:  # ids typed into the URL: "abc" is no record, not a server error
            self.model._meta.pk.to_python(object_id)
            int(version_id)
        except (ValidationError, ValueError):
            raise Http404(
                gettext("There is no version “%(version)s” of %(kind)s “%(record)s”.")
                % {"version": version_id, "kind": self.opts.verbose_name, "record": object_id}
            ) from None
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class KeptCountPaginator(Paginator):
    """The changelist's count kept per data version when it is the whole table or
    rows with chosen values (``selectors.facets.row_count``): at national scale the
    unfiltered funding changelist counted a million rows on every view."""

    @cached_property
    def count(self) -> int:
        return row_count(self.object_list)


class CasebookAdmin(EditorPermissionsMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Editors import CSV and export CSV or JSON, and every change is recorded
    in the history. An import writes every row or none: the confirm step runs
    every row again and rolls the whole file back if any fails now, for
    instance because a record it names was deleted since the preview."""

    import_formats = (SpreadsheetSafeCSV,)
    export_formats = (SpreadsheetSafeCSV, JSON)
    paginator = KeptCountPaginator
    # Django's changelist with its rows drawn by casebook_result_list (import-export's
    # buttons are added on top of it).
    change_list_template = "admin/casebook_change_list.html"

    def export_action(self, request):
        """The export takes the changelist's filters from the URL; filters that do not
        apply send the editor back to the list with a message (the changelist
        itself does the same) instead of failing."""
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            messages.error(
                request, gettext("The filters in that address do not apply to this list; nothing was exported.")
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    tmp_storage_class = ByteExactTempStorage

    def action_checkbox(self, obj):
        """The row's selection checkbox, the same markup as Django's, written
        directly: drawn through the form widget's template it took about a
        quarter of a 100-row changelist's time."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_import_data_kwargs(self, **kwargs):
        """One invalid row rolls back every row (import-export would keep the valid ones)."""
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        """After the confirm step: a success message and the list, or the errors if nothing was written."""
        if result.has_errors() or result.has_validation_errors():
            return self.import_refused(result, request)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        """Runs only when every row was written, so the totals are what the database holds."""
        totals = result.totals
        messages.success(
            request,
            gettext("Import finished: %(new)s new, %(updated)s updated and %(unchanged)s unchanged %(kind)s.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
                "kind": self.opts.verbose_name_plural,
            },
        )

    def import_refused(self, result, request):
        """The import page again, with the errors the confirm step found and the form to upload a corrected file."""
        resource_classes = self.get_import_resource_classes(request)
        form = self.get_import_form_class(request)(self.get_import_formats(), resource_classes)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import",
            "form": form,
            "opts": self.opts,
            "media": self.media + form.media,
            "result": result,
            "import_error_display": self.import_error_display,
            "fields_list": [
                (resource.get_display_name(), [field.column_name for field in resource().get_user_visible_fields()])
                for resource in resource_classes
            ],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)


class FigureInline(admin.TabularInline):
    """A program's or workshop's figures, listed read-only with a link to each
    one's own change page, where it is edited (with autocomplete for every
    related record). Listing rather than editing them inline keeps the page to a
    fixed number of queries however many figures there are: an editable row
    would look up each of its related records for its widgets."""

    extra = 0
    can_delete = False
    show_change_link = True
    related = ("source",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("source"))
    def source_name(self, obj):
        return f"{obj.source.publisher}, {obj.source.published_year}"


class FundingInline(FigureInline):
    model = Funding
    fields = readonly_fields = ("amount_text", "kind", "period", "funder_region", "source_name", "locator", "key")
    related = ("source", "funder_region")

    @admin.display(description=gettext_lazy("amount"))
    def amount_text(self, obj):
        return obj.amount_text

    @admin.display(description=gettext_lazy("period"))
    def period(self, obj):
        return formatting.period(obj.year_start, obj.year_end)


class OutcomeInline(FigureInline):
    model = Outcome
    fields = readonly_fields = ("indicator", "value_text", "period", "perspective", "source_name", "locator", "key")
    related = ("source", "indicator")

    @admin.display(description=gettext_lazy("figure"))
    def value_text(self, obj):
        return obj.value_text

    @admin.display(description=gettext_lazy("period"))
    def period(self, obj):
        return formatting.period(obj.year_start, obj.year_end)


class SupportMeasureInline(FigureInline):
    model = SupportMeasure
    fields = readonly_fields = ("kind", "beneficiary", "description", "value_text", "source_name", "locator", "key")

    @admin.display(description=gettext_lazy("value"))
    def value_text(self, obj):
        return obj.value_text


@admin.register(Source)
class SourceAdmin(CasebookAdmin):
    resource_classes = (resources.SourceResource,)
    list_display = ("title", "publisher", "published_year", "kind", "language", "file_name")
    list_filter = ("kind", "language", "published_year")
    search_fields = ("title", "publisher", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Region)
class RegionAdmin(CasebookAdmin):
    resource_classes = (resources.RegionResource,)
    list_display = ("name_en", "name_zh", "level", "parent", "belt", "is_poverty_county", "path")
    list_filter = ("level", "belt", "is_poverty_county")
    search_fields = ("name_en", "name_zh", "slug", "aliases")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    readonly_fields = ("path", "found_as")
    prepopulated_fields = {"slug": ("name_en",)}

    @admin.display(description=gettext_lazy("found as"))
    def found_as(self, obj):
        """Every name search and the filters know the region by: its official names, the
        short forms and pinyin derived from them, and the other names above."""
        return " · ".join(obj.own_names()) if obj.pk else "—"


@admin.register(Approach)
class ApproachAdmin(CasebookAdmin):
    resource_classes = (resources.ApproachResource,)
    list_display = ("name", "name_zh", "slug")
    search_fields = ("name", "name_zh", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Program)
class ProgramAdmin(CasebookAdmin):
    resource_classes = (resources.ProgramResource,)
    list_display = ("name", "name_zh", "implementer", "year_start", "year_end")
    list_filter = ("approaches", "year_start", "sources")
    search_fields = ("name", "name_zh", "implementer", "summary", "regions__name_en", "regions__name_zh")
    autocomplete_fields = ("approaches", "regions", "pairings", "sources")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (FundingInline, OutcomeInline, SupportMeasureInline)


@admin.register(Pairing)
class PairingAdmin(CasebookAdmin):
    resource_classes = (resources.PairingResource,)
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
class WorkshopAdmin(CasebookAdmin):
    resource_classes = (resources.WorkshopResource,)
    list_display = ("name", "name_zh", "kind", "region", "operator", "ownership", "status", "opening_year")
    list_filter = ("kind", "status", "ownership", "opening_year")
    search_fields = ("name", "name_zh", "operator", "industry", "products", "region__name_en", "region__name_zh")
    autocomplete_fields = ("region", "program", "pairing", "sources")
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (FundingInline, OutcomeInline, SupportMeasureInline)


class CurrencyFilter(admin.SimpleListFilter):
    """Yuan or not: fixed choices, where the default filter would read every row
    (SELECT DISTINCT over a million) to list the currencies."""

    title = "currency"
    parameter_name = "currency"

    def lookups(self, request, model_admin):
        return [("CNY", "CNY"), ("other", "Other currencies")]

    def queryset(self, request, queryset):
        if self.value() == "CNY":
            return queryset.filter(currency="CNY")
        if self.value() == "other":
            return queryset.exclude(currency="CNY")
        return queryset


@admin.register(Funding)
class FundingAdmin(CasebookAdmin):
    resource_classes = (resources.FundingResource,)
    # A million rows: the changelist counts only the filtered rows, not the whole table again.
    show_full_result_count = False
    # Newest first: a page of a million rows, filtered or not, is read in the order of
    # the primary key (or of any one-column index) instead of sorting every row.
    ordering = ("-id",)
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
    list_filter = ("kind", "qualifier", CurrencyFilter, "is_annual", "source")
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
class IndicatorAdmin(CasebookAdmin):
    resource_classes = (resources.IndicatorResource,)
    list_display = ("name", "name_zh", "unit", "higher_is_better", "slug")
    list_filter = ("unit", "higher_is_better")
    search_fields = ("name", "name_zh", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Outcome)
class OutcomeAdmin(CasebookAdmin):
    resource_classes = (resources.OutcomeResource,)
    # A million rows: the changelist counts only the filtered rows, not the whole table again.
    show_full_result_count = False
    # Newest first: a page of a million rows, filtered or not, is read in the order of
    # the primary key (or of any one-column index) instead of sorting every row.
    ordering = ("-id",)
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
class SupportMeasureAdmin(CasebookAdmin):
    resource_classes = (resources.SupportMeasureResource,)
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


# API tokens are given out with ``manage.py drf_create_token <username>`` (and taken back
# with ``-r``), not through the admin: its editors and viewers never see them.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
