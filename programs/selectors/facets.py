"""Counts beside a list page's choices: facets (the current rows grouped by one
field) and the region cascade (the current rows by the regions one level down).

Each is one query whatever the size of the table: the rows are grouped by the
stored column itself (a foreign key by its id, so a covering index serves the
count), and only the groups are joined to the related table for their labels.
The queryset counted is the list's filtered rows without the selector's joins
and annotations; the filters never duplicate a row, so ``COUNT(*)`` is exact."""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import connections
from django.db.models import Count, F, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND, OR, WhereNode

from programs.models import Region, Source
from programs.services.aggregates import APART_CACHE_ALIAS, TALLY_CACHE_ALIAS, per_version

T = TypeVar("T")


def kept_scope(queryset: QuerySet) -> str | None:
    """What ``queryset`` selects, named so that its counts can be kept per data
    version: "" for the whole table; for rows with given values of the model's own
    choice columns or foreign keys (``?kind=fiscal``, ``?source=…``, as one click
    on a facet gives), those values ("kind=fiscal;source_id=3"). None for anything
    else (a search, a range, a region, a slice), whose variety has no bound: a list
    page tallies those (``tally``)."""
    query = queryset.query
    if query.combinator or query.low_mark or query.high_mark is not None:
        return None
    if any(count for alias, count in query.alias_refcount.items() if alias != query.base_table):
        return None  # a join that is used (a join that a filter trimmed away is not)
    conditions = _choice_conditions(query.where, queryset.model)
    if conditions is None:
        return None
    return ";".join(f"{column}={','.join(sorted(values))}" for column, values in sorted(conditions.items()))


def _choice_conditions(node, model) -> dict[str, set[str]] | None:
    """The column = value conditions a WHERE is made of, by column (ANDed, each
    column once; an OR of values of one column is one condition), or None if it
    has anything else."""
    if node.negated or node.connector not in (AND, OR):
        return None
    found: dict[str, set[str]] = {}
    for child in node.children:
        parts = _choice_conditions(child, model) if isinstance(child, WhereNode) else _choice_condition(child, model)
        if parts is None:
            return None
        for column, values in parts.items():
            if column in found and node.connector == AND:
                return None  # the same column twice: kept simple
            found.setdefault(column, set()).update(values)
    if node.connector == OR and len(found) > 1:
        return None  # an OR across columns
    return found


def _choice_condition(lookup, model) -> dict[str, set[str]] | None:
    if not isinstance(lookup, Exact | In) or not isinstance(lookup.lhs, Col) or lookup.lhs.target.model is not model:
        return None
    field = lookup.lhs.target
    if not (field.choices or field.many_to_one):
        return None
    if isinstance(lookup, In) and not isinstance(lookup.rhs, list | tuple | set):
        return None  # a subquery
    values = list(lookup.rhs) if isinstance(lookup, In) else [lookup.rhs]
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in values):
        return None
    return {field.attname: {str(value) for value in values}}


def kept(queryset: QuerySet, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` over ``queryset``, kept per data version when ``kept_scope``
    names what it selects: over a whole table with the other whole-table counts,
    over chosen values apart (``APART_CACHE_ALIAS``)."""
    scope = kept_scope(queryset)
    if scope is None:
        return compute()
    if scope == "":
        return per_version(name, compute, using=queryset.db)
    return per_version(f"{name}|{scope}", compute, using=queryset.db, alias=APART_CACHE_ALIAS)


def row_count(queryset: QuerySet) -> int:
    """How many rows ``queryset`` has; kept per data version (``kept``)."""
    return kept(queryset, f"count:{queryset.model._meta.label}", queryset.count)


@dataclass
class Tally:
    """The rows counted once, then grouped by every column a list page counts
    (its facets and its region cascade): how many rows there are, and per
    column each value's count. The rows are found once (a full-text search
    that matches a hundred thousand rows, or a filter by region with its
    subtree, is the costly part) instead of once per count."""

    count: int
    by_column: dict[str, Counter]


def tally(queryset: QuerySet, columns: list[str]) -> Tally:
    """The rows of ``queryset`` counted, and grouped by each of ``columns`` (field
    names or attnames), in one query: the rows' columns are read once into a
    materialised common table expression, which each count then groups.

    Kept per data version (in ``TALLY_CACHE_ALIAS``) under the statement itself,
    which names the selection exactly: the next page of the same rows, or the
    same rows sorted by another column, reads the counts back instead of
    finding every row again."""
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    aliases = [f"c{index}" for index in range(len(columns))]
    rows = queryset.order_by().values(**{alias: F(column) for alias, column in zip(aliases, columns, strict=True)})
    sql, params = rows.query.sql_with_params()
    # Every value as text, so that the counts of differently typed columns can be
    # one UNION (PostgreSQL requires it); each is read back as its field's type.
    parts = ["SELECT -1, NULL, COUNT(*) FROM matched"] + [
        f"SELECT {index}, CAST({quote(alias)} AS TEXT), COUNT(*) FROM matched GROUP BY {quote(alias)}"
        for index, alias in enumerate(aliases)
    ]
    statement = f"WITH matched AS MATERIALIZED ({sql}) {' UNION ALL '.join(parts)}"

    def compute() -> Tally:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            grouped = cursor.fetchall()
        by_column = {column: Counter() for column in columns}
        fields = [queryset.model._meta.get_field(column) for column in columns]
        count = 0
        for index, value, n in grouped:
            if index == -1:
                count = n
            else:
                by_column[columns[index]][fields[index].to_python(value)] = n
        return Tally(count, by_column)

    digest = hashlib.sha256(repr((statement, tuple(params))).encode()).hexdigest()
    return per_version(f"tally:{digest}", compute, using=queryset.db, alias=TALLY_CACHE_ALIAS)


def tallied_columns(model, facet_fields: list[str], cascade_through: str | None) -> list[str] | None:
    """The columns a tally groups by for these facets and this cascade, or None
    when a facet counts a many-to-many relation (which one row cannot carry)."""
    columns = []
    for name in facet_fields:
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return None
        columns.append(field.attname)
    if cascade_through:
        columns.append("path" if cascade_through == "self" else model._meta.get_field(cascade_through).attname)
    return columns


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(
    *,
    queryset: QuerySet,
    field: str,
    selected: list[str],
    tallied: Tally | None = None,
    only: str | None = None,
    total: int | None = None,
) -> list[FacetChoice]:
    """Counts of the current rows by one field (read from ``tallied`` when given).
    A foreign key or many-to-many field counts by the related record, shown by
    its slug and name. ``only`` is the one value of a plain field that every
    current row has (the list is filtered to it): its count is the rows'
    ``total``, with no query."""
    if only is not None and total is not None:
        items = _labelled(queryset.model._meta.get_field(field), [(only, total)] if total else [])
    elif tallied is not None:
        items = _tallied_counts(queryset.model, field, tallied)
    else:
        name = f"facet:{queryset.model._meta.label}:{field}"
        items = kept(queryset, name, lambda: _grouped_counts(queryset, field))
    return [FacetChoice(value, label, count, value in selected) for value, label, count in items]


def _grouped_counts(queryset: QuerySet, field: str) -> list[tuple[str, str, int]]:
    """(value, label, count) of the rows by one field, the most frequent first."""
    model_field = queryset.model._meta.get_field(field)
    if model_field.is_relation:
        return _by_frequency(_related_counts(queryset, model_field))
    # A blank value (a region with no belt) is no choice the filter offers.
    rows = (
        queryset.order_by()
        .values_list(field)
        .annotate(facet_count=Count("*"))
        .filter(**{f"{field}__isnull": False})
        .exclude(**{field: ""})
    )
    return _by_frequency(_labelled(model_field, rows))


def _tallied_counts(model, field: str, tallied: Tally) -> list[tuple[str, str, int]]:
    """The same as ``_grouped_counts``, read from a tally."""
    model_field = model._meta.get_field(field)
    counts = {value: n for value, n in tallied.by_column[model_field.attname].items() if value not in (None, "")}
    if not model_field.is_relation:
        return _by_frequency(_labelled(model_field, counts.items()))
    related = model_field.related_model
    rows = related._default_manager.filter(pk__in=counts).values_list("pk", "slug", _label_column(related))
    return _by_frequency([(slug, name, counts[pk]) for pk, slug, name in rows])


def _labelled(model_field, counts) -> list[tuple[str, str, int]]:
    """(value, count) pairs of a plain field as (value, its label, count)."""
    labels = dict(model_field.flatchoices) if model_field.choices else {}
    return [(str(value), str(labels.get(value, value)), count) for value, count in counts]


def _by_frequency(items: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    return sorted(items, key=lambda item: (-item[2], item[1]))


def _label_column(related) -> str:
    """The column a related record is named by beside a facet."""
    return "title" if related is Source else "name"


def _related_counts(queryset: QuerySet, model_field) -> list[tuple[str, str, int]]:
    related = model_field.related_model
    if model_field.many_to_many:
        through = model_field.remote_field.through
        grouped = through.objects.filter(**{f"{model_field.m2m_field_name()}__in": queryset.order_by().values("pk")})
        key = model_field.m2m_reverse_name()
    else:
        grouped, key = queryset, model_field.attname
    grouped = (
        grouped.order_by().filter(**{f"{key}__isnull": False}).values(facet_id=F(key)).annotate(facet_count=Count("*"))
    )
    return _joined(grouped, related, ("slug", _label_column(related)))


def _joined(grouped: QuerySet, related, columns: tuple[str, ...]) -> list[tuple]:
    """The groups (``facet_id``, ``facet_count``) with the named columns of the
    related record each id stands for, joined in SQL to the grouped rows."""
    connection = connections[grouped.db]
    quote = connection.ops.quote_name
    sql, params = grouped.query.sql_with_params()
    selected = ", ".join(f"r.{quote(related._meta.get_field(column).column)}" for column in columns)
    table = quote(related._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected}, g.facet_count FROM ({sql}) g JOIN {table} r ON r.{quote('id')} = g.facet_id",
            params,
        )
        return [tuple(row) for row in cursor.fetchall()]


@dataclass
class CascadeStep:
    region: Region
    count: int


def region_cascade(
    *, queryset: QuerySet, through: str, within: Region | None, tallied: Tally | None = None
) -> list[CascadeStep]:
    """The regions one level below ``within`` (the provinces when none) with how
    many of the current rows fall in each: two queries whatever the size —
    the child regions, and the rows grouped by their region (or, from
    ``tallied``, the paths of the regions counted)."""
    children = cascade_children(within)
    child_of = {child.path: child.pk for child in children}
    depth = (within.path.count("/") if within else 1) + 1
    if tallied is None:
        # The totals per child are kept with the other counts (``kept``): summing a
        # row per region, 3,000 of them at national scale, is most of the step's time.
        name = f"by-region:{queryset.model._meta.label}:{through}:{within.path if within else ''}"
        totals = kept(queryset, name, lambda: _totals(_counts_by_path(queryset, through), child_of, depth))
    else:
        if through == "self":
            by_path = list(tallied.by_column["path"].items())
        else:
            counts = tallied.by_column[queryset.model._meta.get_field(through).attname]
            paths = region_paths(queryset.db)
            by_path = [(paths[pk], n) for pk, n in counts.items() if pk in paths]
        totals = _totals(by_path, child_of, depth)
    return [CascadeStep(child, totals[child.pk]) for child in children if totals.get(child.pk)]


def cascade_children(within: Region | None) -> list[Region]:
    """The regions one level below ``within`` (the provinces when none), by name,
    read through an index that gives them in that order (``region_level_name_idx``
    for the provinces, the parent's for the rest)."""
    children = Region.objects.filter(parent=within) if within else Region.objects.filter(level="province")
    return list(children.order_by("name_en"))


def _totals(by_path, child_of: dict[str, int], depth: int) -> dict[int, int]:
    """Counts by region path summed per child region (by id), a path counting
    for the child whose path its first ``depth`` parts are."""
    totals: Counter = Counter()
    for path, count in by_path:
        prefix = "/".join(path.split("/")[:depth]) + "/"
        if prefix in child_of:
            totals[child_of[prefix]] += count
    return dict(totals)


def region_paths(using: str) -> dict[int, str]:
    """Every region's path by its id, kept per data version."""
    return per_version("region-paths", lambda: dict(Region.objects.using(using).values_list("pk", "path")), using=using)


def _counts_by_path(queryset: QuerySet, through: str) -> list[tuple[str, int]]:
    """(region path, count) of the rows by the region ``through`` names."""
    if through == "self":
        return list(queryset.order_by().values_list("path").annotate(n=Count("*")))
    attname = queryset.model._meta.get_field(through).attname
    grouped = queryset.order_by().filter(**{f"{attname}__isnull": False})
    return _joined(grouped.values(facet_id=F(attname)).annotate(facet_count=Count("*")), Region, ("path",))
