"""Widgets that read CSV cells strictly and say what is wrong with a cell.

import-export reports a widget's ``ValueError`` as an error of the row's field,
with the exception's text as the message. Its own widgets fall short of that:
an unknown slug raises ``DoesNotExist`` and a bad number ``InvalidOperation``
(both end up as tracebacks), an unknown choice or "yes" in a boolean column
pass silently (the latter as false), and an unknown slug in a list is dropped.
These widgets raise ``ValueError`` naming the value and what was expected; the
resource adds the row and the column.
"""

from decimal import Decimal, InvalidOperation

from import_export import widgets

# Whole numbers beyond this many digits are refused before ``int()`` has to build them.
MAX_DIGITS = 30


def quoted(value) -> str:
    return f"“{value}”"


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug, e.g. “guangdong” for a region."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"no {self.model._meta.verbose_name} {quoted(value)}") from None


class SlugListWidget(widgets.ManyToManyWidget):
    """Related records named by their slugs, separated by semicolons, e.g. “sixth-tone;gpig-2024”."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=";", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        slugs = [slug.strip() for slug in str(value or "").split(self.separator) if slug.strip()]
        found = list(self.model.objects.filter(slug__in=slugs))
        missing = [slug for slug in dict.fromkeys(slugs) if slug not in {record.slug for record in found}]
        if missing:
            names = ", ".join(quoted(slug) for slug in missing)
            raise ValueError(f"no {self.model._meta.verbose_name} {names}")
        return found


def to_decimal(value) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{quoted(value)} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{quoted(value)} is not a number")
    return number


class DecimalWidget(widgets.DecimalWidget):
    """A decimal number written with a point and no thousands separators, e.g. 3680000000.00."""

    def clean(self, value, row=None, **kwargs):
        return None if self.is_empty(value) else to_decimal(value)


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number such as a year; 2016.5 is refused rather than cut to 2016."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        number = to_decimal(value)
        if number != number.to_integral_value() or number.adjusted() >= MAX_DIGITS:
            raise ValueError(f"{quoted(value)} is not a whole number")
        return int(number)


class ChoiceWidget(widgets.CharWidget):
    """One of a field's stored values, e.g. “news_feature” (not its label “News feature”)."""

    def __init__(self, choices, **kwargs):
        self.values = [str(value) for value, _ in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and text not in self.values:
            raise ValueError(f"{quoted(text)} is not one of {', '.join(self.values)}")
        return text


class BooleanWidget(widgets.BooleanWidget):
    """1 or 0 as exported (true or false also do); blank is unknown, anything else is refused."""

    def clean(self, value, row=None, **kwargs):
        if value not in (*self.TRUE_VALUES, *self.FALSE_VALUES, *self.NULL_VALUES):
            raise ValueError(f"{quoted(value)} is not 1 or 0")
        return super().clean(value, row, **kwargs)
