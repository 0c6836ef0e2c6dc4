"""Production settings fail loudly without a secret key and pass the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="casebook.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production; there is no default." in result.stderr


@pytest.mark.parametrize("redirect", ["true", "false"])
def test_production_passes_the_deploy_check_with_no_warnings(redirect):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="casebook.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-key-9f8e7d6c5b4a3928171605f4e3d2c1b0aa99",
        DJANGO_ALLOWED_HOSTS="casebook.example.org",
        DJANGO_SECURE_SSL_REDIRECT=redirect,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_malformed_boolean_setting_fails_loudly():
    result = run_manage("check", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false, not 'perhaps'." in result.stderr


@pytest.mark.parametrize("settings_module", ["casebook.settings.local", "casebook.settings.production"])
def test_a_log_line_is_printed_once(settings_module):
    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('django.request').warning('Not Found: /nowhere/')",
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY="a-long-random-production-key-9f8e7d6c5b4a3928171605f4e3d2c1b0aa99",
        DJANGO_DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines().count("Not Found: /nowhere/") == 1


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_32_mb_page_cache(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; cursor = connection.cursor(); "
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], connection.transaction_mode, "
        "cursor.execute('PRAGMA busy_timeout').fetchone()[0], cursor.execute('PRAGMA cache_size').fetchone()[0])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE", "20000", "-32768"]


def test_postgresql_connections_run_without_jit_and_with_in_memory_page_costs_and_keep_their_urls_options():
    # The settings as a process started with these URLs reads them (no connection is made).
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; import json; "
        "print(json.dumps({alias: db.get('OPTIONS', {}) for alias, db in settings.DATABASES.items()}, sort_keys=True))",
        DATABASE_URL="postgres://u@db.example.org:5432/casebook",
        DATABASE_REPLICA_URL="postgres://u@replica.example.org:5432/casebook?sslmode=require",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '{"default": {"options": "-c jit=off -c random_page_cost=1.1"}, '
        '"replica": {"options": "-c jit=off -c random_page_cost=1.1", "sslmode": "require"}}'
    )
    sqlite = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DATABASE_URL="sqlite:///unused.sqlite3",
    )
    assert "jit" not in sqlite.stdout and "init_command" in sqlite.stdout


def test_a_gunicorn_worker_freezes_what_it_holds_once_it_has_warmed_up():
    """Once, after its first requests. (The collector is replaced here: a real
    freeze and unfreeze in the test process would hand objects of earlier tests,
    such as a PostgreSQL server-side cursor, to a collection in a later test.)"""
    import runpy
    from types import SimpleNamespace

    from django.conf import settings

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    calls = []
    fake = SimpleNamespace(collect=lambda: calls.append("collect"), freeze=lambda: calls.append("freeze"))
    config["post_request"].__globals__["gc"] = fake  # the globals the hook reads
    after = config["FREEZE_AFTER_REQUESTS"]
    worker = SimpleNamespace(nr=after - 1)
    config["post_request"](worker, None, {}, None)
    assert calls == []
    worker.nr = after
    config["post_request"](worker, None, {}, None)
    assert calls == ["collect", "freeze"]
    worker.nr = after + 1  # a thread that finished just after: no second freeze
    config["post_request"](worker, None, {}, None)
    assert calls == ["collect", "freeze"]


def test_the_test_suite_waits_a_bounded_time_for_a_lock_on_either_database(db):
    """A statement waiting on a lock fails instead of hanging the suite: after a
    minute on PostgreSQL (lock_timeout), after 20 seconds on SQLite (its busy timeout)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone() == ("1min",)
    else:
        assert connection.settings_dict["OPTIONS"]["timeout"] == 20
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone() == (20000,)


def test_the_test_databases_connection_has_the_engines_read_settings(db):
    """On PostgreSQL no JIT and in-memory page costs; on SQLite a 32 MB page cache."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('jit'), current_setting('random_page_cost')")
            assert cursor.fetchone() == ("off", "1.1")
        else:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone() == (-32768,)
