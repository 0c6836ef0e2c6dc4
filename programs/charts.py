"""Chart data for the detail pages, as plain dicts that the template hands to
ECharts through ``json_script``. Figures keep their exact decimal strings;
the hedge travels with each point so the tooltip never drops it."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from programs import formatting


def _number(value: Decimal) -> float | int:
    # Chart positions only: the exact figure is in each point's label.
    return int(value) if value == value.to_integral_value() else float(value)


def outcome_points(outcome) -> list[dict]:
    """Where an outcome sits on its chart: its figure at its year, and its baseline
    at the baseline year; each point labelled with the figure's own text."""
    points = []
    year = outcome.year_end or (outcome.as_of.year if outcome.as_of else None)
    if year:
        points.append({"x": year, "y": _number(outcome.value), "label": outcome.value_text})
    if outcome.baseline_value is not None and outcome.baseline_year:
        points.append(
            {
                "x": outcome.baseline_year,
                "y": _number(outcome.baseline_value),
                "label": _("%(figure)s (baseline)") % {"figure": outcome.baseline_text},
            }
        )
    return [{**point, "source": outcome.source.publisher} for point in points]


def outcome_series(outcomes) -> list[dict]:
    """One chart per indicator that has at least two points in time (baselines
    count), with one series per perspective, so competing accounts sit side by side."""
    by_indicator = defaultdict(list)
    for outcome in outcomes:
        by_indicator[outcome.indicator].append(outcome)
    charts = []
    for indicator, rows in by_indicator.items():
        series = defaultdict(list)
        for outcome in rows:
            series[outcome.get_perspective_display()] += outcome_points(outcome)
        years = {point["x"] for values in series.values() for point in values}
        if sum(len(values) for values in series.values()) >= 2 and len(years) >= 2:
            charts.append(
                {
                    "kind": "line",
                    "title": _("%(indicator)s over time") % {"indicator": indicator},
                    "unit": formatting.UNIT_SUFFIX.get(indicator.unit, "").strip(),
                    "series": [
                        {"name": name, "points": sorted(values, key=lambda point: point["x"])}
                        for name, values in sorted(series.items())
                    ],
                }
            )
    return charts


def funding_bars(funding) -> dict | None:
    """Each funding record as a bar at its period. Records are not summed: the
    sources' totals and their parts would be counted twice."""
    bars = []
    for record in funding:
        if record.currency != "CNY":
            continue
        bars.append(
            {
                "category": formatting.period(record.year_start, record.year_end) or "undated",
                "y": _number(record.amount),
                "label": record.amount_text,
                "name": record.purpose or record.get_kind_display(),
                "source": record.source.publisher,
                "sort": (record.year_end or record.year_start or 9999, record.pk),
            }
        )
    if len(bars) < 2:
        return None
    bars.sort(key=lambda bar: bar["sort"])
    for bar in bars:
        del bar["sort"]
    title = _("Funding records by period (yuan; not summed)")
    return {"kind": "bar", "title": title, "unit": _("yuan"), "bars": bars}
