"""Streaming CSV and JSON exports of exactly the rows a list page shows.

Rows are read from the database in chunks by ``QuerySet.iterator()`` and
written out as they come, so the response starts before all rows are read
and memory stays flat however many rows there are.
"""

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

from programs.formatting import decimal_text
from programs.resources import FundingResource, OutcomeResource

CHUNK_SIZE = 2000
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def _plain(value):
    if isinstance(value, Decimal):
        return decimal_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def csv_rows(rows: Iterable, columns: list[tuple[str, Callable]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells spreadsheets the file is UTF-8, so Chinese names survive.
    yield "\ufeff" + writer.writerow([header for header, _ in columns])
    for row in rows:
        yield writer.writerow([neutralise(_plain(get(row))) for _, get in columns])


def json_rows(rows: Iterable, columns: list[tuple[str, Callable]]) -> Iterator[str]:
    yield "[\n"
    first = True
    for row in rows:
        # Decimals are written as strings, so no figure passes through a float.
        record = {header: _plain(get(row)) for header, get in columns}
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


def export_response(*, queryset, columns: list[tuple[str, Callable]], fmt: str, filename: str) -> StreamingHttpResponse:
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    # Run the query before the first byte goes out: a database that cannot be
    # reached is then a 503 page, not a download that breaks off after its header.
    rows = itertools.chain(list(itertools.islice(rows, 1)), rows)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_rows(rows, columns), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_rows(rows, columns), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def attr(path: str) -> Callable:
    """Read a dotted attribute path. A blank link in the chain (a funding record
    with no workshop) gives None; a misspelt name raises, so a column cannot
    silently come out empty."""

    def get(obj):
        for part in path.split("."):
            obj = getattr(obj, part)
            if obj is None:
                return None
        return obj

    return get


def slugs(path: str) -> Callable:
    return lambda obj: ";".join(item.slug for item in getattr(obj, path).all())


def columns(*paths: str) -> list[tuple[str, Callable]]:
    """Columns named after their attribute path, e.g. ``source.slug`` → ``source``."""
    return [(path.removesuffix(".slug").replace(".", "_"), attr(path)) for path in paths]


def resource_columns(resource, *, after: dict[str, str] | None = None) -> list[tuple[str, Callable]]:
    """The columns of an admin import/export resource, related records by slug, so
    that a downloaded file can be corrected and imported again; ``after`` adds
    read-only columns (column → the column it follows)."""
    model = resource._meta.model
    names = list(resource._meta.fields)
    for name, previous in (after or {}).items():
        names.insert(names.index(previous) + 1, name)
    relations = {field.name for field in model._meta.get_fields() if field.is_relation}
    return columns(*(f"{name}.slug" if name in relations else name for name in names))


CITED = ("source.slug", "key", "locator")
SOURCE_COLUMNS = columns(
    "slug", "title", "publisher", "published_on", "published_year", "kind", "language", "url", "file_name", "summary"
)
REGION_COLUMNS = columns("slug", "name_en", "name_zh", "level", "parent.slug", "path", "belt", "is_poverty_county")
PROGRAM_COLUMNS = [
    *columns("slug", "name", "name_zh", "implementer", "year_start", "year_end"),
    ("approaches", slugs("approaches")),
    ("regions", slugs("regions")),
    *columns("summary"),
]
PAIRING_COLUMNS = columns(
    "slug",
    "donor.slug",
    "donor.name_zh",
    "recipient.slug",
    "recipient.name_zh",
    "level",
    "framework",
    "start_year",
    "end_year",
    "parent.slug",
)
WORKSHOP_COLUMNS = columns(
    "slug",
    "name",
    "name_zh",
    "kind",
    "region.slug",
    "region.path",
    "operator",
    "ownership",
    "industry",
    "products",
    "opening_year",
    "closing_year",
    "status",
    "program.slug",
    "pairing.slug",
)
# Funding and outcomes export the columns editors import (programs.resources),
# so a downloaded file can be corrected and imported again.
FUNDING_COLUMNS = resource_columns(FundingResource)
OUTCOME_COLUMNS = resource_columns(OutcomeResource, after={"unit": "indicator"})
SUPPORTMEASURE_COLUMNS = columns(
    *CITED,
    "kind",
    "beneficiary",
    "description",
    "value",
    "value_max",
    "qualifier",
    "unit",
    "value_text",
    "program.slug",
    "workshop.slug",
)
