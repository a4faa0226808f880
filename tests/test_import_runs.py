"""An import as a whole: killed half-way and run again, leftovers of a killed writer,
progress, a file changed under it; and every reader fed random bytes (hypothesis): never
a traceback, always a document or a reason naming the file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from testimony_archive.archive import Archive
from testimony_archive.document_text import docx_text, pdf_text
from testimony_archive.errors import ArchiveError
from testimony_archive.import_readers import Reading, read_candidates
from testimony_archive.importer import ImportOptions, import_paths
from testimony_archive.input_files import Limits, sniff

from .conftest import DATA
from .test_document_text import make_pdf
from .test_import_refusals import fingerprint, jsonl, word_file
from .test_pdf_pages import paged_pdf

RECORDS = 4000


def records_file(folder: Path, count: int = RECORDS) -> Path:
    path = folder / "many.jsonl"
    path.write_bytes(
        jsonl(*({"id": f"rec-{number:05d}", "kind": "testimony", "title": f"Account {number}",
                 "text": f"Paragraph one of account {number}.\n\nParagraph two, detained at "
                         f"checkpoint {number}.", "language": "en"}
                for number in range(count)))  # fmt: skip
    )
    return path


def cli(archive: Path, var: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "testimony_archive", "--archive", str(archive),
            "--var", str(var), *args]  # fmt: skip


def test_an_import_killed_half_way_leaves_complete_files_and_a_rerun_finishes(
    tmp_path: Path,
) -> None:
    source = records_file(tmp_path)
    archive_dir, var = tmp_path / "archive", tmp_path / "var"
    documents = archive_dir / "documents"
    command = cli(archive_dir, var, "import", "--no-suggest", "--no-index", str(source))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if documents.is_dir() and len(os.listdir(documents)) >= 40:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the import ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = sorted(path for path in documents.iterdir() if not path.name.startswith("."))
    assert 30 <= len(written) < RECORDS  # (the 40th entry may be a temporary file)
    archive = Archive(archive_dir)
    for path in written:  # complete files only: each loads, its text matches its sha256
        assert archive.load(path).id == path.stem
    again = subprocess.run(
        cli(archive_dir, var, "import", "--no-suggest", "--json", str(source)),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["skipped"] == len(written)
    assert report["imported"] == RECORDS - len(written)
    assert sorted(path.name for path in documents.iterdir()) == [
        f"rec-{number:05d}.md" for number in range(RECORDS)
    ]  # every record, and no temporary file left
    assert report["index"] is None  # no index was ever made


def test_an_import_after_one_stopped_before_indexing_brings_the_index_up_to_date(
    tmp_path: Path, archive: Archive, settings: object
) -> None:
    """An import stopped between writing its files and updating the index (a kill there
    leaves what --no-index leaves): the next one, with nothing new to write, indexes them."""
    from testimony_archive.config import Settings

    assert isinstance(settings, Settings)
    base = cli(settings.archive_dir, settings.var_dir)
    assert subprocess.run([*base, "index"], capture_output=True).returncode == 0
    source = records_file(tmp_path, 3)
    assert subprocess.run([*base, "import", "--no-suggest", "--no-index", str(source)],
                          capture_output=True).returncode == 0  # fmt: skip
    again = subprocess.run([*base, "import", "--no-suggest", "--json", str(source)],
                           capture_output=True, text=True)  # fmt: skip
    report = json.loads(again.stdout)
    assert (report["imported"], report["skipped"], report["index"]["added"]) == (0, 3, 3)


def test_what_a_killed_writer_left_is_removed_by_the_next_import(
    archive: Archive, tmp_path: Path
) -> None:
    leftover = archive.documents_dir / ".t-en-001.md.a1b2c3d4"
    leftover.write_text("---\nid: t-en-0")
    unrelated = archive.documents_dir / ".keep"
    unrelated.write_text("")
    report = import_paths(archive, [DATA / "records.jsonl"])
    assert len(report.skipped) == 4
    assert not leftover.exists() and unrelated.exists()


def test_progress_counts_each_record_when_checked_and_when_written(
    archive: Archive, tmp_path: Path
) -> None:
    source = records_file(tmp_path, 30)
    steps: list[int] = []
    import_paths(archive, [source], steps.append)
    assert sum(steps) == 60
    steps.clear()
    import_paths(archive, [records_file(tmp_path / "..", 31)], steps.append,
                 options=ImportOptions(dry_run=True))  # fmt: skip
    assert sum(steps) == 31  # a dry run only checks


def test_a_file_changed_between_the_check_and_the_write_is_not_half_imported(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = records_file(tmp_path, 5)
    before = fingerprint(archive.root)
    from testimony_archive import importer

    checked = importer._check

    def check_then_change(*args: object, **kwargs: object) -> object:
        plan = checked(*args, **kwargs)  # type: ignore[arg-type]
        source.write_bytes(source.read_bytes() + jsonl({"id": "late", "kind": "testimony",
                                                        "title": "t", "text": "t"}))  # fmt: skip
        return plan

    monkeypatch.setattr(importer, "_check", check_then_change)
    with pytest.raises(ArchiveError, match="changed while it was being imported"):
        import_paths(archive, [source])
    assert fingerprint(archive.root) == before


# -- random bytes to every reader ---------------------------------------------------------

_PREFIXES = {
    ".jsonl": [b"", b'{"id": "x", "kind": "testimony", "title": "t", "text": "'],
    ".csv": [b"", b"id,kind,title,text\n", b'id,kind,title,text\nx,testimony,"'],
    ".md": [b"", b"---\nid: x\nkind: testimony\ntitle: t\nlanguage: en\n", b"---\n"],
    ".txt": [b"", b"A testimony.\n\n"],
    ".pdf": [b"", b"%PDF-1.4\n"],
    ".docx": [b"", b"PK\x03\x04"],
}
_VALID = {".pdf": make_pdf([(100, "Detained at the checkpoint.")]), ".docx": word_file()}


_ARCHIVES: dict[Path, Archive] = {}


def _read(folder: Path, suffix: str, data: bytes) -> None:
    """The bytes through the whole import (readers, checks, writing): a report, never an
    exception; each refusal one line naming the file."""
    path = folder / f"fuzzed{suffix}"
    path.write_bytes(data)
    archive = _ARCHIVES.setdefault(folder, Archive(folder / "archive"))
    report = import_paths(archive, [path])
    for where, reason in report.failed:
        assert "fuzzed" in where and "\n" not in reason
    for candidate in read_candidates(path, Reading()):
        assert (candidate.document is None) != (candidate.error is None)


@pytest.mark.parametrize("suffix", sorted(_PREFIXES))
@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_random_bytes_never_raise(tmp_path: Path, suffix: str, data: st.DataObject) -> None:
    prefix = data.draw(st.sampled_from(_PREFIXES[suffix]))
    _read(tmp_path, suffix, prefix + data.draw(st.binary(max_size=3000)))


@pytest.mark.parametrize("suffix", sorted(_VALID))
@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_damaged_real_files_never_raise(tmp_path: Path, suffix: str, data: st.DataObject) -> None:
    """A real PDF or Word file with a few bytes changed, cut short or both."""
    damaged = bytearray(_VALID[suffix])
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(16, len(damaged)))
    _read(tmp_path, suffix, bytes(damaged[:cut]))


def test_a_dry_run_of_a_new_archive_makes_no_folder(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    report = import_paths(archive, [DATA / "records.jsonl"], options=ImportOptions(dry_run=True))
    assert len(report.new) == 4 and not report.imported
    assert not (tmp_path / "archive").exists()


def test_limits_on_what_a_word_or_pdf_file_holds(tmp_path: Path) -> None:
    word = tmp_path / "long.docx"
    word.write_bytes(word_file("A paragraph of a long statement. " * 50))
    with pytest.raises(ArchiveError, match="text part is .* split the document"):
        sniff(word, Limits(word_xml_bytes=500))
    with pytest.raises(ArchiveError, match="limit for one document"):
        docx_text(word, Limits(document_bytes=100))
    pdf = paged_pdf(tmp_path / "paged.pdf")
    with pytest.raises(ArchiveError, match="has 4 pages \\(at most 2\\)"):
        pdf_text(pdf, Limits(pdf_pages=2))
    with pytest.raises(ArchiveError, match="took more than -1 seconds \\(at page 1 of 4\\)"):
        pdf_text(pdf, Limits(pdf_seconds=-1))
    assert pdf_text(pdf).pages == (1, 1, 2, 4)
