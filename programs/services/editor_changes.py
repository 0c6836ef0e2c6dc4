"""Telling editors' changes from the loader's, through django-simple-history.

Every save of a casebook record writes a history row; the loader's rows carry
the change reason "Loaded from <file>". A record has been changed by an
editor since it was loaded when its latest history row has any other reason
(or it has none at all), and a record the fixtures define but the database
lacks was deleted by an editor when its latest history row is a deletion.
The loader reports a conflict for each field where such a record differs from
its fixture; a change equal to the fixture is no conflict.

"Latest" means last written (the highest history id), not the latest
``history_date``: a date can be set by hand or come from a skewed clock.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import models
from django.utils import timezone

from programs.formatting import decimal_text

LOADED_FROM = "Loaded from "
# Long texts are cut in conflict reports; the whole text is in the fixture and the admin.
SHOWN_TEXT_LENGTH = 80


class Edit(NamedTuple):
    """Who last changed a record, and when; ``when`` is None without history."""

    user: str
    when: datetime | None


class Change(NamedTuple):
    """One field where the fixture differs from the database, both as the fixtures write them."""

    field: str
    fixture_value: str
    current_value: str


@dataclass(frozen=True)
class Conflict:
    """A fixture value that would overwrite an editor's change."""

    record: str
    field: str  # "" when the editor deleted the whole record
    fixture_value: str
    current_value: str
    user: str
    when: datetime | None

    @classmethod
    def changed(cls, record: str, change: Change, edit: Edit) -> "Conflict":
        return cls(record, *change, *edit)

    @classmethod
    def deleted(cls, record: str, row) -> "Conflict":
        return cls(record, "", "the whole record", "deleted", *_edit_of(row))

    def line(self) -> str:
        when = timezone.localtime(self.when).strftime("%Y-%m-%d %H:%M %Z") if self.when else "an unknown date"
        if not self.field:
            return f"{self.record}: deleted by {self.user} on {when}; the fixture still defines it"
        return (
            f"{self.record}, field '{self.field}': fixture {self.fixture_value}, "
            f"database {self.current_value} (changed by {self.user} on {when})"
        )


def previous_version(model: type[models.Model], natural_key: dict):
    """The record with this natural key, or the one that had it before an
    editor renamed it; else ``(None, deletion)``, where ``deletion`` is the
    history row of an editor deleting it, if that is the last thing that
    happened to it."""
    obj = model.objects.filter(**natural_key).first()
    if obj is not None:
        return obj, None
    last_known = model.history.filter(**natural_key).order_by("-history_id").first()
    if last_known is None:
        return None, None
    renamed = model.objects.filter(pk=last_known.id).first()
    if renamed is not None:
        return renamed, None  # its new slug or key shows up as a conflict
    latest = model.history.filter(id=last_known.id).select_related("history_user").order_by("-history_id").first()
    return None, latest if latest.history_type == "-" else None


def editor_change(obj: models.Model) -> Edit | None:
    """Who changed the record since the loader last wrote it, or None when nobody did."""
    row = obj.history.select_related("history_user").order_by("-history_id").first()
    if row is None:
        return Edit("unknown", None)  # no history: nothing shows the loader wrote it
    if (row.history_change_reason or "").startswith(LOADED_FROM):
        return None
    return _edit_of(row)


def differences(obj: models.Model, values: dict, many: dict) -> list[Change]:
    """The fields (and many-to-many sets) where ``obj`` differs from the fixture's values."""
    changes = []
    for model_field, value in values.items():
        wanted = value.pk if isinstance(value, models.Model) else value
        if getattr(obj, model_field.attname) != wanted:
            changes.append(Change(model_field.name, shown(value), shown(getattr(obj, model_field.name))))
    for model_field, targets in many.items():
        current = list(getattr(obj, model_field.name).order_by("pk"))
        if {related.pk for related in current} != {related.pk for related in targets}:
            wanted = sorted(targets, key=lambda related: related.pk)
            changes.append(Change(model_field.name, shown(wanted), shown(current)))
    return changes


def shown(value) -> str:
    """A value as the fixtures write it: related records by slug, exact decimals, ISO dates."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, models.Model):
        return value.slug
    if isinstance(value, list):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, str):
        text = value if len(value) <= SHOWN_TEXT_LENGTH else value[: SHOWN_TEXT_LENGTH - 1] + "…"
        return f'"{text}"'
    return str(value)


def _edit_of(row) -> Edit:
    user = row.history_user.get_username() if row.history_user else "unknown"
    return Edit(user, row.history_date)
