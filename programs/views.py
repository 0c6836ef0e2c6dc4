"""The analysts' pages. Views are wiring: each calls one selector."""

from django.shortcuts import render

from programs import selectors


def home(request):
    """The casebook at a glance: how many records of each kind it holds."""
    return render(request, "programs/home.html", {"counts": selectors.casebook_counts()})
