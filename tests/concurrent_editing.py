"""Editors saving at the same time through the admin, with readers browsing, on
a SQLite file: run by tests/test_concurrency.py in a process of its own, since
the test suite's in-memory SQLite database locks differently from a file.

Usage: DATABASE_URL=sqlite:///<file> python tests/concurrent_editing.py EDITORS SAVES READERS
[--django-defaults]  (the last flag drops the casebook's SQLite options, to see what they fix)

Prints one JSON object: saves attempted, saves answered with a redirect (stored),
other answers, errors raised, and the history rows written.
"""

import json
import os
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings.test")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # the host name of Django's test client


def main(editors: int, saves: int, readers: int, django_defaults: bool) -> dict:
    import django
    from django.conf import settings

    if django_defaults:
        settings.DATABASES["default"]["OPTIONS"] = {}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User

    from programs.models import Approach

    users = []
    for number in range(editors):
        user = User.objects.create_user(f"editor{number}", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        users.append(user)
    approaches = [Approach.objects.create(slug=f"approach-{n}", name=f"Approach {n}") for n in range(editors)]
    history_before = Approach.history.count()
    results: Counter = Counter()
    errors: list[str] = []
    done = threading.Event()
    lock = threading.Lock()

    def record(key: str, error: str | None = None) -> None:
        with lock:
            results[key] += 1
            if error:
                errors.append(error)

    def edit(user, approach) -> None:
        from django.db import connection
        from django.test import Client

        client = Client(raise_request_exception=False)
        client.force_login(user)
        url = f"/admin/programs/approach/{approach.pk}/change/"
        for number in range(saves):
            data = {"slug": approach.slug, "name": f"{approach.name}, edit {number + 1}", "description": ""}
            try:
                response = client.post(url, data)
                record("stored" if response.status_code == 302 else f"status {response.status_code}")
            except Exception as error:  # counted, so that the report shows what went wrong
                record("raised", f"{type(error).__name__}: {error}")
        connection.close()

    def read() -> None:
        from django.db import connection
        from django.test import Client

        client = Client(raise_request_exception=False)
        pages = ("/", "/programs/", "/workshops/", "/search/?q=approach")
        while not done.is_set():
            for page in pages:
                status = client.get(page).status_code
                record("read" if status == 200 else f"read status {status}")
        connection.close()

    editor_threads = [threading.Thread(target=edit, args=pair) for pair in zip(users, approaches, strict=True)]
    reader_threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in (*reader_threads, *editor_threads):
        thread.start()
    for thread in editor_threads:
        thread.join()
    done.set()
    for thread in reader_threads:
        thread.join()
    names = sorted(Approach.objects.values_list("name", flat=True))
    return {
        "attempted": editors * saves,
        "stored": results["stored"],
        "other": {key: count for key, count in results.items() if key not in ("stored", "read")},
        "errors": errors[:5],
        "history_rows_written": Approach.history.count() - history_before,
        "final_names": names,
        "reads": results["read"],
    }


if __name__ == "__main__":
    editors, saves, readers = (int(value) for value in sys.argv[1:4])
    print(json.dumps(main(editors, saves, readers, "--django-defaults" in sys.argv)))
