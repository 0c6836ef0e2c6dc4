"""Chinese names for indicators and approaches (interface words: the casebook's own
vocabulary, not the documents'). An outcome's search text carries its indicator's
Chinese name, so the records' names and texts are rewritten here (only those that
changed are written). The latest migration that changes what the texts hold does
this, with the fields the search reads today."""

from django.db import migrations, models

from programs.services import search_index


def build(apps, schema_editor):
    search_index.refresh_all(using=schema_editor.connection.alias, apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0013_record_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='approach',
            name='name_zh',
            field=models.CharField(blank=True, help_text='The name in the Chinese interface, e.g. “劳务输出”; blank shows the English name.', max_length=60, verbose_name='Chinese name'),
        ),
        migrations.AddField(
            model_name='historicalapproach',
            name='name_zh',
            field=models.CharField(blank=True, help_text='The name in the Chinese interface, e.g. “劳务输出”; blank shows the English name.', max_length=60, verbose_name='Chinese name'),
        ),
        migrations.AddField(
            model_name='historicalindicator',
            name='name_zh',
            field=models.CharField(blank=True, help_text='The name in the Chinese interface, e.g. “贫困发生率”; blank shows the English name.', max_length=60, verbose_name='Chinese name'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='name_zh',
            field=models.CharField(blank=True, help_text='The name in the Chinese interface, e.g. “贫困发生率”; blank shows the English name.', max_length=60, verbose_name='Chinese name'),
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
