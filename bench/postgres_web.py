"""The PostgreSQL search backend beside the embedded Whoosh index (issue 13), at ×1 and
×10 of the shared corpus (the scaled archives of bench/scale.py, var/bench/xN/, built
if missing as `make bench` builds them):

1. build: on a PostgreSQL primary with one streaming replica (tests/postgres.py, with
   `--shared-buffers` 1 GB in place of the tests' 32 MB), a new database, `testimony db
   upgrade`, then `testimony index --rebuild` timed, beside the Whoosh build of the same
   archive (var/bench/latest.json, else xN/build.json);
2. the search page under a stream of distinct queries (web_distinct.py's), on one
   Whoosh process, two Whoosh processes on the same index, and two processes on
   PostgreSQL: A reads the primary, B reads the replica (TESTIMONY_READ_REPLICAS);
   each set of processes fresh, the two loaded at once (postgres_load.py);
3. edit to searchable across hosts: a tag edit through A's web form, from A's 303
   answer until A and B find it (postgres_tag_edits.py); and a new document imported
   with A's settings, from the command's start and from its end (postgres_changes.py);
4. the replica's lag while 2,000 new documents are imported on the primary.

    python -m bench.postgres_web --sizes 1,10          # what `make bench-postgres` runs
    python -m bench.postgres_web --sizes 1 --quick     # shorter loads, fewer repetitions

The PostgreSQL side runs on a copy of the size's archive (xN/postgres/, hard links, made
anew each run), so that its imports leave the cached archive and Whoosh index as built.
A version of the app without the PostgreSQL search backend builds a Whoosh index under a
PostgreSQL database URL: the report then says that its "PostgreSQL" figures are
Whoosh's. A part that fails is reported as not measured, with the reason, and the others
still run. Writes var/bench/postgres.json and var/bench/postgres.md; sizes not run this
time are kept from the run before.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from tests.postgres import Cluster

from testimony_archive.index import index_exists

from .accounts import upgrade_instance
from .build import checked, cli_command
from .common import BENCH_DIR, read_json, run_measured
from .figures import dig
from .harness import log, machine, now, prepare, src_state
from .postgres_changes import edit_to_searchable, replica_lag
from .postgres_db import (
    Database,
    cluster,
    environment,
    new_database,
    postmaster_pids,
    server_settings,
    wait_caught_up,
    without_settings,
)
from .postgres_load import Start, load_servers, started
from .postgres_tag_edits import tag_edit_to_searchable
from .queries import Query
from .report_postgres import render, warnings
from .web import LoadPlan, our_server
from .web_distinct import split_stream

Figures = dict[str, Any]
SHARED_BUFFERS = "1GB"  # each server's cache: room for a ×10 index (about half of it)
# Measured with servers A and B running.
SERVER_PARTS = ("postgres_2", "edit_to_searchable", "tag_edit_to_searchable")


def guarded(what: str, measure: Callable[[], Figures]) -> Figures:
    """The part's figures, or why there are none: any failure of a part (a backend
    being written, a server that does not start) is reported and the others still run."""
    try:
        return measure()
    except Exception as error:  # whatever it is, it goes into the results
        log(f"{what}: not measured: {error}")
        return {"not_measured": f"{type(error).__name__}: {str(error)[-1500:]}"}


def copy_of(work: Path) -> Path:
    """xN/postgres: the size's archive in hard links (the archive writes a file anew and
    renames it into place, so the copy's changes never reach the original) and an
    empty var folder."""
    target = work / "postgres"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copytree(work / "archive", target / "archive", copy_function=os.link)
    return target


def whoosh_build(size: int, state: Figures) -> Figures:
    """The Whoosh full build of the same archive, as `make bench` measured it."""
    figures = dig(read_json(BENCH_DIR / "latest.json"), "runs", f"x{size}", "build", "index")
    source = "var/bench/latest.json"
    if not figures:
        figures, source = state.get("index") or {}, f"var/bench/x{size}/build.json"
    keep = ("seconds", "peak_rss_mb", "index_mb", "measured_at")
    return {key: figures.get(key) for key in keep} | {"source": source}


def build_in_postgres(work: Path, database: Database) -> Figures:
    """`testimony db upgrade` and a timed `testimony index --rebuild` on the primary;
    which backend it built (a Whoosh index in var/ means the fallback), the database's
    size, and how long the replica then took to replay it all."""
    env = database.primary_env()
    checked("testimony db upgrade", run_measured(cli_command(work, "db", "upgrade"), env))
    measured = run_measured(cli_command(work, "index", "--rebuild", "--json"), env)
    checked("testimony index --rebuild", measured)
    report = json.loads(measured.stdout[measured.stdout.index("{") :])
    fallback = index_exists(work / "var" / "index")
    return {
        "seconds": round(measured.seconds, 2),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        "paragraphs_indexed": report.get("paragraphs_indexed"),
        "search_backend": report.get("backend") or ("whoosh" if fallback else "postgresql"),
        "database_mb": database.size_mb(),
        "largest_tables": database.largest_tables(),
        "replica_caught_up_s": wait_caught_up(database),
        "report": report,
    }


def server(work: Path, logs: Path, name: str, env: dict[str, str]) -> Start:
    return lambda: our_server(work, 1, logs, f"serve-{name}.log", env)


def measure_whoosh(
    work: Path, logs: Path, warm: list[Query], load: list[Query], plan: LoadPlan
) -> Figures:
    """One, then two Whoosh processes on the size's own index."""
    env = environment(search="whoosh")
    found: Figures = {}
    for count in (1, 2):
        starts = [server(work, logs, f"whoosh{count}-{k}", env) for k in range(count)]

        def measure(starts: list[Start] = starts) -> Figures:
            with started(starts) as servers:
                return load_servers(servers, warm, load, plan)

        log(f"{work.name}: the search page on {count} Whoosh process(es)")
        found[f"whoosh_{count}"] = guarded(f"whoosh_{count}", measure)
    return found


def measure_postgres(
    work: Path,
    database: Database,
    queries: tuple[list[Query], list[Query]],
    plan: LoadPlan,
    options: argparse.Namespace,
) -> Figures:
    """Servers A (primary) and B (replica reads): the load, then an import and a tag
    edit to searchable."""
    logs = work.parent / "logs" / "postgres"
    starts = [server(work, logs, "postgres-a", database.primary_env()),
              server(work, logs, "postgres-b", database.replica_env())]  # fmt: skip
    with started(starts) as servers:
        pids = postmaster_pids(database.cluster)
        log(f"{work.parent.name}: the search page on two PostgreSQL processes")
        load = guarded("postgres_2", lambda: load_servers(servers, *queries, plan, pids))
        log(f"{work.parent.name}: import to searchable, A to B ({options.edit_repeat} times)")
        bases = {"a": servers[0][1], "b": servers[1][1]}
        edit = guarded("edit_to_searchable", lambda: edit_to_searchable(
            work, database.primary_env(), bases, options.edit_repeat))  # fmt: skip
        log(f"{work.parent.name}: tag edit on A's form to searchable on A and B "
            f"({options.edit_repeat} times)")  # fmt: skip
        tags = guarded("tag_edit_to_searchable", lambda: tag_edit_to_searchable(
            work, database, bases, options.edit_repeat))  # fmt: skip
    return {"postgres_2": load, "edit_to_searchable": edit, "tag_edit_to_searchable": tags}


def run_size(size: int, running: Cluster, options: argparse.Namespace) -> Figures:
    work = BENCH_DIR / f"x{size}"
    state = prepare(size, work, options)
    upgrade_instance(work)
    plan = LoadPlan(connections=options.connections, duration=options.duration)
    warm, _single, load = split_stream(f"x{size}", plan.duration)
    run: Figures = {"measured_at": now(), "src": {"start": src_state()}, "scale": state["scale"]}
    run["whoosh_build"] = whoosh_build(size, state)
    pg_work = copy_of(work)
    database = new_database(running)
    try:
        run["postgres_settings"] = server_settings(database)
        log(f"x{size}: db upgrade and index --rebuild on PostgreSQL")
        run["postgres_build"] = guarded(
            "postgres_build", lambda: build_in_postgres(pg_work, database)
        )
        run |= measure_whoosh(work, work / "logs" / "postgres", warm, load, plan)
        if "not_measured" in run["postgres_build"]:
            missing = {"not_measured": "the PostgreSQL index build failed (see postgres_build)"}
            run |= dict.fromkeys((*SERVER_PARTS, "replica_lag"), missing)
        else:
            found = guarded("postgres servers", lambda: measure_postgres(
                pg_work, database, (warm, load), plan, options))  # fmt: skip
            run |= dict.fromkeys(SERVER_PARTS, found) if "not_measured" in found else found
            log(f"x{size}: replica lag under an import of {options.documents:,} documents")
            run["replica_lag"] = guarded("replica_lag", lambda: replica_lag(
                pg_work, database, size, options.documents))  # fmt: skip
    finally:
        with contextlib.suppress(psycopg.Error):  # a cluster that has stopped took it along
            database.cluster.drop_database(database.name)
    run["src"]["end"] = src_state()
    return run


def write_outputs(data: Figures) -> None:
    data["warnings"] = warnings(data["runs"])
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (BENCH_DIR / "postgres.json").write_text(text, encoding="utf-8")
    (BENCH_DIR / "postgres.md").write_text(render(data), encoding="utf-8")


def options_from(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10", help="Comma-separated: 1,10")
    parser.add_argument("--quick", action="store_true", help="Shorter loads, fewer edits.")
    parser.add_argument("--duration", type=float, help="Seconds per load run (15; quick 8).")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--edit-repeat", type=int, help="New documents, and tag edits, to find (5; quick 3)."
    )
    parser.add_argument("--documents", type=int, default=2000, help="Imported for the lag.")
    parser.add_argument(
        "--shared-buffers", default=SHARED_BUFFERS, help="PostgreSQL's (both servers')."
    )
    parser.add_argument("--bench-venv", type=Path, default=BENCH_DIR / "venv")
    options = parser.parse_args(argv)
    options.duration = options.duration or (8.0 if options.quick else 15.0)
    options.edit_repeat = options.edit_repeat or (3 if options.quick else 5)
    options.bench_venv = options.bench_venv.resolve()
    options.fresh = options.rebuild_index = False  # harness.prepare: build only what is missing
    options.sizes = sorted({int(part) for part in options.sizes.split(",") if part.strip()})
    if not options.sizes or min(options.sizes) < 1:
        parser.error("--sizes: give positive whole numbers, such as 1,10")
    return options


def main() -> None:
    options = options_from()
    without_settings()
    started_at = time.perf_counter()
    previous = read_json(BENCH_DIR / "postgres.json").get("runs")
    data: Figures = {
        "meta": machine(),
        "quick": options.quick,
        "load": {"connections": options.connections, "duration": options.duration},
        "runs": dict(previous) if isinstance(previous, dict) else {},
    }
    log("starting a PostgreSQL primary and its streaming replica")
    with cluster(options.shared_buffers) as running:
        for size in options.sizes:
            data["runs"][f"x{size}"] = run_size(size, running, options)
            write_outputs(data)
    data["meta"]["wall_s"] = round(time.perf_counter() - started_at, 1)
    write_outputs(data)
    for warning in data["warnings"]:
        log(f"warning: {warning}")
    print(render(data, brief=True))
    log(f"done in {data['meta']['wall_s']} s: var/bench/postgres.json, postgres.md")


if __name__ == "__main__":
    main()
