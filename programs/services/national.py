"""Synthetic national-scale data, for benchmarks and for trying the casebook at
the size it is designed for (DESIGN: about 2,900 counties, 30,000 workshops,
a million funding records and a million outcomes).

Everything is drawn from one seeded random generator, so the same sizes and
seed give the same database. Generated prefectures and counties sit below the
real provinces (the 21 the documents do not name are added); their names are
made up from common syllables, and every region, program, pairing and workshop
made here says so in its note. Every figure is cited to one of the sources
titled "Synthetic national-scale data …", so it can never be mistaken for the
documents' data. Rows are written with ``executemany`` in one transaction,
their search texts computed and indexed once at the end; the database is
analysed last.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from programs.choices import Unit
from programs.models import (
    Approach,
    Funding,
    Indicator,
    Outcome,
    Pairing,
    Program,
    Region,
    Source,
    SupportMeasure,
    Workshop,
)
from programs.services import bulk, page_cache, search_index
from programs.services.loading import VALIDATED_MODELS, fixture_counts

from . import national_rows as rows
from . import national_vocabulary as vocabulary

SOURCE_SLUG_PREFIX = "synthetic-national-"
NOTE = "Synthetic record made by generate_national for trying the casebook at national scale; not a real place or case."


@dataclass(frozen=True)
class Sizes:
    """How much to generate. The defaults are the DESIGN's national scale."""

    prefectures: int = 333
    counties: int = 2900
    prefecture_pairings: int = 100
    county_pairings_each: int = 3
    programs: int = 2000
    workshops: int = 30000
    funding: int = 1_000_000
    outcomes: int = 1_000_000
    measures: int = 20000
    sources: int = 20


class GenerationRefused(Exception):
    """The database is not one the generator may add to."""


def holds_only_documents() -> bool:
    """Whether the casebook holds no more records of any model than the
    documents' fixtures define, and no generated data."""
    expected = fixture_counts()
    return not generated_already() and all(model.objects.count() <= expected[model] for model in VALIDATED_MODELS)


def generated_already() -> bool:
    return Source.objects.filter(slug__startswith=SOURCE_SLUG_PREFIX).exists()


def generate(sizes: Sizes, *, seed: int = 1, report=print) -> dict[str, int]:
    """Add the synthetic data in one transaction; returns the rows written per table."""
    if generated_already():
        raise GenerationRefused("This database already holds generated data; generate into a fresh one.")
    if not Region.objects.filter(level="country").exists() or not Indicator.objects.exists():
        raise GenerationRefused("Load the documents' data first (manage.py load_casebook): the generator builds on it.")
    state = rows.State(random.Random(seed))
    written: dict[str, int] = {}
    with transaction.atomic(), search_index.suspended(search_index.indexed_models()):
        for step in (_sources, _regions, _pairings, _programs, _workshops, _funding, _outcomes, _measures):
            name, count = step(state, sizes)
            written[name] = count
            report(f"{name}: {count:,}")
        bulk.reset_sequences(*rows.TOUCHED_MODELS)
        report(f"search texts: {search_index.refresh_all():,}")
        page_cache.bump()  # rows written without signals: cached pages are stale
    bulk.analyse()
    return written


def _sources(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    first = bulk.next_id(Source)
    state.sources = list(range(first, first + sizes.sources))
    count = bulk.insert_rows(Source, vocabulary.SOURCE_COLUMNS, rows.sources(state.sources, SOURCE_SLUG_PREFIX))
    return "sources", count


def _regions(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    existing = {slug: (pk, path) for pk, slug, path in Region.objects.values_list("pk", "slug", "path")}
    china = Region.objects.get(level="country")
    provinces = rows.provinces(state, existing, china, first_id=bulk.next_id(Region), note=NOTE)
    count = bulk.insert_rows(Region, vocabulary.REGION_COLUMNS, provinces)
    prefectures = rows.prefectures(state, sizes.prefectures, note=NOTE)
    count += bulk.insert_rows(Region, vocabulary.REGION_COLUMNS, prefectures)
    counties = rows.counties(state, sizes.counties, note=NOTE)
    count += bulk.insert_rows(Region, vocabulary.REGION_COLUMNS, counties)
    return "regions", count


def _pairings(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    pairings = rows.pairings(
        state, sizes.prefecture_pairings, sizes.county_pairings_each, first_id=bulk.next_id(Pairing)
    )
    count = bulk.insert_rows(Pairing, vocabulary.PAIRING_COLUMNS, [(*row, NOTE) for row in pairings])
    bulk.insert_links(
        Pairing.sources.through, "pairing", "source", ((row[0], state.pick(state.sources)) for row in pairings)
    )
    return "pairings", count


def _programs(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    first = bulk.next_id(Program)
    programs = rows.programs(state, sizes.programs, first_id=first, note=NOTE)
    count = bulk.insert_rows(Program, vocabulary.PROGRAM_COLUMNS, programs)
    approaches = list(Approach.objects.values_list("pk", flat=True))
    links = rows.program_links(state, approaches)
    bulk.insert_links(Program.approaches.through, "program", "approach", links["approaches"])
    bulk.insert_links(Program.regions.through, "program", "region", links["regions"])
    bulk.insert_links(Program.pairings.through, "program", "pairing", links["pairings"])
    bulk.insert_links(Program.sources.through, "program", "source", links["sources"])
    return "programs", count


def _workshops(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    workshops = rows.workshops(state, sizes.workshops, first_id=bulk.next_id(Workshop), note=NOTE)
    count = bulk.insert_rows(Workshop, vocabulary.WORKSHOP_COLUMNS, workshops)
    pairs = ((pk, state.pick(state.sources)) for pk in state.workshop_ids)
    bulk.insert_links(Workshop.sources.through, "workshop", "source", pairs)
    return "workshops", count


def _funding(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    return "funding", bulk.insert_rows(Funding, vocabulary.FUNDING_COLUMNS, rows.funding(state, sizes.funding))


def _outcomes(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    indicators = [(pk, Unit(unit)) for pk, unit in Indicator.objects.values_list("pk", "unit")]
    outcomes = rows.outcomes(state, sizes.outcomes, indicators)
    return "outcomes", bulk.insert_rows(Outcome, vocabulary.OUTCOME_COLUMNS, outcomes)


def _measures(state: "rows.State", sizes: Sizes) -> tuple[str, int]:
    measures = rows.measures(state, sizes.measures)
    return "support measures", bulk.insert_rows(SupportMeasure, vocabulary.MEASURE_COLUMNS, measures)
