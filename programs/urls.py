from django.urls import path

from programs import views

app_name = "programs"

LISTS = (
    ("programs/", "program"),
    ("regions/", "region"),
    ("pairings/", "pairing"),
    ("workshops/", "workshop"),
    ("funding/", "funding"),
    ("outcomes/", "outcome"),
    ("support-measures/", "supportmeasure"),
    ("sources/", "source"),
)
DETAILS = (
    ("programs/<slug:slug>/", "program", "slug"),
    ("regions/<slug:slug>/", "region", "slug"),
    ("pairings/<slug:slug>/", "pairing", "slug"),
    ("workshops/<slug:slug>/", "workshop", "slug"),
    ("funding/<int:pk>/", "funding", "pk"),
    ("outcomes/<int:pk>/", "outcome", "pk"),
    ("sources/<slug:slug>/", "source", "slug"),
    ("indicators/<slug:slug>/", "indicator", "slug"),
)

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("suggest/regions/", views.region_suggest, name="region_suggest"),
    *(path(route, views.list_view(name), name=f"{name}_list") for route, name in LISTS),
    *(path(route, views.detail_view(name, lookup), name=f"{name}_detail") for route, name, lookup in DETAILS),
]
