"""Streaming CSV and JSON exports of exactly the rows a list page shows.

Rows are read from the database in chunks and written out as they come, in
batches of rows, so the response starts before all rows are read and memory
stays flat however many rows there are. Where every column is a field (or a
figure's text property, such as ``amount_text``), the rows are read as plain
tuples with ``values_list()`` instead of as model instances; the text
properties are then computed from the row's own fields by the model's own
property, so a figure reads the same in an export as on the page.
"""

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse

from programs.formatting import decimal_text
from programs.languages import in_chinese
from programs.resources import FundingResource, OutcomeResource
from programs.services import search_index
from programs.services.export_files import ExportFile

CHUNK_SIZE = 2000
# Rows written to the response at a time.
BATCH_ROWS = 500
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Part of a kept export file's name: change it when what an export writes
# changes, so that files kept by the previous release are not sent.
EXPORT_FORMAT = 2
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


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


def _cell(value):
    """A value as a CSV cell: exact decimals, ISO dates, formulas neutralised."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if kind is int or kind is bool or value is None:
        return value
    return neutralise(_plain(value))


def csv_rows(rows: Iterable[tuple], headers: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells spreadsheets the file is UTF-8, so Chinese names survive.
    yield "\ufeff" + writer.writerow(headers)
    for batch in _batches(rows):
        yield "".join(writer.writerow([_cell(value) for value in row]) for row in batch)


def json_rows(rows: Iterable[tuple], headers: list[str]) -> Iterator[str]:
    yield "[\n"
    first = True
    for batch in _batches(rows):
        # Decimals are written as strings, so no figure passes through a float; no
        # spaces between items (a million rows, twenty keys each).
        text = ",\n".join(
            json.dumps(dict(zip(headers, map(_plain, row), strict=True)), ensure_ascii=False, separators=(",", ":"))
            for row in batch
        )
        yield ("" if first else ",\n") + text
        first = False
    yield "\n]\n"


def export_response(
    *, queryset, columns: list[tuple[str, Callable]], fmt: str, filename: str, key: str | None = None
) -> HttpResponseBase:
    """The export as a download: the file kept for it at this data version if
    there is one (``key`` names the export, ``programs.services.export_files``),
    otherwise streamed from the database (and kept if it is large)."""
    content_type = CONTENT_TYPES[fmt]
    headers = [header for header, _ in columns]
    if in_chinese():  # asked for from a Chinese page: the columns named in Chinese
        headers = [header_label(queryset.model, header) for header in headers]
    kept = ExportFile(f"{key}|{EXPORT_FORMAT}|{','.join(headers)}", queryset.db) if key else None
    if kept and kept.exists():
        try:
            return FileResponse(
                kept.path.open("rb"), as_attachment=True, filename=f"{filename}.{fmt}", content_type=content_type
            )
        except FileNotFoundError:
            pass  # pruned a moment ago by another worker: drawn afresh
    rows = value_rows(queryset, columns)
    # Run the query before the first byte goes out: a database that cannot be
    # reached is then a 503 page, not a download that breaks off after its header.
    rows = itertools.chain(list(itertools.islice(rows, 1)), rows)
    chunks = csv_rows(rows, headers) if fmt == "csv" else json_rows(rows, headers)
    response = StreamingHttpResponse(kept.keep(chunks) if kept else chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def header_label(model, header: str) -> str:
    """A column's name for a reader, from the models' (translated) field names:
    ``donor_name_zh`` → “帮扶地区 中文名”, ``region`` → “地区”; the column's own name
    where it names no field."""
    words, rest = [], header
    while rest:
        for end in range(len(rest), 0, -1):
            name = rest[:end]
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            words.append(str(getattr(field, "verbose_name", name)))
            model, rest = field.related_model, rest[end:].lstrip("_")
            break
        else:
            return header
        if rest and model is None:
            return header
    return " ".join(words)


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, BATCH_ROWS)):
        yield batch


def value_rows(queryset, columns: list[tuple[str, Callable]]) -> Iterator[tuple]:
    """Each row as a tuple of its columns' values, in the queryset's order."""
    if not all(isinstance(get, Attr) for _, get in columns):
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield tuple(get(obj) for _, get in columns)
        return
    own = [field.attname for field in queryset.model._meta.concrete_fields if field.attname != search_index.COLUMN]
    paths, plan = list(own), [_step(queryset.model, get.path, own) for _, get in columns]
    for step in plan:
        if step[0] == "join":
            paths.append(step[1])
    joined = iter(range(len(own), len(paths)))
    plan = [(kind, next(joined) if kind == "join" else arg) for kind, arg in plan]
    width = len(own)
    for row in _raw_rows(queryset.values_list(*paths), paths):
        record = None
        values = []
        for kind, arg in plan:
            if kind == "join":
                values.append(row[arg])
            elif kind == "slug":
                index, slugs = arg
                values.append(slugs.get(row[index]))
            else:
                record = record or SimpleNamespace(**dict(zip(own, row[:width], strict=True)))
                values.append(arg(record))
        yield tuple(values)


def _raw_rows(queryset, paths: list[str]) -> Iterator[tuple]:
    """The rows of a ``values_list()`` query read with the database cursor, with
    only the conversions the driver leaves to do (Django's own converters cost
    more than the query on a long export). On SQLite: a decimal stored with a
    fraction is read back through its shortest text (exactly the decimal that
    was stored), booleans become True/False, and
    dates stay ISO text, as an export writes them anyway."""
    connection = connections[queryset.db]
    converters = [_converter(_field(queryset.model, path), connection.vendor) for path in paths]
    converted = [(index, convert) for index, convert in enumerate(converters) if convert]
    sql, params = queryset.query.sql_with_params()
    # A server-side cursor where the database has them (PostgreSQL), as QuerySet.iterator()
    # uses: a client-side one would hold every row of a million-row export in the worker.
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK_SIZE):
            for row in chunk:
                if converted:
                    row = list(row)
                    for index, convert in converted:
                        if row[index] is not None:
                            row[index] = convert(row[index])
                yield row


def _field(model, path: str):
    for name in path.split("__"):
        field = next((f for f in model._meta.concrete_fields if name in (f.name, f.attname)), None)
        if field is None:
            return None
        model = field.related_model if field.is_relation and name == field.name else model
    return field


def _converter(field, vendor: str):
    if vendor != "sqlite" or field is None:
        return None
    if isinstance(field, models.DecimalField):
        return lambda value: Decimal(value) if type(value) is int else Decimal(repr(value))
    if isinstance(field, models.BooleanField):
        return bool
    return None


# Related tables small enough to read whole, so that a column naming a related
# record by slug is looked up by its id instead of joined for every row.
LOOKUP_LIMIT = 100_000


def _step(model, path: str, own: list[str]) -> tuple:
    """How ``value_rows`` finds one column: a figure's text property computed
    from the row ("property"), a related record's slug looked up by id ("slug"),
    or a column read by the query, joined if need be ("join")."""
    first, _, rest = path.partition(".")
    text = getattr(model, first, None)
    if not rest and isinstance(text, property):
        return ("property", text.fget)
    if rest == "slug":
        field = model._meta.get_field(first)
        related = field.related_model
        if field.many_to_one and related._default_manager.count() <= LOOKUP_LIMIT:
            return ("slug", (own.index(field.attname), dict(related._default_manager.values_list("pk", "slug"))))
    return ("join", path.replace(".", "__"))


class Attr:
    """Reads a dotted attribute path. A blank link in the chain (a funding record
    with no workshop) gives None; a misspelt name raises, so a column cannot
    silently come out empty."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, obj):
        for part in self.path.split("."):
            obj = getattr(obj, part)
            if obj is None:
                return None
        return obj


def attr(path: str) -> Attr:
    return Attr(path)


def slugs(path: str, listed: str | None = None) -> Callable:
    """The slugs of a many-to-many relation, from the list the selector
    prefetched into ``listed`` where it did."""

    def get(obj):
        items = getattr(obj, listed) if listed and hasattr(obj, listed) else getattr(obj, path).all()
        return ";".join(item.slug for item in items)

    return get


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
    ("approaches", slugs("approaches", "listed_approaches")),
    ("regions", slugs("regions", "listed_regions")),
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
