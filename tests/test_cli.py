"""The `testimony` command through Click's runner: effects, not only exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.index.writer import indexed_documents

from .conftest import DATA, cli_args


def run(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, cli_args(settings, *args))
    return result.exit_code, result.stdout, result.stderr


def test_import_creates_the_archive_and_reports_counts(
    runner: CliRunner, settings: Settings
) -> None:
    code, out, _ = run(runner, settings, "import", str(DATA / "records.jsonl"))
    assert code == 0
    assert "Imported 4, skipped 0" in out
    assert sorted(path.stem for path in (settings.archive_dir / "documents").rglob("*.md")) == [
        "r-en-003", "r-es-004", "t-en-001", "t-es-002",
    ]  # fmt: skip


def test_import_twice_is_idempotent(runner: CliRunner, settings: Settings) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    before = {
        path: path.read_bytes() for path in (settings.archive_dir / "documents").rglob("*.md")
    }
    code, out, _ = run(runner, settings, "import", "--json", str(DATA / "records.jsonl"))
    assert code == 0
    assert json.loads(out)["skipped"] == 4
    assert {
        path: path.read_bytes() for path in (settings.archive_dir / "documents").rglob("*.md")
    } == before


def test_one_bad_record_refuses_the_import_whole(runner: CliRunner, settings: Settings) -> None:
    code, out, err = run(runner, settings, "import", "--json", str(DATA / "bad-records.jsonl"))
    assert code == 2
    report = json.loads(out)
    assert (report["imported"], report["new"], report["written"]) == (0, 1, False)
    reasons = " | ".join(item["reason"] for item in report["failed"])
    assert len(report["failed"]) == 6
    for expected in (
        "'Bad Id' is not a valid id",
        "invalid JSON",
        "'novel' is not a kind",
        "March 2016",
        "torture.tickling",
        "field 'text'",
    ):
        assert expected in reasons
    assert not (settings.archive_dir / "documents").exists() or not list(
        (settings.archive_dir / "documents").iterdir()
    )
    code, out, err = run(runner, settings, "import", str(DATA / "bad-records.jsonl"))
    assert out.startswith("Nothing was imported: 1 new, 0 already archived, 6 refused.")
    assert f"refused: {DATA / 'bad-records.jsonl'}:4: invalid JSON" in err


def test_skip_invalid_imports_the_valid_records(runner: CliRunner, settings: Settings) -> None:
    code, out, err = run(
        runner, settings, "import", "--skip-invalid", str(DATA / "bad-records.jsonl")
    )
    assert code == 2  # something was refused all the same
    assert out.startswith("Imported 1, skipped 0 (already archived), refused 6.")
    assert err.count("refused: ") == 6
    assert [path.stem for path in (settings.archive_dir / "documents").rglob("*.md")] == ["ok-005"]
    assert not list((settings.archive_dir / "documents").rglob(".*"))  # no temp files left behind


def test_import_of_a_changed_text_under_an_existing_id_fails(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    changed = tmp_path / "changed.jsonl"
    changed.write_text(
        json.dumps(
            {"id": "t-en-001", "kind": "testimony", "title": "x", "text": "A different text."}
        )
        + "\n",
        encoding="utf-8",
    )
    code, _, err = run(runner, settings, "import", str(changed))
    assert code == 2
    assert "already in the archive with a different text" in err
    assert (
        "checkpoint near Huixtla"
        in ((settings.archive_dir / "documents") / "t-en-001.md").read_text()
    )


def test_missing_file_is_a_usage_error(runner: CliRunner, settings: Settings) -> None:
    code, _, err = run(runner, settings, "import", "nowhere.jsonl")
    assert code == 2
    assert err.strip() == "Error: no such file: nowhere.jsonl"


def test_index_then_search_finds_the_paragraph(runner: CliRunner, settings: Settings) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    code, out, _ = run(runner, settings, "index")
    assert code == 0 and "4 added" in out
    assert len(indexed_documents(settings.index_dir)) == 4
    code, out, _ = run(runner, settings, "search", "taser", "--json", "--unit", "paragraph")
    data = json.loads(out)
    assert data["results"][0]["doc"] == "t-en-001"
    assert data["results"][0]["para"] == 3
    code, out, _ = run(runner, settings, "search", "taser")
    assert "t-en-001" in out and "[taser]" in out


def test_import_updates_an_existing_index(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    run(runner, settings, "index")
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        json.dumps(
            {
                "id": "late-006",
                "kind": "testimony",
                "title": "Late arrival",
                "text": "A kidnapping near Palenque.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(runner, settings, "import", str(extra))
    assert code == 0 and "Index updated: 1 added" in out
    code, out, _ = run(runner, settings, "search", "kidnapping Palenque", "--json")
    assert json.loads(out)["results"][0]["doc"] == "late-006"


def test_search_filters_and_facets(runner: CliRunner, settings: Settings) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    run(runner, settings, "index")
    code, out, _ = run(runner, settings, "search", "", "--location", "MX-CHP", "--json")
    data = json.loads(out)
    assert {hit["doc"] for hit in data["results"]} == {"t-en-001", "t-es-002", "r-es-004"}
    locations = {value["value"]: value["count"] for value in data["facets"]["locations"]}
    assert locations["MX"] == 3 and locations["MX-CHP"] == 3
    code, out, _ = run(runner, settings, "search", "", "--abuse-type", "torture", "--json")
    assert {hit["doc"] for hit in json.loads(out)["results"]} == {"t-en-001", "t-es-002"}


def test_search_batch_follows_the_contract(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    run(runner, settings, "index")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "\n".join(json.dumps(item) for item in [
            {"qid": "q1", "query": "taser neck"},
            {"qid": "q2", "query": "deported", "filters": {"location": "MX", "year": 2016}},
            {"qid": "q3", "query": "((("},
        ]) + "\n", encoding="utf-8",
    )  # fmt: skip
    code, out, _ = run(runner, settings, "search", "--batch", str(queries), "--unit", "paragraph")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["qid"] for line in lines] == ["q1", "q2", "q3"]
    assert set(lines[0]) == {"qid", "total", "results"}
    assert lines[0]["results"][0] == {
        "doc": "t-en-001",
        "para": 3,
        "score": lines[0]["results"][0]["score"],
    }
    assert [(hit["doc"], hit["para"]) for hit in lines[1]["results"]] == [("t-en-001", 4)]
    assert lines[2]["total"] == 12  # nothing left to search for: every paragraph, unranked
    code, out, _ = run(runner, settings, "search", "--batch", str(queries), "--unit", "document")
    first = json.loads(out.splitlines()[0])["results"][0]
    assert set(first) == {"doc", "score", "paras"} and first["paras"][0] == 3


def test_search_batch_rejects_unknown_filters(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    run(runner, settings, "index")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        '{"qid": "q", "query": "x", "filters": {"colour": "red"}}\n', encoding="utf-8"
    )
    code, _, err = run(runner, settings, "search", "--batch", str(queries))
    assert code == 2 and "line 1: unknown filter 'colour'" in err


def test_search_without_index_says_what_to_do(runner: CliRunner, settings: Settings) -> None:
    code, _, err = run(runner, settings, "search", "anything")
    assert code == 2 and "testimony index" in err


def test_export_round_trip(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    exported = tmp_path / "export.jsonl"
    code, _, _ = run(runner, settings, "export", "--format", "jsonl", "--output", str(exported))
    assert code == 0
    second = Settings(archive_dir=tmp_path / "second", var_dir=tmp_path / "var2")
    code, out, _ = run(runner, second, "import", str(exported))
    assert code == 0
    first_docs = {doc.id: doc for doc in Archive(settings.archive_dir)}
    second_docs = {doc.id: doc for doc in Archive(second.archive_dir)}
    assert first_docs == second_docs


def test_validate_reports_a_tampered_body(runner: CliRunner, settings: Settings) -> None:
    run(runner, settings, "import", str(DATA / "records.jsonl"))
    path = (settings.archive_dir / "documents") / "t-es-002.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("golpearon", "empujaron"), encoding="utf-8"
    )
    code, out, err = run(runner, settings, "validate")
    assert code == 2
    assert "t-es-002.md" in err and "sha256" in err
    assert "3 of 4 documents are valid" in out


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in cli.commands:
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0, command
        assert cli.commands[command].help, f"{command} has no help text"


def test_an_index_of_another_schema_is_rebuilt_not_patched(
    runner: CliRunner, settings: Settings
) -> None:
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    run(runner, settings, "import", "--no-suggest", str(DATA / "records.jsonl"))
    settings.index_dir.mkdir(parents=True)
    whoosh_index.create_in(str(settings.index_dir), Schema(key=ID(stored=True)))
    code, out, _ = run(runner, settings, "index")
    assert code == 0 and "4 added" in out
    assert len(indexed_documents(settings.index_dir)) == 4


def test_an_index_of_another_format_is_refused_then_rebuilt(
    runner: CliRunner, settings: Settings
) -> None:
    run(runner, settings, "import", "--no-suggest", str(DATA / "records.jsonl"))
    run(runner, settings, "index")
    (settings.index_dir / "FORMAT").write_text("1\n", encoding="utf-8")  # an older version's
    code, _, err = run(runner, settings, "search", "agents")
    assert code == 2 and "another version" in err and "testimony index" in err
    code, out, _ = run(runner, settings, "index")
    assert code == 0 and "4 added" in out
    code, out, _ = run(runner, settings, "search", "--json", "agents")
    assert code == 0 and json.loads(out)["total"] > 0


def test_an_archive_given_as_a_relative_path(
    runner: CliRunner, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(runner, settings, "import", "--no-suggest", str(DATA / "records.jsonl"))
    monkeypatch.chdir(settings.archive_dir)
    here = Settings(archive_dir=Path("."), var_dir=settings.var_dir)
    code, out, _ = run(runner, here, "index")
    assert code == 0 and "4 added" in out
    code, out, _ = run(runner, here, "index")
    assert code == 0 and "0 added, 0 updated, 0 removed, 4 unchanged" in out


def test_import_help_names_every_format(runner: CliRunner, settings: Settings) -> None:
    result = runner.invoke(cli, cli_args(settings, "import", "--help"))
    for ending in (".jsonl", ".csv", ".md", ".txt", ".docx", ".pdf"):
        assert ending in result.output


def test_serve_hands_its_settings_to_the_app_not_to_the_environment(
    runner: CliRunner, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pickle

    import uvicorn

    started: list[uvicorn.Config] = []

    def run(server: uvicorn.Server) -> None:
        started.append(server.config)
        server.started = True

    monkeypatch.setattr(uvicorn.Server, "run", run)
    monkeypatch.delenv("TESTIMONY_ARCHIVE", raising=False)
    before = dict(os.environ)
    result = runner.invoke(cli, cli_args(settings, "serve", "--port", "8123"))
    assert result.exit_code == 0, result.output
    assert dict(os.environ) == before
    (config,) = started
    assert config.factory and config.port == 8123
    app = pickle.loads(pickle.dumps(config.app))()  # as a worker process receives it
    assert app.state.settings.archive_dir == settings.archive_dir
