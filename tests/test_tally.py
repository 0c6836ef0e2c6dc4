"""A search's rows, or a region's, are counted, and grouped by every facet and by
region, in one query (a tally); its counts are exactly those of the per-facet
queries a list of the whole table or of chosen values runs."""

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


def region_param(view) -> str | None:
    """The list's filter by region (everything below it), if it has one."""
    names = view.filterset_class.base_filters
    return next((name for name in ("within", "region") if name in names), None)


def tallied_cases():
    """(list, its parameters) for three searches on every list, and a filter by region,
    alone and with a search, on every list that has one."""
    cases = []
    for view in LIST_VIEWS:
        by_region = region_param(view)
        for name, params in [
            ("Lueyang", {"q": "Lueyang"}),
            ("workshop", {"q": "workshop"}),
            ("临夏", {"q": "临夏"}),
            *([("in-guangxi", {by_region: "guangxi"})] if by_region else []),
            *([("workshop-in-shaanxi", {by_region: "shaanxi", "q": "workshop"})] if by_region else []),
        ]:
            cases.append(pytest.param(view, params, id=f"{view.url_name}-{name}"))
    return cases


@pytest.mark.parametrize(("view", "params"), tallied_cases())
def test_a_tallied_lists_counts_equal_the_per_facet_counts(client, documents, view, params, monkeypatch):
    """A search, or a filter by region (neither the whole table nor chosen values), is tallied."""
    from programs.views import base

    tallies = []
    monkeypatch.setattr(base, "tally", lambda *args: tallies.append(args) or tally(*args))
    response = client.get(reverse(view.url_name), params)
    # every list but the programs' (whose facets count a many-to-many relation) is tallied
    assert len(tallies) == (0 if view.url_name == "programs:program_list" else 1)
    assert response.status_code == 200
    count, facets, steps = shown(response)
    filterset = view.filterset_class(params, queryset=view.queryset.all())
    assert filterset.is_valid()
    counted = filterset.qs.select_related(None).prefetch_related(None).order_by()
    expected_facets = {
        param: [(c.value, c.label, c.count) for c in facet_counts(queryset=counted, field=field, selected=[])]
        for param, field in view.facets.items()
    }
    within = filterset.form.cleaned_data.get(view.cascade.param) if view.cascade else None
    expected_steps = (
        [
            (s.region.slug, s.count)
            for s in region_cascade(queryset=counted, through=view.cascade.through, within=within)
        ]
        if view.cascade
        else None
    )
    assert (count, facets, steps) == (counted.count(), expected_facets, expected_steps)
    if params.get("q") == "workshop" and view.url_name not in ("programs:source_list", "programs:region_list"):
        assert count > 0


def test_every_list_but_the_sources_filters_by_region():
    assert [view.url_name for view in LIST_VIEWS if region_param(view) is None] == ["programs:source_list"]


def test_the_funding_lists_search_is_counted_in_one_query(client, documents, django_assert_num_queries):
    from programs.services import page_cache

    page_cache.bump()  # a write: nothing is kept for the new data version
    # the data version, the tally (count, kind, qualifier, source, recipient region), the regions'
    # paths (for the cascade), the page's ids, its rows, the sources the facet names, the source
    # choices, the provinces of the cascade
    with django_assert_num_queries(8):
        first = client.get(reverse("programs:funding_list"), {"q": "Xiamen"})
    # the next page of the same search reads its counts back: the version, the ids, the rows
    with django_assert_num_queries(3):
        again = client.get(reverse("programs:funding_list"), {"q": "Xiamen", "per_page": 25, "sort": "-amount"})
    assert first.context["table"].paginator.count == again.context["table"].paginator.count > 0
    assert shown(first)[1:] == shown(again)[1:]


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
