"""The Editors and Viewers groups and their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITORS = "Editors"
VIEWERS = "Viewers"
GROUP_ACTIONS = {EDITORS: ("view", "add", "change"), VIEWERS: ("view",)}


@transaction.atomic
def groups_ensure(*, using: str = "default") -> dict[str, Group]:
    """Create the Editors and Viewers groups and give them exactly their
    permissions on every casebook model. Reading a model's history needs only
    the model's own view permission. Safe to run any number of times."""
    from programs import models as casebook

    models = [getattr(casebook, name) for name in casebook.__all__]
    codenames = {
        group: [f"{action}_{model._meta.model_name}" for model in models for action in actions]
        for group, actions in GROUP_ACTIONS.items()
    }
    groups = {}
    for name, wanted in codenames.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = Permission.objects.using(using).filter(content_type__app_label="programs", codename__in=wanted)
        group.permissions.set(permissions)
        groups[name] = group
    return groups
