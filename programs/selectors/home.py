"""The home page: the casebook at a glance."""

from .facets import row_count
from .lists import first_rows, pairing_list, program_list, source_list

HOME_ROWS = 50


def casebook_counts(*, lists) -> list[tuple[str, str, int]]:
    """How many records each list page holds: (its URL name, label, count),
    kept per data version like the list pages' own totals."""
    return [
        (list_view.url_name, list_view.model()._meta.verbose_name_plural, row_count(list_view.model().objects.all()))
        for list_view in lists
    ]


def home_summary(*, lists) -> dict:
    """Counts of every kind, the cases, the pairings and the sources."""
    return {
        "counts": casebook_counts(lists=lists),
        # The first rows' ids first, so that their counts are computed for those rows alone.
        "programs": first_rows(program_list().order_by("name", "pk"), limit=HOME_ROWS)[0],
        "pairings": first_rows(pairing_list().order_by("donor__name_en", "recipient__name_en", "pk"), limit=HOME_ROWS)[
            0
        ],
        "sources": list(source_list().order_by("published_year", "title")),
    }
