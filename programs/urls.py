"""The analysts' pages, each named: ``programs:<model>_list`` and ``programs:<model>_detail``."""

from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("suggest/regions/", views.suggest, name="region_suggest"),
    path("suggest/<slug:kind>/", views.suggest, name="suggest"),
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/<slug:slug>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("workshops/", views.WorkshopListView.as_view(), name="workshop_list"),
    path("workshops/<slug:slug>/", views.WorkshopDetailView.as_view(), name="workshop_detail"),
    path("funding/", views.FundingListView.as_view(), name="funding_list"),
    path("funding/<int:pk>/", views.FundingDetailView.as_view(), name="funding_detail"),
    path("outcomes/", views.OutcomeListView.as_view(), name="outcome_list"),
    path("outcomes/<int:pk>/", views.OutcomeDetailView.as_view(), name="outcome_detail"),
    path("support-measures/", views.SupportMeasureListView.as_view(), name="supportmeasure_list"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("indicators/", views.indicators, name="indicator_list"),
    path("indicators/<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
]
