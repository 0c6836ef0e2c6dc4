"""The home page: the casebook at a glance."""

from .lists import pairing_list, program_list, source_list

HOME_ROWS = 50


def casebook_counts(*, lists) -> list[tuple[str, str, int]]:
    """How many records each list page holds: (its URL name, label, count), one query per list."""
    return [
        (list_view.url_name, list_view.model()._meta.verbose_name_plural, list_view.model().objects.count())
        for list_view in lists
    ]


def home_summary(*, lists) -> dict:
    """Counts of every kind, the cases, the pairings and the sources."""
    return {
        "counts": casebook_counts(lists=lists),
        "programs": list(program_list().order_by("name")[:HOME_ROWS]),
        "pairings": list(pairing_list().order_by("donor__name_en", "recipient__name_en")[:HOME_ROWS]),
        "sources": list(source_list().order_by("published_year", "title")),
    }
