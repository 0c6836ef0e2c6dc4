"""The links a list page builds from its own URL (facet choices, the region
cascade, rows per page, exports): the current query with one change, back to the
first page, encoded as Django's ``QueryDict.urlencode()`` encodes it."""

import pytest
from django.template import Context
from django.test import RequestFactory

from programs.templatetags.casebook import query_with, query_with_param, toggle_param

QUERY = "q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan&page=3&export=csv&region="


@pytest.fixture
def context():
    return Context({"request": RequestFactory().get(f"/funding/?{QUERY}")})


def djangos(query: str, change) -> str:
    """What copying the request's QueryDict, changing it and encoding it gives."""
    params = RequestFactory().get(f"/funding/?{query}").GET.copy()
    for key in ("page", "export"):
        params.pop(key, None)
    change(params)
    return "?" + params.urlencode() if params else "?"


def test_a_parameter_set_or_replaced_keeps_the_others_in_order(context):
    assert query_with(context, per_page=100) == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan&region=&per_page=100"
    assert query_with(context, export="csv") == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan&region=&export=csv"
    assert (
        query_with_param(context, "region", "guangxi") == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan&region=guangxi"
    )
    assert query_with_param(context, "region", None) == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan"
    assert query_with(context, per_page=100) == djangos(QUERY, lambda p: p.__setitem__("per_page", 100))


def test_a_choice_is_added_or_taken_out_and_each_link_starts_from_the_page_itself(context):
    assert toggle_param(context, "kind", "loan") == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&region="
    assert toggle_param(context, "kind", "grant") == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan&kind=grant&region="
    # the first link's change did not carry over to the second
    assert toggle_param(context, "kind", "loan") == "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&region="
    assert toggle_param(context, "source", "a&b c") == (
        "?q=%E8%BD%A6%E9%97%B4+x&kind=fiscal&kind=loan&region=&source=a%26b+c"
    )
    assert toggle_param(context, "source", "a&b c") == djangos(QUERY, lambda p: p.setlist("source", ["a&b c"]))


def test_a_page_with_nothing_but_its_page_number_links_to_a_bare_query():
    context = Context({"request": RequestFactory().get("/funding/?page=2")})
    assert query_with_param(context, "region", None) == "?"
    assert toggle_param(context, "kind", "fiscal") == "?kind=fiscal"


def test_the_facet_and_cascade_links_as_drawn():
    from types import SimpleNamespace

    from programs.selectors.facets import CascadeStep, FacetChoice
    from programs.templatetags.casebook import cascade_links, facet_links

    context = Context({"request": RequestFactory().get("/workshops/?status=ceased&region=hanzhong&page=2")})
    facets = [
        (
            "Status",
            "status",
            [FacetChoice("ceased", "Ceased", 2, True), FacetChoice("operating", "<Operating>", 1, False)],
        ),
        ("Kind", "kind", []),
    ]
    assert facet_links(context, facets) == (
        '<div class="mb-3 small">\n<div><span class="fw-semibold">Status:</span>\n'
        '<a href="?region=hanzhong" class="fw-bold" aria-current="true">Ceased</a> '
        '<span class="facet-count text-muted">2</span> · \n'
        '<a href="?status=ceased&amp;status=operating&amp;region=hanzhong" class="">&lt;Operating&gt;</a> '
        '<span class="facet-count text-muted">1</span>\n</div>\n</div>'
    )
    assert facet_links(context, [("Kind", "kind", [])]) == ""
    region = lambda slug, name: SimpleNamespace(slug=slug, name_en=name, local_name=name)  # noqa: E731
    cascade = {
        "param": "region",
        "within": region("hanzhong", "Hanzhong"),
        "ancestors": [region("shaanxi", "Shaanxi")],
        "steps": [CascadeStep(region("lueyang", "Lüeyang"), 2), CascadeStep(region("a&b", "A & B"), 1)],
    }
    assert cascade_links(context, cascade) == (
        '<nav class="mb-2 small" aria-label="Narrow by region">\n<span class="fw-semibold">By region:</span>\n'
        '<a href="?status=ceased&amp;region=shaanxi">Shaanxi</a> › <strong>Hanzhong</strong> '
        '(<a href="?status=ceased">any region</a>) ›\n'
        '<a href="?status=ceased&amp;region=lueyang">Lüeyang</a> <span class="facet-count text-muted">2</span> · \n'
        '<a href="?status=ceased&amp;region=a%26b">A &amp; B</a> <span class="facet-count text-muted">1</span>\n</nav>'
    )
    top = {"param": "region", "within": None, "ancestors": [], "steps": [CascadeStep(region("shaanxi", "Shaanxi"), 3)]}
    assert cascade_links(context, top) == (
        '<nav class="mb-2 small" aria-label="Narrow by region">\n<span class="fw-semibold">By region:</span>\n'
        '<a href="?status=ceased&amp;region=shaanxi">Shaanxi</a> <span class="facet-count text-muted">3</span>\n</nav>'
    )
