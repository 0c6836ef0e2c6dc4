"""Workshops, factories, industrial parks and enterprise plants."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.choices import Ownership, WorkshopKind, WorkshopStatus
from programs.languages import local_name
from programs.links import record_url

from .base import SlugManager, check_year_range, names_field, search_text_field, year_field, year_range_constraints


class Workshop(models.Model):
    """A place where people work because of a program: a poverty-alleviation
    workshop (扶贫车间), a community factory, a factory district, an industrial
    park or an enterprise's plant."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Short identifier used in URLs, e.g. “luoyang-earphone-workshop”."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        db_index=True,
        help_text=_("Name, or a description where the source names none, e.g. “Wu Jinquan's earphone workshop”."),
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Chinese name where one is known."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=WorkshopKind.choices,
        db_index=True,
        help_text=_("What sort of place it is, e.g. “Community factory”."),
    )
    region = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("region"),
        help_text=_("The most precise region known, e.g. a township."),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("program"),
        help_text=_("The program it belongs to, if any."),
    )
    pairing = models.ForeignKey(
        "programs.Pairing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("pairing"),
        help_text=_("The pairing that brought it, if any, e.g. Xiamen → Linxia."),
    )
    operator = models.CharField(
        _("operator"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Who runs it, e.g. “Wu Jinquan, local businessman” or “Haier Group”."),
    )
    ownership = models.CharField(
        _("ownership"),
        max_length=12,
        choices=Ownership.choices,
        default=Ownership.UNKNOWN,
        db_index=True,
        help_text=_("Who owns it, e.g. “Mixed” for a state–private joint venture."),
    )
    industry = models.CharField(
        _("industry"),
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_("The industry, e.g. “electronics assembly”."),
    )
    products = models.CharField(
        _("products"),
        max_length=300,
        blank=True,
        help_text=_("What it makes, e.g. “earphones”."),
    )
    opening_year = year_field(_("opening year"), help_text=_("Year it opened, e.g. 2019."), db_index=True)
    closing_year = year_field(_("closing year"), help_text=_("Year it ceased operating, if it did."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WorkshopStatus.choices,
        default=WorkshopStatus.OPERATING,
        db_index=True,
        help_text=_("Its state when the source was written."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the sources say of it, in the casebook's own words."),
    )
    sources = models.ManyToManyField(
        "programs.Source",
        related_name="workshops",
        verbose_name=_("sources"),
        help_text=_("Documents that mention it."),
    )
    note = models.TextField(_("editor's note"), blank=True, help_text=_("Judgement calls behind this record."))

    objects = SlugManager()
    names = names_field()
    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["names", "search_text"], m2m_fields=[sources])

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["name", "slug"]
        constraints = [*year_range_constraints("workshop", "opening_year", "closing_year")]

    def __str__(self):
        """Its name; in Chinese its Chinese name where it has one."""
        return local_name(self.name, self.name_zh)

    def get_absolute_url(self):
        return record_url("programs:workshop_detail", slug=self.slug)

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_zh)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        check_year_range(self.opening_year, self.closing_year, end_field="closing_year")
