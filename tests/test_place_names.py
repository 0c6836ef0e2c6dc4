"""Every name a region goes by: the short-form rule on every region of the
fixtures, pinyin, English level words, editors' aliases, and the names that
records carry kept in step with edits."""

import pytest
import yaml
from django.conf import settings
from django.urls import reverse

from programs.filtersets import FundingFilterSet, ProgramFilterSet, RegionFilterSet, WorkshopFilterSet
from programs.models import Funding, Program, Region, Workshop
from programs.services.place_names import own_names, pinyin, short_forms

from .factories import FundingFactory, ProgramFactory, WorkshopFactory

# Every Chinese name in the fixtures: its customary short forms, longest first, and the
# toneless pinyin of the shortest (陕西 is "shanxi" in pinyin; "Shaanxi" is its English name).
FIXTURE_NAMES = [
    ("中国", [], "zhongguo"),
    ("广西壮族自治区", ["广西"], "guangxi"),
    ("崇左市", ["崇左"], "chongzuo"),
    ("天等县", ["天等"], "tiandeng"),
    ("进结镇", ["进结"], "jinjie"),
    ("百色市", ["百色"], "baise"),
    ("乐业县", ["乐业"], "leye"),
    ("陕西省", ["陕西"], "shanxi"),
    ("汉中市", ["汉中"], "hanzhong"),
    ("略阳县", ["略阳"], "lüeyang"),
    ("江苏省", ["江苏"], "jiangsu"),
    ("南通市", ["南通"], "nantong"),
    ("海安市", ["海安"], "haian"),
    ("广东省", ["广东"], "guangdong"),
    ("深圳市", ["深圳"], "shenzhen"),
    ("山东省", ["山东"], "shandong"),
    ("青岛市", ["青岛"], "qingdao"),
    ("菏泽市", ["菏泽"], "heze"),
    ("曹县", [], "caoxian"),
    ("贵州省", ["贵州"], "guizhou"),
    ("贵阳市", ["贵阳"], "guiyang"),
    ("安顺市", ["安顺"], "anshun"),
    ("镇宁布依族苗族自治县", ["镇宁县", "镇宁"], "zhenning"),
    ("铜仁市", ["铜仁"], "tongren"),
    ("遵义市", ["遵义"], "zunyi"),
    ("黔南布依族苗族自治州", ["黔南州", "黔南"], "qiannan"),
    ("西藏自治区", ["西藏"], "xizang"),
    ("日喀则市", ["日喀则"], "rikaze"),
    ("湖北省", ["湖北"], "hubei"),
    ("宜昌市", ["宜昌"], "yichang"),
    ("夷陵区", ["夷陵"], "yiling"),
    ("福建省", ["福建"], "fujian"),
    ("厦门市", ["厦门"], "xiamen"),
    ("甘肃省", ["甘肃"], "gansu"),
    ("临夏回族自治州", ["临夏州", "临夏"], "linxia"),
    ("临夏县", ["临夏"], "linxia"),
    ("和政县", ["和政"], "hezheng"),
    ("积石山保安族东乡族撒拉族自治县", ["积石山县", "积石山"], "jishishan"),
    ("安集乡", ["安集"], "anji"),
    ("东乡族自治县", ["东乡县", "东乡"], "dongxiang"),
    ("广河县", ["广河"], "guanghe"),
    ("康乐县", ["康乐"], "kangle"),
    ("永靖县", ["永靖"], "yongjing"),
]


@pytest.mark.parametrize(("official", "forms", "romanised"), FIXTURE_NAMES, ids=[row[0] for row in FIXTURE_NAMES])
def test_the_short_forms_and_pinyin_of_every_fixture_region(official, forms, romanised):
    assert short_forms(official) == forms
    assert pinyin((forms or [official])[-1]) == romanised


def test_the_table_names_every_region_of_the_fixtures_with_a_chinese_name():
    regions = yaml.safe_load((settings.BASE_DIR / "fixtures" / "regions.yaml").read_text(encoding="utf-8"))
    assert sorted(region["name_zh"] for region in regions if region["name_zh"]) == sorted(
        official for official, _, _ in FIXTURE_NAMES
    )


def test_a_regions_own_names_in_order():
    assert own_names(name_en="Linxia", name_zh="临夏回族自治州", level="prefecture", aliases="Hezhou\n\n") == [
        "临夏回族自治州",
        "临夏州",
        "临夏",
        "Linxia",
        "Linxia Prefecture",
        "Hezhou",
    ]
    lueyang = own_names(name_en="Lüeyang", name_zh="略阳县", level="county")
    assert lueyang == ["略阳县", "略阳", "Lüeyang", "Lüeyang County"]
    # No Chinese name: the English name, with its level word.
    assert own_names(name_en="Baojia", name_zh="", level="village") == ["Baojia", "Baojia Village"]
    # A province-level autonomous region is "Province" in English, not "District".
    assert own_names(name_en="Guangxi", name_zh="广西壮族自治区", level="province") == [
        "广西壮族自治区",
        "广西",
        "Guangxi",
        "Guangxi Province",
    ]


def found(filterset, model, query):
    key = "slug" if model is not Funding else "key"
    return sorted(filterset({"q": query}, queryset=model.objects.all()).qs.values_list(key, flat=True))


def test_the_names_of_a_region_include_those_above_it_but_not_chinas(places):
    lueyang = Region.objects.get(slug="lueyang")
    assert "hanzhong" in lueyang.names.splitlines() and "shaanxi" in lueyang.names.splitlines()
    assert "china" not in lueyang.names.splitlines()
    assert found(RegionFilterSet, Region, "china") == ["china"]


def test_an_editors_alias_finds_the_region_and_everything_in_it(editor_client, places):
    workshop = WorkshopFactory(slug="in-lueyang", region=places["lueyang"])
    FundingFactory(key="to-lueyang", recipient_region=places["lueyang"])
    assert found(WorkshopFilterSet, Workshop, "Hanzhong Basin") == []
    hanzhong = places["hanzhong"]
    data = {
        "slug": "hanzhong",
        "name_en": "Hanzhong",
        "name_zh": "汉中市",
        "level": "prefecture",
        "parent": hanzhong.parent_id,
        "belt": "",
        "is_poverty_county": "",
        "aliases": "Hanzhong Basin\n汉中盆地",
        "note": "",
    }
    response = editor_client.post(reverse("admin:programs_region_change", args=[hanzhong.pk]), data)
    assert response.status_code == 302
    assert found(WorkshopFilterSet, Workshop, "Hanzhong Basin") == [workshop.slug]
    assert found(FundingFilterSet, Funding, "汉中盆地") == ["to-lueyang"]
    assert found(RegionFilterSet, Region, "hanzhong basin") == ["hanzhong", "lueyang"]
    assert Region.history.filter(slug="hanzhong").latest("history_date").aliases == "Hanzhong Basin\n汉中盆地"


def test_renaming_a_region_renames_it_in_everything_below_and_in_it(places):
    WorkshopFactory(slug="in-lueyang", region=places["lueyang"])
    province = places["shaanxi"]
    province.name_zh = "陕西省"
    province.save()
    assert found(WorkshopFilterSet, Workshop, "陕西") == ["in-lueyang"]
    assert found(RegionFilterSet, Region, "陕西") == ["hanzhong", "lueyang", "shaanxi"]
    province.name_zh = "秦"
    province.save()
    assert found(WorkshopFilterSet, Workshop, "陕西") == []
    assert found(WorkshopFilterSet, Workshop, "秦") == ["in-lueyang"]


def test_moving_a_region_gives_it_and_its_workshops_the_new_places_names(places):
    WorkshopFactory(slug="in-lueyang", region=places["lueyang"])
    lueyang = places["lueyang"]
    lueyang.parent = places["chongzuo"]
    lueyang.save()
    assert found(WorkshopFilterSet, Workshop, "Chongzuo") == ["in-lueyang"]
    assert found(WorkshopFilterSet, Workshop, "Hanzhong") == []


def test_a_program_is_found_by_the_places_it_is_linked_to_as_the_links_change(places):
    program = ProgramFactory(slug="linked")
    assert found(ProgramFilterSet, Program, "Tiandeng") == []
    program.regions.add(places["tiandeng"])
    assert found(ProgramFilterSet, Program, "Tiandeng") == ["linked"]
    assert found(ProgramFilterSet, Program, "Chongzuo") == ["linked"]  # and by the places above it
    places["tiandeng"].programs.clear()  # from the region's side
    assert found(ProgramFilterSet, Program, "Tiandeng") == []
    program.regions.set([places["lueyang"]])
    assert found(ProgramFilterSet, Program, "Tiandeng") == []
    assert found(ProgramFilterSet, Program, "Lüeyang") == ["linked"]


def test_a_workshop_carries_its_programs_name_but_not_the_programs_places(places):
    program = ProgramFactory(slug="linked", name="Tea gardens")
    program.regions.add(places["tiandeng"])
    WorkshopFactory(slug="in-lueyang", region=places["lueyang"], program=program)
    assert found(WorkshopFilterSet, Workshop, "tea gardens lueyang") == ["in-lueyang"]
    assert found(WorkshopFilterSet, Workshop, "Tiandeng") == []
    program.name = "Kiwi orchards"
    program.save()
    assert found(WorkshopFilterSet, Workshop, "kiwi orchards") == ["in-lueyang"]
    assert found(WorkshopFilterSet, Workshop, "tea gardens") == []


@pytest.mark.parametrize(
    ("official", "forms"),
    [
        ("新疆维吾尔自治区", ["新疆"]),  # the people without 族
        ("伊犁哈萨克自治州", ["伊犁州", "伊犁"]),
        ("察布查尔锡伯自治县", ["察布查尔县", "察布查尔"]),
        ("博尔塔拉蒙古自治州", ["博尔塔拉州", "博尔塔拉"]),
        ("内蒙古自治区", ["内蒙古"]),  # 蒙古 is its name, not a people after one
        ("浦东新区", ["浦东"]),
        ("神农架林区", ["神农架"]),
    ],
)
def test_short_forms_beyond_the_fixtures(official, forms):
    assert short_forms(official) == forms


def test_moving_a_prefecture_moves_the_names_of_everything_below_it(places):
    WorkshopFactory(slug="in-lueyang", region=places["lueyang"])
    hanzhong = places["hanzhong"]
    hanzhong.parent = places["guangxi"]
    hanzhong.save()
    assert found(WorkshopFilterSet, Workshop, "Guangxi") == ["in-lueyang"]
    assert found(WorkshopFilterSet, Workshop, "Shaanxi") == []
    assert found(RegionFilterSet, Region, "guangxi") == ["chongzuo", "guangxi", "hanzhong", "lueyang", "tiandeng"]


def test_deleting_a_program_takes_its_name_out_of_what_carried_it(places):
    program = ProgramFactory(slug="going", name="Tea gardens")
    WorkshopFactory(slug="in-lueyang", region=places["lueyang"], program=program)
    FundingFactory(key="for-tea", program=program, recipient_region=places["lueyang"])
    assert found(WorkshopFilterSet, Workshop, "tea gardens") == ["in-lueyang"]
    assert found(FundingFilterSet, Funding, "tea gardens") == ["for-tea"]
    program.delete()
    assert found(WorkshopFilterSet, Workshop, "tea gardens") == []
    assert found(FundingFilterSet, Funding, "tea gardens") == []
    assert found(WorkshopFilterSet, Workshop, "lueyang") == ["in-lueyang"]


def test_deleting_a_region_linked_to_a_program_takes_its_names_out_of_the_program(places):
    program = ProgramFactory(slug="linked")
    program.regions.add(places["tiandeng"])
    assert found(ProgramFilterSet, Program, "Tiandeng") == ["linked"]
    places["tiandeng"].delete()
    assert found(ProgramFilterSet, Program, "Tiandeng") == []
