"""The querysets behind the list pages: rows that need no further queries —
joins for single-valued relations, plain lists for a program's approaches and
regions (``ProgramsWithLists``), and counts over to-many relations as correlated
subqueries (two aggregates over different joins would inflate each other) or,
where a table has up to a million rows to count, kept per data version
(``KeptCount``)."""

from collections import Counter
from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import (
    Count,
    Expression,
    F,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.expressions import Col
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.db.models.query import ModelIterable
from django.db.models.sql.where import AND

from programs.models import (
    Approach,
    Funding,
    Outcome,
    Pairing,
    Program,
    Region,
    Source,
    SupportMeasure,
    Workshop,
)
from programs.selectors.facets import region_paths
from programs.services.aggregates import per_version


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery (a queryset filtered on ``OuterRef``)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def count_of(queryset: QuerySet) -> SubqueryCount:
    return SubqueryCount(queryset.order_by().values("pk"))


def kept_counts(model, key: str, using: str) -> dict[int, int]:
    """Key → how many rows of ``model`` have it in their foreign key ``key`` (keys
    no row has are left out). Each is a GROUP BY over up to a million rows at
    national scale, so the counts are kept per data version."""

    def compute():
        rows = model.objects.using(using).filter(**{f"{key}__isnull": False}).order_by()
        return dict(rows.values_list(key).annotate(n=Count("*")))

    return per_version(f"counts:{model._meta.label}:{key}", compute, using=using)


def kept_subtree_counts(model, key: str, using: str) -> dict[int, int]:
    """Region id → how many rows of ``model`` have that region or one below it in
    their foreign key ``key`` (regions with none are left out): ``kept_counts``
    summed up the region tree, kept per data version."""

    def compute():
        paths = region_paths(using)
        by_path = {path: pk for pk, path in paths.items()}
        totals = Counter()
        for region_id, count in kept_counts(model, key, using).items():
            # "china/guangxi/chongzuo/" lies in "china/", "china/guangxi/" and itself.
            parts = paths[region_id].split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                ancestor = by_path.get("/".join(parts[:depth]) + "/")
                if ancestor is not None:
                    totals[ancestor] += count
        return dict(totals)

    return per_version(f"subtree-counts:{model._meta.label}:{key}", compute, using=using)


class KeptCount(Expression):
    """How many rows of ``model`` point at the row through ``key``, from
    ``kept_counts`` as it stands when the query runs: ``CASE id WHEN … THEN …
    ELSE 0 END``, which a sort by the column can use like any other. The counts
    are written into the SQL as integers (no parameters, so no limit on how many
    keys), rather than built from ``When(pk=…)`` objects, whose resolving cost
    more than the rest of a list page. A query restricted to ids (a page's rows,
    read by id) gets only those ids' counts."""

    output_field = IntegerField()

    def __init__(self, model, key: str, *, subtree: bool = False):
        super().__init__()
        self.model, self.key, self.subtree = model, key, subtree

    def as_sql(self, compiler, connection):
        counts = (kept_subtree_counts if self.subtree else kept_counts)(self.model, self.key, compiler.using)
        target = self.model._meta.get_field(self.key).related_model
        named = _ids_named(compiler.query, target)
        if named is not None:
            # The rows of a page, read by id: only their counts are written out.
            counts = {key: counts[key] for key in named if key in counts}
        if not counts:
            # Typed, so that a sort by it is an expression (a bare 0 in ORDER BY would
            # name the first column on PostgreSQL, and there is none at position 0).
            return compiler.compile(Cast(Value(0), IntegerField()))
        column, column_params = compiler.compile(target._meta.pk.get_col(compiler.query.get_initial_alias()))
        whens = " ".join(f"WHEN {int(key)} THEN {int(count)}" for key, count in sorted(counts.items()))
        return f"CASE {column} {whens} ELSE 0 END", column_params


def _ids_named(query, model) -> set | None:
    """The primary keys a query is restricted to by ``pk__in=[…]`` at the top of its
    WHERE (a page's rows, read by id), or None."""
    where = query.where
    if where.negated or where.connector != AND or query.model is not model:
        return None
    for condition in where.children:
        if (
            isinstance(condition, In)
            and isinstance(condition.lhs, Col)
            and condition.lhs.target is model._meta.pk
            and condition.lhs.alias == query.base_table
            and isinstance(condition.rhs, list | tuple | set)
        ):
            keys = list(condition.rhs)
            return set(keys) if all(type(key) is int for key in keys) else None
    return None


# What each source is cited by.
CITING = {"funding_count": Funding, "outcome_count": Outcome, "measure_count": SupportMeasure}


def source_list() -> QuerySet:
    return Source.objects.annotate(**{name: KeptCount(model, "source") for name, model in CITING.items()})


def region_list() -> QuerySet:
    return Region.objects.select_related("parent").annotate(
        children_count=KeptCount(Region, "parent"),
        # The workshops in the region or below it, kept per data version.
        workshop_count=KeptCount(Workshop, "region", subtree=True),
    )


# What a program's row, page and export show of its approaches and regions (names, and
# slugs for links): the rest (descriptions, notes, search texts) is left unread.
APPROACH_SHOWN = ("slug", "name", "name_zh")
REGION_SHOWN = ("slug", "name_en", "name_zh")


def listed_relations(programs: list, using: str) -> None:
    """Each program's approaches (by name) and regions (by path) as plain lists,
    ``listed_approaches`` and ``listed_regions``: one query per relation, each
    related record built once however many programs name it, with only the
    columns shown read (the rest are deferred, as ``only()`` leaves them). A
    program read twice (a join that repeats it) gets the same lists on each copy.
    ``prefetch_related`` does the same with a record per link and more work per
    record: most of the time of a page of 100 programs."""
    if not programs:
        return
    lists = {program.pk: ([], []) for program in programs}
    for program in programs:
        program.listed_approaches, program.listed_regions = lists[program.pk]
    connection = connections[using]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(lists))
    for index, (relation, model, order, shown) in enumerate(
        [
            (Program.approaches, Approach, "name", APPROACH_SHOWN),
            (Program.regions, Region, "path", REGION_SHOWN),
        ]
    ):
        # In the model's own field order, which ``from_db`` expects its values in.
        fields = [field for field in model._meta.concrete_fields if field.attname in ("id", *shown)]
        names = [field.attname for field in fields]
        through = relation.through._meta
        program_key = quote(through.get_field("program").column)
        target_key = quote(through.get_field(model._meta.model_name).column)
        # Written out rather than built by the ORM, whose compiling cost three times the
        # query itself: the same statement as ``through.objects.filter(program_id__in=…)
        # .order_by(f"{target}__{order}", f"{target}_id").values_list(…)``.
        sql = (
            f"SELECT l.{program_key}, {', '.join(f'r.{quote(field.column)}' for field in fields)} "
            f"FROM {quote(through.db_table)} l INNER JOIN {quote(model._meta.db_table)} r "
            f"ON r.{quote(model._meta.pk.column)} = l.{target_key} "
            f"WHERE l.{program_key} IN ({placeholders}) "
            f"ORDER BY r.{quote(model._meta.get_field(order).column)} ASC, l.{target_key} ASC"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(lists))
            links = cursor.fetchall()
        built, id_at = {}, names.index("id")
        for program_id, *values in links:
            pk = values[id_at]
            record = built.get(pk)
            if record is None:
                record = built[pk] = model.from_db(using, names, values)
            lists[program_id][index].append(record)


# How many programs read whole get their lists at a time.
LISTED_BATCH = 2000


class ProgramsWithLists(ModelIterable):
    """Programs as ``ModelIterable`` yields them, each batch given its listed
    approaches and regions (``listed_relations``): the whole result when a
    queryset is read (in batches of ``LISTED_BATCH``), each chunk of
    ``iterator(chunk_size=…)`` when the database streams it (an export)."""

    def __iter__(self):
        rows = super().__iter__()
        # ``chunked_fetch`` is off when a queryset is read whole (``list()``, ``first()``…),
        # and for ``iterator()`` where server-side cursors are off (behind pgbouncer).
        size = self.chunk_size if self.chunked_fetch else LISTED_BATCH
        while batch := list(islice(rows, size)):
            listed_relations(batch, self.queryset.db)
            yield from batch


def program_list() -> QuerySet:
    # Kept per data version, as the pairings' are: a page of 100 programs at national
    # scale would otherwise count a hundred thousand funding records and outcomes.
    queryset = Program.objects.annotate(
        workshop_count=KeptCount(Workshop, "program"),
        funding_count=KeptCount(Funding, "program"),
        outcome_count=KeptCount(Outcome, "program"),
    )
    # Kept by every clone; ``values()`` and the like put their own in its place.
    queryset._iterable_class = ProgramsWithLists
    return queryset


def pairing_list() -> QuerySet:
    # Kept per data version: a page of 100 pairings at national scale would otherwise
    # count half a million rows.
    return Pairing.objects.select_related("donor", "recipient").annotate(
        funding_count=KeptCount(Funding, "pairing"),
        outcome_count=KeptCount(Outcome, "pairing"),
        workshop_count=KeptCount(Workshop, "pairing"),
    )


def workshop_list() -> QuerySet:
    return without_maintained(
        Workshop.objects.select_related("region__parent", "program", "pairing__donor", "pairing__recipient")
    )


def funding_list() -> QuerySet:
    return without_maintained(
        Funding.objects.select_related(
            "source", "funder_region", "recipient_region", "pairing__donor", "pairing__recipient", "program", "workshop"
        )
    )


def outcome_list() -> QuerySet:
    return without_maintained(
        Outcome.objects.select_related(
            "indicator", "source", "region", "pairing__donor", "pairing__recipient", "program", "workshop"
        )
    )


def supportmeasure_list() -> QuerySet:
    return without_maintained(SupportMeasure.objects.select_related("source", "program", "workshop"))


MAINTAINED = ("search_text", "names")


def without_maintained(queryset: QuerySet) -> QuerySet:
    """The list's rows without the columns the casebook maintains for search (its own and
    those of every record it reads with them): a page never shows them, and on PostgreSQL
    a row of a figure with its regions, program and workshop was 7 kB wide with them."""
    paths = [""]
    related = queryset.query.select_related
    pending = [("", related)] if isinstance(related, dict) else []
    while pending:
        prefix, tree = pending.pop()
        for name, below in tree.items():
            paths.append(f"{prefix}{name}__")
            pending.append((f"{prefix}{name}__", below))
    deferred = []
    for path in paths:
        model = queryset.model
        for hop in filter(None, path.split("__")):
            model = model._meta.get_field(hop).related_model
        deferred += [f"{path}{column}" for column in MAINTAINED if _has_field(model, column)]
    return queryset.defer(*deferred)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def with_stable_order(queryset: QuerySet) -> QuerySet:
    """Whatever the chosen sort, blanks come last (SQLite and PostgreSQL disagree
    otherwise) and ties are broken by primary key, so rows never swap places
    between pages. Columns that cannot be blank are sorted plainly, so that an
    index in the same order can serve the sort."""
    ordering = []
    for item in list(queryset.query.order_by) or list(queryset.model._meta.ordering):
        if isinstance(item, str) and item not in ("pk", "-pk", "?") and _nullable(queryset.model, item.lstrip("-")):
            field = F(item.removeprefix("-"))
            item = field.desc(nulls_last=True) if item.startswith("-") else field.asc(nulls_last=True)
        ordering.append(item)
    return queryset.order_by(*ordering, "pk")


def _nullable(model, path: str) -> bool:
    """Whether the field a sort names (through relations) can be NULL, or is
    reached through a relation that can be; an annotation counts as nullable."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if field.null or field.many_to_many or field.one_to_many:
            return True
        model = field.related_model if field.is_relation else model
    return False


def first_rows(queryset: QuerySet, *, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows and how many there are in all, in two queries
    whatever the size (three on PostgreSQL, one when there are none): the first
    rows' ids with the total (``first_ids``), then those rows with their joins
    (``rows_by_id``). A DISTINCT query is read whole, and counted apart when its
    rows fill the limit."""
    if queryset.query.distinct:
        rows = list(queryset[:limit])
        return rows, len(rows) if len(rows) < limit else queryset.count()
    ids, total = first_ids(queryset, limit=limit)
    return rows_by_id(queryset, ids), total


def first_ids(queryset: QuerySet, *, limit: int) -> tuple[list, int]:
    """The ids of the first ``limit`` rows and how many rows there are in all:
    the total is a window count, taken before the LIMIT (on PostgreSQL a COUNT of
    its own), read from the sorted rows without the selector's joins. Not for a
    DISTINCT query, whose duplicates a window would count (``first_rows`` reads it whole)."""
    if queryset.query.distinct:
        raise TypeError("first_ids() cannot count a DISTINCT query; use first_rows().")
    plain = queryset.select_related(None).prefetch_related(None)
    if connections[queryset.db].vendor == "postgresql":
        # PostgreSQL plans a window count under a LIMIT as if the scan stopped after
        # the limit: it walks a million rows in the sort's index order (a province's
        # funding panel: 1.6 s). Counted apart, the first ids stop early (0.12 s).
        ids = list(plain.values_list("pk", flat=True)[:limit])
        return ids, plain.order_by().count() if ids else 0
    first = list(plain.annotate(rows_in_all=Window(Count("*"))).values_list("pk", "rows_in_all")[:limit])
    return [pk for pk, _ in first], first[0][1] if first else 0


def rows_by_id(queryset: QuerySet, ids: list) -> list:
    """The rows of ``queryset`` with these ids, in the order given (no query for none)."""
    if not ids:
        return []
    by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]
