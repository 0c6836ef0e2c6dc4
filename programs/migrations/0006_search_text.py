"""One folded search text per record, indexed (FTS5 trigram on SQLite, pg_trgm
on PostgreSQL), replacing ``UPPER(column) LIKE`` over many columns and joins.
See programs.services.search_index.
"""

import importlib

from django.db import migrations, models

from programs.services import search_index

# The per-column trigram indexes of 0003, which no query uses any more.
OLD = importlib.import_module("programs.migrations.0003_trigram_search_indexes")


def build(apps, schema_editor):
    alias = schema_editor.connection.alias
    OLD.drop(apps, schema_editor)
    search_index.ensure_index(alias, apps=apps)
    # The texts themselves are written by 0013, once the names they carry exist.


def unbuild(apps, schema_editor):
    search_index.drop_index(schema_editor.connection.alias, apps=apps)
    OLD.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_figures_not_negative_per_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="funding",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="outcome",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="pairing",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="supportmeasure",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="workshop",
            name="search_text",
            field=models.TextField(
                default="",
                db_default="",
                editable=False,
                help_text="The searched fields, case- and accent-folded; maintained by the casebook.",
                verbose_name="search text",
            ),
        ),
        migrations.RunPython(build, unbuild, elidable=False),
    ]
