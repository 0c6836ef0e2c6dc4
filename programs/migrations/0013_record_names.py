"""Regions' aliases, and the names column of regions, pairings, programs and
workshops (see programs.services.record_names), which the search texts now carry.
They are written for the records already in the database by the latest migration
that changes what the texts hold (0014), with the fields the search reads today."""

from django.db import migrations, models


def build(apps, schema_editor):
    """Nothing any more: 0014 writes the names and texts (an outcome's text now holds
    its indicator's Chinese name, which does not exist at this point)."""


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0012_region_level_name_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalregion',
            name='aliases',
            field=models.TextField(blank=True, default='', db_default='', help_text='Further names people use for the region, one per line, e.g. “Linxia City” or an old spelling. The short forms (临夏州, 临夏), pinyin and “… County” are found without being listed here.', verbose_name='other names'),
        ),
        migrations.AddField(
            model_name='pairing',
            name='names',
            field=models.TextField(db_default='', default='', editable=False, help_text="The record's names and those of what it lies in, folded; maintained by the casebook.", verbose_name='names'),
        ),
        migrations.AddField(
            model_name='program',
            name='names',
            field=models.TextField(db_default='', default='', editable=False, help_text="The record's names and those of what it lies in, folded; maintained by the casebook.", verbose_name='names'),
        ),
        migrations.AddField(
            model_name='region',
            name='aliases',
            field=models.TextField(blank=True, default='', db_default='', help_text='Further names people use for the region, one per line, e.g. “Linxia City” or an old spelling. The short forms (临夏州, 临夏), pinyin and “… County” are found without being listed here.', verbose_name='other names'),
        ),
        migrations.AddField(
            model_name='region',
            name='names',
            field=models.TextField(db_default='', default='', editable=False, help_text="The record's names and those of what it lies in, folded; maintained by the casebook.", verbose_name='names'),
        ),
        migrations.AddField(
            model_name='workshop',
            name='names',
            field=models.TextField(db_default='', default='', editable=False, help_text="The record's names and those of what it lies in, folded; maintained by the casebook.", verbose_name='names'),
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
