"""The home page, the site-wide search and the suggestions of names: each reads
through the list pages' own declarations."""

from django import forms
from django.http import Http404
from django.shortcuts import render

from programs.selectors.home import home_summary
from programs.selectors.indicators import indicator_index
from programs.selectors.search import SUGGESTED, casebook_search, suggestions

from .lists import LIST_VIEWS


def home(request):
    """The casebook at a glance: counts, the cases and the pairings, and a search box."""
    return render(request, "programs/home.html", home_summary(lists=LIST_VIEWS))


def search(request):
    """Search every kind of record at once; each group links to its filtered list."""
    field = forms.CharField(max_length=200, required=False)
    try:
        query = field.clean(request.GET.get("q", "")).strip()
    except forms.ValidationError as error:
        context = {"query": request.GET.get("q", "")[:200], "errors": error.messages}
        return render(request, "programs/search.html", context, status=400)
    groups = casebook_search(query=query, lists=LIST_VIEWS)
    context = {
        "query": query,
        "groups": groups,
        # Kinds with matches get a section each; the others are named in one line.
        "found": [group for group in groups if group["count"]],
        "not_found": [group["label"] for group in groups if not group["count"]],
    }
    return render(request, "programs/search.html", context)


def indicators(request):
    """Every indicator, grouped by unit: what it measures, how many figures use it and
    what they are about; ``q`` narrows the index by name or definition."""
    field = forms.CharField(max_length=200, required=False)
    try:
        query = field.clean(request.GET.get("q", "")).strip()
    except forms.ValidationError as error:
        context = {"query": request.GET.get("q", "")[:200], "errors": error.messages, "groups": []}
        return render(request, "programs/indicator_list.html", context, status=400)
    groups = indicator_index(query=query)
    context = {"query": query, "groups": groups, "count": sum(len(group["indicators"]) for group in groups)}
    return render(request, "programs/indicator_list.html", context)


def suggest(request, kind: str = "regions"):
    """Names for the boxes that name a record (an htmx partial of <option>s), as one
    types. htmx sends the box's own name (region, donor, program…), so the first
    non-empty parameter is the text typed; text that is not valid gets no options."""
    if kind not in SUGGESTED:
        raise Http404(f"There are no suggestions for “{kind}”.")
    typed = next((value for value in request.GET.values() if value.strip()), "")
    field = forms.CharField(max_length=120, required=False)
    try:
        query = field.clean(typed)
    except forms.ValidationError:
        query = ""
    options = suggestions(kind=kind, query=query)
    return render(request, "programs/partials/suggestions.html", {"options": options})
