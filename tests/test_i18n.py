"""Interface translations: every extracted message has a Spanish translation that keeps
its placeholders, and the web front end picks and uses it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from testimony_archive.i18n import KIND_LABELS, translator
from testimony_archive.notes import Note
from testimony_archive.web.i18n import choose_language

REPO = Path(__file__).resolve().parents[1]
SPANISH_PO = REPO / "src" / "testimony_archive" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
# as in `pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k Note`
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["_", "gettext", "ngettext:1,2", "Note"])}
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


@cache
def extracted() -> dict[str, tuple[str, ...]]:
    """Message id (the singular for plurals) -> all its source texts, from babel.cfg."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")  # type: ignore[no-untyped-call]
    messages: dict[str, tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(REPO),
        method_map,
        options_map,
        keywords=KEYWORDS,
    ):
        texts = (message,) if isinstance(message, str) else tuple(message)
        messages[texts[0]] = texts
    return messages


@cache
def spanish() -> Catalog:
    with SPANISH_PO.open("rb") as handle:
        return read_po(handle, locale="es")


def forms(strings: object) -> tuple[str, ...]:
    """A message's id or string as a tuple: one item, or one per plural form."""
    if isinstance(strings, tuple | list):
        return tuple(str(item) for item in strings)
    return (str(strings or ""),)


def source_and_translations(language_catalog: Catalog) -> list[tuple[str, str, str]]:
    """(msgid, source text, translation) for every form of every entry: the singular
    source for msgstr[0], the plural one for the others."""
    rows: list[tuple[str, str, str]] = []
    for message in language_catalog:
        if not message.id:
            continue
        ids = forms(message.id)
        for index, string in enumerate(forms(message.string)):
            rows.append((ids[0], ids[min(index, len(ids) - 1)], string))
    return rows


def test_extraction_finds_the_interface_strings() -> None:
    messages = extracted()
    assert len(messages) > 50
    # one from each way of marking a string
    assert "Search" in messages  # _("...") in a template
    assert "Paragraph" in messages  # _('...') in a template
    assert "newest" in messages  # inside a {% set label = {...} %} dictionary
    assert messages["%(n)s document"] == ("%(n)s document", "%(n)s documents")  # ngettext
    assert "Abuse types" in messages  # translate.gettext("...") in Python
    assert "Only the first %(n)s terms of the query were used." in messages  # Note("...")
    # a dictionary lookup passed to gettext() is not read as one glued-together message
    assert not [message for message in messages if message.startswith("testimony")]


def test_every_extracted_message_has_a_spanish_translation() -> None:
    catalog = spanish()
    missing: list[str] = []
    for msgid, texts in sorted(extracted().items()):
        entry = catalog.get(msgid)
        if entry is None or entry.fuzzy:
            missing.append(msgid)
            continue
        if forms(entry.id) != texts or not all(forms(entry.string)):
            missing.append(msgid)
    assert not missing, "untranslated in es/messages.po:\n" + "\n".join(missing)


def test_spanish_catalog_has_two_plural_forms_and_no_fuzzy_entries() -> None:
    catalog = spanish()
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    assert not [message.id for message in catalog if message.id and message.fuzzy]
    for message in catalog:
        if len(forms(message.id)) > 1:
            assert len(forms(message.string)) == 2 and all(forms(message.string)), message.id


def test_translations_keep_the_placeholders() -> None:
    wrong = [
        f"{msgid!r}: {translation!r}"
        for msgid, source, translation in source_and_translations(spanish())
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation))
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_format_with_the_source_parameters() -> None:
    for msgid, source, translation in source_and_translations(spanish()):
        names = re.findall(r"%\((\w+)\)", source)
        if not names:
            continue
        try:  # a stray "%" or an unknown name in the translation raises here
            translation % dict.fromkeys(names, 7)
        except (KeyError, TypeError, ValueError) as error:
            pytest.fail(f"{msgid!r}: {translation!r} cannot be formatted: {error}")


def test_translator_gettext_and_ngettext() -> None:
    es = translator("es")
    assert es.gettext("Search") == "Buscar"
    assert es.gettext("not an interface string") == "not an interface string"
    assert es.ngettext("%(n)s document", "%(n)s documents", 1) == "%(n)s documento"
    assert es.ngettext("%(n)s document", "%(n)s documents", 2) == "%(n)s documentos"
    assert es.ngettext("%(n)s document", "%(n)s documents", 0) == "%(n)s documentos"
    assert translator("en").gettext("Search") == "Search"
    assert translator("en").ngettext("%(n)s document", "%(n)s documents", 3) == "%(n)s documents"


def test_notes_and_document_kinds_are_translated() -> None:
    es = translator("es")
    note = Note("Only the first %(n)s terms of the query were used.", n=30)
    assert note == "Only the first 30 terms of the query were used."
    assert note.translated(es.gettext) == "Solo se usaron los primeros 30 términos de la búsqueda."
    # the kinds reach gettext() through a dictionary, which extraction cannot see
    for label in KIND_LABELS.values():
        assert es.gettext(label) != label, label


@pytest.mark.parametrize(
    ("query_value", "cookie", "accept", "expected"),
    [
        ("es", "en", "en-US,en;q=0.9", "es"),
        ("en", "es", "es-MX,es;q=0.9", "en"),
        (None, "es", "en-US,en;q=0.9", "es"),
        (None, "en", "es-MX,es;q=0.9", "en"),
        ("xx", "es", None, "es"),
        (None, None, "es-MX,es;q=0.9", "es"),
        (None, None, "fr", "en"),
        (None, None, "fr-FR,es;q=0.5", "es"),
        (None, None, None, "en"),
        ("", "", "", "en"),
    ],
)
def test_choose_language(
    query_value: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert choose_language(query_value, cookie, accept) == expected
