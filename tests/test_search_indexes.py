"""Free-text search on Chinese names is served by trigram indexes on PostgreSQL."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_search_columns_have_trigram_indexes_on_postgresql_and_none_on_sqlite():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
            indexes = dict(cursor.fetchall())
            assert "workshop_name_zh_trgm" in indexes
            assert "gin_trgm_ops" in indexes["region_name_zh_trgm"]
            assert len(indexes) == 18  # every column listed in migration 0003
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_trgm'")
            assert cursor.fetchall() == []
