"""`testimony excerpt | verify | collection` through the real CLI: quotes and citations,
verification of excerpts JSON and evidence bundles (faithful, altered, missing, a bundle
tampered with), and collections kept, ordered, annotated and exported in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.index import rebuild_index

from .conftest import add_user, cli_args

FORMATS = ("docx", "pdf", "csv", "json", "md")


@pytest.fixture
def indexed(archive: Archive, settings: Settings) -> Settings:
    rebuild_index(archive, settings.index_dir)
    return settings


def run(runner: CliRunner, settings: Settings, *args: str) -> Result:
    return runner.invoke(cli, cli_args(settings, *args))


def document_file(settings: Settings, doc_id: str) -> Path:
    [path] = settings.archive_dir.rglob(f"{doc_id}.md")
    return path


def excerpt_json(runner: CliRunner, settings: Settings, folder: Path, *place: str) -> Path:
    result = run(runner, settings, "excerpt", *place, "--json")
    assert result.exit_code == 0, result.output
    path = folder / "quote.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("style", ["legal", "academic", "csl-json"])
def test_excerpt_prints_the_quote_then_its_citation(
    runner: CliRunner, indexed: Settings, style: str, language: str
) -> None:
    result = run(runner, indexed, "excerpt", "t-en-001", "2-3", "--style", style,
                 "--language", language)  # fmt: skip
    assert result.exit_code == 0, result.output
    quote, citation = _split(result.stdout)
    assert quote == (
        "At a checkpoint near Huixtla two immigration agents took us off the bus. They said "
        "our papers were false.\n\nIn a small room one of them shocked me with a taser on "
        "the neck. They took the money I carried."
    )
    if style == "csl-json":
        [item] = json.loads(citation)
        assert item["archive_location"].startswith("t-en-001, ") and item["locator"] == "2–3"
    else:
        assert "t-en-001" in citation and "2–3" in citation and "SHA-256" in citation
        paragraphs = {"en": "¶¶ 2–3", "es": "párrs. 2–3"}[language]
        assert paragraphs in citation
        if style == "academic":
            assert ("«" in citation) is (language == "es")


def _split(output: str) -> tuple[str, str]:
    """The quote (its paragraphs apart by blank lines) and the citation (the last block,
    or the JSON that follows the quote)."""
    at = output.find("\n\n[")
    if at >= 0:
        return output[:at], output[at + 2 :]
    quote, _, citation = output.rstrip("\n").rpartition("\n\n")
    return quote, citation


def test_part_of_a_paragraph(runner: CliRunner, indexed: Settings) -> None:
    result = run(runner, indexed, "excerpt", "t-en-001", "2", "--chars", "4-32")
    assert result.exit_code == 0
    assert result.stdout.startswith("a checkpoint near Huixtla two\n\n")
    assert "#p2:~:text=a%20checkpoint" in result.stdout
    result = run(runner, indexed, "excerpt", "t-en-001", "2-3", "--chars", "1-5")
    assert result.exit_code == 2 and "inside one paragraph" in result.stderr
    result = run(runner, indexed, "excerpt", "t-en-001", "9")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "there is no ¶9" in result.stderr
    result = run(runner, indexed, "excerpt", "no-such-doc", "1")
    assert result.exit_code == 2 and "no document with id 'no-such-doc'" in result.stderr


def test_an_excerpt_as_json_verifies_as_faithful(
    runner: CliRunner, indexed: Settings, tmp_path: Path
) -> None:
    path = excerpt_json(runner, indexed, tmp_path, "t-en-001", "2", "--chars", "4-32")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "testimony-archive/excerpts"
    assert [e["text"] for e in document["excerpts"]] == ["a checkpoint near Huixtla two"]
    result = run(runner, indexed, "verify", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "faithful" in lines[0] and "t-en-001 ¶2, characters 4–32" in lines[0]
    assert lines[-1] == "1 excerpt: 1 faithful"
    result = run(runner, indexed, "verify", str(path), "--json")
    found = json.loads(result.stdout)
    assert result.exit_code == 0 and found["intact"] and found["kind"] == "json"
    assert [v["status"] for v in found["verdicts"]] == ["faithful"]


def test_a_quote_changed_by_one_character_is_altered(
    runner: CliRunner, indexed: Settings, tmp_path: Path
) -> None:
    path = excerpt_json(runner, indexed, tmp_path, "t-en-001", "3")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["excerpts"][0]["text"] = document["excerpts"][0]["text"].replace("taser", "tazer")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run(runner, indexed, "verify", str(path))
    assert result.exit_code == 1
    [line] = [line for line in result.stdout.splitlines() if "t-en-001" in line]
    assert re.match(r"\s+1\s+altered\s+t-en-001 ¶3: the quote does not match its own", line)
    assert result.stdout.splitlines()[-1] == "1 excerpt: 1 altered"
    # With its hash made to match, the quote is compared with the archive word for word.
    import hashlib

    text = document["excerpts"][0]["text"]
    document["excerpts"][0]["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run(runner, indexed, "verify", str(path))
    assert result.exit_code == 1
    assert "altered" in result.stdout and "differs from ¶3, character" in result.stdout
    assert "the archive has “ser on the neck" in result.stdout


def test_an_archived_document_changed_or_removed(
    runner: CliRunner, indexed: Settings, tmp_path: Path
) -> None:
    path = excerpt_json(runner, indexed, tmp_path, "t-en-001", "2")
    archived = document_file(indexed, "t-en-001")
    original = archived.read_text(encoding="utf-8")
    archived.write_text(original.replace("Huixtla two", "Huixtla tw0"), encoding="utf-8")
    result = run(runner, indexed, "verify", str(path))
    assert result.exit_code == 1
    assert re.search(r"1\s+altered\s+t-en-001 ¶2: the archived document does not hold",
                     result.stdout)  # fmt: skip
    archived.unlink()
    result = run(runner, indexed, "verify", str(path))
    assert result.exit_code == 1
    assert re.search(r"1\s+missing\s+t-en-001 ¶2", result.stdout)
    assert result.stdout.splitlines()[-1] == "1 excerpt: 1 missing"


def test_verify_refuses_what_it_cannot_read(
    runner: CliRunner, indexed: Settings, tmp_path: Path
) -> None:
    result = run(runner, indexed, "verify", str(tmp_path / "nothing.json"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    result = run(runner, indexed, "verify", str(bad))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def created(result: Result) -> str:
    assert result.exit_code == 0, result.output
    found = re.match(r"Created collection (\d+): ", result.stdout)
    assert found, result.stdout
    return found.group(1)


def test_a_collection_kept_ordered_annotated_shown(runner: CliRunner, indexed: Settings) -> None:
    key = created(run(runner, indexed, "collection", "new", "Asylum case"))
    for place in (["t-en-001", "2"], ["t-es-002", "1-2", "--note", "Tapachula"],
                  ["t-en-001", "3", "--chars", "1-15"]):  # fmt: skip
        assert run(runner, indexed, "collection", "add", key, *place).exit_code == 0
    result = run(runner, indexed, "collection", "add", key, "t-en-001", "2")
    assert result.exit_code == 2 and "already in this collection" in result.stderr
    assert run(runner, indexed, "collection", "move", key, "3", "1").exit_code == 0
    assert run(runner, indexed, "collection", "note", "Asylum case", "2", "taser").exit_code == 0
    result = run(runner, indexed, "collection", "show", "Asylum case")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Collection {key}: Asylum case (3 excerpts)"
    assert lines[1] == "   1. t-en-001 ¶3, characters 1–15  “In a small room”"
    assert lines[2].startswith("   2. t-en-001 ¶2  “At a checkpoint near Huixtla")
    assert lines[3] == "      note: taser"
    assert lines[4].startswith("   3. t-es-002 ¶1–2  “Llegué a Tapachula en 2018.")
    assert lines[5] == "      note: Tapachula"
    shown = json.loads(run(runner, indexed, "collection", "show", key, "--json").stdout)
    assert [(i["number"], i["doc"], i["note"]) for i in shown["items"]] == [
        (1, "t-en-001", ""), (2, "t-en-001", "taser"), (3, "t-es-002", "Tapachula")]  # fmt: skip
    assert run(runner, indexed, "collection", "remove", key, "1").exit_code == 0
    result = run(runner, indexed, "collection", "remove", key, "7")
    assert result.exit_code == 2 and "has 2 excerpts; there is no number 7" in result.stderr
    assert run(runner, indexed, "collection", "rename", key, "Appeal").exit_code == 0
    result = run(runner, indexed, "collection", "list", "--json")
    assert [(c["name"], c["size"]) for c in json.loads(result.stdout)] == [("Appeal", 2)]
    assert run(runner, indexed, "collection", "delete", "Appeal").exit_code == 0
    result = run(runner, indexed, "collection", "list")
    assert result.exit_code == 0 and "No collections yet" in result.stdout


def test_collections_belong_to_the_user_of_as(runner: CliRunner, indexed: Settings) -> None:
    add_user(indexed, "rita", "researcher")
    key = created(run(runner, indexed, "collection", "new", "Mine"))
    as_rita = ["--as", "rita", *cli_args(indexed)]
    result = runner.invoke(cli, [*as_rita, "collection", "show", key])
    assert result.exit_code == 2 and f"no collection {key!r}" in result.stderr
    result = runner.invoke(cli, [*as_rita, "collection", "new", "Mine"])
    assert created(result) != key
    result = runner.invoke(cli, [*as_rita, "collection", "list"])
    assert "Mine" in result.stdout and result.stdout.count("\n") == 1


@pytest.fixture
def collection(runner: CliRunner, indexed: Settings) -> str:
    key = created(run(runner, indexed, "collection", "new", "Asylum case"))
    for place in (["t-en-001", "2", "--note", "the checkpoint"], ["t-es-002", "3"],
                  ["r-es-004", "1"]):  # fmt: skip
        assert run(runner, indexed, "collection", "add", key, *place).exit_code == 0
    return key


def test_exports_in_every_format_are_written(
    runner: CliRunner, indexed: Settings, collection: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    for format in FORMATS:
        result = run(runner, indexed, "collection", "export", collection, "--format", format)
        assert result.exit_code == 0, result.output
        written = Path(result.stdout.strip())
        assert written.name.startswith("excerpts-asylum-case-") and written.suffix == f".{format}"
        assert (out / written).stat().st_size > 0
    starts = {"docx": b"PK", "pdf": b"%PDF", "json": b"{"}
    for format, start in starts.items():
        [path] = out.glob(f"*.{format}")
        assert path.read_bytes().startswith(start)
    assert "the checkpoint" in next(out.glob("*.md")).read_text(encoding="utf-8")
    # Never over an existing file, unless --force.
    result = run(runner, indexed, "collection", "export", collection, "--format", "md")
    assert result.exit_code == 2 and "exists; give --force" in result.stderr
    target = tmp_path / "elsewhere.csv"
    target.write_text("mine", encoding="utf-8")
    args = ("collection", "export", collection, "--format", "csv", "--output", str(target))
    assert run(runner, indexed, *args).exit_code == 2
    assert target.read_text(encoding="utf-8") == "mine"
    result = run(runner, indexed, *args, "--force", "--language", "es")
    assert result.exit_code == 0 and result.stdout.strip() == str(target)
    assert "t-es-002" in target.read_text(encoding="utf-8")
    # The exported JSON is what verify reads.
    result = run(runner, indexed, "verify", str(next(out.glob("*.json"))))
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "3 excerpts: 3 faithful"


def test_a_bundle_verifies_until_a_file_in_it_is_changed(
    runner: CliRunner, indexed: Settings, collection: str, tmp_path: Path
) -> None:
    bag = tmp_path / "bundle"
    result = run(runner, indexed, "collection", "export", collection, "--format", "bundle",
                 "--output", str(bag))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(bag) and (bag / "bagit.txt").is_file()
    result = run(runner, indexed, "verify", str(bag))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "3 excerpts: 3 faithful; bag: every file matches its manifest"
    )
    [cited] = [p for p in (bag / "data").rglob("t-en-001*.md")]
    data = bytearray(cited.read_bytes())
    data[-2] ^= 0x01  # one bit of one byte
    cited.write_bytes(bytes(data))
    result = run(runner, indexed, "verify", str(bag))
    assert result.exit_code == 1
    name = cited.relative_to(bag).as_posix()
    assert any(line.startswith("   bag: ") and name in line for line in result.stdout.splitlines())
    assert "3 faithful" in result.stdout.splitlines()[-1]  # the archive itself still holds
    # A bundle is never written over, unless --force (and then only over a bundle).
    args = ("collection", "export", collection, "--format", "bundle", "--output", str(bag))
    assert run(runner, indexed, *args).exit_code == 2
    assert run(runner, indexed, *args, "--force").exit_code == 0
    assert run(runner, indexed, "verify", str(bag)).exit_code == 0
    not_a_bag = tmp_path / "papers"
    (not_a_bag / "keep").mkdir(parents=True)
    result = run(runner, indexed, "collection", "export", collection, "--format", "bundle",
                 "--output", str(not_a_bag), "--force")  # fmt: skip
    assert result.exit_code == 2 and (not_a_bag / "keep").is_dir()
