"""``manage.py load_casebook``: load the documents' data from ``fixtures/``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.services import FixtureError, casebook_load


class Command(BaseCommand):
    help = (
        "Load every fixture (sources, approaches, indicators, regions, then one file per document) "
        "in one transaction, then full_clean() every object. A broken record stops the load, "
        "names its file and record, and leaves the database as it was. Loading twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=None, help="Fixtures folder (default: fixtures/).")

    def handle(self, *args, fixtures: Path | None = None, **options):
        try:
            report = casebook_load(fixtures_dir=fixtures)
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Casebook loaded; every object passed full_clean()."))
