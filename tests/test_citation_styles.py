"""Citations in three styles (legal footnote, Chicago author-date, CSL-JSON), in English
and Spanish, each naming the archive, the document id, the paragraph(s), the date and a
short hash, formatted from the excerpt model alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testimony_archive.archive import Archive
from testimony_archive.citation import STYLES, Style, csl_item, format_citation
from testimony_archive.excerpts import Excerpt, extract, parse_place
from testimony_archive.i18n import translator

REPO = Path(__file__).resolve().parents[1]
DOC = "mx-chis-2014-0001"  # a Spanish testimony of the sample archive, dated 2014-11-05
REPORT = "mx-rpt-2017-01"  # an English report excerpt, dated 2017-05
AT = "2026-12-06T10:00:00.000000+00:00"


def _excerpt(doc: str, paragraphs: str, chars: str | None = None) -> Excerpt:
    document = Archive(REPO / "archive").get(doc)
    return extract(document, parse_place(doc, paragraphs, chars), archive="Casa Archive",
                   at=AT, base_url="https://archive.example")  # fmt: skip


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_style_names_archive_document_paragraphs_date_and_short_hash(
    style: Style, language: str
) -> None:
    excerpt = _excerpt(DOC, "3-4")
    text = format_citation(excerpt, style, translator(language))
    assert "Casa Archive" in text and DOC in text and excerpt.short_hash in text
    assert "3–4" in text  # the paragraph range with an en dash
    assert "2014" in text
    assert "Testigo 1" in text  # the witness's pseudonym, never more
    assert "24" not in text.replace(excerpt.short_hash, "")  # not the witness's age


def test_legal_footnotes_in_english_and_spanish() -> None:
    excerpt = _excerpt(DOC, "4")
    english = format_citation(excerpt, "legal", translator("en"))
    assert english == (
        "Testigo 1, testimony, “Operativo en las vías del tren en Arriaga” (Nov 5, 2014), "
        f"Casa Archive doc. {DOC}, ¶ 4, https://archive.example/documents/{DOC}#p4 "
        "(SHA-256 b8f4e7774d69)."
    )
    spanish = format_citation(excerpt, "legal", translator("es"))
    assert "testimonio, «Operativo en las vías del tren en Arriaga» (5 nov 2014)" in spanish
    assert "párr. 4" in spanish
    assert "párrs. 4–5" in format_citation(_excerpt(DOC, "4-5"), "legal", translator("es"))


def test_chicago_author_date_leads_with_the_author_or_the_source() -> None:
    excerpt = _excerpt(REPORT, "2")
    entry = format_citation(excerpt, "academic", translator("en"))
    assert entry.startswith("Network of Shelters of the South (illustrative). 2017. “Kidnapping")
    assert f"Casa Archive, document {REPORT}, May 2017." in entry
    assert "Report excerpt, ¶ 2." in entry


def test_csl_json_is_an_item_reference_managers_read() -> None:
    excerpt = _excerpt(DOC, "4", "5-60")
    [item] = json.loads(format_citation(excerpt, "csl-json", translator("en")))
    assert item == csl_item(excerpt, translator("en"))
    assert item["type"] == "interview" and item["author"] == [{"literal": "Testigo 1"}]
    assert item["issued"] == {"date-parts": [[2014, 11, 5]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 6]]}
    assert item["archive"] == "Casa Archive" and item["locator"] == "4"
    # a quote inside a paragraph links to its words (a text fragment)
    assert item["URL"].startswith(f"https://archive.example/documents/{DOC}#p4:~:text=")
    spanish = csl_item(excerpt, translator("es"))
    assert spanish["genre"] == "Testimonio" and spanish["note"].startswith("Versión del documento")


def test_a_redacted_passage_is_said_in_every_style() -> None:
    import dataclasses

    excerpt = dataclasses.replace(_excerpt(DOC, "4"), redacted=True)
    for style in STYLES:
        assert "passage redacted" in format_citation(excerpt, style, translator("en"))
        assert "pasaje testado" in format_citation(excerpt, style, translator("es"))
