"""The interface in Simplified Chinese: every string a reader sees in a template is
marked for translation, every marked string has a Chinese translation, and the
compiled catalogue is the one its source says. (Words from the documents are data
and stay as they are.)"""

import ast
import gettext
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = sorted((settings.BASE_DIR / "templates").rglob("*.html"))
CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Attributes whose text a reader sees or hears.
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label"}
# Text that is the same in both languages: file formats, the arrow and dash marks.
SAME_IN_BOTH = {"CSV", "JSON", "English"}
UNTRANSLATED_ELEMENTS = ("script", "style", "code")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


class _Visible(HTMLParser):
    """The text of an HTML fragment a reader sees: text outside <script>, <style> and
    <code> (a command is the same in every language), and the attributes read aloud or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in UNTRANSLATED_ELEMENTS:
            self.hidden += 1
        self.found += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in UNTRANSLATED_ELEMENTS:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.found.append(data)


def unmarked_text(source: str) -> list[str]:
    """The words of a template a reader would see that are not marked for translation:
    text outside {% translate %}, {% blocktranslate %} and {% comment %}, with the
    template's own tags and variables taken out."""
    words, skipping, text = [], None, []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skipping and name == skipping:
                skipping = None
            elif name in ("comment", "blocktranslate", "blocktrans"):
                skipping = "end" + name
            elif not skipping:
                text.append("\x00")  # a tag splits text: its parts are not one sentence
            continue
        if skipping or token.token_type != TokenType.TEXT:
            text.append("\x00")
            continue
        text.append(token.contents)
    parser = _Visible()
    parser.feed("".join(text).replace("\x00", " "))
    for piece in parser.found:
        words += [word for word in WORD.findall(html.unescape(piece)) if word not in SAME_IN_BOTH]
    return words


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_word_a_template_shows_is_marked_for_translation(template: Path):
    assert unmarked_text(template.read_text(encoding="utf-8")) == []


def test_the_checker_finds_unmarked_words_and_passes_marked_ones():
    assert unmarked_text('<p title="Hello there">Rows: {{ n }} <b>per page</b></p>') == [
        "Hello",
        "there",
        "Rows",
        "per",
        "page",
    ]
    marked = (
        '{% load i18n %}<p title="{% translate \'Hello\' %}">{% translate "Rows" %}: {{ n }}</p>'
        "{% blocktranslate %}per {{ n }} page{% endblocktranslate %}{% comment %}Not shown{% endcomment %}"
        "<script>const shown = false;</script>"
    )
    assert unmarked_text(marked) == []


def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_every_marked_string_has_a_chinese_translation():
    entries = [entry for entry in catalogue() if not entry.obsolete]
    assert len(entries) > 100
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


def test_the_compiled_catalogue_is_the_source_compiled():
    compiled = CATALOGUE.with_suffix(".mo")
    with compiled.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    for entry in catalogue():
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            for count, form in entry.msgstr_plural.items():
                number = 1 if count == 0 else 2
                key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
                assert translations.ngettext(key, entry.msgid_plural, number) == form or count > 0
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert translations.gettext(key) == entry.msgstr, entry.msgid


# Marking functions and the position of their message (and, for pgettext, its context).
MARKERS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}
CODE = [
    path
    for folder in ("programs", "casebook")
    for path in sorted((settings.BASE_DIR / folder).rglob("*.py"))
    if "migrations" not in path.parts
]
QUOTED = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
TRANSLATE_TAG = re.compile(r"\{%\s*(?:translate|trans)\s+" + QUOTED + r"""(?:\s+context\s+("[^"]*"|'[^']*'))?""")


def marked_in_code(source: str) -> set[tuple[str, str]]:
    """(context, message) of every literal the Python ``source`` marks for translation."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in MARKERS or len(node.args) <= MARKERS[name]:
            continue
        message = node.args[MARKERS[name]]
        context = node.args[0] if MARKERS[name] else None
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            found.add((context.value if isinstance(context, ast.Constant) else "", message.value))
    return found


def marked_in_template(source: str) -> set[tuple[str, str]]:
    return {((context or '""')[1:-1], ast.literal_eval(message)) for message, context in TRANSLATE_TAG.findall(source)}


def test_the_extractors_find_marked_strings():
    code = 'x = _("Region")\ny = pgettext_lazy("what a figure is about", "About")\nz = f(name)\nw = _(name)'
    assert marked_in_code(code) == {("", "Region"), ("what a figure is about", "About")}
    template = '{% translate "Funding" %} {% trans \'Search\' context "verb" %} {{ x }}'
    assert marked_in_template(template) == {("", "Funding"), ("verb", "Search")}


def test_every_string_marked_in_code_or_a_template_is_in_the_catalogue():
    """A string marked after the catalogue was last made (``manage.py makemessages``)
    would show in English in the Chinese interface."""
    known = {(entry.msgctxt or "", entry.msgid) for entry in catalogue() if not entry.obsolete}
    marked = set()
    for path in CODE:
        marked |= marked_in_code(path.read_text(encoding="utf-8"))
    for path in TEMPLATES:
        marked |= marked_in_template(path.read_text(encoding="utf-8"))
    assert len(marked) > 300
    assert sorted(marked - known) == []
