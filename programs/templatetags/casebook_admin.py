"""The admin changelist's rows, drawn as Django draws them (``admin_list.items_for_result``)
with what each column needs worked out once per page rather than once per cell: the
field behind the column, its CSS classes, whether it links to the record, and the
change URL with the list's filters (reversed and resolved once, not once per row).
On a 100-row page of 16 columns that was about two thirds of the changelist's time.

Anything this does not write out itself (an editable list, a popup, a ``to_field``
link, a primary key that is not a whole number) goes through Django's own tag."""

import datetime

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Stands for the record's id in the change URL worked out once per page.
PK_MARK = "casebook-pk-mark"


def result_list(cl):
    """What Django's ``result_list`` gives the template, with the rows from ``results``."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": list(results(cl)),
    }


@register.tag(name="casebook_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=result_list, template_name="change_list_results.html", takes_context=False
    )


def results(cl):
    if cl.formset or cl.is_popup or cl.to_field or not all(type(row.pk) is int for row in cl.result_list):
        yield from admin_list.results(cl)
        return
    change_url = _change_url(cl)
    cells, first = [], True
    for index, name in enumerate(cl.list_display):
        linked = _in_link_column(cl, first, name)
        cells.append(_cell_function(cl, index, name, tag=("th" if first else "td") if linked else None, url=change_url))
        first = first and not linked
    for result in cl.result_list:
        yield admin_list.ResultList(None, [cell(result) for cell in cells])


def _in_link_column(cl, first: bool, name) -> bool:
    """``items_for_result``'s ``link_in_col``."""
    if cl.list_display_links is None:
        return False
    if first and not cl.list_display_links:
        return True
    return name in cl.list_display_links


def _change_url(cl):
    """The change URL of a record, with the list's filters kept, as a function of its
    id: ``cl.url_for_result`` and ``add_preserved_filters`` once, the id put in after
    (a whole number needs no quoting). None when there is no change URL."""
    opts = cl.opts
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(PK_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)
    before, mark, after = url.partition(PK_MARK)
    if not mark:
        return None
    return lambda pk: f"{before}{pk}{after}"


def _cell_function(cl, index: int, name, *, tag: str | None, url):
    """One column's cell for a row, as ``items_for_result`` draws it."""
    model_admin = cl.model_admin
    column_empty = model_admin.get_empty_value_display()
    css = f"field-{admin_list._coerce_field_name(name, index)}"
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name) if isinstance(name, str) else None
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is not None and not field.auto_created:
        many_to_one = isinstance(field.remote_field, models.ManyToOneRel)
        nowrap = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
        classes = mark_safe(f' class="{css} nowrap"' if nowrap else f' class="{css}"')
        display = _field_display(field, column_empty, avoid_link=tag is not None)

        def shown(result):
            """The cell's content and its class attribute."""
            try:
                value = getattr(result, name)
            except ObjectDoesNotExist:
                return column_empty, mark_safe(f' class="{css}"')
            if many_to_one:
                related = getattr(result, field.name)
                return (column_empty if related is None else related), classes
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return display(value), classes

    else:

        def shown(result):
            return _computed(cl, name, result, css, column_empty)

    def cell(result):
        content, classes = shown(result)
        text = conditional_escape(content)
        if tag is None:
            return mark_safe(f"<td{classes}>{text}</td>")
        if url is not None:
            text = f'<a href="{escape(url(result.pk))}">{text}</a>'
        return mark_safe(f"<{tag}{classes}>{text}</{tag}>")

    return cell


def _field_display(field, empty, *, avoid_link: bool):
    """``display_for_field(value, field, empty, avoid_link)`` for one column, with
    what it looks up for every value worked out once: a choice field's labels (it
    builds a dict of them per cell), and a number's separators for the language."""

    def djangos(value):
        return display_for_field(value, field, empty, avoid_link=avoid_link)

    if getattr(field, "flatchoices", None):
        try:
            labels = dict(field.flatchoices)
        except TypeError:
            return djangos  # list-like choices

        def label(value):
            try:
                return labels.get(value, empty)
            except TypeError:  # an unhashable value
                return djangos(value)

        return label
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField) and not isinstance(
        field, models.BooleanField
    ):
        language = get_language()
        decimal_separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        thousand_separator = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
        places = field.decimal_places if isinstance(field, models.DecimalField) else None

        def number(value):
            if value in field.empty_values:
                return empty
            return numberformat.format(
                value, decimal_separator, places, grouping, thousand_separator, force_grouping=False, use_l10n=True
            )

        return number
    return djangos


def _computed(cl, name, result, css: str, column_empty):
    """A column that is not a plain field (a method, a property, the selection
    checkbox): its value shown, and its CSS classes."""
    try:
        _field, attr, value = lookup_field(name, result, cl.model_admin)
    except ObjectDoesNotExist:
        return column_empty, mark_safe(f' class="{css}"')
    empty = getattr(attr, "empty_value_display", column_empty)
    if isinstance(value, str) and value.strip() == "":
        value = ""
    classes = ["action-checkbox"] if name == "action_checkbox" else [css]
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    shown = display_for_value(value, empty, boolean)
    if isinstance(value, datetime.date | datetime.time):
        classes.append("nowrap")
    return shown, mark_safe(f' class="{" ".join(classes)}"')
