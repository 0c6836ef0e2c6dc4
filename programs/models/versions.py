"""The version of the casebook's data, which cached pages and aggregates are keyed by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number changes (to a fresh random one) with every write to
    the casebook's records (``programs.services.page_cache``). A cached page or
    aggregate is stored under the number it was drawn at, so one write makes
    every one of them stale at once, on every worker and host that shares the
    database."""

    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return f"data version {self.number}"
