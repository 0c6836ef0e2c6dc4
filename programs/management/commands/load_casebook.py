"""``manage.py load_casebook``: load the documents' data from ``fixtures/``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.services import EditorChangesError, FixtureError, casebook_is_empty, casebook_load


class Command(BaseCommand):
    help = (
        "Load every fixture (sources, approaches, indicators, regions, then one file per document) "
        "in one transaction, then full_clean() every object. A broken record stops the load, "
        "names its file and record, and leaves the database as it was. Loading twice changes nothing. "
        "Records editors changed in the admin since they were loaded are never overwritten silently: "
        "where the fixtures differ from them the load reports each field and changes nothing, "
        "unless --overwrite is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=None, help="Fixtures folder (default: fixtures/).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace editors' changes that differ from the fixtures, and re-create records they deleted.",
        )
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the casebook tables hold no records; otherwise change nothing.",
        )

    def handle(self, *args, fixtures: Path | None = None, overwrite=False, if_empty=False, **options):
        if if_empty and not casebook_is_empty():
            self.stdout.write("The database already holds the casebook; nothing was loaded.")
            return
        try:
            report = casebook_load(fixtures_dir=fixtures, overwrite=overwrite)
        except EditorChangesError as error:
            raise CommandError(
                f"Nothing was loaded. {error}\n"
                "Run dump_casebook to write the editors' changes into the fixtures, "
                "or load_casebook --overwrite to replace them with the fixtures' values."
            ) from error
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        if report.conflicts:
            overwritten = sum(report.overwritten.values())
            self.stdout.write(self.style.WARNING(f"Overwrote {overwritten} record(s) editors had changed:"))
            for conflict in report.conflicts:
                self.stdout.write(conflict.line())
        self.stdout.write(self.style.SUCCESS("Casebook loaded; every object passed full_clean()."))
