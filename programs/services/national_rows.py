"""The rows ``programs.services.national`` writes: one generator of tuples per
table, drawn from a seeded ``random.Random``. Ids are chosen here so that
later tables can refer to earlier rows without reading them back."""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from programs.choices import Unit
from programs.models import Funding, Outcome, Pairing, Program, Region, Source, SupportMeasure, Workshop

TOUCHED_MODELS = (Source, Region, Pairing, Program, Workshop, Funding, Outcome, SupportMeasure)

# China's 31 province-level divisions: slug, English name, Chinese name, economic belt.
PROVINCES = (
    ("beijing", "Beijing", "北京市", "east"),
    ("tianjin", "Tianjin", "天津市", "east"),
    ("hebei", "Hebei", "河北省", "east"),
    ("shanxi", "Shanxi", "山西省", "central"),
    ("inner-mongolia", "Inner Mongolia", "内蒙古自治区", "west"),
    ("liaoning", "Liaoning", "辽宁省", "east"),
    ("jilin", "Jilin", "吉林省", "central"),
    ("heilongjiang", "Heilongjiang", "黑龙江省", "central"),
    ("shanghai", "Shanghai", "上海市", "east"),
    ("jiangsu", "Jiangsu", "江苏省", "east"),
    ("zhejiang", "Zhejiang", "浙江省", "east"),
    ("anhui", "Anhui", "安徽省", "central"),
    ("fujian", "Fujian", "福建省", "east"),
    ("jiangxi", "Jiangxi", "江西省", "central"),
    ("shandong", "Shandong", "山东省", "east"),
    ("henan", "Henan", "河南省", "central"),
    ("hubei", "Hubei", "湖北省", "central"),
    ("hunan", "Hunan", "湖南省", "central"),
    ("guangdong", "Guangdong", "广东省", "east"),
    ("guangxi", "Guangxi", "广西壮族自治区", "west"),
    ("hainan", "Hainan", "海南省", "east"),
    ("chongqing", "Chongqing", "重庆市", "west"),
    ("sichuan", "Sichuan", "四川省", "west"),
    ("guizhou", "Guizhou", "贵州省", "west"),
    ("yunnan", "Yunnan", "云南省", "west"),
    ("tibet", "Tibet", "西藏自治区", "west"),
    ("shaanxi", "Shaanxi", "陕西省", "west"),
    ("gansu", "Gansu", "甘肃省", "west"),
    ("qinghai", "Qinghai", "青海省", "west"),
    ("ningxia", "Ningxia", "宁夏回族自治区", "west"),
    ("xinjiang", "Xinjiang", "新疆维吾尔自治区", "west"),
)
# Syllables that made-up place names are built from: pinyin and character.
SYLLABLES = (
    ("an", "安"),
    ("ping", "平"),
    ("kang", "康"),
    ("ning", "宁"),
    ("fu", "富"),
    ("shun", "顺"),
    ("xing", "兴"),
    ("long", "隆"),
    ("tai", "泰"),
    ("he", "和"),
    ("yong", "永"),
    ("qing", "庆"),
    ("chang", "昌"),
    ("feng", "丰"),
    ("hua", "华"),
    ("jin", "金"),
    ("shan", "山"),
    ("shui", "水"),
    ("yun", "云"),
    ("bai", "白"),
    ("hong", "红"),
    ("lin", "林"),
    ("song", "松"),
    ("jiang", "江"),
    ("hu", "湖"),
    ("dong", "东"),
    ("xi", "西"),
    ("nan", "南"),
    ("bei", "北"),
    ("zhong", "中"),
    ("yang", "阳"),
    ("de", "德"),
    ("ren", "仁"),
    ("yi", "义"),
    ("zhi", "智"),
    ("xin", "信"),
    ("shou", "寿"),
    ("xiang", "祥"),
    ("rui", "瑞"),
    ("cheng", "城"),
    ("chuan", "川"),
    ("yuan", "源"),
    ("gu", "谷"),
    ("ling", "岭"),
    ("tian", "天"),
    ("guang", "光"),
    ("ming", "明"),
    ("wen", "文"),
    ("wu", "武"),
    ("shi", "石"),
)
INDUSTRIES = (
    ("garments", "服装"),
    ("electronics", "电子"),
    ("footwear", "制鞋"),
    ("toys", "玩具"),
    ("tea", "茶叶"),
    ("handicrafts", "手工艺"),
    ("food processing", "食品加工"),
    ("bamboo weaving", "竹编"),
    ("wigs", "假发"),
    ("textiles", "纺织"),
    ("furniture", "家具"),
    ("mushrooms", "食用菌"),
)
THEMES = (
    ("workshops", "Poverty-Alleviation Workshops Programme", "扶贫车间项目"),
    ("industrial-park", "Industrial Park Programme", "产业园项目"),
    ("labour-transfer", "Labour Transfer Programme", "劳务输出项目"),
    ("relocation", "Relocation and Employment Programme", "易地搬迁就业项目"),
    ("cooperatives", "Agricultural Cooperatives Programme", "农业合作社项目"),
)
QUALIFIERS = (
    ("exact", 70),
    ("more_than", 12),
    ("about", 8),
    ("nearly", 3),
    ("at_least", 3),
    ("up_to", 2),
    ("less_than", 2),
)
FUNDING_KINDS = (
    ("fiscal", 40),
    ("social_donation", 15),
    ("material_donation", 5),
    ("enterprise_investment", 15),
    ("loan", 8),
    ("subsidy", 10),
    ("waiver", 3),
    ("mixed", 4),
)
# What funding was for, in English with the Chinese term.
PURPOSES = (
    "workshop construction (车间建设)",
    "vocational training (职业培训)",
    "road building (道路建设)",
    "drinking water (饮水工程)",
    "housing relocation (易地搬迁)",
    "industrial park (产业园区)",
    "school buildings (校舍建设)",
    "medical equipment (医疗设备)",
    "tea plantations (茶园)",
    "consumption campaigns (消费扶贫)",
)
PERSPECTIVES = (("official", 60), ("media", 25), ("enterprise", 8), ("expert", 4), ("participant", 3))
WORKSHOP_STATUSES = (
    ("operating", 70),
    ("ceased", 12),
    ("built_not_opened", 5),
    ("under_construction", 5),
    ("planned", 3),
    ("unknown", 5),
)
WORKSHOP_KINDS = (
    ("workshop", 60),
    ("community_factory", 20),
    ("enterprise_plant", 8),
    ("base", 6),
    ("industrial_park", 3),
    ("factory_district", 1),
    ("project", 2),
)
OWNERSHIPS = (("private", 60), ("state_owned", 8), ("government", 10), ("mixed", 7), ("collective", 10), ("unknown", 5))
MEASURE_KINDS = (
    "rent_waiver",
    "utilities_waiver",
    "loan",
    "tax_benefit",
    "hiring_allowance",
    "minimum_wage",
    "social_insurance",
    "training",
    "one_time_reward",
    "equipment_subsidy",
    "transport",
    "dormitory",
)
MEASURE_UNITS = ("cny_per_month", "percent", "cny", "people")

SOURCE_COLUMNS = [
    "id",
    "slug",
    "title",
    "publisher",
    "published_year",
    "kind",
    "language",
    "url",
    "file_name",
    "summary",
    "note",
]
REGION_COLUMNS = ["id", "slug", "name_en", "name_zh", "level", "parent_id", "path", "belt", "is_poverty_county", "note"]
PAIRING_COLUMNS = [
    "id",
    "slug",
    "donor_id",
    "recipient_id",
    "level",
    "framework",
    "parent_id",
    "start_year",
    "end_year",
    "description",
    "note",
]
PROGRAM_COLUMNS = [
    "id",
    "slug",
    "name",
    "name_zh",
    "summary",
    "implementer",
    "year_start",
    "year_end",
    "lessons",
    "challenges",
    "note",
]
WORKSHOP_COLUMNS = [
    "id",
    "slug",
    "name",
    "name_zh",
    "kind",
    "region_id",
    "program_id",
    "pairing_id",
    "operator",
    "ownership",
    "industry",
    "products",
    "opening_year",
    "closing_year",
    "status",
    "description",
    "note",
]
CITED = ["source_id", "locator", "key", "note", "qualifier"]
FUNDING_COLUMNS = [
    *CITED,
    "amount",
    "amount_max",
    "currency",
    "usd_amount",
    "is_annual",
    "year_start",
    "year_end",
    "funder_region_id",
    "funder_organisation",
    "recipient_region_id",
    "pairing_id",
    "program_id",
    "workshop_id",
    "kind",
    "purpose",
]
OUTCOME_COLUMNS = [
    *CITED,
    "indicator_id",
    "unit",
    "value",
    "value_max",
    "year_start",
    "year_end",
    "as_of",
    "baseline_value",
    "baseline_qualifier",
    "baseline_year",
    "region_id",
    "pairing_id",
    "program_id",
    "workshop_id",
    "perspective",
    "attributed_to",
    "description",
]
MEASURE_COLUMNS = [
    *CITED,
    "kind",
    "beneficiary",
    "description",
    "value",
    "value_max",
    "unit",
    "program_id",
    "workshop_id",
]


@dataclass
class Place:
    pk: int
    slug: str
    name_en: str
    name_zh: str
    path: str
    belt: str
    parent: "Place | None" = None


@dataclass
class State:
    """The random generator and the ids of what has been generated so far."""

    rng: random.Random
    sources: list[int] = field(default_factory=list)
    provinces: list[Place] = field(default_factory=list)
    prefectures: list[Place] = field(default_factory=list)
    counties: list[Place] = field(default_factory=list)
    counties_of: dict[int, list[Place]] = field(default_factory=dict)
    next_region: int = 0
    slugs: set[str] = field(default_factory=set)
    # (pk, donor id, recipient id) of every generated pairing
    pairings: list[tuple[int, int, int]] = field(default_factory=list)
    program_county: dict[int, Place] = field(default_factory=dict)
    # (pk, region id, program id) of every generated workshop
    workshops: list[tuple[int, int, int | None]] = field(default_factory=list)
    last: Place | None = None
    _cumulative: dict = field(default_factory=dict)

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def weighted(self, choices):
        """One of (value, weight) pairs, drawn in proportion to the weights."""
        if choices not in self._cumulative:
            values = [value for value, _ in choices]
            self._cumulative[choices] = (values, list(accumulate(weight for _, weight in choices)))
        values, cumulative = self._cumulative[choices]
        return self.rng.choices(values, cum_weights=cumulative)[0]

    @property
    def workshop_ids(self) -> list[int]:
        return [pk for pk, _, _ in self.workshops]

    def name(self) -> tuple[str, str, str]:
        """A made-up place name: slug stem, English name, Chinese name (without level word)."""
        (py1, zh1), (py2, zh2) = self.pick(SYLLABLES), self.pick(SYLLABLES)
        return f"{py1}{py2}", f"{py1.capitalize()}{py2}", f"{zh1}{zh2}"

    def unique_slug(self, stem: str) -> str:
        number = len(self.slugs) + 1
        while f"{stem}-{number}" in self.slugs:
            number += 1
        self.slugs.add(f"{stem}-{number}")
        return f"{stem}-{number}"


def sources(ids: list[int], prefix: str) -> Iterator[tuple]:
    for number, pk in enumerate(ids, start=1):
        yield (
            pk,
            f"{prefix}{number:02d}",
            f"Synthetic national-scale data, part {number} (generated; not a real document)",
            "Casebook generator (generate_national)",
            2026,
            "official_release",
            "none (generated)",
            "",
            "",
            "Made-up records for trying the casebook at national scale. Nothing in it is a real figure.",
            "Generated by manage.py generate_national.",
        )


def provinces(state: State, existing: dict, china: Region, *, first_id: int, note: str) -> Iterator[tuple]:
    state.slugs |= set(existing)
    pk = first_id
    for slug, name_en, name_zh, belt in PROVINCES:
        if slug in existing:
            state.provinces.append(Place(existing[slug][0], slug, name_en, name_zh, existing[slug][1], belt))
            continue
        path = f"{china.path}{slug}/"
        state.provinces.append(Place(pk, slug, name_en, name_zh, path, belt))
        yield (pk, slug, name_en, name_zh, "province", china.pk, path, belt, None, note)
        pk += 1
    state.next_region = pk


def prefectures(state: State, count: int, *, note: str) -> Iterator[tuple]:
    for number in range(count):
        province = state.provinces[number % len(state.provinces)]
        yield _child(state, province, "prefecture", "市", note=note, poverty=None)
        state.prefectures.append(state.last)


def counties(state: State, count: int, *, note: str) -> Iterator[tuple]:
    for number in range(count):
        prefecture = state.prefectures[number % len(state.prefectures)]
        poor = state.rng.random() < (0.45 if prefecture.belt == "west" else 0.12)
        yield _child(state, prefecture, "county", "区" if state.rng.random() < 0.1 else "县", note=note, poverty=poor)
        state.counties.append(state.last)
        state.counties_of.setdefault(prefecture.pk, []).append(state.last)


def _child(state: State, parent: Place, level: str, suffix: str, *, note: str, poverty) -> tuple:
    stem, name_en, name_zh = state.name()
    slug = state.unique_slug(stem)
    place = Place(state.next_region, slug, name_en, name_zh + suffix, f"{parent.path}{slug}/", parent.belt, parent)
    state.next_region += 1
    state.last = place
    return (place.pk, slug, name_en, place.name_zh, level, parent.pk, place.path, place.belt, poverty, note)


def pairings(state: State, count: int, each: int, *, first_id: int) -> list[tuple]:
    """Prefecture-level East–West pairings, each with ``each`` county pairings below it."""
    east = [p for p in state.prefectures if p.belt == "east" and state.counties_of.get(p.pk)]
    west = [p for p in state.prefectures if p.belt == "west" and state.counties_of.get(p.pk)]
    made, result, pk = set(), [], first_id
    while len(result) < count * (1 + each) and len(made) < len(east) * len(west):
        donor, recipient = state.pick(east), state.pick(west)
        if (donor.pk, recipient.pk) in made:
            continue
        made.add((donor.pk, recipient.pk))
        start = state.rng.randint(1996, 2017)
        parent_pk = pk
        result.append(_pairing(state, pk, donor, recipient, "prefecture", None, start))
        pk += 1
        for _ in range(each):
            county_donor = state.pick(state.counties_of[donor.pk])
            county_recipient = state.pick(state.counties_of[recipient.pk])
            result.append(_pairing(state, pk, county_donor, county_recipient, "county", parent_pk, start))
            pk += 1
    return result


def _pairing(state: State, pk, donor: Place, recipient: Place, level: str, parent, start: int) -> tuple:
    state.pairings.append((pk, donor.pk, recipient.pk))
    end = None if state.rng.random() < 0.5 else state.rng.randint(start, 2020)
    slug = state.unique_slug(f"{donor.slug}-{recipient.slug}"[:70])
    description = f"Synthetic {level}-level East–West pairing: {donor.name_en} supports {recipient.name_en}."
    return (pk, slug, donor.pk, recipient.pk, level, "east_west", parent, start, end, description)


def programs(state: State, count: int, *, first_id: int, note: str) -> Iterator[tuple]:
    poor = [c for c in state.counties if c.belt != "east"] or state.counties
    for pk in range(first_id, first_id + count):
        county = state.pick(poor)
        slug_part, name_en, name_zh = state.pick(THEMES)
        state.program_county[pk] = county
        start = state.rng.randint(2013, 2019)
        yield (
            pk,
            state.unique_slug(f"{county.slug}-{slug_part}"),
            f"{county.name_en} {name_en}",
            f"{county.name_zh}{name_zh}",
            f"Synthetic program in {county.name_en}: {name_en.lower()}.",
            f"{county.name_en} County Government",
            start,
            state.rng.randint(start, 2020),
            "",
            "",
            note,
        )


def program_links(state: State, approaches: list[int]) -> dict[str, list[tuple[int, int]]]:
    links: dict[str, list[tuple[int, int]]] = {"approaches": [], "regions": [], "pairings": [], "sources": []}
    for pk, county in state.program_county.items():
        for approach in state.rng.sample(approaches, state.rng.randint(1, 3)):
            links["approaches"].append((pk, approach))
        links["regions"].append((pk, county.pk))
        if state.rng.random() < 0.3:
            links["pairings"].append((pk, state.pick(state.pairings)[0]))
        links["sources"].append((pk, state.pick(state.sources)))
    return links


def workshops(state: State, count: int, *, first_id: int, note: str) -> Iterator[tuple]:
    programs_ = list(state.program_county.items())
    rng = state.rng
    for pk in range(first_id, first_id + count):
        program, county = state.pick(programs_) if rng.random() < 0.6 else (None, state.pick(state.counties))
        pairing = state.pick(state.pairings)[0] if rng.random() < 0.3 else None
        industry, industry_zh = state.pick(INDUSTRIES)
        status = state.weighted(WORKSHOP_STATUSES)
        opened = rng.randint(2014, 2020) if status not in ("planned", "under_construction") else None
        closed = rng.randint(opened, 2021) if status == "ceased" and opened else None
        state.workshops.append((pk, county.pk, program))
        yield (
            pk,
            state.unique_slug(f"{county.slug}-workshop"),
            f"{county.name_en} {industry} workshop no. {pk}",
            f"{county.name_zh}{industry_zh}扶贫车间{pk}号",
            state.weighted(WORKSHOP_KINDS),
            county.pk,
            program,
            pairing,
            f"{county.name_en} {industry} company",
            state.weighted(OWNERSHIPS),
            industry,
            industry,
            opened,
            closed,
            status,
            "",
            note,
        )


def funding(state: State, count: int) -> Iterator[tuple]:
    rng, sources_ = state.rng, state.sources
    for number in range(count):
        source = sources_[number % len(sources_)]
        amount = _round(int(10 ** rng.uniform(4, 9)))
        start = rng.randint(2012, 2020) if rng.random() < 0.9 else None
        end = min(2020, start + rng.choice((0, 0, 1, 2, 3))) if start else None
        funder, organisation, recipient, pairing, program, workshop = _funding_parties(state)
        yield (
            source,
            f"generated row {number + 1}",
            f"funding-{number + 1:07d}",
            "",
            state.weighted(QUALIFIERS),
            amount,
            amount * 3 // 2 if rng.random() < 0.03 else None,
            "CNY",
            Decimal(amount * 10 // 71) if rng.random() < 0.02 else None,
            rng.random() < 0.1,
            start,
            end,
            funder,
            organisation,
            recipient,
            pairing,
            program,
            workshop,
            state.weighted(FUNDING_KINDS),
            state.pick(PURPOSES),
        )


def _funding_parties(state: State) -> tuple:
    """Funder region, funder organisation, recipient region, pairing, program, workshop."""
    draw = state.rng.random()
    if draw < 0.5:
        pairing, donor, recipient = state.pick(state.pairings)
        return donor, "", recipient, pairing, None, None
    if draw < 0.7:
        workshop, region, program = state.pick(state.workshops)
        return None, "Enterprise investors (synthetic)", region, None, program, workshop
    county = state.pick(state.counties)
    return county.parent.parent.pk, "", county.pk, None, None, None


def outcomes(state: State, count: int, indicators: list[tuple[int, Unit]]) -> Iterator[tuple]:
    rng, sources_ = state.rng, state.sources
    for number in range(count):
        indicator, unit = state.pick(indicators)
        value = _value(rng, unit)
        end = rng.randint(2014, 2021)
        baseline = _value(rng, unit) if rng.random() < 0.2 else None
        region, pairing, program, workshop = _outcome_subject(state)
        yield (
            sources_[number % len(sources_)],
            f"generated row {number + 1}",
            f"outcome-{number + 1:07d}",
            "",
            state.weighted(QUALIFIERS),
            indicator,
            unit.value,
            value,
            None,
            end - rng.randint(0, 2),
            end,
            None,
            baseline,
            "exact",
            end - rng.randint(1, 4) if baseline is not None else None,
            region,
            pairing,
            program,
            workshop,
            state.weighted(PERSPECTIVES),
            "",
            "Synthetic outcome",
        )


def _outcome_subject(state: State) -> tuple:
    """Region, pairing, program, workshop: at least one of them."""
    draw = state.rng.random()
    if draw < 0.5:
        return state.pick(state.counties).pk, None, None, None
    if draw < 0.7:
        workshop, region, program = state.pick(state.workshops)
        return region, None, program, workshop
    if draw < 0.85:
        return None, None, state.pick(list(state.program_county)), None
    return None, state.pick(state.pairings)[0], None, None


def measures(state: State, count: int) -> Iterator[tuple]:
    rng, programs_ = state.rng, list(state.program_county)
    for number in range(count):
        unit = state.pick(MEASURE_UNITS) if rng.random() < 0.5 else ""
        program, workshop = (
            (state.pick(programs_), None) if rng.random() < 0.4 else (None, state.pick(state.workshops)[0])
        )
        yield (
            state.sources[number % len(state.sources)],
            f"generated row {number + 1}",
            f"measure-{number + 1:06d}",
            "",
            "exact",
            state.pick(MEASURE_KINDS),
            state.pick(("enterprise", "worker", "household")),
            "Synthetic support measure",
            _value(rng, Unit(unit)) if unit else None,
            None,
            unit,
            program,
            workshop,
        )


def _value(rng: random.Random, unit: Unit) -> Decimal:
    if unit == Unit.PERCENT:
        return Decimal(rng.randint(0, 1000)) / 10
    return Decimal(_round(int(10 ** rng.uniform(0, 6))))


def _round(number: int) -> int:
    """Three significant figures, as amounts are usually reported."""
    digits = len(str(number))
    return number if digits <= 3 else round(number, 3 - digits)
