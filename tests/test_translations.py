"""The interface in Simplified Chinese: every string a reader sees in a template is
marked for translation, every marked string has a Chinese translation, and the
compiled catalogue is the one its source says. (Words from the documents are data
and stay as they are.)"""

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
