"""An analyst's path through the casebook in a real browser (Playwright driving
Debian's Chromium). Skipped only on a machine without Chromium, never in CI."""

import csv
import io
import os
import re
from pathlib import Path

import pytest

from programs.services import casebook_load

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run).")
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)

# Playwright's sync API runs an event loop in this thread; the ORM calls the test
# makes around it are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


EDITOR_PASSWORD = "a-long-editor-password-for-tests"


@pytest.fixture
def loaded(transactional_db):
    """The documents' data and an editor, made before Playwright starts its event loop:
    ORM calls made while that loop runs would open a second connection that nothing closes."""
    from django.contrib.auth.models import Group, User

    casebook_load()
    editor = User.objects.create_user("browser-editor", password=EDITOR_PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))


@pytest.fixture
def browser(loaded):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A Content-Security-Policy violation is reported on the console as an error. (So is
    # every 4xx answer, as "Failed to load resource"; the tests check statuses themselves.)
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.base = live_server.url
    yield page
    page.wait_for_load_state("networkidle")
    context.close()
    assert errors == [], f"JavaScript errors or CSP violations on the page: {errors}"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_analyst_searches_filters_sorts_follows_a_citation_and_exports(page):
    page.goto(page.base + "/")
    assert page.locator("h1").inner_text() == "Poverty-alleviation casebook"
    shot(page, "home")

    page.fill("#home-search", "Lüeyang")
    page.click("form[role=search] button[type=submit] >> nth=1")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("h2 a", has_text="Workshops:").count() == 1
    shot(page, "search")

    page.goto(page.base + "/workshops/")
    page.fill("#id_region", "shaanxi")
    page.click("text=Apply filters")
    page.wait_for_url("**region=shaanxi**")
    count = int(page.locator("#row-count").get_attribute("data-count"))
    assert count == 8
    shot(page, "workshops-shaanxi")

    page.click("th >> text=Opening year")
    page.wait_for_url("**sort=opening_year**")
    first_year = page.locator("tbody tr >> nth=0").locator("td >> nth=6").inner_text()
    assert first_year == "2018"

    page.click("tbody >> text=Wu Jinquan's earphone workshop")
    page.wait_for_url("**/workshops/wu-jinquan-earphone-workshop/")
    assert "Wu Jinquan" in page.locator("h1").inner_text()
    shot(page, "workshop")

    citation = page.locator(".citation a").first
    source_title = citation.get_attribute("title")
    citation.click()
    page.wait_for_url("**/sources/sixthtone-lueyang-2020/")
    assert page.locator("h1").inner_text() == source_title
    shot(page, "source")

    page.go_back()
    page.wait_for_url("**/workshops/wu-jinquan-earphone-workshop/")
    page.go_back()
    page.wait_for_url("**sort=opening_year**")

    with page.expect_download() as download_info:
        page.click("text=CSV")
    path = download_info.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert len(rows) == count
    assert {row["region"] for row in rows} == {"lueyang"}


def test_a_detail_page_draws_its_charts(page):
    page.goto(page.base + "/regions/lueyang/")
    chart = page.locator("[data-chart]").first
    chart.wait_for()
    # The page's CSP forbids eval, so waits use selectors rather than wait_for_function.
    page.locator("[data-chart][data-drawn=true]").first.wait_for()
    assert chart.locator("canvas").count() == 1
    shot(page, "region-lueyang")
    page.goto(page.base + "/pairings/guangdong-guangxi/")
    shot(page, "pairing-guangdong-guangxi")


def test_the_region_box_suggests_regions_as_you_type(page):
    page.goto(page.base + "/workshops/")
    page.fill("#id_region", "Lin")
    page.locator("#region-options option").first.wait_for(state="attached")
    values = page.eval_on_selector_all("#region-options option", "options => options.map(o => o.value)")
    assert "Linxia" in values


def test_a_name_typed_and_a_suggestion_picked_filter_the_list(page):
    page.goto(page.base + "/workshops/")
    page.fill("#id_program", "lueyang comm")
    page.locator("#program-options option").first.wait_for(state="attached")
    offered = page.eval_on_selector_all("#program-options option", "options => options.map(o => o.value)")
    assert offered == ["Lüeyang community factories"]
    page.fill("#id_program", offered[0])  # what picking the option does to the box
    page.click("text=Apply filters")
    page.locator("#row-count[data-count='8']").wait_for()
    assert "program=L%C3%BCeyang%20community%20factories" in page.url
    assert page.input_value("#id_program") == "Lüeyang community factories"
    # A place typed in Chinese, by its short form, filters to everything in it.
    page.fill("#id_program", "")
    page.fill("#id_region", "临夏州")
    page.click("text=Apply filters")
    page.locator("#row-count[data-count='15']").wait_for()
    assert page.input_value("#id_region") == "临夏州"


def test_the_indicator_boxes_narrow_as_one_types(page):
    page.goto(page.base + "/outcomes/")
    page.fill(".choice-finder", "POVERTY incid")
    visible = page.locator("#id_indicator-choices .form-check:visible")
    assert visible.all_inner_texts() == ["Poverty incidence"]
    headings = page.locator("#id_indicator-choices .choice-group:visible")
    assert headings.all_inner_texts() == ["%"]
    page.fill(".choice-finder", "")
    every = page.locator("#id_indicator-choices .form-check").count()
    assert page.locator("#id_indicator-choices .form-check:visible").count() == every == 59
    page.check("#id_indicator-choices >> text=Poverty incidence")
    page.locator("#row-count[data-count='2']").wait_for()
    assert "indicator=poverty-incidence" in page.url and "choice" not in page.url


# Where a page's own words are (not the documents' words: names, titles, descriptions).
INTERFACE = (
    "nav.navbar, th, legend, label:not(.form-check-label), button, dt, footer, .alert, h2, .breadcrumb-item:first-child"
)
SAME_IN_BOTH = {"CSV", "JSON", "English"}
CHINESE_PAGES = [
    "/zh-hans/",
    "/zh-hans/programs/",
    "/zh-hans/programs/lueyang-community-factories/",
    "/zh-hans/regions/",
    "/zh-hans/regions/linxia/",
    "/zh-hans/pairings/",
    "/zh-hans/pairings/xiamen-linxia/",
    "/zh-hans/workshops/?region=临夏州",
    "/zh-hans/workshops/jihe-xingye-park/",
    "/zh-hans/funding/",
    "/zh-hans/outcomes/",
    "/zh-hans/support-measures/",
    "/zh-hans/sources/",
    "/zh-hans/sources/sixthtone-lueyang-2020/",
    "/zh-hans/indicators/",
    "/zh-hans/indicators/poverty-incidence/",
    "/zh-hans/search/?q=临夏",
    "/zh-hans/workshops/?region=Atlantis",
]


def english_words(page, selector: str = INTERFACE) -> list[str]:
    """Latin words in the page's own text (what a message quotes back, “…”, is the reader's)."""
    texts = page.eval_on_selector_all(selector, "elements => elements.map(e => e.innerText)")
    texts = [re.sub(r"“[^”]*”", "", text) for text in texts]
    return [word for text in texts for word in re.findall(r"[A-Za-z]{2,}", text) if word not in SAME_IN_BOTH]


def test_the_casebook_switched_to_chinese_shows_no_english_interface(page):
    page.goto(page.base + "/workshops/?status=ceased")
    page.click("text=中文")
    page.wait_for_url("**/zh-hans/workshops/?status=ceased")
    assert page.locator("#row-count").get_attribute("data-count") == "1"
    assert page.get_attribute("html", "lang") == "zh-Hans"
    for path in CHINESE_PAGES:
        page.goto(page.base + path)
        assert (path, english_words(page)) == (path, [])
    # And back: the same page in English.
    page.click("text=English")
    page.wait_for_url("**/workshops/?region=Atlantis")
    assert "There is no region “Atlantis” in the casebook." in page.locator(".alert-danger").inner_text()


def test_the_admin_in_chinese(page):
    page.goto(page.base + "/zh-hans/admin/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/zh-hans/admin/")
    for path in ("/zh-hans/admin/", "/zh-hans/admin/programs/region/", "/zh-hans/admin/programs/workshop/"):
        page.goto(page.base + path)
        words = english_words(page, "#content h1, #content-main caption, thead th, #changelist-filter h3, #nav-sidebar")
        assert (path, words) == (path, [])


def test_pages_work_at_phone_width(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/outcomes/?indicator=poverty-incidence")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    shot(page, "outcomes-phone")
    page.wait_for_load_state("networkidle")
    context.close()


def test_filter_changes_with_javascript_add_and_remove_filters_and_show_errors(page):
    page.goto(page.base + "/workshops/?status=ceased")
    assert page.locator("#row-count").get_attribute("data-count") == "1"
    page.uncheck("text=Ceased operating")
    page.locator("#row-count[data-count='34']").wait_for()
    assert "status=" not in page.url
    page.fill("#id_region", "Atlantis")
    page.click("text=Apply filters")
    page.wait_for_selector("text=These filters could not be applied")
    assert "There is no region “Atlantis” in the casebook." in page.locator(".alert-danger").inner_text()
    page.fill("#id_region", "Guangxi")
    page.click("text=Apply filters")
    page.locator("#row-count[data-count='2']").wait_for()


def test_the_filter_form_leaves_empty_fields_out_of_the_url_it_pushes(page):
    page.goto(page.base + "/workshops/")
    page.check("text=Ceased operating")
    page.locator("#row-count[data-count='1']").wait_for()
    query = page.url.split("?", 1)[1]
    # only what was chosen, and the page size the form carries: no "q=&region=&…"
    assert sorted(query.split("&")) == ["per_page=25", "status=ceased"]
    page.fill("#id_opening_year__gte", "2015")
    page.click("text=Apply filters")
    page.wait_for_url("**opening_year__gte=2015**")
    assert sorted(page.url.split("?", 1)[1].split("&")) == ["opening_year__gte=2015", "per_page=25", "status=ceased"]


def test_the_policy_blocks_an_injected_inline_script_and_the_test_sees_it(browser, live_server):
    """The guard every other test relies on: an inline script is refused and reported."""
    context = browser.new_context()
    page = context.new_page()
    reports = []
    page.on("console", lambda message: message.type == "error" and reports.append(message.text))
    page.goto(live_server.url + "/")
    with pytest.raises(sync_api.Error):
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("window.injected === undefined") is True
    assert len(reports) == 1 and "Content Security Policy" in reports[0]
    context.close()


def test_an_editor_works_in_the_admin_under_the_policy(page):
    """Sign in, search a changelist, open a change form with its autocomplete
    widgets, and use the export page's "Select all" box: no CSP violation anywhere."""
    page.goto(page.base + "/admin/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.base + "/admin/programs/funding/?q=guangdong")
    assert page.locator("#result_list tbody tr").count() >= 1
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_url("**/change/**")
    page.click("#id_funder_region + .select2")  # autocomplete: django-admin's select2, loaded from static files
    page.locator(".select2-results__option").first.wait_for()
    page.keyboard.press("Escape")
    shot(page, "admin-funding-change")
    page.goto(page.base + "/admin/programs/funding/export/")
    toggle = page.locator('input[name="select-all-toggle"]')
    fields = page.locator(".selectable-field-export-row input[type=checkbox]")
    assert fields.count() > 5
    toggle.uncheck()
    assert fields.evaluate_all("boxes => boxes.filter(box => box.checked).length") == 0
    toggle.check()
    assert fields.evaluate_all("boxes => boxes.every(box => box.checked)") is True
    page.goto(page.base + "/admin/programs/funding/import/")
    assert page.locator("input[type=file]").count() == 1


def test_the_api_documentation_loads_from_this_site_under_the_policy(page):
    """Swagger UI draws every endpoint of the OpenAPI document, with every file it needs
    served by the casebook itself (no CDN) and no CSP violation (the fixture fails the
    test on any); an endpoint tried from it answers."""
    requested, drawn = [], ".opblock"
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page.base + "/api/docs/")
    page.wait_for_selector(drawn)
    page.wait_for_load_state("networkidle")
    assert page.locator(drawn).count() >= 20
    elsewhere = [url for url in requested if not url.startswith((page.base, "data:", "blob:"))]
    assert elsewhere == []
    assert any(url.endswith("/api/schema/") or "/api/schema/?" in url for url in requested)
    page.locator("#operations-workshops-workshops_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator("#operations-workshops-workshops_list .live-responses-table tr.response .response-col_status")
    status.first.wait_for()
    assert status.first.inner_text().strip() == "200"
