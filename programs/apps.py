from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_groups(sender, using, **kwargs):
    from programs.services import groups_ensure

    groups_ensure(using=using)


class ProgramsConfig(AppConfig):
    """The casebook's single app: sources, regions, programs and their figures."""

    name = "programs"
    verbose_name = "Casebook"

    def ready(self):
        # Permissions are created by post_migrate, so the groups are set up
        # after every migrate rather than in a data migration, where the
        # permissions of a brand-new model would not exist yet.
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="programs.ensure_groups")
