"""Word and PDF files: their text as numbered paragraphs, through the library and
`testimony import`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.document_text import docx_text, pdf_text
from testimony_archive.errors import ArchiveError

from .conftest import cli_args


def make_pdf(lines: list[tuple[float, str]], title: str | None = None) -> bytes:
    """A one-page PDF with Helvetica text lines at the given heights (points from the
    top): written by hand, so that the test needs no PDF library to make one."""

    def escaped(text: str) -> bytes:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")

    content = b"".join(
        b"BT /F1 11 Tf 72 %d Td (" % (792 - y) + escaped(text) + b") Tj ET\n" for y, text in lines
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if title:
        objects.append(b"<< /Title (" + escaped(title) + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


ACCOUNT = [
    (72, "The agents stopped the bus near Huixtla and took"),
    (86, "our papers. One of them tore my visa and we were de-"),
    (100, "tained at the roadside."),
    (128, "Then they drove us to the station in Tapachula,"),
    (142, "where we were held for three days without food."),
]


def write_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Testimony of R., Tapachula"
    document.add_paragraph("They took us from the bus at the checkpoint.")
    document.add_paragraph("")
    document.add_paragraph("An agent asked for 500 pesos").add_run().add_break()
    document.paragraphs[-1].add_run("to let us go.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Date"
    table.rows[0].cells[1].text = "March 2019"
    document.add_paragraph("We were deported to Guatemala the next day.")
    document.save(str(path))
    return path


def test_word_paragraphs_and_title(tmp_path: Path) -> None:
    extracted = docx_text(write_docx(tmp_path / "r.docx"))
    assert extracted.title == "Testimony of R., Tapachula"
    assert extracted.body.split("\n\n") == [
        "They took us from the bus at the checkpoint.",
        "An agent asked for 500 pesos to let us go.",  # one paragraph, across a line break
        "Date | March 2019",
        "We were deported to Guatemala the next day.",
    ]


def test_pdf_lines_join_into_paragraphs_at_vertical_gaps(tmp_path: Path) -> None:
    path = tmp_path / "m.pdf"
    path.write_bytes(make_pdf(ACCOUNT, title="Testimony of M."))
    extracted = pdf_text(path)
    assert extracted.title == "Testimony of M."
    assert extracted.body.split("\n\n") == [
        "The agents stopped the bus near Huixtla and took our papers. One of them tore my "
        "visa and we were detained at the roadside.",
        "Then they drove us to the station in Tapachula, where we were held for three days "
        "without food.",
    ]


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([]))
    with pytest.raises(ArchiveError, match="no text layer"):
        pdf_text(scan)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(ACCOUNT))))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ArchiveError, match="password"):
        pdf_text(locked)
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(ArchiveError, match="not a readable Word"):
        docx_text(fake)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnonsense")
    with pytest.raises(ArchiveError, match="not a readable PDF"):
        pdf_text(broken)


def test_import_word_and_pdf_then_search(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    pdf = tmp_path / "Testimony M.pdf"
    pdf.write_bytes(make_pdf(ACCOUNT))
    word = write_docx(tmp_path / "testimony-r.docx")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([]))
    result = runner.invoke(
        cli,
        cli_args(settings, "import", "--json", "--skip-invalid", str(pdf), str(word), str(scan)),
    )
    report = json.loads(result.stdout)
    assert report["imported"] == 2
    assert [failure["where"] for failure in report["failed"]] == [str(scan)]
    assert "OCR" in report["failed"][0]["reason"]
    archive = Archive(settings.archive_dir)
    document = archive.get("testimony-m")
    assert document.title == "Testimony M"  # no title of its own: the file name
    assert [p.number for p in document.paragraphs] == [1, 2]
    assert archive.get("testimony-r").title == "Testimony of R., Tapachula"
    runner.invoke(cli, cli_args(settings, "index"))
    found = runner.invoke(cli, cli_args(settings, "search", "--json", "detained roadside"))
    hits = json.loads(found.stdout)["results"]
    assert hits[0]["doc"] == "testimony-m"
