"""Web measure: what the access check costs. Our search page, 1 worker, under the same wrk
load twice, on one server: anonymous, then signed in as a researcher (the session cookie
on every request). Measured two ways: under distinct queries (`load_access_distinct`, the
target's measure: what researchers meet, every search made anew), and under the repeated
mix, every page from the result cache (`load_access`, reported apart: there the page's
fixed costs, signing in's among them, weigh the most).

A signed-in search costs a session lookup and an audit entry; an anonymous one costs
neither. Just before each run, every query of the mix is sent once in that run's role
(the result cache is kept per access scope), and then once more through /api/search,
whose `took_ms` tells whether the result came from the cache. The audit trail is counted
before and after (once it has stopped growing: entries may be queued and appended a
moment later), to check that every signed-in search left its entry, cached or not.
Other processes on the machine (a test suite, say) can spoil one run of the pair and not
the other: the CPU they used is counted during each run, and a pair measured while they
kept more than a quarter of a CPU busy is measured again.

The role measured second runs with both roles' results in the cache (more live objects
for the garbage collector's passes) and pays for it: measured in one order only, the pair
measures the order. So both roles are warmed before the pairs, and each pair is run in
the order anonymous, signed in, signed in, anonymous.

One pair is not enough: on a quiet machine, pairs on one server a minute apart ranged
from 0.85 to 1.09 in their ratio of requests/s, more than the target allows either way.
So six quiet pairs of half-length runs are measured (the same three minutes as three
pairs of whole ones, with the roles interleaved twice as finely), and each role's figures
are the mean of its twelve runs (their sums, for counts); the ratio of each pair is kept
beside them, to show the spread.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .accounts import (
    RESEARCHER,
    ROLE,
    ensure_researcher,
    is_signed_in,
    settled_audit_entries,
    sign_in,
)
from .common import fetch, tree_memory_mb
from .cpu import other_processes
from .distinct import distinct_stream
from .loadgen import wrk, wrk_distinct
from .queries import SEED, Query
from .web import LoadPlan, our_server

PAIRS = 6  # quiet pairs measured and combined, each run half the plan's duration
ATTEMPTS = 2 * PAIRS  # pairs measured at most, quiet or not
QUIET = 0.25  # CPUs kept busy by other processes during a run, at most, to trust it
CACHED_MS = 1.0  # an answer from the result cache takes microseconds; a search, milliseconds
ROLES = ("anonymous", "signed_in")
# The distinct-query pairs: each run's own slice of a stream of distinct queries, long
# enough for this rate (several times what our page serves without its cache here).
DISTINCT_RATE = 250  # requests/s
DISTINCT_SEED = SEED + 1  # (not the stream web_distinct.py sends: another server anyway)
WARM_DISTINCT = 30  # queries each role sends a fresh server first (templates, first searches)


def warm(base: str, paths: list[str], headers: dict[str, str]) -> dict[str, Any]:
    """Each path once, in turn: their statuses and the seconds the pass took."""
    statuses: dict[str, int] = {}
    total_ms = 0.0
    for path in paths:
        status, _body, ms = fetch(base + path, headers=headers)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        total_ms += ms
    return {"requests": len(paths), "statuses": statuses, "seconds": round(total_ms / 1000, 2)}


def cached_share(base: str, mix: list[Query], headers: dict[str, str]) -> dict[str, Any]:
    """How many of the mix's searches the result cache answers now (the API says how long
    the search took; the page and the API share the cache)."""
    cached = answered = 0
    for query in mix:
        status, body, _ms = fetch(base + query.our_path("/api/search"), headers=headers)
        if status == 200:
            answered += 1
            took_ms = float(json.loads(body).get("took_ms") or 0.0)
            cached += took_ms < CACHED_MS
    return {"queries": len(mix), "answered": answered, "cached": cached}


def run_role(
    work: Path, base: str, server_pid: int, mix: list[Query], plan: LoadPlan,
    headers: dict[str, str],
) -> dict[str, Any]:  # fmt: skip
    """Warm the cache for the role, then the load; the audit entries both wrote."""
    paths = [query.our_path("/search") for query in mix]
    before = settled_audit_entries(work)
    warmed = warm(base, paths, headers)
    cache = cached_share(base, mix, headers)
    loaded_from = settled_audit_entries(work)
    with other_processes(server_pid) as machine:
        figures = wrk(base, paths, plan.connections, plan.duration, headers=headers)
    after = settled_audit_entries(work)
    written = "researcher_searches"
    return (
        figures
        | _cpu(machine, figures["requests"])
        | {
            "warm_pass": warmed,
            "cache": cache,
            "audit_entries_written": {
                "warm_and_cache_check": loaded_from[written] - before[written],
                "load": after[written] - loaded_from[written],
            },
            "audit_entries_after": after["total"],
            "other_cpu_share": machine["other_cpu_share"],
        }
    )


def _cpu(machine: dict[str, Any], requests: int) -> dict[str, Any]:
    """The server's CPU time per request, by thread (see cpu.py)."""
    loop, threads = machine["loop_cpu_s"] * 1000, machine["threads_cpu_s"] * 1000
    requests = max(1, requests)
    return {
        "cpu_ms_per_request": {
            "event_loop": round(loop / requests, 2),
            "threads": round(threads / requests, 2),
            "total": round((loop + threads) / requests, 2),
        }
    }


SUMMED = {"requests", "bytes", "errors", "non_2xx", "load", "warm_and_cache_check",
          "duration_s", "past_end", "distinct_requests"}  # fmt: skip
LAST = {"audit_entries_after"}  # a state after the runs, not a figure of one
TRUE_IF_ANY = {"wrapped"}  # true of the runs together if true of any


def combined(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs of one role as one: counts summed, other figures averaged, the rest as the
    last run left them."""
    last = runs[-1]
    found: dict[str, Any] = {}
    for key, value in last.items():
        values: list[Any] = [run.get(key) for run in runs]
        if isinstance(value, dict) and all(isinstance(v, dict) for v in values):
            found[key] = combined([v for v in values if isinstance(v, dict)])
        elif key in LAST:
            found[key] = value
        elif key in TRUE_IF_ANY:
            found[key] = any(values)
        elif all(isinstance(v, (int, float)) for v in values):
            total = sum(values)
            found[key] = total if key in SUMMED else round(total / len(values), 3)
        else:
            found[key] = value
    return found


def load_access(work: Path, mix: list[Query], plan: LoadPlan, logs: Path) -> dict[str, Any]:
    """The search page anonymous and signed in, same queries, same server, 1 worker: six
    pairs measured while other processes kept the machine quiet (or the quietest six of
    twelve), combined."""
    plan = dataclasses.replace(plan, duration=plan.duration / 2)
    result: dict[str, Any] = {
        "workers": 1,
        "endpoint": "/search",
        "account": {"name": RESEARCHER, "role": ROLE, "added_by": ensure_researcher(work)},
    }
    paths = [query.our_path("/search") for query in mix]

    def run(base: str, pid: int, headers: dict[str, str], _slice: int) -> dict[str, Any]:
        return run_role(work, base, pid, mix, plan, headers)

    # (both roles' results in the cache before either is measured)
    pairs, _warmed, result["memory"] = _pairs(work, logs, "serve-access.log", paths, run)
    return result | _kept(pairs)


Run = Callable[[str, int, dict[str, str], int], dict[str, Any]]


def _pairs(
    work: Path, logs: Path, log_name: str, warm_paths: list[str], run: Run
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, Any]]:
    """On one server, with the researcher signed in and both roles warmed with
    `warm_paths`: pairs of runs in the order anonymous, signed in, signed in, anonymous
    (`run(base, server pid, the role's headers, slice)`, the slice numbered from 0 over
    all pairs, one for each half of a pair), until `PAIRS` of them were quiet (or
    `ATTEMPTS` were measured). The pairs, each role's runs combined; the warm passes; the
    server's memory after the last pair."""
    pairs: list[dict[str, Any]] = []
    with our_server(work, 1, logs, log_name) as (process, base):
        cookie = sign_in(base)
        if not is_signed_in(base, cookie):
            raise RuntimeError("signed in, but /account does not know the session cookie")
        headers: dict[str, dict[str, str]] = {"anonymous": {}, "signed_in": {"Cookie": cookie}}
        warmed = {role: warm(base, warm_paths, headers[role]) for role in ROLES}
        memory: dict[str, Any] = {}
        while len(pairs) < ATTEMPTS and sum(_busy(pair) <= QUIET for pair in pairs) < PAIRS:
            runs: dict[str, list[dict[str, Any]]] = {role: [] for role in ROLES}
            first = 2 * len(pairs)
            for role, part in ((ROLES[0], first), (ROLES[1], first),
                               (ROLES[1], first + 1), (ROLES[0], first + 1)):  # fmt: skip
                runs[role].append(run(base, process.pid, headers[role], part))
            pairs.append({role: combined(runs[role]) for role in ROLES})
            memory = tree_memory_mb(process.pid)
    return pairs, warmed, memory


def _kept(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """The quietest `PAIRS` pairs, each role's runs combined; each pair's ratios."""
    kept = sorted(pairs, key=_busy)[:PAIRS]
    return {
        **{role: combined([pair[role] for pair in kept]) for role in ROLES},
        "attempts": len(pairs),
        "pairs_kept": len(kept),
        "pair_ratios": [
            {"requests_per_s": _ratio(pair, "requests_per_s"), "p95_ms": _ratio(pair, "p95_ms")}
            for pair in kept
        ],
        "other_cpu_shares": [[pair[role]["other_cpu_share"] for role in ROLES] for pair in pairs],
    }


def _ratio(pair: dict[str, Any], figure: str) -> float:
    return round(float(pair["signed_in"][figure]) / float(pair["anonymous"][figure]), 3)


def _busy(pair: dict[str, Any]) -> float:
    return max(float(pair[role]["other_cpu_share"]) for role in ROLES)


def load_access_distinct(work: Path, size_label: str, plan: LoadPlan, logs: Path) -> dict[str, Any]:
    """The search page anonymous and signed in under distinct queries (what a researcher
    meets: no answer from the result cache), same server, 1 worker. Each pair runs in the
    order anonymous, signed in, signed in, anonymous over two slices of the stream, each
    sent in both roles (the cache is kept per access scope, so the second role's run of a
    slice finds none of the first's results): anonymous on x, signed in on x, signed in
    on y, anonymous on y. Six quiet pairs, combined as in `load_access`."""
    plan = dataclasses.replace(plan, duration=plan.duration / 2)
    per_run = max(1, round(max(1, round(plan.duration)) * DISTINCT_RATE))  # (wrk's seconds)
    stream = distinct_stream(size_label, WARM_DISTINCT + 2 * ATTEMPTS * per_run, DISTINCT_SEED)
    warm_paths = [query.our_path("/search") for query in stream[:WARM_DISTINCT]]
    slices = [
        [query.our_path("/search") for query in stream[start : start + per_run]]
        for start in range(WARM_DISTINCT, len(stream), per_run)
    ]
    result: dict[str, Any] = {
        "workers": 1,
        "endpoint": "/search",
        "account": {"name": RESEARCHER, "role": ROLE, "added_by": ensure_researcher(work)},
        "queries": {"warm": WARM_DISTINCT, "per_run": per_run, "seed": DISTINCT_SEED},
    }

    def run(base: str, pid: int, headers: dict[str, str], part: int) -> dict[str, Any]:
        return _distinct_run(work, base, pid, slices[part], plan, headers)

    pairs, warmed, result["memory"] = _pairs(
        work, logs, "serve-access-distinct.log", warm_paths, run
    )
    found = result | _kept(pairs)
    for role in ROLES:  # (its failures are reported with the runs')
        found[role]["warm_pass"] = warmed[role]
    return found


def _distinct_run(
    work: Path, base: str, server_pid: int, paths: list[str], plan: LoadPlan,
    headers: dict[str, str],
) -> dict[str, Any]:  # fmt: skip
    """One run over a slice of distinct queries; the audit entries it wrote."""
    before = settled_audit_entries(work)
    with other_processes(server_pid) as machine:
        figures = wrk_distinct(base, paths, plan.connections, plan.duration, headers=headers)
    after = settled_audit_entries(work)
    return (
        figures
        | _cpu(machine, figures["requests"])
        | {
            "audit_entries_written": {
                "load": after["researcher_searches"] - before["researcher_searches"]
            },
            "audit_entries_after": after["total"],
            "other_cpu_share": machine["other_cpu_share"],
        }
    )
