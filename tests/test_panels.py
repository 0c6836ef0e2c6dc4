"""Panels are lists: every panel of every detail page, over the documents' whole
data, counts exactly the rows of the list page its "N in all →" links to, and
shows that list's first rows."""

import pytest

from programs.models import Indicator, Pairing, Program, Region, Source, Workshop
from programs.views import (
    IndicatorDetailView,
    PairingDetailView,
    ProgramDetailView,
    RegionDetailView,
    SourceDetailView,
    WorkshopDetailView,
)

pytestmark = pytest.mark.usefixtures("db", "documents")

PAGES = [
    (RegionDetailView, Region),
    (PairingDetailView, Pairing),
    (ProgramDetailView, Program),
    (WorkshopDetailView, Workshop),
    (SourceDetailView, Source),
    (IndicatorDetailView, Indicator),
]


@pytest.mark.parametrize("view, model", PAGES, ids=[model._meta.model_name for _, model in PAGES])
def test_every_panel_counts_and_shows_what_its_linked_list_holds(client, view, model):
    panels_checked, rows_seen = 0, 0
    for record in model.objects.order_by("pk"):
        page = client.get(record.get_absolute_url())
        assert page.status_code == 200, record
        for panel in view.panels:
            shown = page.context[panel.name]
            listed = client.get(shown.url + "&per_page=100").context["table"]
            listed_pks = [row.record.pk for row in listed.page.object_list]
            assert (shown.count, sorted(row.pk for row in shown.rows)) == (
                listed.paginator.count,
                sorted(listed_pks[: len(shown.rows)]) if shown.truncated else sorted(listed_pks),
            ), (record, panel.name, shown.url)
            panels_checked += 1
            rows_seen += shown.count
    assert panels_checked == model.objects.count() * len(view.panels)
    assert rows_seen > 0
