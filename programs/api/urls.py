"""``/api/v1/``: one endpoint per kind of record (list and detail), the OpenAPI
document at ``/api/schema/`` and Swagger UI at ``/api/docs/``, served from this site
(drf-spectacular-sidecar), never a CDN, its script in a file of its own (the site's
Content-Security-Policy allows no inline script). (Redoc is not offered: it fetches
fonts and a logo from other sites and starts a worker from a blob, which the policy refuses.)"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .serializers import ENDPOINTS
from .views import VIEWSETS

app_name = "api"

# No ".json" twin of every address: JSON is the only format, and one pattern per name lets
# programs.links build the records' addresses without reversing each.
router = DefaultRouter()
router.include_format_suffixes = False
for model_name, viewset in VIEWSETS.items():
    router.register(ENDPOINTS[model_name], viewset, basename=model_name)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
