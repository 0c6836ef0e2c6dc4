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
from programs.models import Funding, Outcome
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
    """Read a dotted attribute path; a missing link in the chain gives None."""

    def get(obj):
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj

    return get


def slugs(path: str) -> Callable:
    return lambda obj: ";".join(item.slug for item in getattr(obj, path).all())


def columns(*paths: str) -> list[tuple[str, Callable]]:
    """Columns named after their attribute path, e.g. ``source.slug`` → ``source``."""
    result = []
    for path in paths:
        header = path.removesuffix(".slug").replace(".", "_")
        result.append((header, attr(path)))
    return result


def model_columns(model, names) -> list[tuple[str, Callable]]:
    """Columns for model fields, naming related records by their slug."""
    return columns(*(f"{name}.slug" if model._meta.get_field(name).is_relation else name for name in names))


CITED = ("source.slug", "key", "locator")
EXPORT_COLUMNS = {
    "source": columns(
        "slug",
        "title",
        "publisher",
        "published_on",
        "published_year",
        "kind",
        "language",
        "url",
        "file_name",
        "summary",
    ),
    "region": columns("slug", "name_en", "name_zh", "level", "parent.slug", "path", "belt", "is_poverty_county"),
    "program": [
        *columns("slug", "name", "name_zh", "implementer", "year_start", "year_end"),
        ("approaches", slugs("approaches")),
        ("regions", slugs("regions")),
        *columns("summary"),
    ],
    "pairing": columns(
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
    ),
    "workshop": columns(
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
    ),
    # Funding and outcomes export the columns editors import (programs.resources),
    # so a downloaded file can be corrected and imported again.
    "funding": model_columns(Funding, FundingResource._meta.fields),
    "outcome": model_columns(Outcome, (*OutcomeResource._meta.fields[:4], "unit", *OutcomeResource._meta.fields[4:])),
    "supportmeasure": columns(
        *CITED,
        "kind",
        "beneficiary",
        "description",
        "value",
        "value_max",
        "qualifier",
        "unit",
        "program.slug",
        "workshop.slug",
    ),
}
