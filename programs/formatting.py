"""How figures read on the page: exact numbers, the source's hedging kept,
money in words ("3.68 billion yuan"; in Chinese "36.8亿元"). Nothing here ever rounds."""

from decimal import Decimal

from programs.choices import Qualifier, Unit
from programs.languages import in_chinese

SCALES = ((Decimal("1000000000"), "billion"), (Decimal("1000000"), "million"))
# Qualifier words as they read before a number ("more than 500").
QUALIFIER_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.MORE_THAN: "more than",
    Qualifier.AT_LEAST: "at least",
    Qualifier.ABOUT: "about",
    Qualifier.NEARLY: "nearly",
    Qualifier.UP_TO: "up to",
    Qualifier.LESS_THAN: "less than",
}
UNIT_SUFFIX = {
    Unit.PERCENT: "%",
    Unit.CNY: " yuan",
    Unit.CNY_PER_MONTH: " yuan a month",
    Unit.CNY_PER_YEAR: " yuan a year",
    Unit.MU: " mu",
    Unit.SQUARE_METRES: " m²",
    Unit.SQUARE_KILOMETRES: " km²",
    Unit.UNITS_PER_YEAR: " a year",
    Unit.DAYS: " days",
    Unit.YEARS: " years",
    Unit.PEOPLE: "",
    Unit.HOUSEHOLDS: " households",
    Unit.COUNT: "",
}
CURRENCY_WORDS = {"CNY": "yuan", "USD": "US dollars"}

# The same in Chinese: 万 and 亿 are the scales, hedges and units follow the number's own order.
SCALES_ZH = ((Decimal("100000000"), "亿"), (Decimal("10000"), "万"))
QUALIFIER_WORDS_ZH = {
    Qualifier.EXACT: "",
    Qualifier.MORE_THAN: "超过",
    Qualifier.AT_LEAST: "至少",
    Qualifier.ABOUT: "约",
    Qualifier.NEARLY: "近",
    Qualifier.UP_TO: "最多",
    Qualifier.LESS_THAN: "不到",
}
UNIT_SUFFIX_ZH = {
    Unit.PERCENT: "%",
    Unit.CNY: "元",
    Unit.CNY_PER_MONTH: "元/月",
    Unit.CNY_PER_YEAR: "元/年",
    Unit.MU: "亩",
    Unit.SQUARE_METRES: "平方米",
    Unit.SQUARE_KILOMETRES: "平方公里",
    Unit.UNITS_PER_YEAR: "/年",
    Unit.DAYS: "天",
    Unit.YEARS: "年",
    Unit.PEOPLE: "",
    Unit.HOUSEHOLDS: "户",
    Unit.COUNT: "",
}
CURRENCY_WORDS_ZH = {"CNY": "元", "USD": "美元"}


def decimal_text(value: Decimal) -> str:
    """A decimal's exact value as data, without trailing zeros or exponent: "3680000000", "0.6"."""
    return format(value.normalize(), "f")


def plain_number(value) -> str:
    """An exact number with thousands separators and no trailing zeros: 98757 → “98,757”, 0.60 → “0.6”."""
    if value is None:
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    text = format(number.normalize(), "f")
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}.{fraction}" if whole.lstrip("-") else text


def scaled_number(value) -> str:
    """A large number in words when that is exact: 3680000000 → “3.68 billion”, 200000 → “200,000”."""
    if value is None:
        return ""
    number = Decimal(value)
    chinese = in_chinese()
    for size, word in SCALES_ZH if chinese else SCALES:
        if abs(number) >= size:
            return f"{plain_number(number / size)}{'' if chinese else ' '}{word}"
    return plain_number(number)


def number_range(value, upper, *, scaled: bool) -> str:
    show = scaled_number if scaled else plain_number
    if upper is not None and Decimal(upper) != Decimal(value):
        return f"{show(value)}–{show(upper)}"
    return show(value)


def with_qualifier(qualifier: str, text: str) -> str:
    if in_chinese():
        return QUALIFIER_WORDS_ZH.get(qualifier, "") + text
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {text}" if words else text


def money(amount, *, upper=None, qualifier=Qualifier.EXACT, currency="CNY") -> str:
    """“more than 30 million yuan”, “2,000–3,000 yuan”, “3.68 billion yuan”."""
    if amount is None:
        return ""
    if in_chinese():
        unit = CURRENCY_WORDS_ZH.get(currency, currency)
        return with_qualifier(qualifier, f"{number_range(amount, upper, scaled=True)}{unit}")
    unit = CURRENCY_WORDS.get(currency, currency)
    return with_qualifier(qualifier, f"{number_range(amount, upper, scaled=True)} {unit}")


def usd(amount) -> str:
    """A stated US-dollar figure: 517370000 → “US$517.37 million”."""
    if amount is None:
        return ""
    return f"{scaled_number(amount)}美元" if in_chinese() else f"US${scaled_number(amount)}"


def figure(value, *, upper=None, qualifier=Qualifier.EXACT, unit="") -> str:
    """An outcome or measure value in its unit: “more than 500”, “less than 1%”, “2,000–3,000 yuan a month”."""
    if value is None:
        return ""
    scaled = unit in (Unit.CNY, Unit.CNY_PER_YEAR, Unit.PEOPLE, Unit.COUNT, Unit.UNITS_PER_YEAR)
    suffixes = UNIT_SUFFIX_ZH if in_chinese() else UNIT_SUFFIX
    text = number_range(value, upper, scaled=scaled) + suffixes.get(unit, "")
    return with_qualifier(qualifier, text)


def period(start, end) -> str:
    """“2016–2019”, “2009”, “until 2020”, “since 2017” or “”."""
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    if end:
        return str(end)
    if start:
        return f"{start}年起" if in_chinese() else f"since {start}"
    return ""
