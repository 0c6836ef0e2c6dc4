"""Trigram GIN indexes for the free-text search ``q`` on PostgreSQL.

PostgreSQL's full-text search does not split Chinese words, so search uses
``icontains``, which Django compiles to ``UPPER(col::text) LIKE UPPER('%…%')``.
A pg_trgm GIN index on that same expression serves those queries. SQLite has
no such index type; the step does nothing there.
"""

from django.db import migrations

SEARCHED_COLUMNS = {
    "programs_region": ("name_en", "name_zh"),
    "programs_program": ("name", "name_zh", "summary", "implementer"),
    "programs_workshop": ("name", "name_zh", "operator", "industry", "products"),
    "programs_funding": ("purpose", "funder_organisation"),
    "programs_outcome": ("description", "attributed_to"),
    "programs_supportmeasure": ("description",),
    "programs_source": ("title", "publisher"),
}


def index_name(table, column):
    return f"{table.removeprefix('programs_')}_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index_name(table, column)}" '
                f'ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_unit_years")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
