"""Writing the casebook back to its fixture files, so that what editors change
in the admin reaches the YAML that ``casebook_load`` reads.

The files have the loader's layout: ``sources.yaml``, ``approaches.yaml``,
``indicators.yaml``, ``regions.yaml`` and ``documents/NNN-<source slug>.yaml``.
Figures go to their source's document file; pairings, programs and workshops
to the file of their first source. Records keep the order they were first
loaded in (primary keys), parents before children, and every editable field
is written in the model's order, so that loading the files and dumping them
again gives the same bytes and a diff of the fixtures shows exactly what
editors changed.
"""

import os
import re
import shutil
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import models, transaction

from programs.formatting import decimal_text
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

from .loading import DOCUMENT_SECTIONS, DOCUMENTS_DIR, SHARED_FILES, fixture_fields

# Sections of a document file in the order they are written: the program first, as a reader meets it.
DOCUMENT_ORDER = ("programs", "pairings", "workshops", "funding", "outcomes", "support_measures")
# Texts longer than a line of this width are written as folded blocks, wrapped at about this width.
LINE_WIDTH = 90
DOCUMENT_NAME = re.compile(r"^\d+-(?P<slug>.+)\.yaml$")
SLUG_MODELS = (Source, Approach, Indicator, Region, Pairing, Program, Workshop)
FIGURE_MODELS = (Funding, Outcome, SupportMeasure)
BREAKS = "\n\x85\u2028\u2029"  # the line breaks YAML knows


class DumpError(Exception):
    """The casebook cannot be written to fixtures; nothing was written."""


def casebook_dump(*, fixtures_dir: Path | None = None) -> list[Path]:
    """Write every record to the fixture files in ``fixtures_dir``, all or
    nothing, and return the files written. Document files of sources that no
    longer exist are removed; other files in the folder are left alone."""
    fixtures_dir = Path(fixtures_dir or settings.BASE_DIR / "fixtures")
    with transaction.atomic():  # one consistent reading of the database
        files = _render(document_names=_existing_document_names(fixtures_dir))
    _replace_files(fixtures_dir, files)
    return [fixtures_dir / name for name in files]


class _Quoted(str):
    """Written in double quotes: decimals (never floats) and empty strings."""


class _Folded(str):
    """Written as a folded block scalar (``>-``) wrapped at ``LINE_WIDTH``."""


class _Flow(list):
    """Written on one line, e.g. ``[training, infrastructure]``."""


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as in hand-written YAML, no anchors, and
    lines wrapped before a word would pass the width, not after."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True

    def expect_flow_sequence_item(self):
        """PyYAML's, but a slug that would end past ``best_width`` starts a new line."""
        if not isinstance(self.event, yaml.ScalarEvent):
            return super().expect_flow_sequence_item()
        self.write_indicator(",", False)
        if self.column + 1 + len(self.event.value) + 1 > self.best_width:  # a space, the slug, "," or "]"
            self.write_indent()
        self.states.append(self.expect_flow_sequence_item)
        self.expect_node(sequence=True)
        return None

    def write_folded(self, text):
        """PyYAML's ``Emitter.write_folded`` with one change: a line breaks at
        the space before a word that would end past ``best_width``."""
        hints = self.determine_block_hints(text)
        self.write_indicator(">" + hints, True)
        if hints[-1:] == "+":
            self.open_ended = True
        self.write_line_break()
        leading_space, spaces, breaks = True, False, True
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if breaks:
                if ch is None or ch not in BREAKS:
                    if not leading_space and ch is not None and ch != " " and text[start] == "\n":
                        self.write_line_break()
                    leading_space = ch == " "
                    for br in text[start:end]:
                        self.write_line_break(None if br == "\n" else br)
                    if ch is not None:
                        self.write_indent()
                    start = end
            elif spaces:
                if ch != " ":
                    if start + 1 == end and self.column + 1 + _word_length(text, end) > self.best_width:
                        self.write_indent()
                    else:
                        self._write_text(text[start:end])
                    start = end
            elif ch is None or ch in " " + BREAKS:
                self._write_text(text[start:end])
                if ch is None:
                    self.write_line_break()
                start = end
            if ch is not None:
                breaks, spaces = ch in BREAKS, ch == " "
            end += 1

    def _write_text(self, data: str) -> None:
        self.column += len(data)
        self.stream.write(data.encode(self.encoding) if self.encoding else data)


def _word_length(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] not in " " + BREAKS:
        end += 1
    return end - start


_Dumper.add_representer(_Quoted, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"'))
_Dumper.add_representer(_Folded, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">"))
_Dumper.add_representer(_Flow, lambda dumper, items: dumper.represent_sequence("tag:yaml.org,2002:seq", items, True))


class _Snapshot:
    """Slugs by primary key and many-to-many links, each read in one query,
    so that records are written without a query each."""

    def __init__(self):
        self.slugs = {model: dict(model.objects.values_list("pk", "slug")) for model in SLUG_MODELS}
        self.links: dict[models.Field, dict[int, list[int]]] = {}

    def linked(self, obj, model_field) -> list[int]:
        """Primary keys of the records ``obj`` links to, in the order they were loaded."""
        if model_field not in self.links:
            through = model_field.remote_field.through
            columns = (model_field.m2m_column_name(), model_field.m2m_reverse_name())
            links = defaultdict(list)
            for pk, target in through.objects.order_by(columns[1]).values_list(*columns):
                links[pk].append(target)
            self.links[model_field] = links
        return self.links[model_field].get(obj.pk, [])

    def record(self, obj, fields, *, indent: int) -> dict:
        """The fixture record of ``obj``: related records by slug, decimals as exact strings."""
        record = {}
        for model_field in fields:
            if model_field.many_to_many:
                slugs = self.slugs[model_field.related_model]
                value = _Flow(slugs[pk] for pk in self.linked(obj, model_field))
            elif model_field.is_relation:
                pk = getattr(obj, model_field.attname)
                value = None if pk is None else self.slugs[model_field.related_model][pk]
            else:
                value = getattr(obj, model_field.attname)
            record[model_field.name] = _styled(value, key=model_field.name, indent=indent)
        return record


def _styled(value, *, key: str, indent: int):
    if isinstance(value, Decimal):
        return _Quoted(decimal_text(value))
    if isinstance(value, str):
        if "\n" in value or indent + len(key) + len(": ") + len(value) > LINE_WIDTH:
            return _Folded(value)
        if not value:
            return _Quoted(value)
    return value


def _render(*, document_names: dict[str, str]) -> dict[Path, str]:
    """The text of every fixture file, by path relative to the fixtures folder."""
    snapshot = _Snapshot()
    files = {}
    for name, model in SHARED_FILES:
        fields = fixture_fields(model)
        files[Path(name)] = _yaml([snapshot.record(obj, fields, indent=2) for obj in _in_order(model)])
    documents = _documents(document_names)
    sections = {pk: {section: [] for section in DOCUMENT_ORDER} for pk in documents}
    for section, model in DOCUMENT_SECTIONS:
        fields = fixture_fields(model)
        for obj in _in_order(model):
            home = obj.source_id if issubclass(model, Cited) else _home(obj, snapshot, documents)
            sections[home][section].append(snapshot.record(obj, fields, indent=4))
    for pk, path in documents.items():
        parts = [{"source": snapshot.slugs[Source][pk]}] + [{name: rows} for name, rows in sections[pk].items()]
        files[path] = "\n".join(_yaml(part) for part in parts)
    return files


def _yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=LINE_WIDTH)


def _in_order(model) -> list[models.Model]:
    """Records in the order they were first loaded, with parents before their children."""
    objects = list(model.objects.order_by("pk"))
    if model not in (Region, Pairing):
        return objects
    by_pk = {obj.pk: obj for obj in objects}
    ordered, placed = [], set()

    def place(obj):
        if obj.pk in placed:
            return
        placed.add(obj.pk)
        if obj.parent_id in by_pk:
            place(by_pk[obj.parent_id])
        ordered.append(obj)

    for obj in objects:
        place(obj)
    return ordered


def _documents(document_names: dict[str, str]) -> dict[int, Path]:
    """The document file of each source with a text file or figures, by source
    primary key: its existing name, else its position in sources.yaml, e.g.
    ``documents/003-news-guangdong-guangxi-2020.yaml``."""
    cited = set()
    for model in FIGURE_MODELS:
        cited.update(model.objects.values_list("source_id", flat=True))
    documents = {}
    sources = Source.objects.order_by("pk").values_list("pk", "slug", "file_name")
    for position, (pk, slug, file_name) in enumerate(sources):
        if file_name or pk in cited:
            documents[pk] = Path(DOCUMENTS_DIR, document_names.get(slug) or f"{position:03d}-{slug}.yaml")
    return documents


def _home(obj, snapshot: _Snapshot, documents: dict[int, Path]) -> int:
    """The source whose document file holds a pairing, program or workshop: its first one."""
    sources = snapshot.linked(obj, type(obj)._meta.get_field("sources"))
    for pk in sorted(sources):
        if pk in documents:
            return pk
    name = f"{type(obj)._meta.verbose_name} '{obj.slug}'"
    if not sources:
        raise DumpError(f"{name} has no source, so no document file can hold it; give it a source in the admin.")
    raise DumpError(f"{name}: none of its sources has a document file (a text file name or figures).")


def _existing_document_names(fixtures_dir: Path) -> dict[str, str]:
    """File names of the document files already there, by source slug, so a dump keeps them."""
    names = {}
    for path in sorted((fixtures_dir / DOCUMENTS_DIR).glob("*.yaml")):
        match = DOCUMENT_NAME.match(path.name)
        if match:
            names.setdefault(match["slug"], path.name)
    return names


def _replace_files(fixtures_dir: Path, files: dict[Path, str]) -> None:
    """Write every file into a staging folder inside ``fixtures_dir``, then move
    them into place, so that a failure while writing leaves the fixtures as
    they were. Then remove document files no source needs any more."""
    fixtures_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dump-", dir=fixtures_dir))
    try:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        (fixtures_dir / DOCUMENTS_DIR).mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, fixtures_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in (fixtures_dir / DOCUMENTS_DIR).glob("*.yaml"):
        if stale.relative_to(fixtures_dir) not in files:
            stale.unlink()
