"""Production settings: no default secret key, HTTPS-only cookies and HSTS.

The casebook is expected to run behind a TLS-terminating proxy that sets
``X-Forwarded-Proto``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env_bool, env_list

try:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
except KeyError as exc:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production; there is no default.") from exc
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must not be empty.")

DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front append to X-Forwarded-For (login throttling counts by
# the client address they saw); one TLS-terminating proxy unless told otherwise.
CASEBOOK_TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "1"))
# The proxy in front normally redirects HTTP to HTTPS; the app does it too
# unless the operator says the proxy already does (DJANGO_SECURE_SSL_REDIRECT=false).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# When SECURE_SSL_REDIRECT is switched off because the proxy redirects, the
# deploy check's warning about it cannot apply.
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "INFO"}}
