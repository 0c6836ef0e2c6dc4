"""Loading the casebook's fixtures: the documents' data, in human-readable
YAML with natural keys.

``casebook_load`` reads every file first, then writes everything in one
transaction: a broken record stops the load with a message naming its file
and record, and the database is left exactly as it was. Records are matched
on their natural keys (a slug, or a source and key for figures), so loading
twice changes nothing. The load ends with ``casebook_validate``, a
``full_clean()`` of every object in the casebook.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models, transaction

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
from programs.models.base import Cited

# Shared files, loaded first and in this order.
SHARED_FILES = (
    ("sources.yaml", Source),
    ("approaches.yaml", Approach),
    ("indicators.yaml", Indicator),
    ("regions.yaml", Region),
)
# Sections of a document file, loaded section by section across all documents
# so that one document may refer to a pairing or program another one defines.
DOCUMENT_SECTIONS = (
    ("pairings", Pairing),
    ("programs", Program),
    ("workshops", Workshop),
    ("funding", Funding),
    ("outcomes", Outcome),
    ("support_measures", SupportMeasure),
)
DOCUMENTS_DIR = "documents"
VALIDATED_MODELS = (Source, Approach, Indicator, Region, Pairing, Program, Workshop, Funding, Outcome, SupportMeasure)


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the file and record."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            for name in names
        ]


@dataclass
class Batch:
    """The records of one model from one file."""

    path: Path
    model: type[models.Model]
    records: list[dict]
    source_slug: str | None = None


def casebook_load(*, fixtures_dir: Path | None = None) -> LoadReport:
    """Load every fixture file, all or nothing, and validate the result."""
    fixtures_dir = Path(fixtures_dir or settings.BASE_DIR / "fixtures")
    batches = _read_batches(fixtures_dir)
    loader = _Loader()
    with transaction.atomic():
        for batch in batches:
            for record in _ordered(batch):
                loader.upsert(batch, record)
        failures = casebook_validate()
        if failures:
            raise FixtureError("Validation failed after loading:\n" + "\n".join(failures))
    return loader.report


def casebook_validate() -> list[str]:
    """``full_clean()`` every object in the casebook; one line per failure."""
    failures = []
    for model in VALIDATED_MODELS:
        queryset = model.objects.all()
        if model is Outcome:
            queryset = queryset.select_related("indicator")
        for obj in queryset.iterator(chunk_size=2000):
            try:
                obj.full_clean()
            except ValidationError as error:
                failures.append(f"{model._meta.verbose_name} '{_label(obj)}': {_describe(error)}")
    return failures


def _read_batches(fixtures_dir: Path) -> list[Batch]:
    if not fixtures_dir.is_dir():
        raise FixtureError(f"{fixtures_dir}: no such fixtures folder")
    batches = []
    for name, model in SHARED_FILES:
        path = fixtures_dir / name
        records = _read_yaml(path)
        if not isinstance(records, list):
            raise FixtureError(f"{path}: expected a list of {model._meta.verbose_name_plural}")
        batches.append(Batch(path, model, records))
    documents = []
    for path in sorted((fixtures_dir / DOCUMENTS_DIR).glob("*.yaml")):
        content = _read_yaml(path)
        if not isinstance(content, dict) or not content.get("source"):
            raise FixtureError(f"{path}: a document file is a mapping that starts with 'source: <slug>'")
        unknown = set(content) - {"source"} - {section for section, _ in DOCUMENT_SECTIONS}
        if unknown:
            raise FixtureError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
        documents.append((path, content))
    for section, model in DOCUMENT_SECTIONS:
        for path, content in documents:
            records = content.get(section) or []
            if not isinstance(records, list):
                raise FixtureError(f"{path}: section '{section}' must be a list")
            batches.append(Batch(path, model, records, source_slug=content["source"]))
    return batches


def _read_yaml(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as error:
        raise FixtureError(f"{path}: file not found") from error
    except yaml.YAMLError as error:
        raise FixtureError(f"{path}: not valid YAML: {error}") from error


def _ordered(batch: Batch) -> list[dict]:
    """Regions and pairings in an order where every parent comes before its children."""
    if batch.model not in (Region, Pairing):
        return batch.records
    by_slug = {record.get("slug"): record for record in batch.records if isinstance(record, dict)}
    ordered, placed = [], set()

    def place(record, trail=()):
        slug = record.get("slug")
        if slug in placed:
            return
        parent = by_slug.get(record.get("parent"))
        if parent is not None and parent.get("slug") not in trail:
            place(parent, (*trail, slug))
        placed.add(slug)
        ordered.append(record)

    for record in batch.records:
        if isinstance(record, dict):
            place(record)
        else:
            ordered.append(record)
    return ordered


def _label(obj) -> str:
    return getattr(obj, "slug", None) or getattr(obj, "key", None) or str(obj.pk)


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class _Loader:
    """Upserts records by natural key, resolving slugs to objects with a cache."""

    def __init__(self):
        self.report = LoadReport()
        self.cache: dict[tuple[type, str], models.Model] = {}
        self.seen: set[tuple] = set()

    def resolve(self, model, slug, *, where: str):
        if (model, slug) not in self.cache:
            try:
                self.cache[model, slug] = model.objects.get_by_natural_key(slug)
            except ObjectDoesNotExist:
                raise FixtureError(f"{where}: {model._meta.verbose_name} '{slug}' does not exist") from None
        return self.cache[model, slug]

    def upsert(self, batch: Batch, record) -> None:
        model = batch.model
        name = model._meta.verbose_name
        if not isinstance(record, dict):
            raise FixtureError(f"{batch.path}: every {name} must be a mapping, not {record!r}")
        data = dict(record)
        cited = issubclass(model, Cited)
        natural = "key" if cited else "slug"
        identity = data.get(natural)
        where = f"{batch.path}, {name} '{identity}'"
        if not identity:
            raise FixtureError(f"{batch.path}: a {name} without '{natural}': {record!r}")
        source = self.resolve(Source, batch.source_slug, where=where) if cited else None
        seen_key = (model, source.pk if source else None, identity)
        if seen_key in self.seen:
            raise FixtureError(f"{where}: duplicate {natural}; each {name} appears once")
        self.seen.add(seen_key)

        obj = self._existing(model, identity, source)
        created = obj is None
        obj = obj or model()
        if cited:
            obj.source = source
        changed = created
        many = {}
        for field_name, raw in data.items():
            try:
                model_field = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                raise FixtureError(f"{where}: unknown field '{field_name}'") from None
            if model_field.many_to_many:
                many[model_field] = [self.resolve(model_field.related_model, slug, where=where) for slug in raw or []]
                continue
            if not model_field.editable or (cited and field_name == "source"):
                raise FixtureError(f"{where}: field '{field_name}' cannot be set in a fixture")
            value = self._value(model_field, raw, where=where)
            if getattr(obj, model_field.attname) != (value.pk if isinstance(value, models.Model) else value):
                changed = True
                setattr(obj, model_field.name, value)
        if changed:
            try:
                obj.full_clean()
            except ValidationError as error:
                raise FixtureError(f"{where}: {_describe(error)}") from None
            obj._change_reason = f"Loaded from {batch.path.name}"
            obj.save()
        if not cited:
            self.cache[model, identity] = obj
        for model_field, targets in many.items():
            manager = getattr(obj, model_field.name)
            if set(manager.values_list("pk", flat=True)) != {target.pk for target in targets}:
                manager.set(targets)
                changed = True
        bucket = self.report.created if created else self.report.updated if changed else self.report.unchanged
        bucket[model._meta.verbose_name_plural] += 1

    def _existing(self, model, identity, source):
        if source is not None:
            return model.objects.filter(source=source, key=identity).first()
        return model.objects.filter(slug=identity).first()

    def _value(self, model_field, raw, *, where: str):
        if model_field.is_relation:
            if raw in (None, ""):
                return None
            return self.resolve(model_field.related_model, raw, where=where)
        if raw is None and not model_field.null:
            if model_field.has_default():
                return model_field.get_default()
            if model_field.blank:
                return ""
        try:
            return model_field.to_python(raw)
        except ValidationError as error:
            raise FixtureError(f"{where}: field '{model_field.name}': {_describe(error)}") from None
