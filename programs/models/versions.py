"""A counter of writes to the casebook, which the page cache keys pages by."""

from django.db import models


class DataVersion(models.Model):
    """One row whose number goes up with every write to the casebook's records
    (``programs.services.page_cache``). A cached page is stored under the number
    it was drawn at, so one write makes every cached page stale at once, on
    every worker and host that shares the database."""

    number = models.BigIntegerField("number", default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.number}"
