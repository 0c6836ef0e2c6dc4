"""Searching the whole casebook, and region names for the suggestion boxes."""

from django.db.models import Q

from programs import formatting
from programs.models import Region

from .lists import with_stable_order

SEARCH_PREVIEW = 5


def casebook_search(*, query: str, lists) -> list[dict]:
    """For each list page (``lists``: list view declarations): how many of its
    rows match ``query`` through the page's own ``q`` filter, and the first few."""
    if not query:
        return []
    groups = []
    for list_view in lists:
        filterset = list_view.filterset_class({"q": query}, queryset=list_view.queryset.all())
        matches = with_stable_order(filterset.qs)
        count = matches.count()
        groups.append(
            {
                "name": list_view.model()._meta.model_name,
                "label": list_view.model()._meta.verbose_name_plural,
                "url_name": list_view.url_name,
                "count": count,
                "preview": [(item, hit_facts(item)) for item in matches[:SEARCH_PREVIEW]] if count else [],
                # How many more the full list shows than the preview.
                "more": max(count - SEARCH_PREVIEW, 0),
            }
        )
    return groups


def hit_facts(item) -> str:
    """Where and when a search hit is, as its list shows it (read from what the list's
    selector joins, so no query): "Lüeyang, Hanzhong · 2019"."""
    name = item._meta.model_name
    if name == "program":
        place = ", ".join(region.name_en for region in item.listed_regions)
        when = formatting.period(item.year_start, item.year_end)
    elif name == "region":
        place = item.parent.name_en if item.parent_id and item.parent.level != "country" else ""
        when = ""
    elif name == "pairing":
        place, when = "", formatting.period(item.start_year, item.end_year)
    elif name == "workshop":
        region = item.region
        place = f"{region.name_en}, {region.parent.name_en}" if region.parent_id else region.name_en
        when = str(item.opening_year) if item.opening_year else ""
    elif name == "funding":
        place = item.recipient_region.name_en if item.recipient_region_id else ""
        when = formatting.period(item.year_start, item.year_end)
    elif name == "outcome":
        subject = item.workshop or item.program or item.pairing or item.region
        place = str(subject) if subject else ""
        when = f"as of {item.as_of:%Y-%m-%d}" if item.as_of else formatting.period(item.year_start, item.year_end)
    elif name == "supportmeasure":
        subject = item.workshop or item.program
        place, when = (str(subject) if subject else ""), ""
    else:  # a source
        place, when = item.publisher, str(item.published_year or "")
    return " · ".join(part for part in (place, when) if part)


def region_suggestions(*, query: str, limit: int = 20) -> list[Region]:
    query = query.strip()
    if not query:
        return []
    return list(
        Region.objects.select_related("parent")
        .filter(Q(name_en__icontains=query) | Q(name_zh__icontains=query) | Q(slug__icontains=query))
        .order_by("path")[:limit]
    )
