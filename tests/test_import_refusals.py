"""`testimony import` refuses bad input whole: one line per problem naming the file (and
the line, row or field) and the fix, exit status 2, and every archive file byte for byte
as it was. One test per refused case; then what the options change (--encoding,
--max-size, --dry-run, --skip-invalid)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings

from .conftest import cli_args
from .test_document_text import make_pdf

GOOD = {"id": "new-001", "kind": "testimony", "title": "A new account",
        "text": "They were stopped at a checkpoint near Huixtla.", "language": "en"}  # fmt: skip


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under the archive folder and the SHA-256 of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def jsonl(*records: dict[str, object]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def word_file(text: str = "Hello from a Word file.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def word_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def laughing_word_file() -> bytes:
    """A Word file whose XML defines entities that expand to a billion 'lol's."""
    parts = word_parts(word_file("LAUGH"))
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">' for n in range(1, 10)
    )
    xml = parts["word/document.xml"].decode()
    xml = xml.replace("?>", f"?><!DOCTYPE w:document [{entities}]>", 1).replace("LAUGH", "&lol9;")
    parts["word/document.xml"] = xml.encode()
    return zipped(parts)


def bomb_word_file() -> bytes:
    """A Word file with one part that unpacks from about 60 KB to 60 MB."""
    parts = word_parts(word_file())
    parts["word/media/padding.bin"] = b"\0" * (60 * 2**20)
    return zipped(parts)


def crowded_word_file() -> bytes:
    parts = word_parts(word_file())
    parts.update({f"word/extra/{number}.xml": b"<a/>" for number in range(10_001)})
    return zipped(parts)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def yaml_file(front: str, body: str = "The body.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


VALID_FRONT = "id: md-001\nkind: testimony\ntitle: A file\nlanguage: en\n"
LAUGHS = "extra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n"
    for n in range(8)
)
RANDOM = random.Random(15).randbytes(4000)

# (case, file name, its bytes, extra options, words the one line must hold)
CASES: list[tuple[str, str, Callable[[], bytes], tuple[str, ...], tuple[str, ...]]] = [
    ("markdown not UTF-8", "bad.md", lambda: b"caf\xe9 \xff\xfe broken", (),
     ("bad.md:1:", "not valid utf-8", "byte 0xE9", "--encoding")),
    ("text not UTF-8", "bad.txt", lambda: b"Line one.\n\nEl caf\xe9 de la esquina.\n", (),
     ("bad.txt:3:", "not valid utf-8", "--encoding")),
    ("JSONL not UTF-8 on line 2", "bad.jsonl",
     lambda: jsonl(GOOD) + b'{"id": "x-2", "title": "caf\xe9"}\n', (),
     ("bad.jsonl:2:", "not valid utf-8", "--encoding")),
    ("CSV not UTF-8", "bad.csv", lambda: b"id,kind,title,text\nx-1,testimony,T,caf\xe9\n", (),
     ("bad.csv:2:", "not valid utf-8")),
    ("an unknown encoding", "good.txt", lambda: b"Plain words.", ("--encoding", "klingon"),
     ("unknown text encoding 'klingon'",)),
    ("an empty text file", "empty.txt", lambda: b"", (), ("empty.txt", "empty (0 bytes)")),
    ("an empty JSONL file", "empty.jsonl", lambda: b"", (), ("empty.jsonl", "empty (0 bytes)")),
    ("an empty PDF", "empty.pdf", lambda: b"", (), ("empty.pdf", "empty (0 bytes)")),
    ("an empty Word file", "empty.docx", lambda: b"", (), ("empty.docx", "empty (0 bytes)")),
    ("only spaces", "blank.txt", lambda: b"  \n\n \t \n", (), ("blank.txt", "no text")),
    ("only blank lines of JSONL", "blank.jsonl", lambda: b"\n\n  \n", (),
     ("blank.jsonl", "no records")),
    ("a CSV header and no rows", "header.csv", lambda: b"id,kind,title,text\n", (),
     ("header.csv", "no records")),
    ("random bytes named .txt", "junk.txt", lambda: RANDOM, (), ("junk.txt", "binary data")),
    ("random bytes named .md", "junk.md", lambda: RANDOM, (), ("junk.md", "binary data")),
    ("random bytes named .jsonl", "junk.jsonl", lambda: RANDOM, (), ("junk.jsonl", "binary")),
    ("random bytes named .csv", "junk.csv", lambda: RANDOM, (), ("junk.csv", "binary data")),
    ("random bytes named .pdf", "junk.pdf", lambda: RANDOM, (), ("junk.pdf", "binary data")),
    ("random bytes named .docx", "junk.docx", lambda: RANDOM, (), ("junk.docx", "binary data")),
    ("a PNG image named .pdf", "photo.pdf", lambda: b"\x89PNG\r\n\x1a\n" + RANDOM, (),
     ("photo.pdf", "PNG image")),
    ("an old Word file named .docx", "old.docx",
     lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + RANDOM, (), ("old.docx", "save it as .docx")),
    ("a ZIP named .docx", "files.docx", lambda: zipped({"notes.txt": b"hello"}), (),
     ("files.docx", "ZIP archive, not a Word file")),
    ("an Excel workbook named .docx", "sheet.docx",
     lambda: zipped({"xl/workbook.xml": b"<workbook/>"}), (), ("sheet.docx", "Excel workbook")),
    ("a damaged Word file", "damaged.docx",
     lambda: zipped({"word/document.xml": b"<w:document><unclosed>"}), (),
     ("damaged.docx", "not a readable Word")),
    ("a damaged PDF", "damaged.pdf", lambda: b"%PDF-1.4\n" + RANDOM, (),
     ("damaged.pdf", "not a readable PDF")),
    ("text named .pdf", "notes.pdf", lambda: b"Just some notes.\n", (),
     ("notes.pdf", "not a PDF", "rename it to .txt")),
    ("UTF-16 text", "wide.txt", lambda: "Hola, señora.".encode("utf-16"), (),
     ("wide.txt", "UTF-16", "--encoding utf-16")),
    ("a file over the size limit", "long.txt", lambda: b"word " * 600, ("--max-size", "0.001"),
     ("long.txt", "over the", "--max-size")),
    ("a JSONL line over the record limit (16 MB)", "long.jsonl",
     lambda: jsonl({**GOOD, "id": "new-2"}, {**GOOD, "id": "new-3", "text": "word " * 3_400_000}),
     (), ("long.jsonl:2:", "longer than 16 MB", "--max-size")),
    ("a Word zip bomb", "bomb.docx", bomb_word_file, (), ("bomb.docx", "zip bomb")),
    ("a Word file of 10,001 parts", "crowded.docx", crowded_word_file, (),
     ("crowded.docx", "parts (at most 10,000)")),
    ("billion laughs in Word's XML", "laughs.docx", laughing_word_file, (),
     ("laughs.docx", "not a readable Word")),
    ("billion laughs in YAML", "laughs.md", lambda: yaml_file(VALID_FRONT + LAUGHS), (),
     ("laughs.md:", "anchors and aliases")),
    ("YAML that builds an object", "object.md",
     lambda: yaml_file(VALID_FRONT.replace("A file", '!!python/object/apply:os.system ["true"]')),
     (), ("object.md:4:", "not allowed")),
    ("a protected PDF", "locked.pdf", encrypted_pdf, (), ("locked.pdf", "password")),
    ("a PDF without text", "scan.pdf", lambda: make_pdf([]), (), ("scan.pdf", "OCR")),
    ("a control character in a title", "bell.jsonl",
     lambda: jsonl({**GOOD, "title": "A bell\x07 rings"}), (),
     ("bell.jsonl:1:", "field 'title'", "U+0007")),
    ("a control character in an id", "id.jsonl", lambda: jsonl({**GOOD, "id": "new\x00001"}), (),
     ("id.jsonl:1:", "field 'id'", "not a valid id")),
    ("a control character in a body", "body.txt", lambda: b"One.\n\nTwo \x1b[31m red.\n", (),
     ("body.txt:3:", "U+001B")),
    ("a path in an id", "path.jsonl", lambda: jsonl({**GOOD, "id": "../../etc/passwd"}), (),
     ("path.jsonl:1:", "not a valid id")),
    ("an impossible date", "date.jsonl", lambda: jsonl({**GOOD, "date": "2016-02-30"}), (),
     ("date.jsonl:1:", "field 'date'", "no such day", "YYYY-MM-DD")),
    ("an impossible date in front matter", "date.md",
     lambda: yaml_file(VALID_FRONT + "date: 2019-13-01\n"), (),
     ("date.md:6:", "field 'date'", "month 13")),
    ("an unknown tag id", "tag.jsonl",
     lambda: jsonl({**GOOD, "abuse_types": ["torture.tickling"]}), (),
     ("tag.jsonl:1:", "torture.tickling", "testimony vocabulary abuse-types")),
    ("a CSV row with a cell too many", "cells.csv",
     lambda: b"id,kind,title,text\nx-1,testimony,T,hello, world\n", (),
     ("cells.csv:2:", "5 cells where the header has 4", "double quotes")),
    ("a CSV row with cells missing", "short.csv", lambda: b"id,kind,title,text\nx-1,testimony\n",
     (), ("short.csv:2:", "2 cells where the header has 4")),
    ("a CSV without a text column", "columns.csv", lambda: b"id,kind,title\nx-1,testimony,T\n",
     (), ("columns.csv:1:", "no 'text' column")),
    ("a CSV header naming a column twice", "twice.csv",
     lambda: b"id,kind,title,text,text\nx,testimony,T,a,b\n", (), ("twice.csv:1:", "twice")),
    ("a CSV cell over the record limit (16 MB)", "cell.csv",
     lambda: b'id,kind,title,text\nx-1,testimony,T,"' + b"word " * 3_400_000 + b'"\n',
     (), ("cell.csv:2:", "longer than 16 MB", "--max-size")),
    ("JSON nested too deeply", "deep.jsonl", lambda: b"[" * 100_000 + b"]" * 100_000 + b"\n", (),
     ("deep.jsonl:1:",)),
    ("an id already archived with another text", "clash.jsonl",
     lambda: jsonl({**GOOD, "id": "t-en-001"}), (), ("clash.jsonl:1:", "already in the archive")),
    ("one id twice with two texts", "twice.jsonl",
     lambda: jsonl({**GOOD, "id": "dup-001"}, {**GOOD, "id": "dup-001", "text": "Other."}), (),
     ("twice.jsonl:2:", "also given at", "twice.jsonl:1")),
    ("half a surrogate pair in a title", "surrogate.jsonl",
     lambda: b'{"id": "s-1", "kind": "testimony", "title": "T\\ud800", "text": "x"}\n', (),
     ("surrogate.jsonl:1:", "not valid Unicode", "U+D800")),
    ("a number of 5,000 digits in JSON", "digits.jsonl",
     lambda: b'{"id": "d-1", "kind": "testimony", "title": "T", "text": "x", "n": '
             + b"1" * 5000 + b"}\n", (), ("digits.jsonl:1:", "4,300 digits", "in quotes")),
    ("a number of 5,000 digits in front matter", "digits.md",
     lambda: yaml_file(VALID_FRONT + "extra: {n: " + "1" * 5000 + "}\n"), (),
     ("digits.md", "cannot be read")),
    ("a YAML tag that builds bytes", "binary.md",
     lambda: yaml_file(VALID_FRONT + "extra: {k: !!binary aGVsbG8=}\n"), (),
     ("binary.md:6:", "tag !!binary is not allowed")),
    ("a control character in front matter", "front.md",
     lambda: yaml_file(VALID_FRONT.replace("A file", "A\x01file")), (),
     ("front.md:4:", "control character U+0001")),
    ("a page number that is not a digit", "pages.md",
     lambda: yaml_file(VALID_FRONT + 'pages: {"\u00b2": 1}\n'), (),
     ("pages.md:6:", "field 'pages'")),
    ("UTF-16 text without a byte-order mark", "bare16.txt",
     lambda: "Plain words of a testimony, in UTF-16.".encode("utf-16-le"), (),
     ("bare16.txt", "--encoding utf-16-le")),
    ("a text file saved as Windows text", "cp1252.txt", lambda: "“Quoted” words.".encode("cp1252"),
     (), ("cp1252.txt:1:", "not valid utf-8", "cp1252")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_refused_whole_with_the_file_named_and_the_archive_unchanged(
    runner: CliRunner, settings: Settings, archive: Archive, tmp_path: Path,
    name: str, content: Callable[[], bytes], options: tuple[str, ...], expected: tuple[str, ...],
) -> None:  # fmt: skip
    before = fingerprint(settings.archive_dir)
    good = tmp_path / "good.jsonl"  # a valid file beside the bad one is held back too
    good.write_bytes(jsonl(GOOD))
    bad = tmp_path / name
    bad.write_bytes(content())
    result = runner.invoke(cli, cli_args(settings, "import", *options, str(good), str(bad)))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    problem = next((line for line in lines if all(word in line for word in expected)), None)
    assert problem is not None, f"no line holds {expected}: {lines}"
    for line in lines:  # each line one whole refusal, naming a file it refuses
        assert line.startswith("  refused: ") or line.startswith("Error: "), lines
        assert name in line or line.startswith("Error: unknown text encoding"), lines
    assert "Traceback" not in result.output
    assert fingerprint(settings.archive_dir) == before


def test_the_issues_own_example_names_the_file_and_the_fix(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"caf\xe9 \xff\xfe broken")
    result = runner.invoke(cli, cli_args(settings, "import", str(bad)))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"  refused: {bad}:1: not valid utf-8 text (byte 0xE9 at column 4); save the file as "
        "UTF-8, or name its encoding with --encoding (for example --encoding cp1252 for "
        "Windows text, or latin-1)"
    ]
    assert not (settings.archive_dir / "documents").exists()


def test_the_encoding_named_reads_the_text(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    windows = tmp_path / "windows.txt"
    windows.write_bytes("“Nos detuvieron”, dijo la señora.".encode("cp1252"))
    wide = tmp_path / "wide.txt"
    wide.write_bytes("Hola, señora.".encode("utf-16"))
    for path, encoding in ((windows, "cp1252"), (wide, "utf-16")):
        result = runner.invoke(
            cli, cli_args(settings, "import", "--no-suggest", "--encoding", encoding, str(path))
        )
        assert result.exit_code == 0, result.output
    archive = Archive(settings.archive_dir)
    assert archive.get("windows").body == "“Nos detuvieron”, dijo la señora."
    assert archive.get("wide").body == "Hola, señora."


def test_a_larger_max_size_lets_a_long_record_in(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    long = tmp_path / "long.jsonl"
    long.write_bytes(jsonl({**GOOD, "text": "word " * 400}))
    refused = runner.invoke(cli, cli_args(settings, "import", "--max-size", "0.001", str(long)))
    assert refused.exit_code == 2
    taken = runner.invoke(cli, cli_args(settings, "import", "--max-size", "1", str(long)))
    assert taken.exit_code == 0, taken.output


def test_a_pdf_named_txt_is_read_as_the_pdf_it_is(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    disguised = tmp_path / "statement.txt"
    disguised.write_bytes(make_pdf([(100, "The agents took our papers at the checkpoint.")]))
    result = runner.invoke(cli, cli_args(settings, "import", "--no-suggest", str(disguised)))
    assert result.exit_code == 0, result.output
    body = Archive(settings.archive_dir).get("statement").body
    assert body == "The agents took our papers at the checkpoint."


def test_dry_run_reports_and_writes_nothing(
    runner: CliRunner, settings: Settings, archive: Archive, tmp_path: Path
) -> None:
    before = fingerprint(settings.archive_dir)
    new = tmp_path / "new.jsonl"
    new.write_bytes(jsonl(GOOD, {**GOOD, "id": "t-en-001", "text": archive.get("t-en-001").body,
                                 "title": archive.get("t-en-001").title}))  # fmt: skip
    result = runner.invoke(cli, cli_args(settings, "import", "--dry-run", "--json", str(new)))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["new"], report["imported"], report["dry_run"]) == (1, 0, True)
    assert report["files"] == [{"name": str(new), "new": 1, "skipped": 1, "failed": 0}]
    assert fingerprint(settings.archive_dir) == before
    text = runner.invoke(cli, cli_args(settings, "import", "--dry-run", str(new)))
    assert text.stdout.startswith("Dry run: 1 new, 1 already archived, 0 refused.")


def test_a_long_list_of_refusals_is_cut_short_on_screen_and_whole_in_json(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    many = tmp_path / "many.jsonl"
    many.write_bytes(b"not json\n" * 80)
    shown = runner.invoke(cli, cli_args(settings, "import", str(many)))
    assert shown.stderr.count("refused: ") == 50
    assert "… and 30 more (--json lists them all)" in shown.stderr
    listed = runner.invoke(cli, cli_args(settings, "import", "--json", str(many)))
    assert len(json.loads(listed.stdout)["failed"]) == 80


def test_a_folder_is_named_as_one(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    result = runner.invoke(cli, cli_args(settings, "import", str(tmp_path)))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {tmp_path} is a folder: name the files in it instead (for example "
        f"{tmp_path / '*.pdf'})"
    )


def test_a_title_over_two_lines_is_taken_as_it_is(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    """Official reports' titles run over lines; only invisible controls are refused."""
    source = tmp_path / "report.jsonl"
    source.write_bytes(jsonl({**GOOD, "title": "Country Report:\nMexico\t2016"}))
    result = runner.invoke(cli, cli_args(settings, "import", "--no-suggest", str(source)))
    assert result.exit_code == 0, result.output
    assert Archive(settings.archive_dir).get("new-001").title == "Country Report:\nMexico\t2016"


def test_a_bad_record_before_a_good_file_holds_it_back_too(
    runner: CliRunner, settings: Settings, archive: Archive, tmp_path: Path
) -> None:
    before = fingerprint(settings.archive_dir)
    bad = tmp_path / "first.jsonl"
    bad.write_bytes(b'{"id": "first-1", "kind": "testimony", "title": "T\\ud800", "text": "x"}\n')
    good = tmp_path / "second.jsonl"
    good.write_bytes(jsonl(GOOD))
    result = runner.invoke(cli, cli_args(settings, "import", str(bad), str(good)))
    assert result.exit_code == 2 and "first.jsonl:1: holds a character" in result.stderr
    assert fingerprint(settings.archive_dir) == before


def test_file_names_that_are_not_text_are_shown_and_used_safely(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    """A name with a byte that is not UTF-8, or a newline: the title is cleaned, and
    every message stays on one line."""
    folder = tmp_path.as_posix().encode()
    latin = Path(os.fsdecode(folder + b"/caf\xe9 notes.txt"))
    latin.write_bytes(b"Notes taken at the shelter.")
    broken = Path(os.fsdecode(folder + b"/two\nlines.md"))
    broken.write_bytes(b"not front matter")
    refused = runner.invoke(cli, cli_args(settings, "import", str(latin), str(broken)))
    assert refused.exit_code == 2
    [line] = [line for line in refused.stderr.splitlines() if line.strip()]
    assert "two\\x0alines.md:1: the file must start with a '---' line" in line
    taken = runner.invoke(cli, cli_args(settings, "import", "--no-suggest", str(latin)))
    assert taken.exit_code == 0, taken.output
    assert Archive(settings.archive_dir).get("caf-notes").title == "caf\ufffd notes"


def test_a_pipe_is_not_a_file(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    result = runner.invoke(cli, cli_args(settings, "import", str(pipe)))
    assert result.exit_code == 2
    assert "is not a regular file (a device or a pipe?)" in result.stderr
