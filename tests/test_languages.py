"""The casebook in English and Simplified Chinese: the language is the URL's, the
front page sends a newcomer to the language of their browser, the switcher goes to
the same page in the other language, and in Chinese the interface, the messages and
the figures read in Chinese while the documents' words stay as they are."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from programs.models import Region

pytestmark = pytest.mark.usefixtures("db", "documents")


def test_every_page_has_a_chinese_address_and_keeps_its_language_in_its_links(client):
    english = client.get("/workshops/", {"region": "linxia"}).content.decode()
    chinese = client.get("/zh-hans/workshops/", {"region": "linxia"}).content.decode()
    assert '<html lang="en">' in english and "Apply filters" in english
    assert '<html lang="zh-Hans">' in chinese and "应用筛选" in chinese and "Apply filters" not in chinese
    # Links from a Chinese page stay in Chinese: a permalink keeps its language.
    assert 'href="/zh-hans/workshops/jihe-xingye-park/"' in chinese
    assert 'href="/zh-hans/regions/' in chinese and 'href="/regions/' not in chinese
    # The documents' words are not translated.
    assert "Xiamen–Linxia Jihe Xingye industrial park" in chinese


def test_a_region_shows_its_chinese_name_first_in_chinese(client):
    page = client.get("/zh-hans/regions/lueyang/").content.decode()
    assert '<h1 class="h3">略阳县 <span class="text-muted">Lüeyang</span></h1>' in page
    assert (
        '<h1 class="h3">Lüeyang <span class="text-muted">略阳县</span></h1>'
        in client.get("/regions/lueyang/").content.decode()
    )
    lueyang = Region.objects.get(slug="lueyang")
    with translation.override("zh-hans"):
        assert str(lueyang) == "略阳县 (Lüeyang)"
    with translation.override("en"):
        assert str(lueyang) == "Lüeyang (略阳县)"


def test_figures_read_in_chinese_with_their_hedges_and_scales():
    from programs import formatting

    with translation.override("zh-hans"):
        assert formatting.money(30_000_000, qualifier="more_than") == "超过3,000万元"
        assert formatting.money(3_680_000_000) == "36.8亿元"
        assert formatting.figure(500, qualifier="about", unit="people") == "约500"
        assert formatting.figure(2000, upper=3000, unit="cny_per_month") == "2,000–3,000元/月"
        assert formatting.period(2017, None) == "2017年起"
    with translation.override("en"):
        assert formatting.money(30_000_000, qualifier="more_than") == "more than 30 million yuan"


def test_a_bad_filter_is_explained_in_chinese(client):
    response = client.get("/zh-hans/workshops/", {"region": "Atlantis", "per_page": "7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法应用以下筛选条件：" in page
    assert "案例库中没有地区“Atlantis”。" in page
    assert "每页行数须为 25, 50, 100 之一，而不是“7”。" in page


def test_a_missing_record_is_a_404_in_chinese(client):
    response = client.get("/zh-hans/regions/atlantis/")
    assert response.status_code == 404
    assert "案例库中没有这个地区。" in response.content.decode()


def test_the_front_page_sends_a_newcomer_to_their_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert (response.status_code, response["Location"]) == (302, "/zh-hans/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").status_code == 200
    # Any other page keeps the language of its address, whatever the browser says.
    assert client.get("/workshops/", HTTP_ACCEPT_LANGUAGE="zh-CN").status_code == 200
    assert client.get("/workshops/", HTTP_ACCEPT_LANGUAGE="zh-CN")["Content-Language"] == "en"


def test_the_switcher_goes_to_the_same_page_in_the_other_language_and_remembers(client):
    switch = reverse("switch_language")
    response = client.get(switch, {"to": "zh-hans", "next": "/workshops/?status=ceased&region=lueyang"})
    assert (response.status_code, response["Location"]) == (302, "/zh-hans/workshops/?status=ceased&region=lueyang")
    assert response.cookies["django_language"].value == "zh-hans"
    # Having chosen English, a Chinese browser's front page stays in English.
    response = client.get(switch, {"to": "en", "next": "/zh-hans/regions/lueyang/"})
    assert response["Location"] == "/regions/lueyang/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").status_code == 200


def test_the_switcher_refuses_to_send_anyone_elsewhere(client):
    response = client.get(reverse("switch_language"), {"to": "zh-hans", "next": "https://evil.example/"})
    assert response["Location"] == "/zh-hans/"
    response = client.get(reverse("switch_language"), {"to": "klingon", "next": "/workshops/"})
    assert response["Location"] == "/workshops/"


def test_every_page_shows_a_link_to_itself_in_the_other_language(client):
    english = client.get("/workshops/", {"status": "ceased"}).content.decode()
    assert 'href="/language/?to=zh-hans&amp;next=/workshops/%3Fstatus%3Dceased">中文</a>' in english
    chinese = client.get("/zh-hans/workshops/", {"status": "ceased"}).content.decode()
    assert 'href="/language/?to=en&amp;next=/zh-hans/workshops/%3Fstatus%3Dceased">English</a>' in chinese


def test_the_admin_is_in_chinese_under_its_chinese_address(admin_client):
    page = admin_client.get("/zh-hans/admin/programs/region/").content.decode()
    assert "地区" in page and "选择" in page  # our names and Django's own words
    form = admin_client.get(f"/zh-hans/admin/programs/region/{Region.objects.get(slug='lueyang').pk}/change/")
    assert "英文名" in form.content.decode() and "其他名称" in form.content.decode()


def test_an_export_from_a_chinese_page_names_its_columns_in_chinese(client):
    english = client.get("/workshops/", {"region": "hezheng", "export": "csv"})
    chinese = client.get("/zh-hans/workshops/", {"region": "hezheng", "export": "csv"})
    english_lines = b"".join(english.streaming_content).decode("utf-8-sig").splitlines()
    chinese_lines = b"".join(chinese.streaming_content).decode("utf-8-sig").splitlines()
    assert english_lines[0].startswith("slug,name,name_zh,kind,region,region_path,operator,ownership,")
    assert chinese_lines[0].startswith("标识,名称,中文名,类型,地区,地区 路径,经营方,所有制,")
    # The rows themselves are the same data either way.
    assert chinese_lines[1:] == english_lines[1:] and len(english_lines) > 2


def test_the_switcher_never_sends_anyone_to_another_host_by_a_double_slash(client):
    for target in ("https://testserver//evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.get(reverse("switch_language"), {"to": "zh-hans", "next": target})
        assert response["Location"] == "/zh-hans/", target


def test_the_front_page_keeps_its_query_and_stays_when_english_is_asked_for(client):
    response = client.get("/", {"q": "x"}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response["Location"] == "/zh-hans/?q=x"
    assert client.get("/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="zh-CN").status_code == 200


def test_the_chinese_admin_is_neither_cached_nor_read_from_a_replica():
    from django.test import RequestFactory

    from casebook import routers
    from programs.services import page_cache

    factory = RequestFactory()
    seen = {}

    def view(request):
        seen["reads"] = routers.analyst_read.get()
        from django.http import HttpResponse

        return HttpResponse("")

    for path in ("/admin/programs/region/", "/zh-hans/admin/programs/region/"):
        routers.AnalystReadsMiddleware(view)(factory.get(path))
        assert seen["reads"] is False, path
        assert page_cache._cacheable_request(factory.get(path)) is False, path
    routers.AnalystReadsMiddleware(view)(factory.get("/zh-hans/workshops/"))
    assert seen["reads"] is True


def test_an_export_streamed_from_a_chinese_page_writes_its_figures_in_chinese(client):
    rows = b"".join(client.get("/zh-hans/support-measures/", {"export": "csv"}).streaming_content).decode("utf-8-sig")
    english = b"".join(client.get("/support-measures/", {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert "元/月" in rows and "元/月" not in english
    assert "yuan a month" in english and "yuan a month" not in rows


def test_indicators_and_approaches_have_chinese_names_shown_in_chinese(client):
    """The casebook's own vocabulary (not the documents' words) has Chinese names: every
    indicator and approach the fixtures define, shown first in the Chinese interface."""
    from programs.models import Approach, Indicator

    for model in (Indicator, Approach):
        names = list(model.objects.values_list("name_zh", flat=True))
        assert len(names) > 10
        assert all(re.fullmatch(r"[\u4e00-\u9fff（）]+|GDP[\u4e00-\u9fff]+", name) for name in names), names
        assert len(set(names)) == len(names)
    page = client.get("/zh-hans/indicators/poverty-incidence/").content.decode()
    assert '<h1 class="h3">贫困发生率 <span class="text-muted">Poverty incidence</span></h1>' in page
    assert '<h1 class="h3">Poverty incidence</h1>' in client.get("/indicators/poverty-incidence/").content.decode()
    outcomes = client.get("/zh-hans/outcomes/").content.decode()
    assert re.search(r'value="poverty-incidence" id="(id_indicator_\d+)" >\s*<label[^>]*>贫困发生率</label>', outcomes)
    program = client.get("/zh-hans/programs/xiamen-linxia-collaboration/").content.decode()
    assert '?approach=east-west-pairing">东西部协作</a>' in program
