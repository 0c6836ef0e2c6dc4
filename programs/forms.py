"""The list pages' own URL parameters beside the filters (``page``, ``per_page``,
``sort``, ``export``), validated by form fields like the filters are, and the
check that a URL names only parameters the page knows, each single-valued one
once. A misspelt parameter (``?Status=ceased``) would otherwise be ignored
silently and show every row as if it had been applied."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from programs.filters import RefField
from programs.models import Indicator, Source
from programs.services.aggregates import per_version

PER_PAGE_CHOICES = (25, 50, 100)
EXPORT_FORMATS = ("csv", "json")
CONTROLS = ("page", "per_page", "sort", "export")
# Longest piece of a bad value repeated back in a message.
ECHO = 40
MAX_PAGE_DIGITS = 18


def echo(value: str) -> str:
    return value[:ECHO] + ("…" if len(value) > ECHO else "")


class ListControlsForm(forms.Form):
    """Pagination, page size, sort and export of a list page. ``sortable`` names
    the table's sortable columns; ``sort`` is one of them, or one with a leading
    "-" for descending order."""

    page = forms.CharField(required=False, strip=False)
    per_page = forms.CharField(required=False, strip=False)
    sort = forms.CharField(required=False, strip=False)
    export = forms.CharField(required=False, strip=False)

    def __init__(self, *args, sortable: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sortable = sortable

    def clean_page(self) -> int:
        raw = self.cleaned_data["page"]
        if raw == "":
            return 1
        # str.isdigit() accepts "²"; only ASCII digits make a page number.
        if not (raw.isascii() and raw.isdigit()):
            raise forms.ValidationError(_("“%(text)s” is not a page number.") % {"text": echo(raw)}, code="invalid")
        if len(raw) > MAX_PAGE_DIGITS:
            return 10**MAX_PAGE_DIGITS  # past the end of any list (and int() of 5,000 digits would fail)
        if int(raw) < 1:
            raise forms.ValidationError(_("Pages are numbered from 1; there is no page 0."), code="min_value")
        return int(raw)

    def clean_per_page(self) -> int:
        raw = self.cleaned_data["per_page"]
        if raw == "":
            return PER_PAGE_CHOICES[0]
        if raw not in {str(choice) for choice in PER_PAGE_CHOICES}:
            choices = ", ".join(map(str, PER_PAGE_CHOICES))
            raise forms.ValidationError(
                _("Rows per page must be one of %(choices)s, not “%(text)s”.")
                % {"choices": choices, "text": echo(raw)},
                code="invalid",
            )
        return int(raw)

    def clean_sort(self) -> str | None:
        raw = self.cleaned_data["sort"]
        if raw == "":
            return None
        if raw.removeprefix("-") not in self.sortable:
            raise forms.ValidationError(
                _("Cannot sort by “%(text)s”; sortable columns are: %(columns)s.")
                % {"text": echo(raw), "columns": ", ".join(self.sortable)},
                code="invalid",
            )
        return raw

    def clean_export(self) -> str | None:
        raw = self.cleaned_data["export"]
        if raw == "":
            return None
        if raw not in EXPORT_FORMATS:
            raise forms.ValidationError(
                _("Export format must be csv or json, not “%(text)s”.") % {"text": echo(raw)}, code="invalid"
            )
        return raw

    def error_messages(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]


def parameter_errors(query, filter_fields, controls=CONTROLS) -> list[str]:
    """Messages for parameters the page does not know, and for single-valued
    ones given more than once (``?sort=a&sort=b`` would otherwise keep the last).
    ``controls``: the parameters beside the filters (the API pages by cursor)."""
    known = set(filter_fields) | set(controls)
    errors = []
    unknown = sorted(name for name in query if name not in known)
    if unknown:
        names = ", ".join(f"“{echo(name)}”" for name in unknown)
        message = ngettext(
            "Unknown parameter %(names)s. This page takes: %(known)s.",
            "Unknown parameters %(names)s. This page takes: %(known)s.",
            len(unknown),
        )
        errors.append(message % {"names": names, "known": ", ".join(sorted(known))})
    for name in sorted(set(query) & known):
        field = filter_fields.get(name)
        multiple = field is not None and getattr(field.widget, "allow_multiple_selected", False)
        count = len(query.getlist(name))
        if count > 1 and not multiple:
            errors.append(_("“%(name)s” was given %(count)s times; give it once.") % {"name": name, "count": count})
    return errors


class FilterFormRenderer(DjangoTemplates):
    """Draws a filter form's text and number boxes directly, the same markup as
    Django's widget templates (``input.html`` and its attributes loop), which
    took about a tenth of a list page's time; every other widget goes to the
    templates as usual."""

    # Each of these is input.html (the renderer strips what they draw).
    INPUTS = {
        "django/forms/widgets/input.html",
        "django/forms/widgets/text.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/search.html",
    }

    def render(self, template_name, context, request=None):
        if template_name not in self.INPUTS:
            return super().render(template_name, context, request)
        widget = context["widget"]
        value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        attrs = "".join(
            f" {conditional_escape(name)}" + ("" if setting is True else f'="{conditional_escape(str(setting))}"')
            for name, setting in widget["attrs"].items()
            if setting is not False
        )
        return (
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value}{attrs}>"
        )


FILTER_FORM_RENDERER = FilterFormRenderer()


def present_filter_form(form) -> None:
    """Dress a list page's filter form for the page: Bootstrap classes, sources
    named by publisher and year, region boxes that suggest names as one types
    (htmx) instead of a select of thousands of regions, and text boxes drawn
    without a template each."""
    form.renderer = FILTER_FORM_RENDERER
    form.suggestion_lists = []  # the <datalist>s the page draws, one per kind of record named
    for form_field in form.fields.values():
        if getattr(form_field, "queryset", None) is not None and form_field.queryset.model is Source:
            form_field.label_from_instance = lambda source: f"{source.publisher} ({source.published_year})"
        if getattr(form_field, "queryset", None) is not None and form_field.queryset.model is Indicator:
            # In groups by unit (the filter reads them in that order).
            form_field.group_label = lambda indicator: indicator.get_unit_display()
        widget = form_field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        widget.attrs.setdefault(
            "class",
            "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm",
        )
        if isinstance(form_field, RefField):
            name = form_field.model._meta.model_name  # region, program, pairing, workshop
            widget.attrs.update(
                NAME_BOX
                | {
                    "list": f"{name}-options",
                    "hx-target": f"#{name}-options",
                    "hx-get": reverse("programs:suggest", args=[f"{name}s"]),
                    "placeholder": PLACEHOLDERS[name],
                }
            )
            if name not in form.suggestion_lists:
                form.suggestion_lists.append(name)


# A box that names a record suggests names as one types (htmx fills its <datalist>).
NAME_BOX = {
    "autocomplete": "off",
    "hx-trigger": "input changed delay:250ms",
    "hx-sync": "this:replace",
    # The filter form pushes its URL to the history; suggestions must not.
    "hx-push-url": "false",
}
PLACEHOLDERS = {
    "region": gettext_lazy("A region's name, e.g. Guangxi or 广西"),
    "program": gettext_lazy("A program's name, e.g. Lüeyang community factories"),
    "pairing": gettext_lazy("A pairing, e.g. Xiamen → Linxia"),
    "workshop": gettext_lazy("A workshop's name"),
}


def choice_boxes(bound_field) -> SafeString:
    """A checkbox filter's boxes, one ``form-check`` each, written directly: the
    same markup as looping over the field's subwidgets in a template
    (``{% for choice in field %}``), which deep-copies the widget per box and took
    about a third of a program list's drawing (55 boxes). A long list (indicators)
    comes in groups with a heading each (``group_label`` on the field), below a box
    that narrows it as one types (``filters.js``), in a scrolling frame."""
    widget = bound_field.field.widget
    chosen = set(widget.format_value(bound_field.value()))
    box_id = widget.attrs.get("id") or bound_field.auto_id
    parts, last_group = [], None
    texts = _choice_texts(bound_field)
    for index, (text, label, group) in enumerate(texts):
        if group is not None and group != last_group:
            parts.append(format_html('<div class="choice-group small text-muted mt-2">{}</div>', group))
            last_group = group
        ticked = "checked" if text in chosen else ""
        parts.append(
            format_html(
                '<div class="form-check">\n'
                '<input class="form-check-input filter-choice" type="checkbox" name="{0}" value="{1}" id="{2}" {3}>\n'
                '<label class="form-check-label" for="{2}">{4}</label>\n'
                "</div>",
                bound_field.html_name,
                text,
                widget.id_for_label(box_id, index),
                ticked,
                label,
            )
        )
    boxes = mark_safe("\n".join(parts))
    if len(texts) <= LONG_LIST:
        return boxes
    return format_html(
        '<input type="search" class="form-control form-control-sm mb-1 choice-finder" aria-label="{0}" '
        'placeholder="{0}" data-finds="{1}-choices">\n<div class="choice-list" id="{1}-choices">\n{2}\n</div>',
        _("Find %(what)s") % {"what": str(bound_field.label).lower()},
        box_id,
        boxes,
    )


# A checkbox filter with more choices than this gets a finder and a scrolling frame.
LONG_LIST = 12


def _choice_texts(bound_field) -> list[tuple[str, str, str | None]]:
    """A checkbox filter's choices as (value, label, group) text. A model choice
    field's (its records: approaches, sources, indicators) are kept per data
    version, by form, field and language: they change only when the data does."""
    field = bound_field.field
    group_label = getattr(field, "group_label", None)

    def texts():
        choices = []
        for value, label in _choices(field):
            if isinstance(label, list | tuple):
                raise TypeError(f"{bound_field.html_name}: grouped choices are not drawn as filter boxes")
            group = group_label(value.instance) if group_label and hasattr(value, "instance") else None
            choices.append(("" if value is None else str(value), str(label), group))
        return choices

    if not isinstance(field, forms.ModelChoiceField):
        return texts()
    name = f"choices:{type(bound_field.form).__name__}:{bound_field.html_name}:{get_language()}"
    return per_version(name, texts, using=field.queryset.db)


def _choices(field):
    """A field's choices; a model choice field's from its queryset read as a list.
    ``ModelChoiceIterator`` reads it with ``iterator()``, which on PostgreSQL is a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips per filter)."""
    if not isinstance(field, forms.ModelChoiceField):
        return field.choices
    iterator = field.iterator(field)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return empty + [iterator.choice(record) for record in field.queryset]
