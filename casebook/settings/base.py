"""Settings shared by every environment.

Values that differ between machines come from ``DJANGO_``-prefixed environment
variables and ``DATABASE_URL``; the purpose-specific modules (``local``,
``test``, ``production``) set their own defaults on top of these.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no environment variable; anything unrecognised fails loudly."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable into a list."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "programs",
]

MIDDLEWARE = [
    # First: a load balancer's probe over plain HTTP, by the backend's address.
    "programs.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language the URL names (before the page cache, which keys pages by their URL).
    "programs.languages.UrlLanguageMiddleware",
    # An anonymous reader's repeated page, exact after every write (programs.services.page_cache).
    "programs.services.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Lets the analysts' pages read from a replica database, when there is one.
    "casebook.routers.AnalystReadsMiddleware",
    # Records which user made each change, for the admin's history pages.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that cannot be reached is a 503 with Retry-After, never a 500.
    "programs.middleware.DatabaseUnavailableMiddleware",
    # The casebook's own 404 page, even with DEBUG on: never the URL patterns.
    "programs.middleware.PlainNotFoundMiddleware",
    # Last, as django-axes asks: refuses a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

# Whole public pages for anonymous readers, per worker, keyed by the data
# version so that every write makes them stale (programs.services.page_cache).
# With several hosts, point "pages" at a shared cache (Redis, memcached) or keep
# it per process: either way a page is never older than the last write.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_ALIAS = "pages"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The first ids and totals of the region pages' panels, and the counts of lists
    # filtered by chosen values, per data version (aggregates.APART_CACHE_ALIAS, used by
    # programs.views.base.Panel.kept and programs.selectors.facets.kept): a few hundred bytes each.
    "panels": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "casebook-panels",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # The total, facet counts and region cascade of a search, a range or a region, per data version
    # (aggregates.TALLY_CACHE_ALIAS, used by programs.selectors.facets.tally): a count per
    # value of each facet and per region counted, up to about 150 KB pickled (a region
    # list over the whole country: a path per region), so few are kept (at most ~30 MB).
    "tallies": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "casebook-tallies",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "casebook-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# A large export (a list's ?export=csv or json) is kept on disk for the data version
# it was drawn from and sent as a file while no write has happened
# (programs.services.export_files); each host keeps its own. Empty turns it off.
EXPORT_FILES_DIR = os.environ.get("DJANGO_EXPORT_FILES_DIR", str(BASE_DIR / "var" / "exports")) or None
EXPORT_FILES_MIN_BYTES = int(os.environ.get("DJANGO_EXPORT_FILES_MIN_BYTES", str(1 << 20)))
EXPORT_FILES_MAX = int(os.environ.get("DJANGO_EXPORT_FILES_MAX", "20"))

ROOT_URLCONF = "casebook.urls"
WSGI_APPLICATION = "casebook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# An unset or empty DATABASE_URL means the embedded SQLite file. Persistent
# connections are checked before reuse, so a restarted database costs no request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors saving at once: write-ahead logging lets readers carry on
    # during a write, IMMEDIATE transactions take the write lock at BEGIN (so a
    # transaction never fails half-way on "database is locked"), and the busy
    # timeout makes a writer wait its turn instead of failing. Each connection keeps up
    # to 32 MB of the file's pages (SQLite's default is 2 MB): at national scale a
    # search or an export read through the default cache pushed out the pages a region
    # page reads, which then took 128 ms instead of 72.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;",
    }
# PostgreSQL compiles a costly query's plan to machine code first (JIT): at national
# scale that added about half a second to pages whose queries take milliseconds once
# indexes serve them. A web page's queries are short, so it is off for the casebook.
# And its planner assumes by default that reading a page at random costs four times
# reading the next one (random_page_cost = 4, for spinning disks): at national scale
# it then joined a page's 100 funding records to whole tables of regions, programs and
# pairings read end to end (10.7 ms) rather than looking each up by its key (2.0 ms).
# The casebook's tables fit in memory or on SSDs, where 1.1 is the usual setting.
# (Options given in the URL come on top; behind pgbouncer, which refuses startup
# options unless told to ignore them, use ALTER ROLE … SET for both instead.)
POSTGRESQL_OPTIONS = {"options": "-c jit=off -c random_page_cost=1.1"}


def with_postgresql_options(database: dict) -> dict:
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["OPTIONS"] = {**POSTGRESQL_OPTIONS, **database.get("OPTIONS", {})}
    return database


with_postgresql_options(DATABASES["default"])
# A read replica (PostgreSQL streaming replication, for instance): the analysts'
# pages read from it, every write and the admin use the primary (casebook/routers.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = with_postgresql_options(
        {
            **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True),
            "TEST": {"MIRROR": "default"},
        }
    )
DATABASE_ROUTERS = ["casebook.routers.ReadReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface in English and Simplified Chinese; the language is the URL's
# (/zh-hans/… is Chinese), so that a permalink keeps it (programs.languages).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json + lock) at setup time and are
# served locally; only their built files are exposed, under static/vendor/.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Login throttling (django-axes): five wrong passwords in a row for one user name
# from one address lock that pair out for 15 minutes. Locking by the pair, not by
# the name alone, keeps a stranger from locking an editor out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
# The address a sign-in comes from, read through the proxies in front (programs.security).
AXES_CLIENT_IP_CALLABLE = "programs.security.client_ip"
CASEBOOK_TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))

# Content-Security-Policy (django-csp): scripts and everything else only from
# this site, never inline; chart data travels in JSON script elements, which do
# not run. Inline *styles* stay allowed: the admin's, django-import-export's and
# ECharts' own markup carry style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-import-export (who may import or export is programs.admin.EditorPermissionsMixin's to say).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False


# One console handler on the root logger. Django's own "django" logger gets no
# handler of its own here (its default one would print every line a second time
# on the way up to the root).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": [], "propagate": True}},
}


# The REST API (programs/api): JSON only, read by anyone, throttled per address for
# anonymous readers; editors write with a token (Authorization: Token <key>) under
# exactly their admin permissions. Rates: DJANGO_API_ANON_RATE and DJANGO_API_USER_RATE
# ("<number>/<second|minute|hour|day>"); the count is kept per worker process in the
# default cache (point it at a shared cache to count across workers and hosts).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["programs.api.permissions.AdminPermissions"],
    "DEFAULT_THROTTLE_CLASSES": [
        "programs.api.throttles.AnonymousRate",
        "programs.api.throttles.EditorRate",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE", "120/minute"),
        "user": os.environ.get("DJANGO_API_USER_RATE", "1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "programs.api.schema.CasebookSchema",
    "EXCEPTION_HANDLER": "programs.api.errors.exception_handler",
    # No ?format=: a parameter the API does not know is an error, as on the pages.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The client's address as the sign-in lockout reads it (behind DJANGO_TRUSTED_PROXIES).
    "NUM_PROXIES": CASEBOOK_TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casebook API",
    "DESCRIPTION": (
        "Poverty-alleviation programs in China, their places, pairings, workshops and every "
        "figure with its source, locator and hedge. The list endpoints take the filters, "
        "search (q) and sorts of the casebook's list pages, with the same parameter names."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The qualifier of a figure and of its baseline are one set of hedges.
    "ENUM_NAME_OVERRIDES": {"QualifierEnum": "programs.choices.Qualifier"},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
