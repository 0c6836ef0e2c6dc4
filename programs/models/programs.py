"""Programs (the casebook's cases) and the approaches they take."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.languages import local_name
from programs.links import record_url

from .base import SlugManager, check_year_range, names_field, search_text_field, year_field, year_range_constraints


class Approach(models.Model):
    """A way of fighting poverty that programs share, e.g. community
    workshops, East–West pairing or labour transfer. Kept as rows so that
    analysts can filter programs by approach."""

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Short identifier, e.g. “labour-transfer”."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("Display name, e.g. “Labour transfer”."),
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=60,
        blank=True,
        help_text=_("The name in the Chinese interface, e.g. “劳务输出”; blank shows the English name."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the approach means, e.g. “moving workers to jobs in the paired region”."),
    )

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")
        ordering = ["name"]

    def __str__(self):
        """Its name; in Chinese its Chinese name where it has one."""
        return local_name(self.name, self.name_zh)

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_zh)

    def natural_key(self):
        return (self.slug,)


class Program(models.Model):
    """A case: a named poverty-alleviation initiative that one or more sources
    describe — a factory district, a county's community-factory drive, or the
    work done under a city-to-region pairing."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Short identifier used in URLs, e.g. “jinjie-factory-district”."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        db_index=True,
        help_text=_("Descriptive name, e.g. “Jinjie town factory district”."),
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Chinese name where one is known, e.g. “进结镇扶贫车间园区”."),
    )
    summary = models.TextField(
        _("summary"),
        help_text=_("What the program did, in the casebook's own words."),
    )
    implementer = models.CharField(
        _("implemented by"),
        max_length=200,
        blank=True,
        help_text=_("Who ran it, e.g. “Tiandeng county government”."),
    )
    approaches = models.ManyToManyField(
        Approach,
        related_name="programs",
        blank=True,
        verbose_name=_("approaches"),
        help_text=_("The approaches the program takes, e.g. factory district and training."),
    )
    regions = models.ManyToManyField(
        "programs.Region",
        related_name="programs",
        blank=True,
        verbose_name=_("regions"),
        help_text=_("Where the program works, as precisely as the sources say."),
    )
    pairings = models.ManyToManyField(
        "programs.Pairing",
        related_name="programs",
        blank=True,
        verbose_name=_("pairings"),
        help_text=_("Pairings the program carries out, e.g. Xiamen → Linxia."),
    )
    year_start = year_field(_("start year"), help_text=_("Year the program began, e.g. 2010."), db_index=True)
    year_end = year_field(_("end year"), help_text=_("Year it ended; blank while ongoing or unknown."))
    lessons = models.TextField(
        _("lessons"),
        blank=True,
        help_text=_("Lessons the sources draw, in the casebook's own words."),
    )
    challenges = models.TextField(
        _("challenges"),
        blank=True,
        help_text=_("Difficulties the sources report, in the casebook's own words."),
    )
    sources = models.ManyToManyField(
        "programs.Source",
        related_name="programs",
        verbose_name=_("sources"),
        help_text=_("Documents that describe the program."),
    )
    note = models.TextField(_("editor's note"), blank=True, help_text=_("Judgement calls behind this record."))

    objects = SlugManager()
    names = names_field()
    search_text = search_text_field()

    history = HistoricalRecords(
        excluded_fields=["names", "search_text"], m2m_fields=[approaches, regions, pairings, sources]
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]
        constraints = [*year_range_constraints("program", "year_start", "year_end")]

    def __str__(self):
        """Its name; in Chinese its Chinese name where it has one."""
        return local_name(self.name, self.name_zh)

    def get_absolute_url(self):
        return record_url("programs:program_detail", slug=self.slug)

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_zh)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        check_year_range(self.year_start, self.year_end, end_field="year_end")
