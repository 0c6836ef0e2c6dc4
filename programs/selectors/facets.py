"""Counts beside a list page's choices: facets (the current rows grouped by one
field) and the region cascade (the current rows by the regions one level down)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from programs.models import Region, Source


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(*, queryset: QuerySet, field: str, selected: list[str]) -> list[FacetChoice]:
    """Counts of the current rows by one field, in one GROUP BY query. A
    foreign key or many-to-many field counts by the related slug."""
    model_field = queryset.model._meta.get_field(field)
    # Count over a fresh query on the matching rows: reusing a many-to-many join that
    # the filters made would hide a row's other values, and duplicates would inflate counts.
    queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    if model_field.is_relation:
        label_field = "title" if model_field.related_model is Source else "name"
        rows = (
            queryset.order_by()
            .values(facet_value=F(f"{field}__slug"), facet_label=F(f"{field}__{label_field}"))
            .annotate(facet_count=Count("pk", distinct=True))
            .filter(facet_value__isnull=False)
        )
        items = [(row["facet_value"], row["facet_label"], row["facet_count"]) for row in rows]
    else:
        labels = dict(model_field.flatchoices) if model_field.choices else {}
        # A blank value (a region with no belt) is no choice the filter offers.
        rows = (
            queryset.order_by()
            .values(facet_value=F(field))
            .annotate(facet_count=Count("pk", distinct=True))
            .filter(facet_value__isnull=False)
            .exclude(facet_value="")
        )
        items = [
            (str(row["facet_value"]), str(labels.get(row["facet_value"], row["facet_value"])), row["facet_count"])
            for row in rows
        ]
    items.sort(key=lambda item: (-item[2], item[1]))
    return [FacetChoice(value, label, count, value in selected) for value, label, count in items]


@dataclass
class CascadeStep:
    region: Region
    count: int


def region_cascade(*, queryset: QuerySet, through: str, within: Region | None) -> list[CascadeStep]:
    """The regions one level below ``within`` (the provinces when none) with how
    many of the current rows fall in each: two queries whatever the size —
    the child regions, and the rows grouped by their region's path."""
    children = Region.objects.filter(parent=within) if within else Region.objects.filter(level="province")
    children = list(children.order_by("name_en"))
    path_field = "path" if through == "self" else f"{through}__path"
    by_path = queryset.order_by().values(p=F(path_field)).annotate(n=Count("pk", distinct=True)).filter(p__isnull=False)
    totals: Counter = Counter()
    for row in by_path:
        for child in children:
            if row["p"].startswith(child.path):
                totals[child.pk] += row["n"]
                break
    return [CascadeStep(child, totals[child.pk]) for child in children if totals[child.pk]]
