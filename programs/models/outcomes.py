"""Indicators and the outcomes measured on them."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs import formatting
from programs.choices import Perspective, Qualifier, Unit
from programs.languages import local_name
from programs.links import record_url

from .base import (
    NOT_NEGATIVE,
    Cited,
    HedgedFigure,
    SlugManager,
    check_upper_bound,
    check_year_range,
    cited_constraints,
    hedged_value_constraints,
    plausible_year_constraint,
    search_text_field,
    year_field,
    year_range_constraints,
)

VALUE = {"max_digits": 20, "decimal_places": 4, "validators": [NOT_NEGATIVE]}
SUBJECT_FIELDS = ("region", "pairing", "program", "workshop")


class Indicator(models.Model):
    """Something outcomes measure — jobs created, poverty incidence, monthly
    wage — with its unit and whether a higher value is better."""

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Short identifier, e.g. “poverty-incidence”."),
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        help_text=_("Display name, e.g. “Poverty incidence”."),
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=60,
        blank=True,
        help_text=_("The name in the Chinese interface, e.g. “贫困发生率”; blank shows the English name."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=20,
        choices=Unit.choices,
        help_text=_("What the values count, e.g. “%” for poverty incidence."),
    )
    higher_is_better = models.BooleanField(
        _("higher is better"),
        null=True,
        blank=True,
        help_text=_("Whether a rise is good news (jobs) or bad (poverty incidence); blank when neither."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What exactly is counted, e.g. “people from registered poor households”."),
    )

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]

    def __str__(self):
        """Its name; in Chinese its Chinese name where it has one."""
        return local_name(self.name, self.name_zh)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Outcomes carry a copy of the unit so the database can check percentages.
        self.outcomes.exclude(unit=self.unit).update(unit=self.unit)

    def get_absolute_url(self):
        return record_url("programs:indicator_detail", slug=self.slug)

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_zh)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        if self.pk and self.unit == Unit.PERCENT:
            over = self.outcomes.filter(Q(value__gt=100) | Q(value_max__gt=100) | Q(baseline_value__gt=100))
            if over.exists():
                raise ValidationError(
                    {"unit": "Some outcomes of this indicator exceed 100, so it cannot be a percentage."}
                )


def _percent_within_bounds() -> Q:
    within = Q(value__lte=100)
    for field in ("value_max", "baseline_value"):
        within &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": 100})
    return ~Q(unit=Unit.PERCENT) | within


def _has_subject() -> Q:
    condition = Q()
    for field in SUBJECT_FIELDS:
        condition |= Q(**{f"{field}__isnull": False})
    return condition


class Outcome(Cited, HedgedFigure):
    """A measured result stated by a source: a value of an indicator, for a
    period or as of a date, about a region, pairing, program or workshop, from
    a stated perspective (an official statistic, a media or enterprise report,
    or a participant's own account)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="outcomes",
        verbose_name=_("indicator"),
        help_text=_("What is measured, e.g. “Jobs created”."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=20,
        choices=Unit.choices,
        editable=False,
        help_text=_("Copied from the indicator so the database can check percentages."),
    )
    value = models.DecimalField(
        _("value"),
        **VALUE,
        help_text=_("The figure as stated, e.g. 500 for “more than 500 jobs”."),
    )
    value_max = models.DecimalField(
        _("upper bound"),
        **VALUE,
        null=True,
        blank=True,
        help_text=_("The top of the range when the source gives one, e.g. 3000 for “2,000 to 3,000 yuan”."),
    )
    year_start = year_field(_("from year"), db_index=True)
    year_end = year_field(_("to year"), db_index=True)
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The date the figure refers to, e.g. 2018-12-31 for “as of the end of 2018”."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        **{**VALUE, "validators": [MinValueValidator(0, "The baseline cannot be negative.")]},
        null=True,
        blank=True,
        help_text=_("The earlier value the source compares with, e.g. 41 for “from 41% in 2014”."),
    )
    baseline_qualifier = models.CharField(
        _("baseline qualifier"),
        max_length=16,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text=_("How the source hedges the baseline."),
    )
    baseline_year = year_field(_("baseline year"), help_text=_("Year of the baseline, e.g. 2014."))
    region = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("region"),
        # served by the composite index that starts with it (Meta.indexes)
        db_index=False,
    )
    pairing = models.ForeignKey(
        "programs.Pairing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("pairing"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("program"),
        # served by the composite index that starts with it (Meta.indexes)
        db_index=False,
    )
    workshop = models.ForeignKey(
        "programs.Workshop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("workshop"),
        # served by the composite index that starts with it (Meta.indexes)
        db_index=False,
    )
    perspective = models.CharField(
        _("perspective"),
        max_length=12,
        choices=Perspective.choices,
        db_index=True,
        help_text=_(
            "Who is speaking: an official statistic, a media or enterprise report, an expert, or a participant."
        ),
    )
    attributed_to = models.CharField(
        _("attributed to"),
        max_length=200,
        blank=True,
        help_text=_("The person or body quoted, e.g. “Wang Ruijun, county migration office”."),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("What exactly the figure counts, in a few words."),
    )

    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["source__slug", "key"]
        indexes = [
            models.Index(fields=["indicator", "year_end"], name="outcome_indicator_year_idx"),
            # An indicator's outcomes are counted by perspective, qualifier and source from these alone.
            models.Index(fields=["indicator", "perspective"], name="outcome_indicator_persp_idx"),
            models.Index(fields=["indicator", "qualifier"], name="outcome_indicator_qual_idx"),
            models.Index(fields=["indicator", "source"], name="outcome_indicator_source_idx"),
            # A region's, workshop's or program's outcomes by indicator (their pages' panels).
            models.Index(fields=["region", "indicator"], name="outcome_region_indicator_idx"),
            models.Index(fields=["workshop", "indicator"], name="outcome_workshop_indicator_idx"),
            models.Index(fields=["program", "indicator"], name="outcome_program_indicator_idx"),
        ]
        constraints = [
            *cited_constraints("outcome"),
            *hedged_value_constraints("outcome", "value", "value_max"),
            *year_range_constraints("outcome", "year_start", "year_end"),
            plausible_year_constraint("outcome", "baseline_year"),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(year_end__isnull=True)
                | Q(baseline_year__lte=F("year_end")),
                name="outcome_baseline_not_after_period",
                violation_error_message=_("The baseline year cannot come after the period."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_value__gte=0),
                name="outcome_baseline_not_negative",
                violation_error_message=_("The baseline cannot be negative."),
            ),
            models.CheckConstraint(
                condition=_percent_within_bounds(),
                name="outcome_percent_within_0_100",
                violation_error_message=_("A percentage must lie between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=_has_subject(),
                name="outcome_has_subject",
                violation_error_message=_("An outcome must be about a region, pairing, program or workshop."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value_text}"

    def get_absolute_url(self):
        return record_url("programs:outcome_detail", pk=self.pk)

    def clean(self):
        super().clean()
        if self.indicator_id:
            self.unit = self.indicator.unit
        check_upper_bound(self.value, self.value_max, upper_field="value_max")
        check_year_range(self.year_start, self.year_end, end_field="year_end")
        if self.baseline_year and self.year_end and self.baseline_year > self.year_end:
            raise ValidationError({"baseline_year": "The baseline year cannot come after the period."})
        if self.unit == Unit.PERCENT:
            for field in ("value", "value_max", "baseline_value"):
                number = getattr(self, field)
                if number is not None and number > 100:
                    raise ValidationError({field: "A percentage must lie between 0 and 100."})

    @property
    def value_text(self) -> str:
        """The figure as it reads everywhere the casebook shows it: hedge, range and
        unit, e.g. “more than 500”, “less than 1%”, “2,000–3,000 yuan a month”."""
        return formatting.figure(self.value, upper=self.value_max, qualifier=self.qualifier, unit=self.unit)

    @property
    def baseline_text(self) -> str:
        """The baseline the figure is compared with, e.g. “41% in 2014”; "" without one."""
        if self.baseline_value is None:
            return ""
        text = formatting.figure(self.baseline_value, qualifier=self.baseline_qualifier, unit=self.unit)
        return f"{text} in {self.baseline_year}" if self.baseline_year else text

    @property
    def subjects(self) -> list:
        """What the outcome is about, most specific first."""
        return [subject for subject in (self.workshop, self.program, self.pairing, self.region) if subject]

    def save(self, *args, **kwargs):
        if self.indicator_id:
            self.unit = self.indicator.unit
        super().save(*args, **kwargs)
