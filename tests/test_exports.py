"""Exports of excerpts (DOCX, PDF, CSV, JSON, Markdown), read back with real readers:
every quote and every citation exactly, whatever the script, in the request's language."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf.generic import DictionaryObject

from testimony_archive.archive import Archive
from testimony_archive.citation import legal
from testimony_archive.errors import UsageError
from testimony_archive.excerpts import (
    PARAGRAPH_SEPARATOR,
    Excerpt,
    extract,
    parse_document,
    parse_place,
)
from testimony_archive.export import (
    FORMATS,
    ExportRequest,
    excerpts_json,
    filename,
    media_type,
    render,
)
from testimony_archive.export.pdf_export import RefusingFetcher
from testimony_archive.export.request import direction
from testimony_archive.export.tables import CSV_COLUMNS
from testimony_archive.i18n import translator
from testimony_archive.models import Document, body_sha256

REPO = Path(__file__).resolve().parents[1]
AT = "2026-12-06T10:00:00.000000+00:00"
BASE_URL = "https://archive.example.org"
# What must survive every format: Spanish accents and dialect spellings, curly and
# angled quotation marks, Arabic and Hebrew (right to left), and the two mixed.
SPECIAL = [
    "Pos nomás nos dijeron que ahorita salíamos pa'l norte, ¿verdad?, y ñoño se quedó.",
    "El agente dijo “ya estuvo” y luego ‘ándale’; la señora gritó «¡déjenlo!».",
    "قال الشاهد إن رجال الشرطة ضربوه عند نقطة التفتيش.",
    "העד אמר שהשוטרים היכו אותו ליד המחסום.",
    "Mixed: he said «نعم» then “שלום” and left.",
]


def special_document() -> Document:
    body = PARAGRAPH_SEPARATOR.join(SPECIAL)
    return Document(id="t-rtl-001", kind="testimony", title="Pos nomás: “la frontera”",
                    language="es", body=body, sha256=body_sha256(body),
                    witness={"pseudonym": "Testigo Ñ"})  # fmt: skip


def make_excerpts() -> list[Excerpt]:
    """Excerpts of the sample archive (one paragraph, a run of three, characters inside
    one) and of a hand-made document in Spanish, Arabic and Hebrew, some with notes."""
    archive = Archive(REPO / "archive")
    testimony = archive.get("mx-chis-2016-0007")
    places = [(testimony, "1", None), (testimony, "2-4", None), (testimony, "3", "10-60")]
    places += [(special_document(), str(number), None) for number in range(1, len(SPECIAL) + 1)]
    made = [
        extract(document, parse_place(document.id, paras, chars), archive="Sample Archive",
                at=AT, base_url=BASE_URL)
        for document, paras, chars in places
    ]  # fmt: skip
    notes = {1: "Pa'l expediente: ¿lo confirma “el otro”?", 3: "ملاحظة: انظر الفقرة", 4: "<b>x</b>"}
    return [dataclasses.replace(item, note=notes.get(index, "")) for index, item in enumerate(made)]


def make_request(language: str = "en", at: str = AT) -> ExportRequest:
    return ExportRequest(
        title="Asylum case — López «ahorita»", excerpts=make_excerpts(), archive="Sample Archive",
        exported_by="ana", exported_at=at, language=language,
        description="query: policía golpeó migrantes",
    )  # fmt: skip


def citations_of(request: ExportRequest) -> list[str]:
    return [legal(item, translator(request.language)) for item in request.excerpts]


def quote_paragraphs(request: ExportRequest) -> list[str]:
    return [text for item in request.excerpts for text in item.text.split(PARAGRAPH_SEPARATOR)]


def docx_paragraphs(data: bytes) -> list[Any]:
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    """The PDF's text with its whitespace removed. WeasyPrint wraps lines where the page
    ends them, pypdf returns each line end as a line break, and a long URL may be broken
    where it has no space at all: whitespace is the only thing the layout changes. The page
    numbers at the foot of each page ("1 / 3") are dropped, as a quote may run across them."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        lines = page.extract_text().splitlines()
        pages.append("\n".join(line for line in lines if not re.fullmatch(r"\d+ / \d+", line)))
    return squeeze("\n".join(pages))


def squeeze(text: str) -> str:
    return "".join(text.split())


def as_pdf_reads(text: str) -> str:
    """A text as `pdf_text` gives it back: without whitespace and, for a right-to-left
    paragraph, with its closing punctuation first. pypdf puts an Arabic or Hebrew run back
    into reading order but takes the neutral characters around it in drawing order, and a
    right-to-left line draws its final full stop leftmost, before the words."""
    if direction(text) == "rtl" and text.endswith("."):
        text = "." + text[:-1]
    return squeeze(text)


def text_of(data: bytes, format: str) -> str:
    """All the text a reader of the export sees (for the PDF: without whitespace)."""
    if format == "docx":
        return "\n".join(paragraph.text for paragraph in docx_paragraphs(data))
    if format == "pdf":
        return pdf_text(data)
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def request_en() -> ExportRequest:
    return make_request("en")


@pytest.fixture(scope="module")
def pdf_en(request_en: ExportRequest) -> bytes:
    return render(request_en, "pdf")


# -- DOCX ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_docx_holds_every_quote_and_citation_exactly(language: str) -> None:
    request = make_request(language)
    paragraphs = docx_paragraphs(render(request, "docx"))
    quotes = [p.text for p in paragraphs if p.style.name == "Quote"]
    assert quotes == quote_paragraphs(request)  # one Word paragraph per quoted paragraph
    texts = [p.text for p in paragraphs]
    for cited in citations_of(request):
        assert cited in texts
    label = "Nota" if language == "es" else "Note"
    assert f"{label}: Pa'l expediente: ¿lo confirma “el otro”?" in texts
    cover = "\n".join(texts[:12])
    assert request.title in cover and "ana" in cover and AT in cover and "Sample Archive" in cover
    assert ("Exportado por" if language == "es" else "Exported by") in cover
    assert request.description in cover


def test_docx_core_properties_and_bytes_are_those_of_the_request(request_en: ExportRequest) -> None:
    data = render(request_en, "docx")
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.title == request_en.title
    assert properties.author == "ana"
    assert properties.created == datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    assert properties.modified == properties.created
    assert render(request_en, "docx") == data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 12, 6, 10, 0, 0)}


def test_docx_lays_out_arabic_and_hebrew_from_the_right(request_en: ExportRequest) -> None:
    quotes = {p.text: p for p in docx_paragraphs(render(request_en, "docx"))}
    bidi = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
    assert quotes[SPECIAL[2]]._p.pPr.find(bidi) is not None
    assert quotes[SPECIAL[3]]._p.pPr.find(bidi) is not None
    assert quotes[SPECIAL[0]]._p.pPr.find(bidi) is None


# -- PDF ----------------------------------------------------------------------------------


def test_pdf_holds_every_quote_and_citation(request_en: ExportRequest, pdf_en: bytes) -> None:
    text = pdf_text(pdf_en)
    for quoted in quote_paragraphs(request_en):
        assert as_pdf_reads(quoted) in text
    for cited in citations_of(request_en):
        assert as_pdf_reads(cited) in text
    assert squeeze("<b>x</b>") in text  # a note is text, never markup
    for fact in ("ana", AT, "Sample Archive", request_en.description, "testimony-archive 0.1.0"):
        assert squeeze(fact) in text


def test_pdf_in_spanish_has_spanish_labels_and_citations() -> None:
    request = make_request("es")
    text = pdf_text(render(request, "pdf"))
    assert squeeze("Exportado por") in text
    for cited in citations_of(request):
        assert "párr" in cited and squeeze(cited) in text


def test_pdf_is_the_same_bytes_for_the_same_request(
    request_en: ExportRequest, pdf_en: bytes
) -> None:
    assert render(request_en, "pdf") == pdf_en
    later = render(make_request("en", at="2026-12-06T10:00:01.000000+00:00"), "pdf")
    assert later != pdf_en
    metadata = pypdf.PdfReader(io.BytesIO(pdf_en)).metadata
    assert metadata is not None
    assert metadata.creation_date == datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    assert metadata.modification_date == metadata.creation_date
    assert metadata.title == request_en.title and metadata.author == "ana"


def test_pdf_embeds_its_fonts(pdf_en: bytes) -> None:
    fonts: dict[str, DictionaryObject] = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf_en)).pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", DictionaryObject()).get_object().values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("DejaVu" in name for name in fonts)
    for name, font in fonts.items():
        if "/DescendantFonts" in font:  # a composite (Type0) font describes its glyphs below
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name


def test_pdf_fetches_nothing() -> None:
    with pytest.raises(ValueError, match="fetch nothing"):
        RefusingFetcher().fetch("https://example.org/tracker.png")


# -- CSV, JSON, Markdown ------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_excerpt(request_en: ExportRequest) -> None:
    data = render(request_en, "csv")
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(request_en.excerpts)
    for number, (row, item, cited) in enumerate(
        zip(rows, request_en.excerpts, citations_of(request_en), strict=True), start=1
    ):
        assert row["number"] == str(number) and row["doc"] == item.doc
        assert row["text"] == item.text and row["sha256"] == item.sha256
        assert row["citation"] == cited and row["note"] == item.note
        assert row["locator"] == item.place.locator
    assert rows[1]["paras"] == "2-4" and rows[2]["chars"] == "10-60"


def test_json_is_the_excerpts_document(request_en: ExportRequest) -> None:
    data = render(request_en, "json")
    assert data == (json.dumps(excerpts_json(request_en), ensure_ascii=False, indent=2)
                    + "\n").encode("utf-8")  # fmt: skip
    document = json.loads(data)
    assert document["exported_by"] == "ana" and document["exported_at"] == AT
    assert document["software"] == "testimony-archive 0.1.0"
    assert parse_document(document) == request_en.excerpts


def test_markdown_quotes_each_paragraph_then_cites_it(request_en: ExportRequest) -> None:
    text = render(request_en, "md").decode("utf-8")
    assert text.startswith(f"# {request_en.title}\n")
    for quoted in quote_paragraphs(request_en):
        assert f"> {quoted}\n" in text
    for cited in citations_of(request_en):
        assert f"\n{cited}\n" in text
    assert "*Note:* <b>x</b>" in text


@pytest.mark.parametrize("format", FORMATS)
def test_every_script_survives_every_format(request_en: ExportRequest, format: str) -> None:
    data = render(request_en, format)
    text = text_of(data, format)
    if format == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    for special in [*SPECIAL, "Pa'l expediente: ¿lo confirma “el otro”?", "ملاحظة: انظر الفقرة"]:
        assert (as_pdf_reads(special) if format == "pdf" else special) in text, special


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1))
def test_any_text_round_trips_through_csv_and_json(text: str) -> None:
    body = text.replace("\r", " ").strip() or "x"
    document = Document(id="t-any", kind="testimony", title="T", language="en", body=body,
                        sha256=body_sha256(body))  # fmt: skip
    item = extract(document, parse_place("t-any", "1"), archive="A", at=AT)
    item = dataclasses.replace(item, text=text, note=text)
    request = ExportRequest(title="T", excerpts=[item], archive="A", exported_by="b",
                            exported_at=AT)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(render(request, "csv").decode("utf-8"), newline="")))
    # a cell a spreadsheet would run as a formula is kept inert by a leading apostrophe
    shown = f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
    assert rows[0]["text"] == shown and rows[0]["note"] == shown
    assert parse_document(json.loads(render(request, "json"))) == [item]


def test_a_csv_cell_that_would_run_as_a_formula_is_inert(request_en: ExportRequest) -> None:
    item = dataclasses.replace(request_en.excerpts[0], note='=HYPERLINK("http://x.test","y")')
    request = dataclasses.replace(request_en, excerpts=[item])
    row = next(csv.DictReader(io.StringIO(render(request, "csv").decode("utf-8"), newline="")))
    assert row["note"] == '\'=HYPERLINK("http://x.test","y")'
    assert row["text"] == item.text  # a quote that is no formula is as archived


# -- names and refusals -------------------------------------------------------------------


def test_file_names_are_safe_ascii(request_en: ExportRequest) -> None:
    assert filename(request_en, "docx") == "excerpts-asylum-case-lopez-ahorita-2026-12-06.docx"
    search = dataclasses.replace(request_en, title="Search: police beat migrants")
    assert filename(search, "pdf") == "excerpts-search-police-beat-migrants-2026-12-06.pdf"
    hostile = dataclasses.replace(request_en, title='../../etc/passwd\r\n"; x=<>|*?' + "é" * 300)
    name = filename(hostile, "csv")
    assert re.fullmatch(r"[a-z0-9-]+\.csv", name) and len(name) < 90
    assert filename(dataclasses.replace(request_en, title="العربية"), "md") == (
        "excerpts-2026-12-06.md"
    )


def test_media_types() -> None:
    assert media_type("pdf") == "application/pdf"
    assert media_type("docx").endswith("wordprocessingml.document")
    assert media_type("csv").startswith("text/csv") and media_type("md").startswith("text/markdown")
    assert media_type("json") == "application/json"


def test_unknown_formats_languages_and_times_are_refused(request_en: ExportRequest) -> None:
    for call in (lambda: render(request_en, "rtf"), lambda: media_type("xlsx"),
                 lambda: filename(request_en, "exe")):  # fmt: skip
        with pytest.raises(UsageError, match="unknown export format"):
            call()
    with pytest.raises(UsageError, match="not 'fr'"):
        render(dataclasses.replace(request_en, language="fr"), "md")
    with pytest.raises(UsageError, match="ISO 8601"):
        render(dataclasses.replace(request_en, exported_at="yesterday"), "pdf")


def test_characters_word_cannot_hold_are_shown_not_fatal(request_en: ExportRequest) -> None:
    item = dataclasses.replace(request_en.excerpts[0], note="page\x0cbreak and tab\x0bstop")
    data = render(dataclasses.replace(request_en, excerpts=[item]), "docx")
    assert "page\ufffdbreak and tab\ufffdstop" in text_of(data, "docx")


def test_the_pdf_keeps_runs_of_spaces_as_they_are_in_the_quote(request_en: ExportRequest) -> None:
    source = (Path(__file__).resolve().parents[1] / "templates" / "export" / "excerpts.html")
    assert "white-space: pre-wrap" in source.read_text(encoding="utf-8")
    item = dataclasses.replace(request_en.excerpts[0], text="two  spaces\tand a tab")
    data = render(dataclasses.replace(request_en, excerpts=[item]), "pdf")
    extracted = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "two  spaces" in extracted
