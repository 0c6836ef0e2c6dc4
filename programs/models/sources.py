"""Source documents: the provenance of everything in the casebook."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.choices import SourceKind
from programs.links import record_url

from .base import MAX_YEAR, MIN_YEAR, SlugManager, search_text_field

WEB_SCHEMES = ["http", "https"]


class Source(models.Model):
    """A document the casebook's records are taken from — a case study, a news
    feature or an official release. Every figure names the source that states it."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Short identifier used in URLs and fixtures, e.g. “gpig-jinjie-2024”."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("The document's title as published, e.g. “Town-based Factory District …”."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        help_text=_("Who published it, e.g. “Sixth Tone” or “Xinhua Daily Telegraph”."),
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("The exact date when the document gives one, e.g. 2024-04-25."),
    )
    published_year = models.PositiveSmallIntegerField(
        _("publication year"),
        db_index=True,
        help_text=_("The year of publication, e.g. 2020; relative dates in the text count from it."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=SourceKind.choices,
        db_index=True,
        help_text=_("What sort of document it is, e.g. “News feature”."),
    )
    language = models.CharField(
        _("language"),
        max_length=80,
        default="English",
        help_text=_("Language of the text used, e.g. “English (machine-translated from Chinese)”."),
    )
    url = models.URLField(
        _("URL"),
        blank=True,
        # Only web addresses: a javascript: or data: URL would become a live link on the source's page.
        validators=[URLValidator(schemes=WEB_SCHEMES)],
        help_text=_("Where the document can be read, if known, e.g. “https://www.example.org/report.html”."),
    )
    file_name = models.CharField(
        _("text file"),
        max_length=200,
        blank=True,
        help_text=_("File name of the document's text in the sources folder, e.g. “000_43c45fd144e9070e.txt”."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the document covers, in the casebook's own words."),
    )
    note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("Caveats about the document, e.g. machine translation or typos."),
    )

    objects = SlugManager()
    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["published_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_year__gte=MIN_YEAR, published_year__lte=MAX_YEAR),
                name="source_published_year_plausible",
                violation_error_message=f"The year must lie between {MIN_YEAR} and {MAX_YEAR}.",
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_is_a_web_address",
                violation_error_message=_("The URL must start with http:// or https://."),
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title} ({self.published_year})"

    def get_absolute_url(self):
        return record_url("programs:source_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        scheme, separator, rest = self.url.partition("://")
        if separator and scheme.lower() in WEB_SCHEMES:
            self.url = f"{scheme.lower()}://{rest}"  # the database constraint compares the scheme exactly
        if self.published_on and self.published_year and self.published_on.year != self.published_year:
            raise ValidationError({"published_year": "The publication year must match the publication date."})
