"""A list page's checkbox filters are written directly (``programs.forms.choice_boxes``);
they must say exactly what looping over the field's subwidgets in a template says."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.template import Context, Template

from programs.forms import FILTER_FORM_RENDERER, choice_boxes, present_filter_form
from programs.views import LIST_VIEWS

pytestmark = pytest.mark.usefixtures("db", "documents")

# The loop the list template used before, box by box.
LIBRARY = Template(
    "{% for choice in field %}"
    '<input name="{{ field.html_name }}" value="{{ choice.data.value }}" id="{{ choice.id_for_label }}" '
    "{% if choice.data.selected %}checked{% endif %}>"
    '<label for="{{ choice.id_for_label }}">{{ choice.choice_label }}</label>'
    "{% endfor %}"
)
BOX = re.compile(
    r'<input [^>]*?name="([^"]*)" value="([^"]*)" id="([^"]*)" ?(checked)?>\s*<label [^>]*for="([^"]*)">(.*?)</label>'
)


def boxes(html: str) -> list[tuple]:
    return BOX.findall(html)


def checkbox_fields(list_view, query: str = ""):
    filterset = list_view.filterset_class(QueryDict(query), queryset=list_view.queryset.all())
    present_filter_form(filterset.form)
    return [field for field in filterset.form if isinstance(field.field.widget, forms.CheckboxSelectMultiple)]


@pytest.mark.parametrize("list_view", LIST_VIEWS, ids=lambda view: view.__name__)
def test_every_box_is_the_one_the_template_loop_draws(list_view):
    fields = checkbox_fields(list_view)
    assert fields, "every list page has a checkbox filter"
    for field in fields:
        expected = boxes(LIBRARY.render(Context({"field": field})))
        assert len(expected) == len(field.field.choices) > 0
        assert boxes(choice_boxes(field)) == expected
        assert not any(box[3] for box in expected)  # nothing is ticked without a query


def test_ticked_boxes_and_escaped_labels_match_the_template_loop():
    from programs.views.lists import FundingListView

    query = "kind=fiscal&kind=enterprise_investment&qualifier=more_than"
    fields = {field.name: field for field in checkbox_fields(FundingListView, query)}
    for name in ("kind", "qualifier", "source"):
        expected = boxes(LIBRARY.render(Context({"field": fields[name]})))
        assert boxes(choice_boxes(fields[name])) == expected
    ticked = [(box[0], box[1]) for name in fields for box in boxes(choice_boxes(fields[name])) if box[3]]
    assert sorted(ticked) == [("kind", "enterprise_investment"), ("kind", "fiscal"), ("qualifier", "more_than")]
    first = boxes(choice_boxes(fields["kind"]))[0]
    assert first[2] == first[4] == "id_kind_0"


def test_a_label_is_escaped():
    from programs.models import Source
    from programs.views.lists import FundingListView

    Source.objects.filter(slug=Source.objects.order_by("slug").values("slug")[:1]).update(publisher="<b>Bold</b> & co")
    field = next(field for field in checkbox_fields(FundingListView) if field.name == "source")
    html = choice_boxes(field)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co (" in html
    assert "<b>" not in html


@pytest.mark.parametrize("list_view", LIST_VIEWS, ids=lambda view: view.__name__)
@pytest.mark.parametrize("query", ["", "q=%22%3E%3Cb%3E+%26+lüe&region=guangxi&year__gte=x&recipient=%3C"])
def test_every_text_box_is_the_one_the_widget_templates_draw(list_view, query):
    filterset = list_view.filterset_class(QueryDict(query), queryset=list_view.queryset.all())
    present_filter_form(filterset.form)
    filterset.form.is_valid()
    assert filterset.form.renderer is FILTER_FORM_RENDERER
    drawn = [field for field in filterset.form if not isinstance(field.field.widget, forms.CheckboxSelectMultiple)]
    fast = [str(field) for field in drawn]
    assert any(html.startswith('<input type="text" name="q"') for html in fast)
    filterset.form.renderer = DjangoTemplates()
    assert fast == [str(field) for field in drawn]
    if query:
        assert any(' value="&quot;&gt;&lt;b&gt; &amp; lüe"' in html for html in fast)


def test_boolean_attributes_and_localized_numbers_are_drawn_as_the_templates_draw():
    class Boxes(forms.Form):
        name = forms.CharField(disabled=True, widget=forms.TextInput(attrs={"data-off": False, "data-x": "<&>"}))
        amount = forms.DecimalField(localize=True)
        term = forms.CharField(widget=forms.SearchInput)

    # a disabled field shows its initial value (none), not the data; being required, it has an error
    form = Boxes({"name": "a'b", "amount": "1234.5", "term": "\"'"}, renderer=FILTER_FORM_RENDERER)
    fast = [str(field) for field in form]
    assert fast[0] == (
        '<input type="text" name="name" data-x="&lt;&amp;&gt;" required disabled '
        'aria-invalid="true" aria-describedby="id_name_error" id="id_name">'
    )
    form.renderer = DjangoTemplates()
    assert fast == [str(field) for field in form]


@pytest.mark.parametrize("list_view", LIST_VIEWS, ids=lambda view: view.__name__)
def test_a_list_page_reads_its_filter_choices_without_a_server_side_cursor(client, list_view):
    # on PostgreSQL a choice queryset read with iterator() is DECLARE, FETCH and CLOSE
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(list_view.url_name))
    assert response.status_code == 200
    assert response.content.decode().count("filter-choice") > 0
    assert [query["sql"] for query in captured if "CURSOR" in query["sql"]] == []


def test_the_indicator_boxes_come_in_groups_by_unit_below_a_finder():
    from programs.models import Indicator
    from programs.views.lists import OutcomeListView

    field = next(field for field in checkbox_fields(OutcomeListView) if field.name == "indicator")
    html = str(choice_boxes(field))
    assert html.startswith(
        '<input type="search" class="form-control form-control-sm mb-1 choice-finder" aria-label="Find indicator" '
        'placeholder="Find indicator" data-finds="id_indicator-choices">'
    )
    headings = re.findall(r'<div class="choice-group small text-muted mt-2">([^<]*)</div>', html)
    units = Indicator.objects.order_by("unit").values_list("unit", flat=True).distinct()
    assert headings == [dict(Indicator._meta.get_field("unit").choices)[unit] for unit in units]
    # Each heading is followed by its own unit's boxes.
    percent = html.split(">%</div>")[1].split('<div class="choice-group')[0]
    assert sorted(box[1] for box in boxes(percent)) == sorted(
        Indicator.objects.filter(unit="percent").values_list("slug", flat=True)
    )


def test_a_short_list_of_boxes_has_no_finder():
    from programs.views.lists import OutcomeListView

    field = next(field for field in checkbox_fields(OutcomeListView) if field.name == "perspective")
    assert "choice-finder" not in str(choice_boxes(field))


def test_the_figures_lists_show_the_most_used_filters_first():
    from programs.views.lists import FundingListView, OutcomeListView

    outcomes = OutcomeListView.filterset_class(QueryDict(""), queryset=OutcomeListView.queryset.all())
    assert list(outcomes.form.fields)[:7] == [
        "q",
        "region",
        "year__gte",
        "year__lte",
        "perspective",
        "qualifier",
        "indicator",
    ]
    funding = FundingListView.filterset_class(QueryDict(""), queryset=FundingListView.queryset.all())
    assert list(funding.form.fields)[:4] == ["q", "region", "funder", "recipient"]
