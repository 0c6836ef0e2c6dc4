"""Pairings: one region assisting another under East–West collaboration or
counterpart support."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.choices import PairingFramework, PairingLevel
from programs.links import record_url

from .base import SlugManager, check_year_range, names_field, search_text_field, year_field, year_range_constraints


class Pairing(models.Model):
    """A donor region assisting a recipient region (东西部扶贫协作 or 对口支援).
    Pairings nest: the districts of a donor city paired with the counties of
    its recipient are pairings whose ``parent`` is the city-level pairing."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Short identifier used in URLs, e.g. “xiamen-linxia”."),
    )
    donor = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        related_name="pairings_out",
        verbose_name=_("donor region"),
        help_text=_("The region giving support, e.g. Xiamen."),
    )
    recipient = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        related_name="pairings_in",
        verbose_name=_("recipient region"),
        help_text=_("The region receiving support, e.g. Linxia."),
    )
    level = models.CharField(
        _("level"),
        max_length=12,
        choices=PairingLevel.choices,
        db_index=True,
        help_text=_("The level at which the two are paired, e.g. city to prefecture."),
    )
    framework = models.CharField(
        _("framework"),
        max_length=12,
        choices=PairingFramework.choices,
        default=PairingFramework.EAST_WEST,
        db_index=True,
        help_text=_("The national scheme the pairing belongs to."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_("The broader pairing this one belongs to, e.g. Qingdao → Guizhou for a district-to-county pair."),
    )
    start_year = year_field(_("start year"), help_text=_("Year the pairing began, e.g. 2010."), db_index=True)
    end_year = year_field(_("end year"), help_text=_("Year it ended; blank while ongoing or unknown."))
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the pairing involves, in the casebook's own words."),
    )
    sources = models.ManyToManyField(
        "programs.Source",
        related_name="pairings",
        verbose_name=_("sources"),
        help_text=_("Documents that name the pairing."),
    )
    note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("Judgement calls, e.g. which of two stated start years was used."),
    )

    objects = SlugManager()
    names = names_field()
    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["names", "search_text"], m2m_fields=[sources])

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["donor__name_en", "recipient__name_en", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(donor=F("recipient")),
                name="pairing_donor_not_recipient",
                violation_error_message=_("A region cannot be paired with itself."),
            ),
            *year_range_constraints("pairing", "start_year", "end_year"),
        ]

    def __str__(self):
        return f"{self.donor.local_name} → {self.recipient.local_name}"

    def get_absolute_url(self):
        return record_url("programs:pairing_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        if self.donor_id and self.donor_id == self.recipient_id:
            raise ValidationError({"recipient": "A region cannot be paired with itself."})
        check_year_range(self.start_year, self.end_year, end_field="end_year")
