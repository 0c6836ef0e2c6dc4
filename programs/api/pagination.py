"""Cursor pagination by keyset: the next page starts after the last row's values of
the sort (and its id), so reaching the 10,000th row costs what the first did, and
rows never shift between pages when others are added. A cursor is opaque to the
client and tied to the sort it was made for."""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.translation import gettext as _

from .errors import bad_request

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Key:
    """One column of the order: its path, direction and whether blanks come last."""

    path: str
    descending: bool
    nulls_last: bool

    def after(self, value) -> Q:
        """Rows that come after ``value`` in this column alone."""
        if value is None:
            # Blanks come last (with_stable_order): nothing comes after a blank but blanks.
            return Q(pk__in=[])
        later = Q(**{f"{self.path}__{'lt' if self.descending else 'gt'}": value})
        return later | Q(**{f"{self.path}__isnull": True}) if self.nulls_last else later

    def equal(self, value) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})


def keys_of(queryset: QuerySet) -> list[Key]:
    """The columns a (stably) ordered queryset is sorted by, ending with its id."""
    keys = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            path = item.removeprefix("-")
            keys.append(Key("pk" if path in ("pk", "id") else path, item.startswith("-"), False))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            keys.append(Key(item.expression.name, item.descending, bool(item.nulls_last)))
        else:  # pragma: no cover - every list sorts by fields (programs.tables)
            raise TypeError(f"cannot page by {item!r}")
    return keys


def after(keys: list[Key], values: list) -> Q:
    """Rows after the row with ``values``, in lexicographic order of ``keys``."""
    condition = Q(pk__in=[])
    same = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= same & key.after(value)
        same &= key.equal(value)
    return condition


def encode(sort: str, values: list) -> str:
    raw = json.dumps({"sort": sort, "after": values}, cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, *, sort: str, size: int) -> list:
    """The values a cursor carries, or a 400 naming what is wrong with it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values = data["after"]
        made_for = data["sort"]
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError, KeyError):
        raise bad_request([_("This cursor is not one the casebook gave out.")]) from None
    if not isinstance(values, list) or len(values) != size or made_for != sort:
        raise bad_request([_("This cursor was made for another sort; start again without it.")])
    if not all(_plain(value) for value in values):
        raise bad_request([_("This cursor is not one the casebook gave out.")])
    return values


def _plain(value) -> bool:
    """A value a cursor may carry: what the casebook writes into one (no NUL, which
    PostgreSQL refuses, and no integer a database column cannot hold)."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, float):  # the casebook writes decimals as text
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, str) and "\x00" not in value and len(value) <= 1000


def page_of(
    queryset: QuerySet, *, rows_from: QuerySet, sort: str, cursor: str | None, size: int
) -> tuple[list, str | None]:
    """The rows of one page and the cursor of the next (None on the last page). The
    page's ids and sort values are found first (a search or a sort reads no joined
    tables for every match), then its rows are read by id from ``rows_from`` (the list's
    rows with everything they show)."""
    keys = keys_of(queryset)
    rows = queryset
    if cursor:
        try:
            rows = rows.filter(after(keys, decode(cursor, sort=sort, size=len(keys))))
        except (ValueError, TypeError, DjangoValidationError):  # a value of the wrong type for its column
            raise bad_request([_("This cursor is not one the casebook gave out.")]) from None
    found = list(rows.values_list("pk", *[key.path for key in keys])[: size + 1])
    ids = [values[0] for values in found[:size]]
    by_id = {record.pk: record for record in rows_from.order_by().filter(pk__in=ids)} if ids else {}
    records = [by_id[pk] for pk in ids]
    if len(found) <= size:
        return records, None
    return records, encode(sort, list(found[size - 1][1:]))
