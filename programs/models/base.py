"""Building blocks shared by the casebook's models: natural keys, citations,
hedged figures and periods, each with the database constraints that go with it.

Every invariant is enforced twice: ``clean()`` gives editors a readable
message, and a ``CheckConstraint`` makes sure no other path can store it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.choices import Qualifier

YEAR_HELP = _("A calendar year, e.g. 2016.")
# On each figure field as well as in a constraint, so that the message names the field.
NOT_NEGATIVE = MinValueValidator(0, message="The figure cannot be negative.")
# Plausible bounds for a year in these documents; a typo such as 20016 is refused.
MIN_YEAR = 1949
MAX_YEAR = 2100


class SlugManager(models.Manager):
    """Looks records up by their slug, the natural key used by fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SourceKeyManager(models.Manager):
    """Looks figures up by (source slug, key), their natural key."""

    def get_by_natural_key(self, source_slug, key):
        return self.get(source__slug=source_slug, key=key)


def year_field(verbose_name: str, help_text: str = YEAR_HELP, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, help_text=help_text, **kwargs)


def year_range_constraints(prefix: str, start: str, end: str) -> list[models.BaseConstraint]:
    """The end of a period never comes before its start, and years are plausible."""
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
            name=f"{prefix}_{end}_not_before_{start}",
            violation_error_message=_("The end year cannot come before the start year."),
        ),
    ]
    return [*constraints, plausible_year_constraint(prefix, start), plausible_year_constraint(prefix, end)]


def plausible_year_constraint(prefix: str, field: str) -> models.CheckConstraint:
    """Years lie in a plausible range, so a typo such as 20016 is refused."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR}),
        name=f"{prefix}_{field}_plausible",
        violation_error_message=f"Years must lie between {MIN_YEAR} and {MAX_YEAR}.",
    )


def hedged_value_constraints(prefix: str, value: str, upper: str) -> list[models.BaseConstraint]:
    """A figure is never negative and its upper bound is never below it."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{value}__gte": 0}),
            name=f"{prefix}_{value}_not_negative",
            violation_error_message=_("The figure cannot be negative."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{upper}__isnull": True}) | Q(**{f"{upper}__gte": F(value)}),
            name=f"{prefix}_{upper}_not_below_{value}",
            violation_error_message=_("The upper bound cannot be below the figure."),
        ),
    ]


def cited_constraints(prefix: str) -> list[models.BaseConstraint]:
    """A figure's key is unique within its source, and it always has a locator."""
    return [
        models.UniqueConstraint(
            fields=["source", "key"],
            name=f"{prefix}_unique_source_key",
            violation_error_message=_("Another record of this source already uses this key."),
        ),
        models.CheckConstraint(
            condition=~Q(locator=""),
            name=f"{prefix}_locator_required",
            violation_error_message=_("Every figure needs a locator."),
        ),
    ]


def check_year_range(start: int | None, end: int | None, *, end_field: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: "The end year cannot come before the start year."})


def check_upper_bound(value, upper, *, upper_field: str) -> None:
    if value is not None and upper is not None and upper < value:
        raise ValidationError({upper_field: "The upper bound cannot be below the figure."})


class Cited(models.Model):
    """A record that states a figure: it names its source and where in it."""

    source = models.ForeignKey(
        "programs.Source",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("source"),
        help_text=_("The document that states this figure."),
    )
    locator = models.CharField(
        _("locator"),
        max_length=200,
        help_text=_("Where in the source the figure is stated, in a few words, e.g. “results section, first bullet”."),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_(
            "A short identifier, unique within the source, used by fixtures and imports, e.g. “jinjie-jobs-2018”."
        ),
    )
    note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("Judgement calls behind this record, e.g. why “acres” was read as mu."),
    )

    objects = SourceKeyManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.source.slug, self.key)

    natural_key.dependencies = ["programs.source"]


class HedgedFigure(models.Model):
    """How the source hedges a figure (“more than 500”)."""

    qualifier = models.CharField(
        _("qualifier"),
        max_length=16,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        db_index=True,
        help_text=_("How the source hedges the figure, e.g. “more than” for “more than 500 jobs”."),
    )

    class Meta:
        abstract = True


def search_text_field() -> models.TextField:
    """The record's folded search text, written by ``programs.services.search_index``
    after every save (never edited by hand, never in history or exports)."""
    return models.TextField(
        _("search text"),
        editable=False,
        default="",
        db_default="",
        help_text=_("The searched fields, case- and accent-folded; maintained by the casebook."),
    )


def names_field() -> models.TextField:
    """Every name the record and what it lies in go by (a region with the regions
    above it and their short forms, pinyin and aliases; a program with its regions and
    pairings), folded, one per line: what the search texts of the records that belong
    to it carry. Written by ``programs.services.search_index``; never edited by hand."""
    return models.TextField(
        _("names"),
        editable=False,
        default="",
        db_default="",
        help_text=_("The record's names and those of what it lies in, folded; maintained by the casebook."),
    )
