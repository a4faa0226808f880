"""A PDF's paragraphs keep their page: in the archive file, the interchange JSONL, the
excerpt and its citations ("p. 12, ¶ 3"), verification, the paragraph API and the
document page."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter

from testimony_archive.archive import Archive
from testimony_archive.citation import format_citation
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.document_file import parse_document, serialize_document
from testimony_archive.document_text import pdf_text
from testimony_archive.errors import ArchiveError
from testimony_archive.excerpts import FORMAT, VERSION, excerpt_json, parse_place
from testimony_archive.excerpts import parse_document as parse_excerpts
from testimony_archive.i18n import translator
from testimony_archive.interchange import document_to_record, record_to_document
from testimony_archive.service import SearchService
from testimony_archive.web.app import create_app

from .conftest import ADMIN, cli_args, instance_database
from .test_document_text import make_pdf

PAGES = [
    [(100, "They stopped the bus at the checkpoint near Huixtla."),
     (160, "The agents asked each of us for money.")],
    [(100, "Those who could not pay were taken off the bus.")],
    [],  # a page without text (a photograph, say)
    [(100, "We were released at dawn without our papers.")],
]  # fmt: skip


def paged_pdf(path: Path) -> Path:
    writer = PdfWriter()
    for lines in PAGES:
        writer.add_page(PdfReader(io.BytesIO(make_pdf(lines))).pages[0])
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture
def service(imported: Archive, settings: Settings) -> Iterator[SearchService]:
    opened = SearchService.open(settings, instance_database(settings), imported)
    yield opened
    opened.close()


@pytest.fixture
def imported(runner: CliRunner, settings: Settings, tmp_path: Path) -> Archive:
    result = runner.invoke(cli, cli_args(settings, "import", "--no-suggest",
                                         str(paged_pdf(tmp_path / "Bus stop.pdf"))))  # fmt: skip
    assert result.exit_code == 0, result.output
    return Archive(settings.archive_dir)


def test_each_paragraph_keeps_the_page_it_stands_on(tmp_path: Path) -> None:
    extracted = pdf_text(paged_pdf(tmp_path / "paged.pdf"))
    assert extracted.pages == (1, 1, 2, 4)
    assert extracted.page_starts() == {1: 1, 3: 2, 4: 4}


def test_the_archive_file_records_where_each_page_starts(imported: Archive) -> None:
    document = imported.get("bus-stop")
    assert document.pages == {1: 1, 3: 2, 4: 4}
    assert "pages: {1: 1, 3: 2, 4: 4}\n" in (imported.documents_dir / "bus-stop.md").read_text()
    assert [document.pages_of(n, n) for n in (1, 2, 3, 4)] == [(1, 1), (1, 1), (2, 2), (4, 4)]
    assert document.pages_of(2, 4) == (1, 4)


def test_pages_survive_the_interchange_round_trip(imported: Archive) -> None:
    document = imported.get("bus-stop")
    line = json.dumps(document_to_record(document))
    assert json.loads(line)["pages"] == {"1": 1, "3": 2, "4": 4}
    again = record_to_document(json.loads(line))
    assert again.pages == document.pages
    assert parse_document(serialize_document(again)).pages == document.pages


@pytest.mark.parametrize(
    ("pages", "says"),
    [
        ("{2: 1}", "from paragraph 1"),
        ("{1: 3, 2: 2}", "the pages rising"),
        ("{1: 1, 9: 2}", "paragraph 9 does not exist"),
        ("{1: 0}", "must map"),
        ("[1, 2]", "must map"),
        ("{1: yes}", "must map"),
    ],
)
def test_a_wrong_pages_mapping_is_refused_with_the_field(pages: str, says: str) -> None:
    text = ("---\nid: p\nkind: testimony\ntitle: T\nlanguage: en\n"
            f"pages: {pages}\n---\nOne.\n\nTwo.\n")  # fmt: skip
    with pytest.raises(ArchiveError, match=says) as refused:
        parse_document(text, "p.md", fill_sha256=True)
    assert "field 'pages'" in str(refused.value) and "p.md:6" in str(refused.value)


def test_citations_give_the_page_before_the_paragraph(service: SearchService) -> None:
    one = service.excerpt(ADMIN, parse_place("bus-stop", "3"))
    run = service.excerpt(ADMIN, parse_place("bus-stop", "2-4"))
    english, spanish = translator("en"), translator("es")
    assert one.pages == "2" and run.pages == "1–4"
    assert "doc. bus-stop, p. 2, ¶ 3, " in format_citation(one, "legal", english)
    assert "doc. bus-stop, pp. 1–4, ¶¶ 2–4, " in format_citation(run, "legal", english)
    assert ", pág. 2, párr. 3" in format_citation(one, "legal", spanish)
    assert "Testimony, p. 2, ¶ 3." in format_citation(one, "academic", english)
    [item] = json.loads(format_citation(one, "csl-json", english))
    assert item["page"] == "2" and item["archive_location"] == "bus-stop, p. 2, ¶ 3"


def test_a_changed_page_in_an_excerpt_is_found_altered(service: SearchService) -> None:
    excerpt = service.excerpt(ADMIN, parse_place("bus-stop", "3"))
    data = {"format": FORMAT, "version": VERSION, "excerpts": [excerpt_json(excerpt)]}
    [read_back] = parse_excerpts(json.loads(json.dumps(data)))
    assert read_back == excerpt
    [kept] = service.verify(ADMIN, [read_back], "test", "0" * 64)
    [moved] = service.verify(ADMIN, [dataclasses.replace(read_back, pages="7")], "t", "0" * 64)
    assert kept.status == "faithful"
    assert moved.status == "altered" and "pages" in moved.detail


def test_the_paragraph_api_and_the_document_page_show_the_page(
    imported: Archive, settings: Settings
) -> None:
    service = SearchService.open(settings, instance_database(settings), imported)
    service.update_index()
    service.close()
    with TestClient(create_app(settings)) as client:
        paragraph = client.get("/api/documents/bus-stop/paragraphs/3").json()
        assert paragraph["page"] == 2
        assert "p. 2, ¶ 3" in paragraph["citation"]["text"]
        page = client.get("/documents/bus-stop").text
    assert page.count('class="page-start"') == 3  # pages 1, 2 and 4 start a paragraph
    assert '<span class="page-start">p. 4</span>' in page
