"""Tag editing through the CLI: the archive file, the history and the index all change."""

from __future__ import annotations

import json

from click.testing import CliRunner

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.history import History
from testimony_archive.index import SearchRequest, WhooshIndex

from .conftest import DATA, PUBLIC, cli_args, instance_database


def run(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, cli_args(settings, *args))
    return result.exit_code, result.stdout, result.stderr


def setup(runner: CliRunner, settings: Settings) -> None:
    assert run(runner, settings, "import", str(DATA / "records.jsonl"))[0] == 0
    assert run(runner, settings, "index")[0] == 0


def test_add_a_paragraph_tag_changes_the_file_the_history_and_the_index(
    runner: CliRunner, settings: Settings
) -> None:
    setup(runner, settings)
    path = (settings.archive_dir / "documents") / "r-en-003.md"
    body_before = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    code, out, _ = run(
        runner,
        settings,
        "tag",
        "add",
        "r-en-003",
        "--para",
        "3",
        "torture.deprivation",
        "detention-staff",
        "--editor",
        "Ana",
    )
    assert code == 0, out
    document = Archive(settings.archive_dir).get("r-en-003")
    assert document.segments[3].tags.abuse_types == ("torture.deprivation",)
    assert document.segments[3].tags.perpetrators == ("detention-staff",)
    assert path.read_text(encoding="utf-8").split("\n---\n", 1)[1] == body_before
    changes = History(instance_database(settings)).for_document("r-en-003")
    assert [
        (c.editor, c.action, c.para, c.value, c.before, c.after, c.origin) for c in changes
    ] == [
        ("Ana", "add", 3, "torture.deprivation", (), ("torture.deprivation",), "manual"),
        ("Ana", "add", 3, "detention-staff", (), ("detention-staff",), "manual"),
    ]
    service = WhooshIndex(Archive(settings.archive_dir), settings.index_dir)
    found = service.search(SearchRequest(abuse_type="torture", unit="paragraph"), PUBLIC)
    service.close()
    assert ("r-en-003", 3) in [(hit.doc, hit.para) for hit in found.hits]  # type: ignore[union-attr]


def test_accept_and_reject_suggestions(runner: CliRunner, settings: Settings) -> None:
    setup(runner, settings)
    # t-en-001's place ("Huixtla, Chiapas, Mexico") gave a suggested location
    suggested = Archive(settings.archive_dir).get("t-en-001").suggested.locations
    assert suggested
    code, out, _ = run(runner, settings, "tag", "accept", "t-en-001")
    assert code == 0, out
    document = Archive(settings.archive_dir).get("t-en-001")
    assert document.suggested.locations == () and document.tags.locations == suggested
    code, _, err = run(runner, settings, "tag", "reject", "t-en-001", "MX")
    assert code == 2 and "not a suggested tag" in err
    code, out, _ = run(runner, settings, "tag", "reject", "r-en-003", "MX")
    assert code == 0
    assert Archive(settings.archive_dir).get("r-en-003").suggested.locations == ()
    code, out, _ = run(runner, settings, "tag", "history", "r-en-003", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[-1]["action"] == "reject" and rows[-1]["origin"] == "suggested"


def test_remove_and_bad_input(runner: CliRunner, settings: Settings) -> None:
    setup(runner, settings)
    code, _, _ = run(runner, settings, "tag", "remove", "t-es-002", "police")
    assert code == 0
    assert Archive(settings.archive_dir).get("t-es-002").tags.perpetrators == ()
    code, _, err = run(runner, settings, "tag", "add", "t-es-002", "torture.tickling")
    assert code == 2 and "unknown tag 'torture.tickling'" in err
    code, _, err = run(runner, settings, "tag", "add", "t-es-002", "--para", "9", "police")
    assert code == 2 and "has no paragraph 9" in err
    code, _, err = run(runner, settings, "tag", "add", "nope", "police")
    assert code == 2 and "no document with id 'nope'" in err
    code, out, _ = run(runner, settings, "tag", "history", "t-es-002")
    assert "remove" in out and "police" in out and "manual" in out
