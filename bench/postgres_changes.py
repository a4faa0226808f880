"""Changes seen across hosts: how long a new document takes to be found on the other
server, and how far the replica falls behind while 2,000 documents are imported.

Both run `testimony import` (on the primary, as server A's host would, with
`--no-suggest`: what is measured is the search index, not tag suggestion) in a thread
of this process, and look at the servers or the database every so often meanwhile
(`sampling`):

- import to searchable: one new document (library.fresh_record) is imported, and server
  A's and server B's /api/search are asked for its marker word every 0.1 s, from the
  start of the command until both find it (the time the asking request was sent). B
  reads from the replica: the time on B is the command (with Python's start-up and the
  app's imports), the commit, replication and whatever B caches. Also from the
  command's end (its process has exited): found_after_s minus command_s, negative when
  a server found the document before the process had exited (the index is committed
  before the command's own clean-up and exit).
  Several repetitions. (A tag edit through A's web form: postgres_tag_edits.py.)
- replica lag: while 2,000 new documents (the scaled archive's next copy of the shared
  corpus's records, scale.vary: none of them in the archive yet) are imported, every
  0.2 s the primary gives its WAL position, how many bytes of it the replica has not
  replayed, and pg_stat_replication's replay_lag (the time from a WAL record's flush on
  the primary to its replay on the replica: the true time lag); the replica gives
  now() minus the commit time of the last transaction it replayed, which also counts
  time in which the primary wrote nothing the replica could replay (an idle primary, or
  a long transaction not yet committed): an upper bound. Figures count only the
  samples in which replication had work to do (lag_figures).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .build import checked, cli_command
from .common import Measured, fetch, percentile, run_measured
from .library import fresh_record, new_marker
from .postgres_db import Connection, Database, lag_bytes
from .scale import load_records, vary, with_suggested_abuse_types

POLL_S = 0.1
LAG_EVERY_S = 0.2
FOUND_TIMEOUT_S = 30.0
CATCH_UP_TIMEOUT_S = 60.0  # the replica replays what the import wrote within this


@dataclass
class Sampled:
    measured: Measured
    ended_at_s: float  # when the command ended, from its start
    settled_at_s: float | None  # when `settled` first held after that (None: not in time)


def sampling(
    command: list[str],
    env: dict[str, str],
    every: float,
    sample: Callable[[float], None],
    settled: Callable[[], bool],
    timeout: float,
) -> Sampled:
    """Run the command to its end in a thread, calling sample(seconds since its start)
    every `every` seconds meanwhile; then go on until settled() holds (at most `timeout`
    seconds more)."""
    started = time.perf_counter()

    def tick() -> float:
        at = time.perf_counter() - started
        sample(at)
        time.sleep(max(0.0, every - (time.perf_counter() - started) % every))
        return at

    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(run_measured, command, env)
        while not running.done():
            tick()
        measured = running.result()
    ended = time.perf_counter() - started
    while (at := tick()) <= ended + timeout:
        if settled():
            return Sampled(measured, round(ended, 3), round(at, 3))
    return Sampled(measured, round(ended, 3), None)


def import_command(work: Path, source: Path) -> list[str]:
    return cli_command(work, "import", "--no-suggest", "--json", str(source))


# -- edit to searchable ------------------------------------------------------------------


def found(base: str, marker: str) -> bool:
    status, body, _ms = fetch(f"{base}/api/search?{urlencode({'q': marker})}", timeout=10)
    return status == 200 and bool(json.loads(body).get("total"))


def one_edit(work: Path, env: dict[str, str], bases: dict[str, str]) -> dict[str, Any]:
    """Import one new document with server A's settings: the seconds from the command's
    start until each server found it (None: not within FOUND_TIMEOUT_S after the
    command ended), and from the command's end."""
    marker = new_marker()
    source = work / f"edit-{marker}.jsonl"
    source.write_text(json.dumps(fresh_record(marker)) + "\n", encoding="utf-8")
    seen: dict[str, float] = {}

    def look(at: float) -> None:
        for name, base in bases.items():
            if name not in seen and found(base, marker):
                seen[name] = round(at, 3)

    run = sampling(import_command(work, source), env, POLL_S, look,
                   lambda: len(seen) == len(bases), FOUND_TIMEOUT_S)  # fmt: skip
    source.unlink()
    checked("testimony import (one document)", run.measured)
    found_at = {name: seen.get(name) for name in bases}
    after_end = {name: None if at is None else round(at - run.ended_at_s, 3)
                 for name, at in found_at.items()}  # fmt: skip
    return {"command_s": run.ended_at_s, "found_after_s": found_at,
            "found_after_command_s": after_end}  # fmt: skip


def edit_to_searchable(
    work: Path, env: dict[str, str], bases: dict[str, str], repeat: int
) -> dict[str, Any]:
    """`repeat` new documents one after the other; the median and the worst per server
    (a server that did not find one is said so, and has no figures)."""
    runs = [one_edit(work, env, bases) for _ in range(repeat)]
    result: dict[str, Any] = {"repeat": repeat, "runs": runs, "timeout_s": FOUND_TIMEOUT_S}
    for name in bases:
        times = [run["found_after_s"][name] for run in runs]
        seen = [value for value in times if value is not None]
        result[name] = {"missed": len(times) - len(seen)}
        if seen and len(seen) == len(times):
            after_end = [run["found_after_command_s"][name] for run in runs]
            result[name] |= {"median_s": round(statistics.median(seen), 3),
                             "max_s": round(max(seen), 3),
                             "after_command_median_s": round(statistics.median(after_end), 3),
                             "after_command_max_s": round(max(after_end), 3)}  # fmt: skip
    commands = [run["command_s"] for run in runs]
    result["command_median_s"] = round(statistics.median(commands), 3)
    return result


# -- replica lag -------------------------------------------------------------------------


def new_documents(size: int, count: int, folder: Path) -> Path:
    """`count` documents that no ×size archive holds, in the interchange JSONL: copy
    size + 1 of the corpus's first records, varied and tagged as scale.py does."""
    records = load_records()[:count]
    if len(records) < count:
        raise RuntimeError(f"the shared corpus has {len(records)} records, not {count}")
    path = folder / f"new-{count}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            scaled = with_suggested_abuse_types(vary(record, size + 1))
            out.write(json.dumps(scaled, ensure_ascii=False) + "\n")
    return path


def lag_sample(primary: Connection, replica: Connection, at: float) -> dict[str, Any]:
    """One sample: the primary's WAL position and the replica's lag in bytes and time."""
    row = primary.execute(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), "
        "(SELECT EXTRACT(EPOCH FROM replay_lag) FROM pg_stat_replication LIMIT 1)"
    ).fetchone()
    behind = replica.execute(
        "SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
    ).fetchone()
    assert row is not None and behind is not None  # one row, always
    return {
        "at_s": round(at, 2),
        "wal": int(row[0]),
        "lag_bytes": lag_bytes(primary),
        "replay_lag_s": None if row[1] is None else float(row[1]),
        "replica_behind_s": None if behind[0] is None else float(behind[0]),
    }


def replica_lag(work: Path, database: Database, size: int, documents: int) -> dict[str, Any]:
    """Import `documents` new documents on the primary, sampling the lag meanwhile and
    until the replica has replayed everything."""
    source = new_documents(size, documents, work)
    samples: list[dict[str, Any]] = []
    with database.connect() as primary, database.connect(replica=True) as replica:
        run = sampling(
            import_command(work, source),
            database.primary_env(),
            LAG_EVERY_S,
            lambda at: samples.append(lag_sample(primary, replica, at)),
            lambda: samples[-1]["lag_bytes"] == 0,
            CATCH_UP_TIMEOUT_S,
        )
    source.unlink()
    checked(f"testimony import ({documents} documents)", run.measured)
    report = json.loads(run.measured.stdout[run.measured.stdout.index("{") :])
    caught_up = None if run.settled_at_s is None else run.settled_at_s - run.ended_at_s
    return {
        "documents": report.get("imported"),
        "import_s": run.ended_at_s,
        "documents_per_s": round(documents / run.ended_at_s, 1),
        "import_peak_rss_mb": round(run.measured.peak_rss_mb, 1),
        "caught_up_after_import_s": None if caught_up is None else round(caught_up, 2),
        "every_s": LAG_EVERY_S,
        **lag_figures(samples),
        "samples": samples,
    }


def had_work(samples: list[dict[str, Any]], at: int) -> bool:
    """Whether replication had work at sample `at`: the primary's WAL moved since the
    sample before, or the replica had not replayed it all."""
    moved = at > 0 and samples[at]["wal"] > samples[at - 1]["wal"]
    return moved or (samples[at]["lag_bytes"] or 0) > 0


def lag_figures(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Max and p95 of each lag measure over the samples in which replication had work
    (the idle ones, while the import checks its records, would only lower the p95; and
    the replica's clock grows while the primary is idle)."""
    busy = [sample for at, sample in enumerate(samples) if had_work(samples, at)]
    figures: dict[str, Any] = {
        "samples_n": len(samples),
        "samples_busy_n": len(busy),
        "wal_written_mb": round((samples[-1]["wal"] - samples[0]["wal"]) / 1e6, 1)
        if samples
        else None,
    }
    for name in ("lag_bytes", "replay_lag_s", "replica_behind_s"):
        values = [sample[name] for sample in busy if sample[name] is not None]
        digits = 0 if name == "lag_bytes" else 3
        figures[name] = {
            "max": round(max(values), digits) if values else None,
            "p95": round(percentile(values, 0.95), digits) if values else None,
            "n": len(values),
        }
    return figures
