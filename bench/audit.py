"""The audit trail at length: how long `verify` takes over 100,000 entries.

The entries go into a scratch var folder, var/bench/audit/ (its own instance database and
head file, never a served one, whatever TESTIMONY_DATABASE_URL says), written afresh on
every run: the first and the last through `AuditTrail.record` (which makes the head
file and moves it on), those between in bulk, chained with the trail's own hashing
(`Entry.computed_hash`, `canonical`). They are searches of the query mix by a few
researchers, with the details `SearchService.search` records. Then `AuditTrail.verify()`
is timed (the median of a few runs), and `testimony audit verify` where it exists.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from testimony_archive.access import Viewer
from testimony_archive.config import Settings
from testimony_archive.instance import InstanceDatabase, stamp, tables
from testimony_archive.security.audit import AuditTrail, Entry, canonical

from .common import BENCH_DIR, ROOT, folder_mb
from .library import request_for
from .queries import Query

ENTRIES = 100_000
SCRATCH = BENCH_DIR / "audit"
BATCH = 5_000
ACTORS = 20  # researchers the entries are spread over
ADDRESS = "127.0.0.1"


def _search_detail(query: Query) -> dict[str, Any]:
    """What `SearchService.search` records besides the words."""
    return {key: value for key, value in dataclasses.asdict(request_for(query)).items()
            if value and key not in ("q", "limit")}  # fmt: skip


def write_trail(
    trail: AuditTrail, database: InstanceDatabase, mix: list[Query], count: int
) -> None:
    """`count` chained search entries: the first and the last through `record` (which
    makes the head file, then moves it on), those between in bulk."""
    table = tables.audit_entries
    details = [(query.q[:200], _search_detail(query)) for query in mix]
    first = trail.record(Viewer("researcher", "researcher-00", ADDRESS), "search", "the first")
    previous, rows = first.hash, []
    for seq in range(2, count):
        target, detail = details[seq % len(details)]
        actor = f"researcher-{seq % ACTORS:02d}"
        entry = Entry(seq, stamp(), actor, "researcher", ADDRESS, "search", target, detail,
                      previous)  # fmt: skip
        previous = entry.computed_hash()
        rows.append(entry.as_json() | {"detail": canonical(detail), "hash": previous})
        if len(rows) == BATCH or seq == count - 1:
            with database.begin() as connection:
                connection.execute(table.insert(), rows)
            rows = []
    last = trail.record(Viewer("researcher", "researcher-00", ADDRESS), "search", "the last")
    if last.seq != count:
        raise RuntimeError(f"the trail's last entry is number {last.seq}, not {count}")


def _time_cli(settings: Settings) -> dict[str, Any]:
    """`testimony audit verify` in a new process (its start-up included)."""
    command = [sys.executable, "-m", "testimony_archive", "--archive", str(settings.archive_dir)]
    command += ["--var", str(settings.var_dir), "audit", "verify"]
    environment = {k: v for k, v in os.environ.items() if k != "TESTIMONY_DATABASE_URL"}
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "entries_per_s": round(ENTRIES / seconds),
        "ok": result.returncode == 0,
        "output": (result.stdout or result.stderr).strip()[-300:],
    }


def measure_verify(mix: list[Query], count: int = ENTRIES, runs: int = 3) -> dict[str, Any]:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    (SCRATCH / "archive").mkdir(parents=True)
    settings = Settings(archive_dir=SCRATCH / "archive", var_dir=SCRATCH)
    database = InstanceDatabase(settings.database_url)
    try:
        database.prepare()
        trail = AuditTrail(database, settings.audit_head_file)
        started = time.perf_counter()
        write_trail(trail, database, mix, count)
        written = time.perf_counter() - started
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            verification = trail.verify()
            timings.append(time.perf_counter() - started)
            if not verification.ok or verification.entries != count:
                raise RuntimeError(f"the bench's trail does not verify: {verification}")
    finally:
        database.close()
    seconds = statistics.median(timings)
    return {
        "entries": count,
        "database": str(settings.instance_db.relative_to(ROOT)),
        "database_mb": round(folder_mb(settings.instance_db), 1),
        "write_s": round(written, 2),
        "library_s": round(seconds, 2),
        "library_runs_s": [round(value, 2) for value in timings],
        "library_entries_per_s": round(count / seconds),
        "ok": True,
        "cli": _time_cli(settings),
    }
