"""Root URLs: the analysts' pages live in ``programs``; editors use the admin."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Casebook editors"
admin.site.site_title = "Casebook admin"
admin.site.index_title = "Poverty-alleviation casebook"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
]

handler404 = "programs.views.not_found"
handler500 = "programs.views.server_error"
