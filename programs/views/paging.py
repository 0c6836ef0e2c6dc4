"""Pagination that costs the same on page 500 and on the last page as on the
first: the page's ids are read first, from the sorted rows without the joins
the table needs (from the nearer end of the list, in reverse, past the middle),
then only those rows are fetched with their joins. The row count comes from the
filtered rows without the selector's joins and annotations."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django_tables2.rows import BoundRows


def page_ids(queryset: QuerySet, *, bottom: int, top: int, count: int) -> list:
    """The primary keys of rows ``bottom`` to ``top`` of the sorted ``queryset``."""
    ids = queryset.values_list("pk", flat=True)
    if bottom <= count - top:
        return list(ids[bottom:top])
    return list(ids.reverse()[count - top : count - bottom])[::-1]


def page_rows(queryset: QuerySet, *, bottom: int, top: int, count: int, rows_from: QuerySet | None = None) -> list:
    """Rows ``bottom`` to ``top`` of the sorted ``queryset``, with its joins and
    prefetches. The rows are fetched by id from ``rows_from`` when given: the same
    selection without the filters, which the ids already satisfy (a search's
    filter would otherwise find all its matches again)."""
    ids = page_ids(queryset, bottom=bottom, top=top, count=count)
    if not ids:
        return []
    source = rows_from if rows_from is not None else queryset
    by_id = {row.pk: row for row in source.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids]


class CasebookPaginator(Paginator):
    """Pages a django-tables2 table whose rows are a queryset: ``count`` is
    given (counted without joins), and a page is fetched by ``page_rows``."""

    def __init__(self, rows, per_page, *, count: int, queryset: QuerySet, table, rows_from: QuerySet | None = None):
        super().__init__(rows, per_page)
        self.given_count = count
        self.queryset = queryset
        self.rows_from = rows_from
        self.table = table

    @cached_property
    def count(self):
        return self.given_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        records = page_rows(self.queryset, bottom=bottom, top=top, count=self.count, rows_from=self.rows_from)
        return self._get_page(BoundRows(data=records, table=self.table), number, self)
