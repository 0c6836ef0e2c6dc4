"""Searching the whole casebook, and region names for the suggestion boxes."""

from django.db.models import Q

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
                "preview": list(matches[:SEARCH_PREVIEW]) if count else [],
            }
        )
    return groups


def region_suggestions(*, query: str, limit: int = 20) -> list[Region]:
    query = query.strip()
    if not query:
        return []
    return list(
        Region.objects.select_related("parent")
        .filter(Q(name_en__icontains=query) | Q(name_zh__icontains=query) | Q(slug__icontains=query))
        .order_by("path")[:limit]
    )
