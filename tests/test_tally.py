"""A search's rows are counted, and grouped by every facet and by region, in one
query (a tally); its counts are exactly those of the per-facet queries a list
without a search runs."""

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from programs.selectors.facets import facet_counts, region_cascade, tallied_columns, tally
from programs.views.lists import LIST_VIEWS

pytestmark = pytest.mark.usefixtures("db")


def shown(response):
    facets = {
        param: [(c.value, c.label, c.count) for c in choices] for _label, param, choices in response.context["facets"]
    }
    cascade = response.context["cascade"]
    steps = [(step.region.slug, step.count) for step in cascade["steps"]] if cascade else None
    return response.context["table"].paginator.count, facets, steps


@pytest.mark.parametrize("view", list(LIST_VIEWS), ids=lambda view: view.url_name)
@pytest.mark.parametrize("query", ["Lueyang", "workshop", "临夏"])
def test_a_searchs_counts_equal_the_per_facet_counts(client, documents, view, query, monkeypatch):
    from programs.views import base

    tallies = []
    monkeypatch.setattr(base, "tally", lambda *args: tallies.append(args) or tally(*args))
    response = client.get(reverse(view.url_name), {"q": query})
    # every list but the programs' (whose facets count a many-to-many relation) is tallied
    assert len(tallies) == (0 if view.url_name == "programs:program_list" else 1)
    assert response.status_code == 200
    count, facets, steps = shown(response)
    filterset = view.filterset_class({"q": query}, queryset=view.queryset.all())
    assert filterset.is_valid()
    counted = filterset.qs.select_related(None).prefetch_related(None).order_by()
    expected_facets = {
        param: [(c.value, c.label, c.count) for c in facet_counts(queryset=counted, field=field, selected=[])]
        for param, field in view.facets.items()
    }
    expected_steps = (
        [(s.region.slug, s.count) for s in region_cascade(queryset=counted, through=view.cascade.through, within=None)]
        if view.cascade
        else None
    )
    assert (count, facets, steps) == (counted.count(), expected_facets, expected_steps)
    if query == "workshop" and view.url_name not in ("programs:source_list", "programs:region_list"):
        assert count > 0


def test_the_funding_lists_search_is_counted_in_one_query(client, documents, django_assert_num_queries):
    # the tally (count, kind, qualifier, source, recipient region), the page's ids, its rows, the
    # sources the facet names, the source choices, the provinces of the cascade, the data version
    # (the regions' paths are kept per data version: + 1 on the first view)
    client.get(reverse("programs:funding_list"), {"q": "Xiamen"})
    with django_assert_num_queries(7):
        response = client.get(reverse("programs:funding_list"), {"q": "Xiamen"})
    assert response.context["table"].paginator.count > 0


def test_a_tally_of_a_hand_built_selection(documents):
    from programs.models import Workshop

    rows = Workshop.objects.filter(region__slug="lueyang")
    columns = tallied_columns(Workshop, ["status", "kind"], "region")
    assert columns == ["status", "kind", "region_id"]
    counted = tally(rows, columns)
    assert counted.count == rows.count()
    assert dict(counted.by_column["status"]) == {
        status: rows.filter(status=status).count() for status in rows.values_list("status", flat=True).distinct()
    }
    assert sum(counted.by_column["region_id"].values()) == counted.count


def test_a_facet_over_a_many_to_many_relation_is_not_tallied():
    from programs.models import Program

    assert tallied_columns(Program, ["approaches", "sources"], None) is None


def _one_value_facets():
    """(list view, its param, a value) for every plain facet of every list whose
    filter is the field's own choice, with each value the documents' data has."""
    from programs.views.base import CasebookListView

    cases = []
    for view in LIST_VIEWS:
        model = view.queryset.model
        for param, field in view.facets.items():
            if model._meta.get_field(field).is_relation:
                continue
            for value, _label in model._meta.get_field(field).flatchoices:
                cases.append(pytest.param(view, param, value, id=f"{view.url_name}-{param}-{value}"))
    assert all(issubclass(view, CasebookListView) for view in LIST_VIEWS)
    return cases


@pytest.mark.parametrize(("view", "param", "value"), _one_value_facets())
def test_a_facet_filtered_to_one_value_shows_the_count_grouping_would(
    client, documents, view, param, value, monkeypatch
):
    """Filtered to one value of its own field, a facet is shown without a query
    of its own: it must say what counting the rows by that field says."""
    from programs.selectors import facets as selectors

    grouped_fields = []
    original = selectors._grouped_counts
    monkeypatch.setattr(
        selectors, "_grouped_counts", lambda queryset, field: grouped_fields.append(field) or original(queryset, field)
    )
    response = client.get(reverse(view.url_name), {param: value})
    assert response.status_code == 200
    assert view.facets[param] not in grouped_fields
    monkeypatch.undo()
    _count, facets, _steps = shown(response)
    filterset = view.filterset_class(MultiValueDict({param: [value]}), queryset=view.queryset.all())
    assert filterset.is_valid()
    counted = filterset.qs.select_related(None).prefetch_related(None).order_by()
    field = view.facets[param]
    grouped = [(c.value, c.label, c.count) for c in facet_counts(queryset=counted, field=field, selected=[value])]
    assert facets[param] == grouped
    assert [count for _value, _label, count in facets[param]] == ([counted.count()] if counted.exists() else [])
