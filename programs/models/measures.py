"""Support measures: the policies a program or workshop offered."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs import formatting
from programs.choices import Beneficiary, MeasureKind, Unit

from .base import (
    NOT_NEGATIVE,
    Cited,
    HedgedFigure,
    check_upper_bound,
    cited_constraints,
    hedged_value_constraints,
    search_text_field,
)


class SupportMeasure(Cited, HedgedFigure):
    """A policy offered to enterprises or workers — waived rent, a minimum
    wage, childcare, a one-time reward — by a program or at a workshop,
    with its value where the source states one."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=MeasureKind.choices,
        db_index=True,
        help_text=_("What sort of support, e.g. “Rent waived or reduced”."),
    )
    beneficiary = models.CharField(
        _("beneficiary"),
        max_length=12,
        choices=Beneficiary.choices,
        db_index=True,
        help_text=_("Who receives it: the enterprise or the worker."),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("The measure in the casebook's own words, e.g. “first three years' rent waived”."),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        validators=[NOT_NEGATIVE],
        null=True,
        blank=True,
        help_text=_("Its value where stated, e.g. 2000 for a 2,000-yuan monthly minimum wage."),
    )
    value_max = models.DecimalField(
        _("upper bound"),
        max_digits=20,
        decimal_places=4,
        validators=[NOT_NEGATIVE],
        null=True,
        blank=True,
        help_text=_("The top of the range when the source gives one."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=20,
        choices=Unit.choices,
        blank=True,
        help_text=_("Unit of the value, e.g. “yuan per month”."),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_measures",
        verbose_name=_("program"),
    )
    workshop = models.ForeignKey(
        "programs.Workshop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_measures",
        verbose_name=_("workshop"),
    )

    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("support measure")
        verbose_name_plural = _("support measures")
        ordering = ["source__slug", "key"]
        constraints = [
            *cited_constraints("supportmeasure"),
            *hedged_value_constraints("supportmeasure", "value", "value_max"),
            models.CheckConstraint(
                condition=Q(program__isnull=False) | Q(workshop__isnull=False),
                name="supportmeasure_has_subject",
                violation_error_message=_("A support measure belongs to a program or a workshop."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(unit=""),
                name="supportmeasure_value_has_unit",
                violation_error_message=_("A value needs a unit."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=Unit.PERCENT)
                | (Q(value__lte=100) & (Q(value_max__isnull=True) | Q(value_max__lte=100))),
                name="supportmeasure_percent_within_0_100",
                violation_error_message=_("A percentage must lie between 0 and 100."),
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def value_text(self) -> str:
        """The measure's value as it reads everywhere, e.g. “2,000 yuan a month”; "" without one."""
        return formatting.figure(self.value, upper=self.value_max, qualifier=self.qualifier, unit=self.unit)

    def clean(self):
        super().clean()
        check_upper_bound(self.value, self.value_max, upper_field="value_max")
        if self.value is not None and not self.unit:
            raise ValidationError({"unit": "A value needs a unit."})
        if self.unit == Unit.PERCENT and self.value is not None and self.value > 100:
            raise ValidationError({"value": "A percentage must lie between 0 and 100."})
