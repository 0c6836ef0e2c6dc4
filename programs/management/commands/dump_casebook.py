"""``manage.py dump_casebook``: write the casebook back to ``fixtures/``."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.services import DumpError, casebook_dump


class Command(BaseCommand):
    help = (
        "Write every record in the database to the fixture files (sources, approaches, indicators, "
        "regions and one file per document), in the layout load_casebook reads, so that changes made "
        "in the admin can be reviewed and committed. All files are written first and then moved into "
        "place: a failure leaves the fixtures as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=None, help="Fixtures folder (default: fixtures/).")

    def handle(self, *args, fixtures: Path | None = None, **options):
        try:
            paths = casebook_dump(fixtures_dir=fixtures)
        except DumpError as error:
            raise CommandError(f"Nothing was written. {error}") from error
        folder = fixtures or settings.BASE_DIR / "fixtures"
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(paths)} fixture files to {folder}."))
