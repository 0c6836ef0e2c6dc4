"""A list page declared the way DEVELOPERS.md says, for tests/test_lists.py: one
declaration and one URL line, against an existing model."""

from django.contrib import admin
from django.urls import include, path

from programs import languages
from programs.exports import columns
from programs.filtersets import WorkshopFilterSet
from programs.selectors.lists import workshop_list
from programs.tables import WorkshopTable
from programs.views.base import Cascade, CasebookListView


class ClosedWorkshopListView(CasebookListView):
    queryset = workshop_list().filter(status="ceased")
    filterset_class = WorkshopFilterSet
    table_class = WorkshopTable
    export_columns = columns("slug", "name", "region.slug", "closing_year")
    url_name = "closed_workshops"
    facets = {"kind": "kind", "ownership": "ownership"}
    cascade = Cascade(through="region")


urlpatterns = [
    path("language/", languages.switch, name="switch_language"),
    path("closed-workshops/", ClosedWorkshopListView.as_view(), name="closed_workshops"),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
]
