"""The search index behind ``q``: one folded text per record, kept in the
record's own ``search_text`` column and indexed so that a substring search never
reads the whole table.

``search_text`` holds the fields a list page's ``q`` searches (the filterset's
``search_fields``, including names of related records such as a figure's
regions), each case- and accent-folded (Lüeyang, LUEYANG and lueyang are the
same text), one per line, followed by every pair of adjacent Chinese characters
with a mark after it. The index:

- SQLite: an FTS5 table ``<table>_search`` with the trigram tokenizer over that
  column (external content, kept in step by triggers on insert, update and
  delete). A term of three or more characters is a trigram phrase; a Chinese
  word of two characters is found as its pair plus the mark (three characters).
- PostgreSQL: a pg_trgm GIN index on the column, used by ``LIKE '%term%'``.

A term the index cannot serve (one character, or two that are not both
Chinese) is matched by ``LIKE`` over the column: right, but a scan.

Every write through the models (admin, import, loader) refreshes the record's
text after it is saved, and renaming a record refreshes the texts that carry its
name (signals below). Bulk inserts call :func:`refresh` themselves. A SQLite
table that a migration rebuilt loses its triggers; :func:`ensure_index` (run
after every ``migrate``) puts them back and rebuilds the index.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.expressions import RawSQL

from programs.services import record_names

COLUMN = "search_text"
# Follows each pair of adjacent Chinese characters; folding removes it from the text itself.
MARK = "\x1f"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# The blocks of combining diacritical marks (what NFKD splits off ü, é, ā …).
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
BATCH = 2000


def fold(text: str) -> str:
    """Case- and accent-folded: compatibility forms unified (full-width Ａ is A),
    combining marks dropped (ü is u), then Unicode case folding."""
    if text.isascii():
        return text.lower().replace(MARK, " ")
    plain = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return plain.casefold().replace(MARK, " ")


def document(values: Iterable) -> str:
    """The search text of one record from the values of its searched fields (each
    line once: a figure's region and its pairing's recipient share their names)."""
    seen: set[str] = set()
    parts = [
        line
        for value in values
        if value not in (None, "")
        for line in fold(str(value)).split("\n")
        if line and not (line in seen or seen.add(line))
    ]
    pairs = sorted({run[i : i + 2] for part in parts for run in HAN.findall(part) for i in range(len(run) - 1)})
    return "\n".join([*parts, *([" ".join(pair + MARK for pair in pairs)] if pairs else [])])


def terms(query: str) -> list[str]:
    """The words of a query, folded: each must occur in a record's text. Marks standing
    alone ("Xiamen → Linxia", "Hai'an – Lüeyang") are not words, unless they are all there is
    ("%" is looked for as it is)."""
    tokens = fold(query).split()
    return [word for word in tokens if any(char.isalnum() for char in word)] or tokens


def indexed_form(term: str) -> str | None:
    """What the index looks up for ``term``, or None when it cannot serve it."""
    if len(term) >= 3:
        return term
    if len(term) == 2 and HAN.fullmatch(term):
        return term + MARK
    return None


def matching(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """The rows of ``queryset`` whose text contains every word of ``query``.

    On SQLite the result joins the index table, which serves filtering, counting,
    grouping, use as a subquery and a second search. To OR it with other rows, to AND
    it with another search built apart, or to ``update()`` or raw-delete what it
    selects, go through its ids:
    ``Model.objects.filter(pk__in=matching(…).values("pk"))`` (FTS5 refuses MATCH
    under OR, and Django leaves extra tables out of UPDATE and DELETE)."""
    found = terms(query)
    if not found:
        return queryset
    vendor = connections[queryset.db].vendor
    indexed = [form for term in found if (form := indexed_form(term))]
    scanned = [term for term in found if not indexed_form(term)]
    if vendor == "sqlite" and indexed:
        table = fts_table(queryset.model)
        phrases = " ".join('"' + form.replace('"', '""') + '"' for form in indexed)
        match = f'"{table}" MATCH %s'
        if table in queryset.query.extra_tables:
            # Searched twice (or two searches ANDed): the index table can be joined once.
            queryset = queryset.filter(pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE {match}', [phrases]))
        else:
            # Joined rather than ``id IN (SELECT rowid …)``: SQLite then reads the matches in
            # the index's order and looks each row up, instead of first sorting every match
            # into a temporary index. The join condition names the row's id through the ORM
            # (so it follows the table's alias when the query becomes a subquery); the index
            # table is named by its own, unique name.
            queryset = queryset.extra(tables=[table], where=[match], params=[phrases]).filter(
                pk=RawSQL(f'"{table}".rowid', [])
            )
    else:
        scanned = [*indexed, *scanned]
    for term in scanned:
        queryset = queryset.filter(**{f"{COLUMN}__contains": term})
    return queryset


# --- what is searched, and who depends on whose names -------------------------------------


@cache
def searched_fields() -> dict[str, tuple[str, ...]]:
    """Model name → the fields its list page's ``q`` searches (the filtersets' declarations)."""
    from programs.filtersets import CasebookFilterSet

    found, pending = {}, list(CasebookFilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending += filterset.__subclasses__()
        model = getattr(filterset._meta, "model", None)
        if model is not None and filterset.search_fields:
            found[model._meta.model_name] = tuple(filterset.search_fields)
    return found


def indexed_models(apps=None) -> list[type[models.Model]]:
    from django.apps import apps as installed

    registry = apps or installed
    return [registry.get_model("programs", name) for name in sorted(searched_fields())]


@cache
def dependents(model: type[models.Model]) -> list[tuple[type[models.Model], str, set[str]]]:
    """The indexed models whose text carries fields of ``model``: (that model,
    its foreign key to ``model``, the fields of ``model`` it carries)."""
    from django.apps import apps

    result = {}
    for name, fields in searched_fields().items():
        other = apps.get_model("programs", name)
        for path in fields:
            if "__" not in path:
                continue
            link, field = path.split("__", 1)
            if other._meta.get_field(link).related_model is model:
                result.setdefault((other, link), set()).add(field)
    return [(other, link, fields) for (other, link), fields in result.items()]


# --- keeping the texts right ----------------------------------------------------------------


def refresh(model: type[models.Model], *, using: str = DEFAULT_DB_ALIAS, **conditions) -> dict[int, str]:
    """Recompute the search text of ``model``'s rows (those matching
    ``conditions``, or all), writing only those that changed, in primary-key
    batches; returns the texts written by primary key."""
    fields = searched_fields()[model._meta.model_name]
    rows = model._default_manager.using(using).filter(**conditions).order_by("pk")
    written, last = {}, 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list("pk", COLUMN, *fields)[:BATCH])
        changes = {pk: text for pk, old, *values in batch if (text := document(values)) != old}
        written.update(write_texts(model, COLUMN, changes, using=using))
        if len(batch) < BATCH:
            return written
        last = batch[-1][0]


def write_texts(model: type[models.Model], column: str, texts: dict[int, str], *, using: str) -> dict[int, str]:
    """Write ``texts`` (primary key → text) into ``column`` of ``model``'s rows, in
    batches; returns ``texts``."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    changes = [(text, pk) for pk, text in texts.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(changes), BATCH):
            chunk = changes[start : start + BATCH]
            if connection.vendor == "postgresql":
                # One statement for the batch (a bulk load rewrites millions of rows).
                cursor.execute(
                    f"UPDATE {table} SET {column} = changed.text FROM "
                    "(SELECT unnest(%s::text[]) AS text, unnest(%s::bigint[]) AS id) AS changed "
                    f"WHERE {table}.id = changed.id",
                    [[text for text, _ in chunk], [pk for _, pk in chunk]],
                )
            else:
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", chunk)
    return texts


def refresh_all(*, using: str = DEFAULT_DB_ALIAS, apps=None) -> int:
    """Every record's names, then every indexed model's texts (after a bulk load, or
    ``manage.py migrate``)."""
    from django.apps import apps as installed

    record_names.refresh(apps or installed, None, using=using)
    return sum(len(refresh(model, using=using)) for model in indexed_models(apps))


def names_changed(changed: dict[str, dict], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """After the names of some records changed (model name → primary key → names): the
    search texts of those records and of everything that carries their names."""
    from django.apps import apps

    for name, texts in changed.items():
        model, pks = apps.get_model("programs", name), set(texts)
        refresh(model, using=using, pk__in=pks)
        for other, link, fields in dependents(model):
            if record_names.COLUMN in fields:
                refresh(other, using=using, **{f"{link}__in": pks})


def refresh_names(changed: dict[str, set], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute the names of these records (model name → primary keys) and of what
    lies in them, and the search texts that carry any that changed."""
    from django.apps import apps

    names_changed(record_names.refresh(apps, changed, using=using), using=using)


def before_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    """Remember the names others carry, to know after the save whether they changed."""
    carried = {field for _, _, fields in dependents(sender) for field in fields} - {record_names.COLUMN}
    if not carried or instance._state.adding:
        instance._search_carried = None
        return
    instance._search_carried = (
        sender._default_manager.using(using).filter(pk=instance.pk).values(*sorted(carried)).first()
    )


def after_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, created=False, **kwargs):
    name = sender._meta.model_name
    if name in record_names.ORDER:
        # Its names (and those of everything in it), then the texts that carry them.
        changed = record_names.refresh(sender._meta.apps, {name: {instance.pk}}, using=using)
        if instance.pk in changed.get(name, {}):
            setattr(instance, record_names.COLUMN, changed[name][instance.pk])  # so a later save keeps them
        names_changed(changed, using=using)
    if name in searched_fields():
        written = refresh(sender, using=using, pk=instance.pk)
        if instance.pk in written:
            setattr(instance, COLUMN, written[instance.pk])
    old = getattr(instance, "_search_carried", None)
    if created:
        return  # nothing refers to a record that did not exist
    for other, link, fields in dependents(sender):
        fields = fields - {record_names.COLUMN}  # followed above, as the names changed
        if fields and (old is None or any(old[field] != getattr(instance, field) for field in fields)):
            refresh(other, using=using, **{link: instance.pk})


def after_links_changed(sender, instance, action, reverse, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    """A program's regions or pairings changed: its names, and the texts carrying them."""
    if reverse and action == "pre_clear":  # a region or pairing losing all its programs: which
        instance._search_programs = set(instance.programs.using(using).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        programs = {instance.pk}
    elif action == "post_clear":
        programs = getattr(instance, "_search_programs", set())
    else:
        programs = set(pk_set or ())
    if programs:
        refresh_names({"program": programs}, using=using)


def before_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    """Remember the records whose names or texts carry this one's, before the deletion
    unlinks them (a cleared foreign key or a removed link sends no signal of its own)."""
    from django.apps import apps

    name, affected = sender._meta.model_name, {}
    for other, link, _ in dependents(sender):
        rows = other._default_manager.using(using).filter(**{link: instance.pk})
        affected.setdefault(other._meta.model_name, set()).update(rows.values_list("pk", flat=True))
    for other_name in record_names.ORDER[1:]:
        for link, target in record_names.inputs(other_name):
            if target == name:
                rows = (
                    apps.get_model("programs", other_name)._default_manager.using(using).filter(**{link: instance.pk})
                )
                affected.setdefault(other_name, set()).update(rows.values_list("pk", flat=True))
    instance._search_affected = {model: pks for model, pks in affected.items() if pks}


def after_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    from django.apps import apps

    affected = getattr(instance, "_search_affected", None) or {}
    named = {name: pks for name, pks in affected.items() if name in record_names.ORDER}
    if named:
        refresh_names(named, using=using)
    for name, pks in affected.items():
        refresh(apps.get_model("programs", name), using=using, pk__in=pks)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    watched = set(indexed_models())
    watched |= {model for other in list(watched) for model in _related(other)}
    for model in watched:
        pre_save.connect(before_save, sender=model, dispatch_uid=f"search-before-{model._meta.label}")
        post_save.connect(after_save, sender=model, dispatch_uid=f"search-after-{model._meta.label}")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"search-before-delete-{model._meta.label}")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"search-after-delete-{model._meta.label}")
    program = apps.get_model("programs", "program")
    for relation in ("regions", "pairings"):
        through = program._meta.get_field(relation).remote_field.through
        m2m_changed.connect(after_links_changed, sender=through, dispatch_uid=f"search-links-{relation}")


def _related(model) -> set:
    fields = searched_fields()[model._meta.model_name]
    return {model._meta.get_field(path.split("__")[0]).related_model for path in fields if "__" in path}


# --- the index itself -----------------------------------------------------------------------


def fts_table(model: type[models.Model]) -> str:
    return f"{model._meta.db_table}_search"


def trigram_index(model: type[models.Model]) -> str:
    return f"{model._meta.db_table.removeprefix('programs_')}_search_trgm"


def _sqlite_triggers(model) -> dict[str, str]:
    table, fts = model._meta.db_table, fts_table(model)
    delete = f'INSERT INTO "{fts}" ("{fts}", rowid, {COLUMN}) VALUES (\'delete\', old.id, old.{COLUMN});'
    insert = f'INSERT INTO "{fts}" (rowid, {COLUMN}) VALUES (new.id, new.{COLUMN});'
    return {
        f"{fts}_insert": f'AFTER INSERT ON "{table}" BEGIN {insert} END',
        f"{fts}_delete": f'AFTER DELETE ON "{table}" BEGIN {delete} END',
        f"{fts}_update": f'AFTER UPDATE OF {COLUMN} ON "{table}" BEGIN {delete} {insert} END',
    }


def ensure_index(using: str = DEFAULT_DB_ALIAS, apps=None) -> list[str]:
    """Create what is missing of the index (SQLite: the FTS tables and their
    triggers, rebuilding a table whose triggers were missing; PostgreSQL: pg_trgm
    and the GIN indexes); returns what it created."""
    connection = connections[using]
    created = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {name for (name,) in cursor.fetchall()}
            for model in indexed_models(apps):
                table, fts = model._meta.db_table, fts_table(model)
                if table not in tables:
                    continue
                wanted = _sqlite_triggers(model)
                if fts in tables and set(wanted) <= triggers:
                    continue
                cursor.execute(
                    f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({COLUMN}, '
                    f"content='{table}', content_rowid='id', tokenize='trigram case_sensitive 1')"
                )
                for name, body in wanted.items():
                    cursor.execute(f'CREATE TRIGGER IF NOT EXISTS "{name}" {body}')
                cursor.execute(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')
                created.append(fts)
        elif connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for model in indexed_models(apps):
                if model._meta.db_table not in tables:
                    continue
                name = trigram_index(model)
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
                if cursor.fetchone():
                    continue
                cursor.execute(f'CREATE INDEX "{name}" ON "{model._meta.db_table}" USING gin ({COLUMN} gin_trgm_ops)')
                created.append(name)
    return created


def drop_index(using: str = DEFAULT_DB_ALIAS, apps=None) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in indexed_models(apps):
            if connection.vendor == "sqlite":
                for name in _sqlite_triggers(model):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                cursor.execute(f'DROP TABLE IF EXISTS "{fts_table(model)}"')
            elif connection.vendor == "postgresql":
                cursor.execute(f'DROP INDEX IF EXISTS "{trigram_index(model)}"')


@contextmanager
def suspended(models_: Sequence[type[models.Model]], using: str = DEFAULT_DB_ALIAS):
    """For a bulk load: the index is dropped while it runs (SQLite: the
    triggers; PostgreSQL: the trigram indexes) and built once at the end, far
    faster than row by row."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in models_:
            if connection.vendor == "sqlite":
                for name in _sqlite_triggers(model):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            elif connection.vendor == "postgresql":
                cursor.execute(f'DROP INDEX IF EXISTS "{trigram_index(model)}"')
    yield
    if connection.vendor == "postgresql":
        # Foreign keys are checked at commit; PostgreSQL builds no index on a table
        # with such checks pending, so run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # Not on failure: rolling the load back restores the index too.
    ensure_index(using)
