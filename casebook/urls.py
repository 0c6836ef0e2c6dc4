"""Root URLs: the analysts' pages live in ``programs``; editors use the admin; both in
English and, under /zh-hans/, in Chinese."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from programs import languages

admin.site.site_header = _("Casebook editors")
admin.site.site_title = _("Casebook admin")
admin.site.index_title = _("Poverty-alleviation casebook")

# Every page in English at its plain address and in Chinese under /zh-hans/.
urlpatterns = [
    path("language/", languages.switch, name="switch_language"),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("api/", include("programs.api.urls")),
        path("", include("programs.urls")),
        prefix_default_language=False,
    ),
]

handler404 = "programs.views.not_found"
handler500 = "programs.views.server_error"
