"""Web measure without repeats: our search page, our /api/search, Datasette's table page
and its .json, each under the distinct-query stream (distinct.py), 1 worker (Datasette's
one process), 16 connections; and one search page at a time over queries of its own.

Our server keeps its result cache per process, so each of the four loads gets a fresh
server process that has never seen the stream (Datasette is restarted the same way). The
stream of a size is split three ways, never overlapping: 30 queries that warm each server
(its first searches, its templates) before it is measured, 300 for one page at a time,
and the rest (at least 12,000, more than the fastest server here can take in one run) for
the loads, the same paths in the same order for both systems. wrk sends each path once
(loadgen.wrk_distinct); a run whose threads ran out of paths is marked `wrapped`, and its
figures are refused. The CPU that other processes used during each load is recorded, and
a load measured while they kept more than a quarter of a CPU busy is measured again.
After the loads, 100 of the one-at-a-time queries go through each JSON endpoint once more
(on the server that has not seen them) to count what they find.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from subprocess import Popen
from typing import Any

from .common import fetch, percentile, tree_memory_mb
from .cpu import other_processes
from .distinct import DISTINCT_COUNT, distinct_stream, summary
from .loadgen import wrk_distinct
from .queries import Query
from .web import DATASETTE_DB, LoadPlan, datasette_server, our_server, validate
from .web_access import ATTEMPTS, QUIET

WARM = 30
SINGLE = 300
HITS_CHECKED = 100
HIGHEST_RATE = 800  # requests/s: well above what any server here reaches (the stream outlasts it)

Server = Callable[[str], AbstractContextManager[tuple[Popen[bytes], str]]]


def split_stream(size_label: str, duration: float) -> tuple[list[Query], ...]:
    """The warm-up queries, the one-at-a-time queries and the load's, for one size."""
    load = max(DISTINCT_COUNT, math.ceil(duration * HIGHEST_RATE))
    stream = distinct_stream(size_label, WARM + SINGLE + load)
    return stream[:WARM], stream[WARM : WARM + SINGLE], stream[WARM + SINGLE :]


def one_at_a_time(base: str, paths: list[str]) -> dict[str, Any]:
    """Each path once, one request at a time, timed from here: p50, p95, max."""
    statuses: dict[str, int] = {}
    times: list[float] = []
    for path in paths:
        status, _body, ms = fetch(base + path)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        times.append(ms)
    return {
        "requests": len(paths),
        "statuses": statuses,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


def measure(
    start: Server,
    name: str,
    paths: dict[str, list[str]],
    plan: LoadPlan,
    total_key: str,
) -> dict[str, Any]:
    """A fresh server: warm it, (the page) one request at a time, the load, (the JSON
    endpoint) what the one-at-a-time queries find. While other processes kept more than
    a quarter of a CPU busy, all of it again on another fresh server (twice at most), and
    the quietest attempt kept."""
    attempts: list[dict[str, Any]] = []
    while len(attempts) < ATTEMPTS and (not attempts or _busy(attempts[-1]) > QUIET):
        attempts.append(_attempt(start, name, paths, plan, total_key))
    found = min(attempts, key=_busy)
    found["attempts"] = len(attempts)
    found["other_cpu_shares"] = [_busy(attempt) for attempt in attempts]
    return found


def _attempt(
    start: Server, name: str, paths: dict[str, list[str]], plan: LoadPlan, total_key: str
) -> dict[str, Any]:
    with start(name) as (process, base):
        found: dict[str, Any] = {"warm_pass": one_at_a_time(base, paths["warm"])}
        if "single" in paths:
            with other_processes(process.pid) as machine:
                found["single_uncached"] = one_at_a_time(base, paths["single"])
            found["single_uncached"]["other_cpu_share"] = machine["other_cpu_share"]
        with other_processes(process.pid) as machine:
            found |= wrk_distinct(base, paths["load"], plan.connections, plan.duration)
        found["other_cpu_share"] = machine["other_cpu_share"]
        found["memory"] = tree_memory_mb(process.pid)
        if "hits" in paths:
            found["hits"] = validate(base, paths["hits"], total_key)
    return found


def _busy(attempt: dict[str, Any]) -> float:
    single = float(dict(attempt.get("single_uncached") or {}).get("other_cpu_share") or 0.0)
    return max(float(attempt["other_cpu_share"]), single)


def load_distinct(
    work: Path, size_label: str, bench_venv: Path, plan: LoadPlan, logs: Path
) -> dict[str, Any]:
    """The four distinct-query loads and the one-at-a-time page, for one size folder."""
    warm, single, load = split_stream(size_label, plan.duration)
    logs = logs / "distinct"
    result: dict[str, Any] = {
        "queries": {
            "warm": len(warm),
            "single": len(single),
            "load": summary(load),
            "one_at_a_time": summary(single),
        },
        "connections": plan.connections,
        "duration": plan.duration,
        "workers": 1,
    }

    def ours(name: str) -> AbstractContextManager[tuple[Popen[bytes], str]]:
        return our_server(work, 1, logs, f"serve-{name}.log")

    def theirs(_name: str) -> AbstractContextManager[tuple[Popen[bytes], str]]:
        return datasette_server(bench_venv, work / "datasette.db", logs)

    # the two systems' runs of an endpoint one after the other: the machine drifts less
    # between them than over the whole measure
    for name in ("search_page", "api"):
        for system, start, total_key in (
            ("ours", ours, "total"),
            ("datasette", theirs, "filtered_table_rows_count"),
        ):
            path = _our_path if system == "ours" else _their_path
            paths = {
                "warm": [path(query, name) for query in warm],
                "load": [path(query, name) for query in load],
            }
            if name == "search_page":
                paths["single"] = [path(query, name) for query in single]
            else:
                paths["hits"] = [path(query, name) for query in single[:HITS_CHECKED]]
            result.setdefault(system, {})[name] = measure(start, name, paths, plan, total_key)
    result["wrapped"] = any(_runs(result, "wrapped"))
    return result


def _our_path(query: Query, name: str) -> str:
    return query.our_path("/search" if name == "search_page" else "/api/search")


def _their_path(query: Query, name: str) -> str:
    return query.datasette_path(DATASETTE_DB, json_format=name == "api")


def _runs(result: dict[str, Any], key: str) -> Iterator[Any]:
    for system in ("ours", "datasette"):
        for name in ("search_page", "api"):
            yield result.get(system, {}).get(name, {}).get(key)
