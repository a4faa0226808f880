"""The audit trail's hash chain against tampering, through `testimony audit`: a trail of a
few hundred entries written by `AuditTrail.record`, then edited, cut, reordered or
extended behind its back in SQLite, as someone with the database file could."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from testimony_archive.access import Viewer
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.security.audit import ACTIONS, AuditTrail, Entry
from testimony_archive.security.users import Users

from .conftest import cli_args, instance_database

ENTRIES = 300
VIEWERS = [
    Viewer.administrator("ana"),
    Viewer(role="editor", name="bea", address="203.0.113.7"),
    Viewer(role="researcher", name="carl", address="2001:db8::1"),
    Viewer.anonymous("198.51.100.20"),
]


@pytest.fixture(scope="module")
def written_trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var folder whose audit trail holds ENTRIES entries (written once per module)."""
    settings = Settings(var_dir=tmp_path_factory.mktemp("trail") / "var")
    database = instance_database(settings)
    Users(database).add("bea", "editor", "a long enough passphrase")
    trail = AuditTrail(database, settings.audit_head_file)
    for number in range(1, ENTRIES + 1):
        viewer = VIEWERS[number % len(VIEWERS)]
        trail.record(viewer, ACTIONS[number % len(ACTIONS)], f"t-es-{number:03d}",
                     n=number, words=["señora", "“quoted”"], para=number % 7 or None)  # fmt: skip
    database.close()
    return settings.var_dir


@pytest.fixture
def settings(written_trail: Path, tmp_path: Path) -> Settings:
    """A copy of the written trail, for one test to tamper with."""
    var_dir = shutil.copytree(written_trail, tmp_path / "var")
    return Settings(archive_dir=tmp_path / "archive", var_dir=var_dir)


@pytest.fixture
def db(settings: Settings) -> Iterator[sqlite3.Connection]:
    """The instance database, opened as an intruder would: plain SQLite, no triggers."""
    connection = sqlite3.connect(settings.instance_db, isolation_level=None)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def run(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, cli_args(settings, *args), env={"TESTIMONY_EDITOR": "ana"})
    return result.exit_code, result.stdout, result.stderr


def verify(runner: CliRunner, settings: Settings, *options: str) -> tuple[int, str]:
    code, out, err = run(runner, settings, "audit", "verify", *options)
    assert not err, err
    return code, out.strip()


def trail(settings: Settings) -> AuditTrail:
    return AuditTrail(instance_database(settings), settings.audit_head_file)


def entry(db: sqlite3.Connection, seq: int) -> Entry:
    row = db.execute("SELECT * FROM audit_entries WHERE seq = ?", (seq,)).fetchone()
    return Entry(row["seq"], row["at"], row["actor"], row["role"], row["address"],
                 row["action"], row["target"], json.loads(row["detail"]), row["prev_hash"],
                 row["hash"])  # fmt: skip


def write(db: sqlite3.Connection, item: Entry) -> None:
    """Insert or replace an entry with a hash that matches its content."""
    item = Entry(**{**item.__dict__, "hash": item.computed_hash()})
    values = item.as_json() | {"detail": json.dumps(item.detail)}
    names = ", ".join(values)
    db.execute(f"INSERT OR REPLACE INTO audit_entries ({names}) VALUES "
               f"({', '.join('?' * len(values))})", list(values.values()))  # fmt: skip


def rechain(db: sqlite3.Connection, settings: Settings, start: int) -> None:
    """What a careful intruder does after a change: hash every later entry again, and
    write the head file to match."""
    last = db.execute("SELECT max(seq) FROM audit_entries").fetchone()[0]
    prev = entry(db, start - 1).hash if start > 1 else "0" * 64
    for seq in range(start, last + 1):
        item = Entry(**{**entry(db, seq).__dict__, "prev_hash": prev})
        write(db, item)
        prev = item.computed_hash()
    settings.audit_head_file.write_text(f"{last} {prev}\n", encoding="ascii")


def test_an_intact_trail_verifies(runner: CliRunner, settings: Settings) -> None:
    assert verify(runner, settings) == (0, f"intact: {ENTRIES} entries")
    code, out = verify(runner, settings, "--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "entries": ENTRIES, "first_bad": None,
                               "problem": None}  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor", "mallory"), ("role", "admin"), ("address", "10.0.0.1"), ("action", "view"),
     ("target", "t-es-999"), ("detail", '{"n":124}'), ("at", "2020-01-01T00:00:00+00:00")],
)  # fmt: skip
def test_an_edited_field_is_found(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection, column: str, value: str
) -> None:
    db.execute(f"UPDATE audit_entries SET {column} = ? WHERE seq = 123", (value,))
    code, out = verify(runner, settings)
    assert code == 1
    assert out == ("broken at entry 123: entry 123 was altered after it was written (its "
                   "hash does not match its content)")  # fmt: skip


def test_a_deleted_entry_is_found(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute("DELETE FROM audit_entries WHERE seq = 150")
    code, out = verify(runner, settings)
    assert code == 1 and out.startswith("broken at entry 150: entry 150 is missing")
    code, out = verify(runner, settings, "--json")
    assert code == 1 and json.loads(out)["first_bad"] == 150
    assert json.loads(out)["entries"] == 149  # those that hold, before it


def test_an_inserted_entry_is_found(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    # Make room at 100, then forge an entry that follows 99 with a hash of its own.
    db.execute("UPDATE audit_entries SET seq = -seq - 1 WHERE seq >= 100")
    db.execute("UPDATE audit_entries SET seq = -seq WHERE seq < 0")
    forged = Entry(100, entry(db, 99).at, "ana", "admin", "cli", "user-add", "mallory",
                   {"role": "admin"}, entry(db, 99).hash)  # fmt: skip
    write(db, forged)
    code, out = verify(runner, settings)
    assert code == 1
    assert out.startswith("broken at entry 101: entry 101 does not follow entry 100")


def test_a_replayed_entry_is_found(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute("UPDATE audit_entries SET seq = -seq - 1 WHERE seq >= 42")
    db.execute("UPDATE audit_entries SET seq = -seq WHERE seq < 0")
    copy = entry(db, 43)  # the old 42, copied in front of itself: it holds, its twin not
    db.execute("INSERT INTO audit_entries VALUES (42, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (copy.at, copy.actor, copy.role, copy.address, copy.action, copy.target,
                json.dumps(copy.detail), copy.prev_hash, copy.hash))  # fmt: skip
    code, out = verify(runner, settings)
    assert code == 1 and out.startswith("broken at entry 43: entry 43 does not follow entry 42")


def test_two_swapped_entries_are_found(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute("UPDATE audit_entries SET seq = -1 WHERE seq = 60")
    db.execute("UPDATE audit_entries SET seq = 60 WHERE seq = 61")
    db.execute("UPDATE audit_entries SET seq = 61 WHERE seq = -1")
    code, out = verify(runner, settings)
    assert code == 1
    assert out.startswith("broken at entry 60: entry 60 does not follow entry 59")


def test_a_trail_cut_short_is_found(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute(f"DELETE FROM audit_entries WHERE seq > {ENTRIES - 10}")
    code, out = verify(runner, settings)
    assert code == 1
    assert out == (f"broken at entry {ENTRIES - 9}: the trail ends at entry {ENTRIES - 10} "
                   f"but its head file names entry {ENTRIES}: entries were removed from the "
                   "end")  # fmt: skip


def test_a_deleted_head_file_is_found_and_not_made_anew(
    runner: CliRunner, settings: Settings
) -> None:
    missing = (f"the chain head file {settings.audit_head_file} is missing or unreadable "
               "(restore it from a backup, or once you know why, 'testimony audit head "
               "--rewrite')")  # fmt: skip
    settings.audit_head_file.unlink()
    code, out = verify(runner, settings)
    assert code == 1
    assert out == f"broken: {missing}"
    code, out = verify(runner, settings, "--json")
    assert json.loads(out) == {
        "ok": False, "entries": ENTRIES, "first_bad": None, "problem": missing,
    }  # fmt: skip
    # the next entry does not quietly make it anew (that would hide the deletion)
    trail(settings).record(VIEWERS[0], "search", "after the deletion")
    assert verify(runner, settings)[0] == 1 and not settings.audit_head_file.exists()
    # an administrator who has looked writes it anew, and the trail says so
    code, out, _err = run(runner, settings, "audit", "head", "--rewrite")
    assert code == 0, out
    assert verify(runner, settings) == (0, f"intact: {ENTRIES + 2} entries")
    assert trail(settings).entries(newest_first=True, limit=1)[0].action == "audit-head-rewritten"


def test_moving_characters_between_fields_breaks_the_chain(
    runner: CliRunner, settings: Settings
) -> None:
    trail(settings).record(VIEWERS[0], "search", "golpes\x1fsearch")
    with sqlite3.connect(settings.instance_db) as db:
        db.execute("UPDATE audit_entries SET action = 'search\x1fgolpes', target = 'search' "
                   f"WHERE seq = {ENTRIES + 1}")  # fmt: skip
    assert verify(runner, settings)[0] == 1


def test_a_rewritten_tail_is_found_by_the_head_file(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 200")
    rechain(db, settings, 200)
    settings.audit_head_file.write_text(
        f"{ENTRIES} {'f' * 64}\n", encoding="ascii"
    )  # the old head, as it was: rewritten only in the database
    code, out = verify(runner, settings)
    assert code == 1 and out.startswith(f"broken at entry {ENTRIES}: entry {ENTRIES} is not")


def test_a_head_written_down_catches_a_trail_rewritten_with_its_head_file(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    code, written, _ = run(runner, settings, "audit", "head")
    assert code == 0
    seq, digest = written.split()
    assert (int(seq), digest) == (ENTRIES, entry(db, ENTRIES).hash)
    kept = settings.audit_head_file.read_text("ascii").split()
    assert (int(kept[0]), kept[1]) == (ENTRIES, digest)  # the same as the head file says
    assert verify(runner, settings, "--head", written.strip()) == (0, f"intact: {ENTRIES} entries")
    db.execute("UPDATE audit_entries SET target = 'nothing-to-see' WHERE seq = 250")
    rechain(db, settings, 250)
    assert verify(runner, settings) == (0, f"intact: {ENTRIES} entries")  # fooled
    code, out = verify(runner, settings, "--head", written.strip())
    assert code == 1
    assert out.startswith(f"broken at entry {ENTRIES}: entry {ENTRIES} is not the entry whose "
                          "hash was written down")  # fmt: skip
    db.execute(f"DELETE FROM audit_entries WHERE seq > {ENTRIES - 5}")
    rechain(db, settings, ENTRIES - 5)
    code, out = verify(runner, settings, "--head", written.strip())
    assert code == 1 and f"entry {ENTRIES}, whose hash was written down, is missing" in out


def test_a_malformed_head_is_a_usage_error(runner: CliRunner, settings: Settings) -> None:
    code, _, err = run(runner, settings, "audit", "verify", "--head", "300")
    assert code == 2 and "64 hex digits" in err


def test_head_is_refused_while_the_trail_does_not_hold(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute("DELETE FROM audit_entries WHERE seq = 7")
    code, out, err = run(runner, settings, "audit", "head")
    assert code == 1 and not out
    assert "entry 7 is missing" in err and "testimony audit verify" in err


def test_show_reads_the_trail_oldest_first(runner: CliRunner, settings: Settings) -> None:
    code, out, err = run(runner, settings, "audit", "show", "--json")
    assert code == 0 and not err
    entries = [json.loads(line) for line in out.splitlines()]
    assert [item["seq"] for item in entries] == list(range(1, ENTRIES + 1))
    assert set(entries[0]) == {"seq", "at", "actor", "role", "address", "action", "target",
                               "detail", "prev_hash", "hash"}  # fmt: skip
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    assert entries[4]["detail"] == {"n": 5, "words": ["señora", "“quoted”"], "para": 5}
    code, out, _ = run(runner, settings, "audit", "show")
    lines = out.splitlines()
    assert len(lines) == ENTRIES
    assert lines[1].split()[:1] == ["2"]
    assert "bea (editor, 203.0.113.7)" in lines[0] and "t-es-001" in lines[0]
    assert "words=señora,“quoted”" in lines[0]


def test_show_filters_by_user_time_and_count(runner: CliRunner, settings: Settings) -> None:
    def seqs(*options: str) -> list[int]:
        code, out, _ = run(runner, settings, "audit", "show", "--json", *options)
        assert code == 0
        return [json.loads(line)["seq"] for line in out.splitlines()]

    assert seqs("--user", "bea") == list(range(1, ENTRIES + 1, 4))
    assert seqs("--user", "anonymous", "--limit", "3") == [291, 295, 299]
    assert seqs("--limit", "2", "--newest-first") == [ENTRIES, ENTRIES - 1]
    assert seqs("--since", "2000-01-01") == list(range(1, ENTRIES + 1))
    assert seqs("--since", "2999-01-01T00:00+02:00") == []
    code, out, _ = run(runner, settings, "audit", "show", "--since", "2999-01-01")
    assert code == 0 and out.strip() == "No audit entries match."
    code, _, err = run(runner, settings, "audit", "show", "--since", "last tuesday")
    assert code == 2 and "2026-12-01T09:30" in err


def test_show_warns_when_the_trail_does_not_hold(
    runner: CliRunner, settings: Settings, db: sqlite3.Connection
) -> None:
    db.execute("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 9")
    code, out, err = run(runner, settings, "audit", "show", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1
    assert err.startswith("Warning: the audit trail does not hold (entry 9 was altered")


@pytest.mark.parametrize("command", ["show", "verify", "head"])
def test_only_administrators_read_the_trail(
    runner: CliRunner, settings: Settings, command: str
) -> None:
    result = runner.invoke(cli, ["--as", "bea", *cli_args(settings, "audit", command)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Only administrators may read the audit trail")
    assert not result.stdout


def test_an_empty_trail(runner: CliRunner, tmp_path: Path) -> None:
    settings = Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var")
    assert verify(runner, settings) == (0, "intact: 0 entries")
    code, out, _ = run(runner, settings, "audit", "show")
    assert code == 0 and out.strip() == "The audit trail is empty."
    code, out, err = run(runner, settings, "audit", "head")
    assert code == 2 and not out and "no entries yet" in err


def test_reads_are_queued_then_appended_in_the_order_they_happened(tmp_path: Path) -> None:
    import threading
    import time

    settings = Settings(var_dir=tmp_path / "var")
    trail = AuditTrail(instance_database(settings), settings.audit_head_file)
    reader, editor = VIEWERS[2], VIEWERS[1]
    trail.note(reader, "search", "first")
    trail.note(reader, "view", "t-es-001")
    trail.record(editor, "tag-edit", "t-es-001")  # a change: appended now, after the reads
    assert [e.target for e in trail.entries()] == ["first", "t-es-001", "t-es-001"]
    trail.note(reader, "search", "later")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the background writer, within a fraction of a second
        with sqlite3.connect(settings.instance_db) as db:
            if db.execute("SELECT count(*) FROM audit_entries").fetchone()[0] == 4:
                break
        time.sleep(0.05)
    else:
        pytest.fail("the queued entry was never written")
    def searches(n: int) -> None:
        for i in range(50):
            trail.note(reader, "search", f"{n}-{i}")

    threads = [threading.Thread(target=searches, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    trail.close()  # what is still queued is written
    entries = trail.entries()
    assert len(entries) == 4 + 200 and trail.verify().ok
    for n in range(4):  # each thread's reads in the order it made them
        mine = [e.target for e in entries if e.target.startswith(f"{n}-")]
        assert mine == [f"{n}-{i}" for i in range(50)]
    assert _parse_head_file(settings) == (entries[-1].seq, entries[-1].hash)


def _parse_head_file(settings: Settings) -> tuple[int, str]:
    seq, digest = settings.audit_head_file.read_text("ascii").split()
    return int(seq), digest


def test_entries_whose_writing_failed_wait_for_the_next_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(var_dir=tmp_path / "var")
    trail = AuditTrail(instance_database(settings), settings.audit_head_file)
    reader = VIEWERS[2]
    trail.note(reader, "view", "restricted-0")
    trail.note(reader, "view", "restricted-1")
    real = trail._chain

    def failing(*args: object) -> object:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(trail, "_chain", failing)
    with pytest.raises(sqlite3.OperationalError):
        trail.flush()
    with pytest.raises(sqlite3.OperationalError):
        trail.record(VIEWERS[1], "tag-edit", "t-es-001")  # the change fails loudly
    monkeypatch.setattr(trail, "_chain", real)
    trail.note(reader, "view", "restricted-2")
    trail.close()
    assert [e.target for e in trail.entries()] == ["restricted-0", "restricted-1", "restricted-2"]
    assert trail.verify().ok


def test_a_readable_head_file_is_never_rewritten(runner: CliRunner, settings: Settings) -> None:
    with sqlite3.connect(settings.instance_db) as db:
        db.execute(f"DELETE FROM audit_entries WHERE seq > {ENTRIES - 3}")  # cut short
    code, out, err = run(runner, settings, "audit", "head", "--rewrite")
    assert code == 2 and "can be read" in err
    assert verify(runner, settings)[0] == 1  # still says the trail was cut short
