"""Funding: money or in-kind value given, invested or waived."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs import formatting
from programs.choices import FundingKind
from programs.links import record_url

from .base import (
    NOT_NEGATIVE,
    Cited,
    HedgedFigure,
    check_upper_bound,
    check_year_range,
    cited_constraints,
    hedged_value_constraints,
    search_text_field,
    year_field,
    year_range_constraints,
)

MONEY = {"max_digits": 20, "decimal_places": 2, "validators": [NOT_NEGATIVE]}


class Funding(Cited, HedgedFigure):
    """A stated amount of money or in-kind value: fiscal funds, donations,
    enterprise investment, loans, subsidies, rewards or waived rent. Amounts
    are whole units (3.68 billion yuan is stored as 3680000000), never floats."""

    amount = models.DecimalField(
        _("amount"),
        **MONEY,
        help_text=_("The figure in whole currency units, e.g. 3680000000 for 3.68 billion yuan."),
    )
    amount_max = models.DecimalField(
        _("upper bound"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("The top of the range when the source gives one, e.g. 3000 for “2,000 to 3,000 yuan”."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CNY",
        help_text=_("ISO currency code; CNY unless the source says otherwise."),
    )
    usd_amount = models.DecimalField(
        _("stated US-dollar amount"),
        **{**MONEY, "validators": [MinValueValidator(0, "The US-dollar amount cannot be negative.")]},
        null=True,
        blank=True,
        help_text=_("The US-dollar figure only when the source itself states one, e.g. 517370000."),
    )
    is_annual = models.BooleanField(
        _("per year"),
        default=False,
        help_text=_("Tick when the amount is a yearly figure, e.g. “annual relief funds of 100 million”."),
    )
    year_start = year_field(_("from year"), db_index=True)
    year_end = year_field(_("to year"), db_index=True)
    funder_region = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_given",
        verbose_name=_("funder region"),
        help_text=_("The region whose government or society gave it, e.g. Qingdao."),
    )
    funder_organisation = models.CharField(
        _("funder organisation"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("The organisation that gave it, e.g. “Xiamen state-owned enterprises”."),
    )
    recipient_region = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_received",
        verbose_name=_("recipient region"),
        help_text=_("Where the money went, as precisely as known."),
    )
    pairing = models.ForeignKey(
        "programs.Pairing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("pairing"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("program"),
    )
    workshop = models.ForeignKey(
        "programs.Workshop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("workshop"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=FundingKind.choices,
        db_index=True,
        help_text=_("What sort of money it is, e.g. “Material donation”."),
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=300,
        blank=True,
        help_text=_("What it was for, e.g. “10 community factories”."),
    )

    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("funding record")
        verbose_name_plural = _("funding")
        ordering = ["source__slug", "key"]
        indexes = [
            models.Index(fields=["amount"], name="funding_amount_idx"),
            # A list of one kind counts its rows by qualifier, source and recipient
            # region from these alone, without reading a row.
            models.Index(fields=["kind", "qualifier"], name="funding_kind_qualifier_idx"),
            models.Index(fields=["kind", "source"], name="funding_kind_source_idx"),
            models.Index(fields=["kind", "recipient_region"], name="funding_kind_recipient_idx"),
        ]
        constraints = [
            *cited_constraints("funding"),
            *hedged_value_constraints("funding", "amount", "amount_max"),
            *year_range_constraints("funding", "year_start", "year_end"),
            models.CheckConstraint(
                condition=Q(usd_amount__isnull=True) | Q(usd_amount__gte=0),
                name="funding_usd_amount_not_negative",
                violation_error_message=_("The US-dollar amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(funder_region__isnull=False) | ~Q(funder_organisation=""),
                name="funding_has_funder",
                violation_error_message=_("Name the funder: a region, an organisation or both."),
            ),
        ]

    def __str__(self):
        return f"{self.amount_text} ({self.key})"

    def get_absolute_url(self):
        return record_url("programs:funding_detail", pk=self.pk)

    @property
    def amount_text(self) -> str:
        """The amount as it reads everywhere the casebook shows it (tables, pages,
        charts, exports): hedge, range, currency, the stated US dollars and "a year",
        e.g. “3.68 billion yuan (US$517.37 million)” or “more than 30 million yuan”."""
        text = formatting.money(self.amount, upper=self.amount_max, qualifier=self.qualifier, currency=self.currency)
        if self.usd_amount is not None:
            text += f" ({formatting.usd(self.usd_amount)})"
        return text + (" a year" if self.is_annual else "")

    def clean(self):
        super().clean()
        check_upper_bound(self.amount, self.amount_max, upper_field="amount_max")
        check_year_range(self.year_start, self.year_end, end_field="year_end")
