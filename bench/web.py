"""Web measures: our `testimony serve` and Datasette under the same wrk load.

Both servers are started on 127.0.0.1 on a free port, in their own process group, and
always stopped (by their own process id) when the block ends, even on errors. Before the
load, every query of the mix is sent once through the JSON endpoint: that warms the
server, checks that every answer is 200, and records the hit counts and single-request
times. The load runs are then bounded in time (`--duration`), with 16 connections.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

from .common import HOST, fetch, free_port, percentile, server, tree_memory_mb
from .loadgen import wrk
from .queries import Query

DATASETTE_DB = "datasette"
DATASETTE_SETTINGS = {
    # as in ../shared/research/datasette-measured.md, so that no facet times out at ×10
    "facet_time_limit_ms": "1000",
    "sql_time_limit_ms": "5000",
    # 20 rows per page, like our result pages (the URLs say _size=20 as well)
    "default_page_size": "20",
    # off: less work per page for Datasette (the research note left it on)
    "suggest_facets": "off",
}


@dataclass
class LoadPlan:
    connections: int = 16
    duration: float = 15.0
    warmup: float = 3.0


@contextmanager
def our_server(
    work: Path, workers: int, logs: Path, log_name: str = "", env: dict[str, str] | None = None
) -> Iterator[tuple[Popen[bytes], str]]:
    """`testimony serve` of work/archive and work/var (with `env` as its environment, or
    ours) on a free port: the process and its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "testimony_archive",
        "--archive",
        str(work / "archive"),
        "--var",
        str(work / "var"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    base = f"http://{HOST}:{port}"
    log = logs / (log_name or f"serve-w{workers}.log")
    with server(command, f"{base}/healthz", log, env) as process:
        yield process, base


@contextmanager
def datasette_server(
    bench_venv: Path, database: Path, logs: Path
) -> Iterator[tuple[Popen[bytes], str]]:
    port = free_port()
    command = [str(bench_venv / "bin" / "datasette"), "serve", str(database)]
    command += ["--host", HOST, "--port", str(port)]
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, value]
    base = f"http://{HOST}:{port}"
    with server(command, f"{base}/-/versions.json", logs / "datasette.log") as process:
        yield process, base


def validate(base: str, paths: list[str], total_key: str) -> dict[str, Any]:
    """Each path once, in turn: statuses, hit counts, single-request times."""
    statuses: dict[str, int] = {}
    hits: list[int] = []
    times: list[float] = []
    timed_out = 0
    for path in paths:
        status, body, ms = fetch(base + path)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        times.append(ms)
        if status == 200:
            data = json.loads(body)
            hits.append(int(data.get(total_key) or 0))
            timed_out += len(data.get("facets_timed_out") or [])
    return {
        "requests": len(paths),
        "statuses": statuses,
        "median_hits": statistics.median(hits) if hits else 0,
        "zero_hits": sum(1 for value in hits if not value),
        "facets_timed_out": timed_out,
        "single_p50_ms": round(statistics.median(times), 1),
        "single_p95_ms": round(percentile(times, 0.95), 1),
    }


def load_ours(
    work: Path, mix: list[Query], workers: int, plan: LoadPlan, logs: Path
) -> dict[str, Any]:
    """The search page and /api/search under load, with `workers` server processes."""
    result: dict[str, Any] = {"workers": workers}
    with our_server(work, workers, logs) as (process, base):
        result["validation"] = validate(
            base, [query.our_path("/api/search") for query in mix], "total"
        )
        if workers > 1:  # every worker process warms its own caches
            wrk(base, [query.our_path("/search") for query in mix], 4, plan.warmup)
        for name, endpoint in (("search_page", "/search"), ("api", "/api/search")):
            paths = [query.our_path(endpoint) for query in mix]
            result[name] = wrk(base, paths, plan.connections, plan.duration)
            result[name]["memory"] = tree_memory_mb(process.pid)
    result["rss_mb"] = max(result[name]["memory"]["rss_mb"] for name in ("search_page", "api"))
    result["peak_rss_mb"] = max(
        result[name]["memory"]["peak_rss_mb"] for name in ("search_page", "api")
    )
    return result


def load_datasette(
    bench_venv: Path, database: Path, mix: list[Query], plan: LoadPlan, logs: Path
) -> dict[str, Any]:
    """Datasette's table page (HTML) and its .json under the same load."""
    result: dict[str, Any] = {"workers": 1, "settings": DATASETTE_SETTINGS}
    with datasette_server(bench_venv, database, logs) as (process, base):
        result["validation"] = validate(
            base,
            [query.datasette_path(DATASETTE_DB, json_format=True) for query in mix],
            "filtered_table_rows_count",
        )
        for name, json_format in (("search_page", False), ("api", True)):
            paths = [query.datasette_path(DATASETTE_DB, json_format) for query in mix]
            result[name] = wrk(base, paths, plan.connections, plan.duration)
            result[name]["memory"] = tree_memory_mb(process.pid)
        status, body, _ms = fetch(f"{base}/-/versions.json")
        if status == 200:
            versions = json.loads(body)
            result["versions"] = {
                "datasette": versions.get("datasette", {}).get("version"),
                "sqlite": versions.get("sqlite", {}).get("version"),
                "python": versions.get("python", {}).get("version"),
            }
    result["rss_mb"] = max(result[name]["memory"]["rss_mb"] for name in ("search_page", "api"))
    return result
