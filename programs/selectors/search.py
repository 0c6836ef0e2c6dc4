"""Searching the whole casebook, and names for the suggestion boxes."""

from django.utils.translation import gettext as _

from programs import formatting
from programs.models import Region
from programs.services import search_index

from .lists import rows_by_id, with_stable_order

SEARCH_PREVIEW = 5


def casebook_search(*, query: str, lists) -> list[dict]:
    """For each list page (``lists``: list view declarations): how many of its
    rows match ``query`` through the page's own ``q`` filter, and the first few."""
    if not query:
        return []
    groups = []
    for list_view in lists:
        # The list page's own q (CasebookFilterSet.search), without building its filterset.
        matches = with_stable_order(search_index.matching(list_view.queryset.all(), query))
        # Counted up to a cap, over the ids alone (not the list's per-row counts): the
        # overview says "more than 1,000", its list the exact number.
        count = matches.order_by().values("pk")[: COUNT_CAP + 1].count()
        preview = ranked(matches, query) if count else []
        groups.append(
            {
                "name": list_view.model()._meta.model_name,
                "label": list_view.model()._meta.verbose_name_plural,
                "url_name": list_view.url_name,
                "count": min(count, COUNT_CAP),
                "more_than": count > COUNT_CAP,
                "preview": [(item, hit_facts(item)) for item in preview],
                # How many more the full list shows than the preview (at least).
                "more": max(min(count, COUNT_CAP) - SEARCH_PREVIEW, 0),
            }
        )
    return groups


COUNT_CAP = 1000


def ranked(matches, query: str) -> list:
    """The first hits of a search: records whose name is what was typed first, then
    those whose name starts with it, then the rest, each in the list's own order.
    Kinds without names (figures): the first the index finds, by id."""
    from programs.filters import name_match
    from programs.services.search_index import terms

    if matches.model._meta.model_name not in NAMED_KINDS:
        # Figures: the first few the index finds, in its order (by id), read with the
        # list's joins. Sorting tens of thousands of matches for five is what would cost.
        found = search_index.matching(matches.model._default_manager.all(), query)
        ids = list(found.order_by().values_list("pk", flat=True)[:SEARCH_PREVIEW])
        return sorted(rows_by_id(matches, ids), key=lambda row: row.pk)
    typed = " ".join(terms(query))
    # The first matches in the list's order, by id; ranked on their bare records (names
    # only), then the chosen few read with the list's joins and counts.
    ids = list(matches.values_list("pk", flat=True)[:RANKED_FROM])
    model = matches.model
    bare = model._default_manager.filter(pk__in=ids)
    if model._meta.model_name == "pairing":
        bare = bare.select_related("donor", "recipient")
    position = {pk: index for index, pk in enumerate(ids)}
    # Exact name, then name prefix, then the rest (holding the words elsewhere is all one).
    chosen = sorted(bare, key=lambda record: (min(name_match(record, typed), 2), position[record.pk]))
    chosen = chosen[:SEARCH_PREVIEW]
    return rows_by_id(matches, [record.pk for record in chosen])


# Kinds whose records have names to rank by, and how many of a search's first matches are ranked.
NAMED_KINDS = {"region", "program", "pairing", "workshop", "source"}
RANKED_FROM = 50


def hit_facts(item) -> str:
    """Where and when a search hit is, as its list shows it (read from what the list's
    selector joins, so no query): "Lüeyang, Hanzhong · 2019"."""
    name = item._meta.model_name
    if name == "program":
        place = ", ".join(region.local_name for region in item.listed_regions)
        when = formatting.period(item.year_start, item.year_end)
    elif name == "region":
        place = item.parent.local_name if item.parent_id and item.parent.level != "country" else ""
        when = ""
    elif name == "pairing":
        place, when = "", formatting.period(item.start_year, item.end_year)
    elif name == "workshop":
        region = item.region
        place = f"{region.local_name}, {region.parent.local_name}" if region.parent_id else region.local_name
        when = str(item.opening_year) if item.opening_year else ""
    elif name == "funding":
        place = item.recipient_region.local_name if item.recipient_region_id else ""
        when = formatting.period(item.year_start, item.year_end)
    elif name == "outcome":
        subject = item.workshop or item.program or item.pairing or item.region
        place = str(subject) if subject else ""
        when = (
            _("as of %(date)s") % {"date": f"{item.as_of:%Y-%m-%d}"}
            if item.as_of
            else formatting.period(item.year_start, item.year_end)
        )
    elif name == "supportmeasure":
        subject = item.workshop or item.program
        place, when = (str(subject) if subject else ""), ""
    else:  # a source
        place, when = item.publisher, str(item.published_year or "")
    return " · ".join(part for part in (place, when) if part)


SUGGESTED = {
    # the kind in the URL → the model's name
    "regions": "region",
    "programs": "program",
    "pairings": "pairing",
    "workshops": "workshop",
}


def suggestions(*, kind: str, query: str, limit: int = 20) -> list[tuple[str, str]]:
    """What to offer as someone types ``query`` into a box naming a ``kind`` of record:
    (the value the box takes, a label), those whose own name starts with what was
    typed first, then those whose name holds it, then the rest (a county under a
    province that was typed). The value is the record's name where that names it
    alone, else its slug."""
    from django.apps import apps

    from programs.filters import name_match, record_label, regions_named
    from programs.services.search_index import matching, terms

    words = terms(query)
    if not words:
        return []
    model = apps.get_model("programs", SUGGESTED[kind])
    if model is Region:
        candidates = regions_named(words)
    else:
        rows = model._default_manager.all()
        if kind == "pairings":
            rows = rows.select_related("donor", "recipient")
        elif kind == "workshops":
            rows = rows.select_related("region")
        candidates = list(matching(rows, query).order_by("pk")[:200])
    typed = " ".join(words)

    def rank(record):
        match = name_match(record, typed)  # a name that is what was typed also starts with it
        depth = record.path.count("/") if model is Region else 0
        return (0 if match <= 1 else 1 if match == 2 else 2, depth, str(record).casefold())

    chosen = sorted(candidates, key=rank)[:limit]
    return [(box_value(record), record_label(record)) for record in chosen]


def box_value(record) -> str:
    """What a filter box shows for ``record``: its name where that names it alone
    (case and accents aside), else its slug (pairings are named by their slug)."""
    from programs.filters import primary_name

    name = primary_name(record)
    return name if name and not is_shared_name(type(record), name) else record.slug


def is_shared_name(model, name: str) -> bool:
    """Whether more than one record of ``model`` bears ``name`` (folded), kept per data version."""
    from programs.filters import NAME_FIELDS
    from programs.services.aggregates import per_version
    from programs.services.search_index import fold

    fields = NAME_FIELDS.get(model._meta.model_name)
    if fields is None:
        return True

    def shared() -> frozenset:
        seen, twice = set(), set()
        for names in model._default_manager.order_by().values_list(*fields).iterator(chunk_size=5000):
            for key in {fold(name) for name in names if name}:
                (twice if key in seen else seen).add(key)
        return frozenset(twice)

    return fold(name) in per_version(f"shared-names:{model._meta.model_name}", shared)
