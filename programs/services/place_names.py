"""Every name people use for a region, derived by rule from its official names.

A region's official Chinese name carries its level word and, for an autonomous
area, the peoples it is autonomous for: 临夏回族自治州 is "Linxia, autonomous
for the Hui, a prefecture". People write it 临夏州 or just 临夏, and type it
as "Linxia" or "linxia". :func:`own_names` lists all of these for one region:

- the official Chinese name and its customary short forms (:func:`short_forms`:
  广西壮族自治区 → 广西; 积石山保安族东乡族撒拉族自治县 → 积石山县 → 积石山;
  略阳县 → 略阳, but 曹县 stays whole: one character is not a name);
- the English name, and the English name with its level word ("Lüeyang County");
- toneless pinyin of the shortest Chinese form, written together ("lüeyang",
  "linxia"), from pypinyin;
- the aliases editors add in the admin, one per line.

The search index stores them folded (case and accents: "Lueyang" is "Lüeyang").
"""

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

# The 55 recognised minority peoples, as they appear in the names of autonomous areas.
PEOPLES = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]
_PEOPLE = "|".join(sorted((people + "族" for people in PEOPLES), key=len, reverse=True))
# Peoples of two characters or more, longest first: they may stand in a name without 族.
LONG_PEOPLES = sorted((people for people in PEOPLES if len(people) >= 2), key=len, reverse=True)
# Base name, the peoples (any number, possibly none), "autonomous", the level word.
AUTONOMOUS = re.compile(rf"(?P<base>.+?)(?:{_PEOPLE})*自治(?P<level>区|州|县|旗)")
# Level words of ordinary areas, longest first (地区 before 区).
LEVEL_WORDS = ("特别行政区", "地区", "新区", "林区", "省", "市", "盟", "州", "县", "区", "旗", "镇", "乡", "村")

# The English word for a region's level, by the level word of its Chinese name.
ENGLISH_LEVEL_WORDS = {
    "省": "Province",
    "市": "City",
    "地区": "Prefecture",
    "新区": "New Area",
    "林区": "Forestry District",
    "自治区": "",  # Guangxi is a province-level region: "Guangxi Province", from its level
    "州": "Prefecture",
    "盟": "League",
    "县": "County",
    "区": "District",
    "旗": "Banner",
    "镇": "Town",
    "乡": "Township",
    "村": "Village",
}
# …and by its level, where the Chinese name says nothing (or there is none).
LEVEL_ENGLISH = {
    "province": "Province",
    "prefecture": "Prefecture",
    "county": "County",
    "township": "Township",
    "village": "Village",
}


def short_forms(official: str) -> list[str]:
    """The customary shorter forms of an official Chinese name, longest first."""
    name = official.strip()
    autonomous = AUTONOMOUS.fullmatch(name)
    if autonomous:
        base, level = autonomous["base"], autonomous["level"]
        if base.endswith("族") and base in {people + "族" for people in PEOPLES}:
            base = base[:-1]  # 东乡族自治县: the county is named after its people, 东乡
        # Peoples named without 族 (新疆维吾尔自治区, 伊犁哈萨克自治州), while a name of
        # two characters or more is left (内蒙古 keeps its 蒙古).
        stripped = True
        while stripped:
            stripped = False
            for people in LONG_PEOPLES:
                if base.endswith(people) and len(base) - len(people) >= 2:
                    base, stripped = base[: -len(people)], True
                    break
        if level == "区":  # a province-level region is called by its base alone: 广西, 西藏
            return [base]
        return [base + level, base] if len(base) >= 2 else [base + level]
    for word in LEVEL_WORDS:
        base = name.removesuffix(word)
        if base != name:
            return [base] if len(base) >= 2 else []
    return []


def level_word(official: str) -> str:
    """The level word the official Chinese name ends with ("" if none)."""
    autonomous = AUTONOMOUS.fullmatch(official.strip())
    if autonomous:
        return "自治" + autonomous["level"]
    return next((word for word in LEVEL_WORDS if official.endswith(word) and len(official) > len(word)), "")


def english_forms(name_en: str, name_zh: str, level: str) -> list[str]:
    """The English name, alone and with its level word ("Lüeyang", "Lüeyang County")."""
    if not name_en:
        return []
    forms = [name_en]
    word = level_word(name_zh)
    by_word = ENGLISH_LEVEL_WORDS.get(word, ENGLISH_LEVEL_WORDS.get(word.removeprefix("自治")))
    for english in (by_word, LEVEL_ENGLISH.get(level)):
        if english and not name_en.lower().endswith(english.lower()):
            forms.append(f"{name_en} {english}")
    return forms


def pinyin(chinese: str) -> str:
    """Toneless pinyin written together, with ü kept (folding makes it u): 略阳 → lüeyang."""
    return "".join(lazy_pinyin(chinese, style=Style.NORMAL, v_to_u=True))


def aliases_of(text: str) -> list[str]:
    """An editor's aliases: one per line, blanks ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def own_names(*, name_en: str, name_zh: str, level: str, aliases: str = "") -> list[str]:
    """Every name of one region (not those of the regions above it), each once, in
    the order: official Chinese, its short forms, English, pinyin, editors' aliases."""
    chinese = [name_zh, *short_forms(name_zh)] if name_zh else []
    romanised = [pinyin(chinese[-1])] if chinese else []  # of the shortest form: 临夏州 → linxia
    return _unique([*chinese, *english_forms(name_en, name_zh, level), *romanised, *aliases_of(aliases)])


def _unique(names: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for name in names:
        if name and name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result
