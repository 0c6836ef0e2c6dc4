"""The benchmark's in-process half (scripts/bench runs it with the casebook's
settings and a DATABASE_URL): ``prepare`` signs a benchmark admin in and finds
the records the pages are about; ``queries`` counts the SQL queries each URL
runs; ``write`` changes the data version as any write does (so that the next
view of every page computes its counts over whole tables afresh). Prints JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.production")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programs.models import Funding, Outcome, Pairing, Program, Region, SupportMeasure, Workshop  # noqa: E402

BENCH_USER = "bench-admin"


def prepare() -> dict:
    user, _ = User.objects.get_or_create(username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    pairing = Pairing.objects.annotate(n=Count("funding")).order_by("-n", "slug").first()
    program = Program.objects.annotate(n=Count("workshops")).order_by("-n", "slug").first()
    county = Region.objects.filter(level="county").annotate(n=Count("funding_received")).order_by("-n", "slug").first()
    province = Region.objects.get(slug="guangxi")
    return {
        "session": client.cookies["sessionid"].value,
        "pairing": pairing.slug,
        "pairing_funding": pairing.n,
        "program": program.slug,
        "county": county.slug,
        "county_id": county.pk,
        "county_path": county.path,
        "province": province.slug,
        "province_path": province.path,
        "funding_id": Funding.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "outcome_id": Outcome.objects.order_by("-pk").values_list("pk", flat=True).first(),
        # A workshop whose panels all have rows at both scales (funding, outcomes, support
        # measures), so that its page runs the same queries on both.
        "workshop": Workshop.objects.filter(
            pk__in=Funding.objects.values("workshop"),
        )
        .filter(pk__in=Outcome.objects.values("workshop"))
        .filter(pk__in=SupportMeasure.objects.values("workshop"))
        .order_by("-pk")
        .values_list("slug", flat=True)
        .first(),
        **deep_pages(Funding.objects.count(), per_page=100),
    }


def deep_pages(count: int, *, per_page: int) -> dict:
    """Page 500 and the last page of funding, and for Datasette's keyset paging
    the id of the row before each (funding in id order)."""
    last_page = -(-count // per_page)
    ids = Funding.objects.order_by("pk").values_list("pk", flat=True)
    before = {page: ids[(page - 1) * per_page - 1] for page in (500, last_page) if 1 < page <= last_page}
    return {
        "funding_count": count,
        "last_page": last_page,
        "next_before": before,
        "api_cursors": api_cursors(ids, count),
    }


def api_cursors(ids, count: int) -> dict:
    """The API's cursors (funding in id order) to the 10,000th row and to the last page's
    first row, as its ``next`` links give them."""
    from programs.api.pagination import encode

    rows = {"10,000": 10_000, "last": max(count - 99, 2)}
    return {name: encode("", [ids[row - 2]]) for name, row in rows.items() if 1 < row <= count}


def queries(urls: list[str]) -> dict:
    # Timed as they are: the admin by a signed-in editor, the analysts' pages by a reader.
    editor, reader = Client(), Client()
    editor.force_login(User.objects.get(username=BENCH_USER))
    counts = {}
    for url in urls:
        client = editor if url.startswith("/admin/") else reader
        # A repeated view, as the timed ones are: the counts over whole tables the
        # first view after a write computes are read back (``services.aggregates``).
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, secure=True)
                if response.streaming:
                    for _ in zip(range(3), response.streaming_content, strict=False):
                        pass
        counts[url] = len(captured) if response.status_code == 200 else f"status {response.status_code}"
    return counts


def write() -> dict:
    from programs.services import page_cache

    page_cache.bump()
    return {"version": page_cache.current()}


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare()))
    elif sys.argv[1] == "write":
        print(json.dumps(write()))
    else:
        print(json.dumps(queries(json.load(sys.stdin))))
