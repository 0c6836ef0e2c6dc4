"""The index of indicators: what each measures, in what unit, how many figures use
it and what those figures are about."""

from django.db.models import Count, Q

from programs.models import Indicator, Outcome
from programs.services.aggregates import per_version
from programs.services.search_index import fold, terms

# What an outcome is about, most specific first (a figure about a workshop names its program too).
SUBJECTS = (
    ("workshop", "workshops"),
    ("program", "programs"),
    ("pairing", "pairings"),
    ("region", "regions"),
)


def figure_counts() -> dict[int, dict]:
    """Per indicator id: how many outcomes use it, and how many are about each kind of
    subject (by the most specific one they name); one pass over the outcomes, kept per
    data version."""

    def compute():
        subject = {}
        for index, (field, _) in enumerate(SUBJECTS):
            # About a workshop; else about a program (and no workshop); and so on.
            condition = Q(**{f"{field}__isnull": False})
            for earlier, _ in SUBJECTS[:index]:
                condition &= Q(**{f"{earlier}__isnull": True})
            subject[f"about_{field}"] = Count("pk", filter=condition)
        rows = Outcome.objects.order_by().values("indicator_id").annotate(figures=Count("pk"), **subject)
        return {row.pop("indicator_id"): row for row in rows}

    return per_version("indicator-figures", compute)


def indicator_index(*, query: str = "") -> list[dict]:
    """The indicators grouped by unit, each with its definition and counts; with
    ``query``, those whose name or definition holds every word (case and accents folded)."""
    counts = figure_counts()
    words = terms(query)
    groups: dict[str, dict] = {}
    for indicator in Indicator.objects.order_by("unit", "name"):
        text = fold(f"{indicator.name}\n{indicator.name_zh}\n{indicator.description}\n{indicator.slug}")
        if not all(word in text for word in words):
            continue
        tally = counts.get(indicator.pk, {})
        group = groups.setdefault(indicator.unit, {"unit": indicator.get_unit_display(), "indicators": []})
        group["indicators"].append(
            {
                "indicator": indicator,
                "figures": tally.get("figures", 0),
                "subjects": [
                    (label, tally[f"about_{field}"]) for field, label in SUBJECTS if tally.get(f"about_{field}")
                ],
            }
        )
    return sorted(groups.values(), key=lambda group: group["unit"].casefold())
