"""How figures read on the page: exact numbers, the source's hedging kept,
money in words ("3.68 billion yuan"). Nothing here ever rounds."""

from decimal import Decimal

from programs.choices import Qualifier, Unit

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
    for size, word in SCALES:
        if abs(number) >= size:
            return f"{plain_number(number / size)} {word}"
    return plain_number(number)


def number_range(value, upper, *, scaled: bool) -> str:
    show = scaled_number if scaled else plain_number
    if upper is not None and Decimal(upper) != Decimal(value):
        return f"{show(value)}–{show(upper)}"
    return show(value)


def with_qualifier(qualifier: str, text: str) -> str:
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {text}" if words else text


def money(amount, *, upper=None, qualifier=Qualifier.EXACT, currency="CNY") -> str:
    """“more than 30 million yuan”, “2,000–3,000 yuan”, “3.68 billion yuan”."""
    if amount is None:
        return ""
    unit = CURRENCY_WORDS.get(currency, currency)
    return with_qualifier(qualifier, f"{number_range(amount, upper, scaled=True)} {unit}")


def usd(amount) -> str:
    """A stated US-dollar figure: 517370000 → “US$517.37 million”."""
    return f"US${scaled_number(amount)}" if amount is not None else ""


def figure(value, *, upper=None, qualifier=Qualifier.EXACT, unit="") -> str:
    """An outcome or measure value in its unit: “more than 500”, “less than 1%”, “2,000–3,000 yuan a month”."""
    if value is None:
        return ""
    scaled = unit in (Unit.CNY, Unit.CNY_PER_YEAR, Unit.PEOPLE, Unit.COUNT, Unit.UNITS_PER_YEAR)
    text = number_range(value, upper, scaled=scaled) + UNIT_SUFFIX.get(unit, "")
    return with_qualifier(qualifier, text)


def period(start, end) -> str:
    """“2016–2019”, “2009”, “until 2020”, “since 2017” or “”."""
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    if end:
        return str(end)
    if start:
        return f"since {start}"
    return ""
