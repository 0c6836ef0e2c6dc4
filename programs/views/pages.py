"""The home page, the site-wide search and the region suggestions: each reads
through the list pages' own declarations."""

from django import forms
from django.shortcuts import render

from programs.selectors.home import home_summary
from programs.selectors.search import casebook_search, region_suggestions

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


def region_suggest(request):
    """Region names for the autocomplete boxes (an htmx partial of <option>s).
    htmx sends the box's own name (region, donor, within…), so the first
    non-empty parameter is the text typed; text that is not valid gets no options."""
    typed = next((value for value in request.GET.values() if value.strip()), "")
    field = forms.CharField(max_length=60, required=False)
    try:
        query = field.clean(typed)
    except forms.ValidationError:
        query = ""
    return render(request, "programs/partials/region_options.html", {"regions": region_suggestions(query=query)})
