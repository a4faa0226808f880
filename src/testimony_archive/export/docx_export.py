"""The Word export: a cover page, then each excerpt as a heading, the quote as block
quotes (one Word paragraph per paragraph of the quote), its note and its legal citation."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document as new_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from .request import (
    ExportRequest,
    citations,
    cover,
    direction,
    exported_at,
    labels,
    locator,
    paragraphs,
    software,
    zip_time,
)

CITATION_STYLE = "Citation"
# Characters a Word file (XML 1.0) cannot hold: each is written as U+FFFD, visibly.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def word_text(text: str) -> str:
    return _NOT_IN_XML.sub("\ufffd", text)


def render_docx(request: ExportRequest) -> bytes:
    words = labels(request)
    document = new_document()
    _set_properties(document, request)
    citation_style = document.styles.add_style(CITATION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    citation_style.base_style = document.styles["Normal"]
    citation_style.font.size = Pt(9)

    document.add_paragraph(word_text(request.title), style="Title")
    for label, value in cover(request):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(word_text(value))
    document.add_paragraph(words["about"])

    for number, (excerpt, cited) in enumerate(zip(request.excerpts, citations(request),
                                                  strict=True), start=1):  # fmt: skip
        heading = document.add_heading(word_text(f"{number}. {excerpt.title}"), level=2)
        heading.paragraph_format.page_break_before = number == 1  # after the cover
        document.add_paragraph(locator(excerpt, words))
        for text in paragraphs(excerpt):
            _directed(document.add_paragraph(word_text(text), style="Quote"), text)
        if excerpt.note:
            note = document.add_paragraph()
            note.add_run(f"{words['note']}: ").bold = True
            _directed(note, excerpt.note).add_run(word_text(excerpt.note))
        document.add_paragraph(word_text(cited), style=CITATION_STYLE)

    output = io.BytesIO()
    document.save(output)
    return _fixed_zip_times(output.getvalue(), zip_time(request))


def _set_properties(document: Document, request: ExportRequest) -> None:
    """Every core property set from the request, so that nothing in them is of the
    moment the file was written."""
    properties = document.core_properties
    moment = exported_at(request).replace(microsecond=0, tzinfo=None)
    properties.title = word_text(request.title)
    properties.author = request.exported_by
    properties.last_modified_by = request.exported_by
    properties.created = moment
    properties.modified = moment
    properties.revision = 1
    properties.subject = request.archive
    properties.comments = word_text(request.description) or software(request)
    properties.language = request.language
    properties.keywords = ""
    properties.category = ""


def _directed(paragraph: Paragraph, text: str) -> Paragraph:
    """Marks a paragraph right-to-left (`w:bidi`) where its text begins in Arabic or
    Hebrew, so that Word lays it out from the right."""
    if direction(text) == "rtl":
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    return paragraph


def _fixed_zip_times(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The same package with every member dated `date_time` (python-docx dates them now)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:  # fmt: skip
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return output.getvalue()
