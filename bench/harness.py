"""Benchmark at archive scale, ours beside Datasette, in one run (`make bench`).

For each size (×1 ≈ 25,500 paragraphs, ×10 ≈ 255,000, ×20 ≈ 510,000) it builds (or
reuses) a scaled archive under var/bench/xN/, then measures: import and full index build,
Datasette's SQLite build, library search latency for a fixed query mix, the web pages of
both under the same wrk load cycling through that mix, our search page anonymous and
signed in (what the access check costs: under distinct queries, and under the mix, from
the result cache), the web pages of both under a stream of distinct
queries, never repeated (web_distinct.py: what a search costs when no cache can answer
it), and the time from adding one document to finding it; once per run, the time to verify an
audit trail of 100,000 entries, and (at the smallest size) to export a collection of 50
excerpts in each format and as an evidence bundle, and to verify it. It writes
var/bench/latest.json, var/bench/report.md and var/bench/chart.png.

    python -m bench.harness --sizes 1,10,20         # what `make bench` runs
    python -m bench.harness --sizes 1 --quick       # what `make bench-quick` runs

Each size's archive, index and Datasette database are kept and reused; `--fresh` builds
them again (and so measures the builds again), `--rebuild-index` only the index. Results
of sizes not run this time are kept in latest.json from the earlier run that measured them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from testimony_archive.archive import Archive
from testimony_archive.index import WhooshIndex, index_exists, schema_is_current

from .accounts import upgrade_instance
from .audit import ENTRIES, measure_verify
from .breakdown import breakdown_queries, measure_breakdown
from .build import build_datasette, build_index, import_archive
from .common import BENCH_DIR, ROOT, read_json
from .exports import EXCERPTS, measure_exports
from .figures import growth, headline, targets
from .library import measure_latency, profile_search, time_to_searchable
from .loadgen import require_wrk
from .queries import CATEGORIES, Query, query_mix
from .report import render
from .scale import SCALE_VERSION, build_scaled
from .web import DATASETTE_SETTINGS, LoadPlan, load_datasette, load_ours
from .web_access import QUIET, ROLES, load_access, load_access_distinct
from .web_distinct import load_distinct


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip()


def src_state() -> dict[str, Any]:
    """src/ as committed (its tree) and a digest of its uncommitted changes: another
    engineer may be changing src/ while the benchmark runs, and each server runs the src/
    it started with. (Commits that leave src/ alone change neither.)"""
    changes = git("diff", "HEAD", "--", "src") + git("status", "--porcelain", "--", "src")
    return {
        "tree": git("rev-parse", "--short", "HEAD:src") or "unknown",
        "changes": hashlib.sha1(changes.encode()).hexdigest()[:12] if changes else None,
    }


def machine() -> dict[str, Any]:
    wrk = subprocess.run([require_wrk(), "-v"], capture_output=True, text=True)
    first = (wrk.stdout or wrk.stderr).splitlines()
    return {
        "generated": now(),
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--", "src")),
        "cpus": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "wrk": first[0].split(" [")[0].removeprefix("wrk ") if first else "unknown",
    }


def prepare(size: int, work: Path, options: argparse.Namespace) -> dict[str, Any]:
    """Build what is missing (or everything with --fresh); the build figures are kept in
    xN/build.json and reused with the archive."""
    state = read_json(work / "build.json")
    have_archive = (work / "archive" / "documents").is_dir() and (work / "corpus.jsonl").exists()
    stale = dict(state.get("scale") or {}).get("version") != SCALE_VERSION
    if options.fresh or stale or not have_archive or "import" not in state:
        log(f"x{size}: writing the scaled corpus")
        state = {"scale": build_scaled(size, work).as_dict()}
        log(f"x{size}: importing {state['scale']['documents']:,} documents")
        state["import"] = import_archive(work, work / "corpus.jsonl", state["scale"]["documents"])
        state["import"]["measured_at"] = now()
        _save(work, state)
    scale = dict(state["scale"])
    if options.fresh or options.rebuild_index or "index" not in state or not _has_index(work):
        log(f"x{size}: full index build of {scale['paragraphs']:,} paragraphs")
        state["index"] = build_index(work, scale["paragraphs"], scale["text_mb"])
        state["index"]["measured_at"] = now()
        _save(work, state)
    database = work / "datasette.db"
    if options.fresh or "datasette" not in state or not database.exists():
        log(f"x{size}: building Datasette's database")
        rows = work / "paragraphs.jsonl"
        state["datasette"] = build_datasette(options.bench_venv, rows, database)
        state["datasette"]["measured_at"] = now()
        _save(work, state)
    return state


def _has_index(work: Path) -> bool:
    """An index of this version (one of another format is built again, and measured)."""
    index_dir = work / "var" / "index"
    return index_exists(index_dir) and schema_is_current(index_dir)


def _save(work: Path, state: dict[str, Any]) -> None:
    (work / "build.json").write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


def run_size(
    size: int, mix: list[Query], options: argparse.Namespace, profile: bool
) -> dict[str, Any]:
    work = BENCH_DIR / f"x{size}"
    state = prepare(size, work, options)
    upgrade_instance(work)
    run: dict[str, Any] = {
        "run": options.run_id,
        "measured_at": now(),
        "src": {"start": src_state()},
        "scale": state["scale"],
        "build": {key: state[key] for key in ("import", "index", "datasette")},
    }
    index_dir = work / "var" / "index"

    log(f"x{size}: library search latency ({len(mix)} queries × {options.repeat})")
    service = WhooshIndex(Archive(work / "archive"), index_dir)
    run["library"] = measure_latency(service, mix, options.repeat)
    if profile:
        log(f"x{size}: profiling the library search")
        run["profile"] = {"size": f"x{size}", **profile_search(service, mix)}
    del service
    log(f"x{size}: where an uncached request spends its time (py-spy)")
    run["breakdown"] = measure_breakdown(
        work, breakdown_queries(mix, options.quick), options.bench_venv
    )

    plan = LoadPlan(connections=options.connections, duration=options.duration)
    logs = work / "logs"
    web: dict[str, Any] = {}
    log(f"x{size}: Datasette under load")
    web["datasette"] = load_datasette(options.bench_venv, work / "datasette.db", mix, plan, logs)
    for workers in (1, 2):
        log(f"x{size}: our server, {workers} worker(s), under load")
        web[f"ours_w{workers}"] = load_ours(work, mix, workers, plan, logs)
    log(f"x{size}: our search page, 1 worker, anonymous and signed in")
    web["access_w1"] = load_access(work, mix, plan, logs)
    log(f"x{size}: our search page, anonymous and signed in, under distinct queries")
    web["access_distinct_w1"] = load_access_distinct(work, f"x{size}", plan, logs)
    run["web"] = web
    log(f"x{size}: both servers under a stream of distinct queries, 1 worker")
    run["web_distinct"] = load_distinct(work, f"x{size}", options.bench_venv, plan, logs)

    log(f"x{size}: adding one document and searching for it")
    run["add_one_document"] = time_to_searchable(work / "archive", index_dir)
    run["src"]["end"] = src_state()
    return run


def write_outputs(data: dict[str, Any], options: argparse.Namespace) -> None:
    latest = BENCH_DIR / "latest.json"
    latest.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (BENCH_DIR / "report.md").write_text(render(data), encoding="utf-8")
    chart = [str(options.bench_venv / "bin" / "python"), "-m", "bench.chart"]
    result = subprocess.run(
        [*chart, str(latest), str(BENCH_DIR / "chart.png")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        log(f"the chart could not be drawn: {result.stderr.strip()[-500:]}")


def warnings(runs: dict[str, dict[str, Any]]) -> list[str]:
    """Failed requests anywhere: the figures of such a run are not to be trusted."""
    found = []
    for size, run in runs.items():
        source = dict(run.get("src") or {})
        if source and source.get("start") != source.get("end"):
            found.append(
                f"{size}: src/ changed while it was measured ({source.get('start')} → "
                f"{source.get('end')}): its servers may have run different versions"
            )
        for server, results in (run.get("web") or {}).items():
            statuses = dict(dict(results.get("validation") or {}).get("statuses") or {})
            bad = sum(count for status, count in statuses.items() if status != "200")
            if bad:
                found.append(f"{size} {server}: {bad} of the checked queries did not answer 200")
            for name in ("search_page", "api"):
                figures = results.get(name) or {}
                failed = (figures.get("errors") or 0) + (figures.get("non_2xx") or 0)
                if failed:
                    found.append(
                        f"{size} {server} {name}: {figures.get('non_2xx')} non-2xx responses and "
                        f"{figures.get('errors')} socket errors under load (see {size}/logs/)"
                    )
        web = dict(run.get("web") or {})
        for measure, label in (("access_distinct_w1", "access run (distinct queries)"),
                               ("access_w1", "access run (cached)")):  # fmt: skip
            found += _access_warnings(f"{size} {label}", dict(web.get(measure) or {}))
        found += _distinct_warnings(size, dict(run.get("web_distinct") or {}))
    return found


def _distinct_warnings(size: str, distinct: dict[str, Any]) -> list[str]:
    """Failed requests, and runs that ran out of distinct queries (refused)."""
    found = []
    for system in ("ours", "datasette"):
        for name in ("search_page", "api"):
            figures = dict(dict(distinct.get(system) or {}).get(name) or {})
            failed = (figures.get("errors") or 0) + (figures.get("non_2xx") or 0)
            for check in ("warm_pass", "single_uncached"):
                statuses = dict(dict(figures.get(check) or {}).get("statuses") or {})
                failed += sum(count for status, count in statuses.items() if status != "200")
            if failed:
                found.append(
                    f"{size} distinct queries, {system} {name}: {failed} failed requests "
                    f"(see {size}/logs/distinct/)"
                )
            if figures.get("wrapped"):
                found.append(
                    f"{size} distinct queries, {system} {name}: the stream ran out "
                    f"({figures.get('past_end')} requests past its end): refused"
                )
    return found


def _access_warnings(size: str, access: dict[str, Any]) -> list[str]:
    """Failed requests, a busy machine, and signed-in searches that left no audit entry."""
    if not access:
        return []
    found = []
    for role in ROLES:
        figures = dict(access.get(role) or {})
        statuses = dict(dict(figures.get("warm_pass") or {}).get("statuses") or {})
        failed = sum(count for status, count in statuses.items() if status != "200")
        failed += (figures.get("errors") or 0) + (figures.get("non_2xx") or 0)
        if failed:
            found.append(f"{size}, {role}: {failed} failed requests (see the size's logs/)")
    busy = [dict(access.get(role) or {}).get("other_cpu_share") or 0.0 for role in ROLES]
    if max(busy) > QUIET:
        found.append(
            f"{size}: other processes kept {busy[0]} / {busy[1]} CPUs busy during "
            f"the anonymous / signed-in run, after {access.get('attempts')} attempts: the "
            "ratio is not to be trusted"
        )
    if any(dict(access.get(role) or {}).get("wrapped") for role in ROLES):
        found.append(f"{size}: the stream of distinct queries ran out in a run: refused")
    written = dict(dict(access.get("signed_in") or {}).get("audit_entries_written") or {})
    requests = dict(access.get("signed_in") or {}).get("requests") or 0
    if (written.get("load") or 0) < requests:
        found.append(
            f"{size}: {written.get('load')} audit entries for {requests} signed-in "
            "searches (the session cookie may not have signed the researcher in)"
        )
    return found


def assemble(
    runs: dict[str, dict[str, Any]],
    meta: dict[str, Any],
    mix: list[Query],
    options: Any,
    audit: dict[str, Any],
    exports: dict[str, Any],
) -> dict[str, Any]:
    sizes = sorted(runs, key=lambda name: int(name[1:]))
    first = sizes[0]
    profiled = [runs[size]["profile"] for size in reversed(sizes) if runs[size].get("profile")]
    return {
        **headline(runs[first]),
        "headline_size": first,
        "audit_verify_100k_s": audit.get("library_s"),
        "audit_verify_entries_per_s": audit.get("library_entries_per_s"),
        "quick": options.quick,
        "meta": meta,
        "targets": [target.as_dict() for target in targets(runs)],
        "warnings": warnings(runs),
        "growth": growth(runs),
        "profile": profiled[0] if profiled else None,
        "audit_verify": audit,
        "exports": exports,
        "load": {"connections": options.connections, "duration": options.duration},
        "datasette_settings": DATASETTE_SETTINGS,
        "query_mix": {
            "total": len(mix),
            "dev": sum(1 for query in mix if query.source == "dev"),
            "categories": {c: sum(1 for q in mix if q.category == c) for c in CATEGORIES},
            "queries": [query.as_dict() for query in mix],
        },
        "runs": {size: runs[size] for size in sizes},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,20", help="Comma-separated: 1,10,20")
    parser.add_argument("--quick", action="store_true", help="Shorter load runs, one pass.")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the archives.")
    parser.add_argument("--rebuild-index", action="store_true", help="Rebuild the indexes.")
    parser.add_argument("--duration", type=float, help="Seconds per load run (15; quick 8).")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, help="Measured passes over the mix (2; quick 1).")
    parser.add_argument("--bench-venv", type=Path, default=BENCH_DIR / "venv")
    parser.add_argument(
        "--report-only", action="store_true", help="Only write report.md and chart.png again."
    )
    options = parser.parse_args()
    if options.report_only:
        data = read_json(BENCH_DIR / "latest.json")
        if not data:
            sys.exit("no var/bench/latest.json yet: run the benchmark first")
        stored = data["runs"]
        data.update(targets=[t.as_dict() for t in targets(stored)], warnings=warnings(stored))
        data["growth"] = growth(stored)
        write_outputs(data, options)
        return
    options.duration = options.duration or (8.0 if options.quick else 15.0)
    options.repeat = options.repeat or (1 if options.quick else 2)
    options.bench_venv = options.bench_venv.resolve()
    sizes = sorted({int(part) for part in options.sizes.split(",") if part.strip()})
    if not sizes or min(sizes) < 1:
        sys.exit("--sizes: give positive whole numbers, such as 1,10,20")
    if not (options.bench_venv / "bin" / "datasette").exists():
        sys.exit(f"no datasette in {options.bench_venv}: pip install -r bench/requirements.txt")
    started = time.perf_counter()
    meta = machine()
    options.run_id = meta["generated"]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    previous = read_json(BENCH_DIR / "latest.json").get("runs")
    runs: dict[str, dict[str, Any]] = dict(previous) if isinstance(previous, dict) else {}
    mix = query_mix()
    log(f"audit trail: writing {ENTRIES:,} entries and verifying them")
    audit = measure_verify(mix, runs=1 if options.quick else 3)
    for size in sizes:
        runs[f"x{size}"] = run_size(size, mix, options, profile=size == sizes[-1])
        write_outputs(assemble(runs, meta, mix, options, audit, {}), options)
    log(f"exports: a collection of {EXCERPTS} excerpts of x{sizes[0]}, bundled and verified")
    exports = measure_exports(BENCH_DIR / f"x{sizes[0]}", runs=1 if options.quick else 3)
    data = assemble(runs, meta, mix, options, audit, exports)
    data["meta"]["wall_s"] = round(time.perf_counter() - started, 1)
    write_outputs(data, options)
    for warning in data["warnings"]:
        log(f"warning: {warning}")
    width = max(len(key) for key in headline({}))
    for key in headline({}):
        print(f"{key:<{width}}  {data.get(key)}")
    print(f"{'audit verify, ' + format(ENTRIES, ',') + ' entries':<{width}}  "
          f"{audit['library_s']} s ({audit['library_entries_per_s']:,} entries/s)")  # fmt: skip
    pdf, bundle = exports["formats"]["pdf"], exports["bundle"]
    print(f"{'exports, ' + str(EXCERPTS) + ' excerpts':<{width}}  PDF {pdf['warm_s']} s "
          f"(cold {pdf['cold_s']} s, {exports['pdf_pages']} pages, {pdf['bytes']:,} bytes), "
          f"bundle zip {bundle['zip_s']} s, verify {exports['verify']['bundle_s']} s")  # fmt: skip
    for target in data["targets"]:
        verdict = {True: "pass", False: "FAIL", None: "not measured"}[target["pass"]]
        print(f"{verdict:>12}  {target['size']:>3}  {target['name']}: {target['value']}")
    log(f"done in {data['meta']['wall_s']} s: var/bench/latest.json, report.md, chart.png")


if __name__ == "__main__":
    main()
