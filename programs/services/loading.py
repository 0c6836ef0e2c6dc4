"""Loading the casebook's fixtures: the documents' data, in human-readable
YAML with natural keys.

``casebook_load`` reads every file first, then writes everything in one
transaction: a broken record stops the load with a message naming its file
and record, and the database is left exactly as it was. Records are matched
on their natural keys (a slug, or a source and key for figures), so loading
twice changes nothing. A fixture record states the whole record: a field it
leaves out is set to the field's default. The load ends with
``casebook_validate``, a ``full_clean()`` of every object in the casebook.

Editors keep the data in the admin, so the loader never silently writes over
their work: see ``programs.services.editor_changes``.
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

from .editor_changes import LOADED_FROM, Conflict, differences, editor_change, previous_version

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


class EditorChangesError(FixtureError):
    """The fixtures differ from records editors changed since they were loaded."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        records = len({conflict.record for conflict in conflicts})
        super().__init__(
            f"{records} record(s) changed by editors since they were loaded differ from the fixtures:\n"
            + "\n".join(conflict.line() for conflict in conflicts)
        )


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    overwritten: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged) | set(self.overwritten))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            + (f", {self.overwritten[name]} overwritten" if self.overwritten[name] else "")
            for name in names
        ]


@dataclass
class Batch:
    """The records of one model from one file."""

    path: Path
    model: type[models.Model]
    records: list[dict]
    source_slug: str | None = None


@dataclass
class Target:
    """The record a fixture entry stands for: its model, natural key and where it is written."""

    model: type[models.Model]
    identity: str
    source: Source | None
    where: str
    reason: str

    @property
    def natural_key(self) -> dict:
        return {"source": self.source, "key": self.identity} if self.source else {"slug": self.identity}

    @property
    def label(self) -> str:
        name = f"{self.model._meta.verbose_name} '{self.identity}'"
        return f"{name} (source '{self.source.slug}')" if self.source else name


def casebook_load(*, fixtures_dir: Path | None = None, overwrite: bool = False) -> LoadReport:
    """Load every fixture file, all or nothing, and validate the result.

    Records editors changed since they were loaded are reported as conflicts
    where the fixtures differ from them; unless ``overwrite`` is set, any
    conflict raises ``EditorChangesError`` and nothing is loaded."""
    fixtures_dir = Path(fixtures_dir or settings.BASE_DIR / "fixtures")
    batches = _read_batches(fixtures_dir)
    loader = _Loader()
    with transaction.atomic():
        for batch in batches:
            for record in _ordered(batch):
                loader.upsert(batch, record)
        if loader.report.conflicts and not overwrite:
            raise EditorChangesError(loader.report.conflicts)
        failures = casebook_validate()
        if failures:
            raise FixtureError("Validation failed after loading:\n" + "\n".join(failures))
    return loader.report


def casebook_is_empty() -> bool:
    """Whether no casebook table holds a record (history tables aside)."""
    return not any(model.objects.exists() for model in VALIDATED_MODELS)


def fixture_counts(fixtures_dir: Path | None = None) -> Counter:
    """How many records of each model the fixtures define."""
    counts: Counter = Counter()
    for batch in _read_batches(Path(fixtures_dir or settings.BASE_DIR / "fixtures")):
        counts[batch.model] += len(batch.records)
    return counts


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


def fixture_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a fixture record states, in the model's declaration order:
    every editable field and many-to-many, but not the primary key, nor a
    figure's source, which its document file gives."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return sorted(
        (
            model_field
            for model_field in fields
            if model_field.editable
            and not model_field.primary_key
            and not (issubclass(model, Cited) and model_field.name == "source")
        ),
        key=lambda model_field: model_field.creation_counter,
    )


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
    """Upserts records by natural key, resolving slugs to objects with a cache.

    Every record goes through the same steps whether or not the load will be
    kept, so that one pass finds every conflict; ``casebook_load`` rolls the
    pass back when it found conflicts and may not overwrite them."""

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
        target = self._target(batch, record)
        values, many = self._desired(target, record)
        obj, deletion = previous_version(target.model, target.natural_key)
        conflicts = [Conflict.deleted(target.label, deletion)] if deletion else []
        created = obj is None
        changes = [] if created else differences(obj, values, many)
        edit = None if created else editor_change(obj)
        if edit and changes:
            conflicts += [Conflict.changed(target.label, change, edit) for change in changes]
        if created or changes:
            obj = obj or target.model()
            self._save(obj, target, values, many, reason=target.reason)
        elif edit:
            # An editor's change the fixtures now hold: mark the record as loaded,
            # so that later changes to the fixture apply to it again.
            self._save(obj, target, values, many, reason=f"{target.reason} (already matched)")
        if target.source is None:
            self.cache[target.model, target.identity] = obj
        self.report.conflicts += conflicts
        self._count(target.model, conflicts=conflicts, created=created, changed=bool(changes))

    def _count(self, model, *, conflicts: list, created: bool, changed: bool) -> None:
        report = self.report
        if conflicts:
            bucket = report.overwritten  # kept only when the load may overwrite editors' changes
        else:
            bucket = report.created if created else report.updated if changed else report.unchanged
        bucket[model._meta.verbose_name_plural] += 1

    def _target(self, batch: Batch, record) -> Target:
        model = batch.model
        name = model._meta.verbose_name
        if not isinstance(record, dict):
            raise FixtureError(f"{batch.path}: every {name} must be a mapping, not {record!r}")
        cited = issubclass(model, Cited)
        natural = "key" if cited else "slug"
        identity = record.get(natural)
        where = f"{batch.path}, {name} '{identity}'"
        if not identity:
            raise FixtureError(f"{batch.path}: a {name} without '{natural}': {record!r}")
        source = self.resolve(Source, batch.source_slug, where=where) if cited else None
        seen_key = (model, source.pk if source else None, identity)
        if seen_key in self.seen:
            raise FixtureError(f"{where}: duplicate {natural}; each {name} appears once")
        self.seen.add(seen_key)
        return Target(model, identity, source, where, reason=f"{LOADED_FROM}{batch.path.name}")

    def _desired(self, target: Target, record: dict) -> tuple[dict, dict]:
        """The record's values as the model holds them; an absent field means its default."""
        fields = fixture_fields(target.model)
        names = {model_field.name for model_field in fields}
        for field_name in record:
            if field_name not in names:
                try:
                    target.model._meta.get_field(field_name)
                except FieldDoesNotExist:
                    raise FixtureError(f"{target.where}: unknown field '{field_name}'") from None
                raise FixtureError(f"{target.where}: field '{field_name}' cannot be set in a fixture")
        values, many = {}, {}
        for model_field in fields:
            raw = record.get(model_field.name)
            if model_field.many_to_many:
                if not isinstance(raw, list | None):
                    raise FixtureError(f"{target.where}: field '{model_field.name}' must be a list of slugs")
                many[model_field] = [
                    self.resolve(model_field.related_model, slug, where=target.where) for slug in raw or []
                ]
            elif model_field.name in record:
                values[model_field] = self._value(model_field, raw, where=target.where)
            else:
                values[model_field] = model_field.get_default()
        return values, many

    def _save(self, obj, target: Target, values: dict, many: dict, *, reason: str) -> None:
        for model_field, value in values.items():
            setattr(obj, model_field.name, value)
        if target.source is not None:
            obj.source = target.source
        try:
            obj.full_clean()
        except ValidationError as error:
            raise FixtureError(f"{target.where}: {_describe(error)}") from None
        obj._change_reason = reason  # also read by the history rows of many-to-many changes
        obj.save()
        for model_field, targets in many.items():
            manager = getattr(obj, model_field.name)
            if set(manager.values_list("pk", flat=True)) != {related.pk for related in targets}:
                manager.set(targets)

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
        if isinstance(raw, float) and isinstance(model_field, models.DecimalField):
            raw = str(raw)  # 0.6 written unquoted means the decimal 0.6, not the nearest binary fraction
        try:
            return model_field.to_python(raw)
        except ValidationError as error:
            raise FixtureError(f"{where}: field '{model_field.name}': {_describe(error)}") from None
