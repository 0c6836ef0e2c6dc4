"""Load for scripts/loadtest (locust): analysts reading lists, details, search and
exports as fast as the server answers, while two editors each save 50 changes to
funding records through the admin. The run ends when both editors are done, but
not before LOADTEST_SECONDS have passed (locust's --run-time is only a ceiling).

Each editor signs in through the admin's login form, then for each change opens
a funding record's change form, and posts the form back as the browser would,
with its editor's note changed to a marker that names the editor and the change
(``loadtest <editor> change <n>``) so that scripts/loadtest can count what was stored.
"""

import itertools
import os
import random
import re
import time
from html import unescape
from html.parser import HTMLParser

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

CHANGES_PER_EDITOR = int(os.environ.get("LOADTEST_CHANGES", "50"))
EDITORS = os.environ.get("LOADTEST_EDITORS", "loadtest-editor-0,loadtest-editor-1").split(",")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
FUNDING_IDS = [int(pk) for pk in os.environ.get("LOADTEST_FUNDING_IDS", "1").split(",")]
MIN_SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
_editor_names = itertools.cycle(EDITORS)
_finished: set[str] = set()
_started = {"at": time.monotonic()}


@events.test_start.add_listener
def _start_clock(**kwargs):
    _started["at"] = time.monotonic()


LISTS = [
    "/workshops/",
    "/workshops/?region=lueyang&status=ceased",
    "/funding/?region=guangxi&sort=-amount",
    "/outcomes/?indicator=poverty-incidence",
    "/programs/?measure=rent_waiver",
    "/pairings/?start_year__lte=2009",
    "/regions/?level=county",
    "/support-measures/?kind=rent_waiver",
    "/sources/",
]
DETAILS = [
    "/",
    "/regions/lueyang/",
    "/regions/guangxi/",
    "/pairings/guangdong-guangxi/",
    "/pairings/xiamen-linxia/",
    "/programs/jinjie-factory-district/",
    "/workshops/wu-jinquan-earphone-workshop/",
    "/sources/sixthtone-lueyang-2020/",
    "/indicators/poverty-incidence/",
]
SEARCHES = ["/search/?q=Lüeyang", "/search/?q=临夏", "/search/?q=kiwi", "/workshops/?q=shoe"]
EXPORTS = ["/workshops/?export=csv", "/outcomes/?indicator=poverty-incidence&export=json", "/funding/?export=csv"]


class FormFields(HTMLParser):
    """The values a browser would submit from the page's change form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, unescape("".join(self._text)).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


class Analyst(HttpUser):
    """Reads as fast as answers come: lists, details, search and exports."""

    wait_time = constant(0)
    weight = 1

    @task(4)
    def list_page(self):
        self.client.get(random.choice(LISTS), name="list")

    @task(4)
    def detail_page(self):
        self.client.get(random.choice(DETAILS), name="detail")

    @task(2)
    def search(self):
        self.client.get(random.choice(SEARCHES), name="search")

    @task(1)
    def export(self):
        self.client.get(random.choice(EXPORTS), name="export")


class Editor(HttpUser):
    """Signs in, then saves CHANGES_PER_EDITOR changes and stops."""

    fixed_count = len(EDITORS)
    wait_time = constant(0.1)

    def on_start(self):
        self.username = next(_editor_names)
        self.changes = 0
        login = self.client.get("/admin/login/", name="admin login form")
        self._keep_cookies()
        response = self.client.post(
            "/admin/login/?next=/admin/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(login.text)},
            name="admin login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise StopUser(f"{self.username} could not sign in: {response.status_code}")
        self._keep_cookies()

    def _keep_cookies(self):
        # Production cookies are Secure; this test speaks plain HTTP to gunicorn on
        # loopback, so keep sending them as a browser behind the TLS proxy would.
        for cookie in list(self.client.cookies):
            cookie.secure = False

    def _finish(self):
        _finished.add(self.username)
        if _finished >= set(EDITORS):
            # Both editors are done: keep the analysts' load going to the minimum, then stop.
            gevent.sleep(max(0.0, _started["at"] + MIN_SECONDS - time.monotonic()))
            # In a greenlet of its own: quitting stops every user, this one included.
            gevent.spawn(self.environment.runner.quit)
        raise StopUser()

    @task
    def change_a_funding_record(self):
        if self.changes >= CHANGES_PER_EDITOR:
            self._finish()
        self.changes += 1
        # Each editor works on records of their own, so every change can be counted.
        mine = FUNDING_IDS[EDITORS.index(self.username) :: len(EDITORS)]
        pk = mine[self.changes % len(mine)]
        url = f"/admin/programs/funding/{pk}/change/"
        form = self.client.get(url, name="admin change form")
        self._keep_cookies()  # Django sends the CSRF cookie again with every form
        parser = FormFields()
        parser.feed(form.text)
        data = [(name, value) for name, value in parser.fields if name != "note"]
        data.append(("note", f"loadtest {self.username} change {self.changes}"))
        with self.client.post(url, data, name="admin save", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}: {_errors(response.text)}")


def _csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else ""


def _errors(page: str) -> str:
    return "; ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>([^<]+)', page))[:300] or page[:200]
