"""Test settings: fast password hashing and plain static storage, so the live
server used by browser tests needs no collectstatic manifest."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-test-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests never collect static files; whitenoise finds them through the finders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The live server used by browser tests runs in its own thread; persistent
# connections there would keep the test database open at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Pages are drawn afresh unless a test turns the page cache on (test_page_cache.py).
PAGE_CACHE_SECONDS = 0
# The API's rates are far above what the suite sends from its one address, unless a
# test sets them (test_api.py).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
}
# Exports are drawn afresh unless a test keeps them (test_export_files.py).
EXPORT_FILES_DIR = None

# On PostgreSQL a statement that waits more than a minute for a lock fails, naming
# itself, instead of hanging the suite (no test waits on a lock for that long).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"]["options"] += " -c lock_timeout=60s"
