"""Properties of excerpts: for any document (any Unicode: accents, right-to-left scripts,
emoji) and any place typed, an excerpt is refused or is exactly the slice of the
paragraphs it names, never reaching past them or into another document; an excerpt
survives its JSON; and quotes taken from the real corpora verify as faithful."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.errors import UsageError
from testimony_archive.excerpts import (
    document_json,
    extract,
    parse_document,
    parse_place,
    text_sha256,
)
from testimony_archive.importer import import_paths
from testimony_archive.models import Document, split_paragraphs
from testimony_archive.service import SearchService

from .conftest import ADMIN, SHARED, instance_database

SCRIPTS = "áéíóúñüçÀÉ ſß ابتث مرحبا שָׁלוֹם ขอบคุณ 你好 😀🇲🇽 ‏‎"
CORPORA = sorted((SHARED / "corpus").glob("*.jsonl"))
PER_CORPUS = 150  # documents imported from each corpus
QUOTES = 300

letters = st.one_of(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    st.sampled_from(SCRIPTS),
)
paragraph_texts = st.text(letters, min_size=1, max_size=60).filter(
    lambda text: text == text.strip() and text != ""
)
# A paragraph of one or more lines, none of them blank.
paragraphs = st.lists(paragraph_texts, min_size=1, max_size=3).map("\n".join)
documents = st.lists(paragraphs, min_size=1, max_size=6)
numbers = st.integers(min_value=-1, max_value=8).map(str)
ranges = st.one_of(numbers, st.tuples(numbers, numbers).map("-".join),
                   st.tuples(numbers, numbers).map("–".join))  # fmt: skip
char_ranges = st.one_of(
    st.none(),
    st.tuples(st.integers(-1, 70), st.integers(-1, 70)).map(lambda r: f"{r[0]}-{r[1]}"),
)


def make_document(doc_id: str, texts: list[str]) -> Document:
    body = "\n\n".join(texts) + "\n"
    return Document(id=doc_id, kind="testimony", title="Título ترجمة", language="es",
                    body=body, sha256=text_sha256(body), witness={"pseudonym": "Testigo 1"},
                    source={"organization": "Colectivo"})  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(documents, documents, st.sampled_from(["doc-a", "doc-b"]), ranges, char_ranges)
def test_an_excerpt_is_refused_or_exactly_its_slice(
    first_texts: list[str], second_texts: list[str], doc_id: str, paras: str,
    chars: str | None,
) -> None:  # fmt: skip
    document = make_document("doc-a", first_texts)
    make_document("doc-b", second_texts)  # the other document, which it may never reach
    assert split_paragraphs(document.body) == first_texts  # the paragraph contract
    try:
        place = parse_place(doc_id, paras, chars)
        excerpt = extract(document, place, archive="Archivo", at="2026-12-06T10:00:00+00:00")
    except UsageError:
        return
    assert place.doc == document.id == excerpt.doc
    assert 1 <= place.first <= place.last <= len(first_texts)
    if place.chars is None:
        assert excerpt.text == "\n\n".join(first_texts[place.first - 1 : place.last])
    else:
        start, end = place.chars
        paragraph = first_texts[place.first - 1]
        assert place.first == place.last and 1 <= start <= end <= len(paragraph)
        assert excerpt.text == paragraph[start - 1 : end]
    assert excerpt.sha256 == text_sha256(excerpt.text)
    assert excerpt.document_sha256 == document.sha256


@settings(max_examples=150, deadline=None)
@given(documents, st.data(), st.text(letters, max_size=40))
def test_an_excerpt_survives_its_json(texts: list[str], data: st.DataObject, note: str) -> None:
    document = make_document("doc-a", texts)
    first = data.draw(st.integers(1, len(texts)))
    last = data.draw(st.integers(first, len(texts)))
    place = parse_place("doc-a", f"{first}-{last}")
    excerpt = extract(document, place, archive="Archivo «ß»", at="2026-12-06T10:00:00+00:00",
                      base_url="https://archive.example")  # fmt: skip
    excerpt = dataclasses.replace(excerpt, note=note)
    text = json.dumps(document_json([excerpt], archive="Archivo «ß»", at=excerpt.extracted_at,
                                    by="rita", software="tests"), ensure_ascii=False)  # fmt: skip
    assert parse_document(json.loads(text)) == [excerpt]


# -- the real corpora ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    root = tmp_path_factory.mktemp("corpus-excerpts")
    sample = root / "sample.jsonl"
    with sample.open("w", encoding="utf-8") as out:
        for corpus in CORPORA:
            with corpus.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines):
                    if number >= PER_CORPUS:
                        break
                    out.write(line)
    settings = Settings(archive_dir=root / "archive", var_dir=root / "var")
    archive = Archive(settings.archive_dir)
    report = import_paths(archive, [sample])
    assert report.imported and not report.failed, report.failed
    service = SearchService.open(settings, instance_database(settings), archive)
    yield service
    service.close()


@pytest.mark.corpus
@pytest.mark.skipif(not CORPORA, reason=f"the corpora are not at {SHARED / 'corpus'}")
def test_quotes_of_the_corpora_verify_as_faithful(corpus_service: SearchService) -> None:
    chooser = random.Random(20261206)
    documents = [d for d in corpus_service.documents(ADMIN) if d.paragraphs]
    assert len(documents) >= 100
    excerpts = []
    for _ in range(QUOTES):
        document = chooser.choice(documents)
        count = len(document.paragraphs)
        first = chooser.randint(1, count)
        last = min(count, first + chooser.choice([0, 0, 0, 1, 2]))
        chars = None
        length = len(document.paragraphs[first - 1].text)
        if first == last and length > 1 and chooser.random() < 0.3:
            start = chooser.randint(1, length)
            chars = f"{start}-{chooser.randint(start, length)}"
        place = parse_place(document.id, f"{first}-{last}", chars)
        excerpts.append(corpus_service.excerpt(ADMIN, place))
    text = json.dumps(document_json(excerpts, archive=corpus_service.name, at="now", by="t",
                                    software="tests"), ensure_ascii=False)  # fmt: skip
    read = parse_document(json.loads(text))
    assert read == excerpts
    verdicts = corpus_service.verify(ADMIN, read, what="corpus quotes", sha256="")
    unfaithful = [verdict.line() for verdict in verdicts if not verdict.faithful]
    assert not unfaithful, "\n".join(unfaithful[:5])
    assert len(verdicts) == QUOTES

