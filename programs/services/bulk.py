"""Fast inserts for generated data: rows as tuples, with ids chosen by the
caller so that later rows can refer to them without reading them back,
written with PostgreSQL's COPY, or on SQLite with ``executemany`` in large
batches."""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 5000


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def insert_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``, model field names or
    ``*_id`` attnames) into ``model``'s table; returns how many were written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(_field_name(c)).column) for c in columns)
    if connection.vendor == "postgresql":
        return _copy_rows(f"COPY {table} ({names}) FROM STDIN", rows)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _copy_rows(statement: str, rows: Iterable[tuple]) -> int:
    """Rows streamed to PostgreSQL's COPY (psycopg adapts each value as for a query)."""
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def insert_links(through: type[models.Model], left: str, right: str, pairs: Iterable[tuple[int, int]]) -> int:
    """Rows of a many-to-many table: (left id, right id) pairs."""
    return insert_rows(through, [f"{left}_id", f"{right}_id"], pairs)


def reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit ids, make the database's own id sequences start after them
    (PostgreSQL; SQLite's AUTOINCREMENT-free tables need nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load (without them,
    PostgreSQL plans some pages many times slower). On PostgreSQL also VACUUM,
    which marks the freshly written pages all-visible: until then no count can be
    answered from an index alone (a pairing list's counts read 240,000 table
    pages for 100 rows). VACUUM cannot run inside a transaction: there (a test's)
    only ANALYZE runs."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _field_name(column: str) -> str:
    return column[:-3] if column.endswith("_id") and column != "id" else column


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
