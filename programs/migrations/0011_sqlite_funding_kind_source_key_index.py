"""SQLite only: funding of one kind in the list's default order (by source, then
key) read from an index in that order. With only (kind, source) SQLite fetched
every row of the first source from the table to sort it by key: at national
scale the first page of one kind's ids took 18 ms, and 0.05 ms with this index.
PostgreSQL has its covering index for the same order (migration 0010).

A database whose statistics were gathered (``ANALYZE``, as the national-scale
generator leaves it) gets them for the new index too: without them SQLite
judged the index worse than sorting a whole kind."""

from django.db import migrations

NAME = "funding_kind_source_key"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "programs_funding" ("kind", "source_id", "key")')
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        analysed = cursor.fetchone() is not None
    if analysed:
        schema_editor.execute(f'ANALYZE "{NAME}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0010_postgresql_list_order_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
