from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_groups(sender, using, **kwargs):
    from programs.services import groups_ensure

    groups_ensure(using=using)


def ensure_page_cache_row(sender, using, **kwargs):
    from programs.services import page_cache

    page_cache.ensure_row(using)
    page_cache.bump(using)  # a migration may have changed what pages show


def ensure_search_index(sender, using, **kwargs):
    from programs.services import search_index

    search_index.ensure_index(using)


class ProgramsConfig(AppConfig):
    """The casebook's single app: sources, regions, programs and their figures."""

    name = "programs"
    verbose_name = _("Casebook")

    def ready(self):
        # Permissions are created by post_migrate, so the groups are set up
        # after every migrate rather than in a data migration, where the
        # permissions of a brand-new model would not exist yet.
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="programs.ensure_groups")
        # A migration that rebuilds a SQLite table drops its triggers: put the
        # search index's back (and rebuild it) after every migrate.
        post_migrate.connect(ensure_search_index, sender=self, dispatch_uid="programs.ensure_search_index")
        post_migrate.connect(ensure_page_cache_row, sender=self, dispatch_uid="programs.ensure_page_cache_row")
        from programs.services import page_cache, search_index

        search_index.connect_signals()
        page_cache.connect_signals()
