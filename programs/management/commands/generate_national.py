"""``manage.py generate_national``: synthetic national-scale data for benchmarks."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from programs.services import casebook_is_empty
from programs.services.national import GenerationRefused, Sizes, generate, holds_only_documents


class Command(BaseCommand):
    help = (
        "Add synthetic national-scale data (by default the DESIGN's size: about 2,900 counties, 30,000 "
        "workshops, a million funding records and a million outcomes) on top of the documents' data, "
        "from a fixed seed, in one transaction. Every figure is cited to a source titled "
        "“Synthetic national-scale data …”. Refuses a database that holds anything but the documents' "
        "data unless --force is given."
    )

    def add_arguments(self, parser):
        defaults = Sizes()
        for name, value in vars(defaults).items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=_count, default=value, help=f"default {value:,}")
        parser.add_argument("--seed", type=int, default=1, help="seed of the random generator (default 1)")
        parser.add_argument(
            "--force", action="store_true", help="add to a database that holds more than the documents' data"
        )

    def handle(self, *args, seed=1, force=False, **options):
        sizes = Sizes(**{name: options[name] for name in vars(Sizes())})
        if casebook_is_empty():
            raise CommandError("The database is empty. Load the documents' data first: manage.py load_casebook")
        if not force and not holds_only_documents():
            raise CommandError(
                "This database holds records that are not the documents' data (an editor's work, or an earlier "
                "generation). Generate into a fresh database with the documents' data, or pass --force."
            )
        started = time.monotonic()
        try:
            written = generate(sizes, seed=seed, report=lambda line: self.stdout.write(f"  {line}"))
        except GenerationRefused as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Generated {sum(written.values()):,} records in {seconds:.1f} s (seed {seed}).")
        )


def _count(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value
