"""The search page under distinct queries on one or two server processes at once.

The stream is web_distinct's (split_stream: warm-up queries, then the load's), shared out
so that no query is sent twice in a run: server k of n is warmed with warm[k::n] and
loaded with load[k::n]. With two processes, two wrk runs go at once, one a server, each
with half the connections and one wrk thread (one process: 16 connections, two
threads), so the load generator's share of the two CPUs is the same. Their requests/s
are summed; their latency percentiles cannot be merged from wrk's summaries, so the
figures given are the worse of the processes' (`latency_of`), each process's are kept.

Every run starts its servers afresh (no cache has seen the stream). The CPU time that
the servers and (for PostgreSQL) the database's processes used is measured, and so is
what every other process used (cpu.other_processes): a busy machine is said, not
measured again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from subprocess import Popen
from typing import Any

from .common import fetch, tree_memory_mb
from .cpu import other_processes, trees_cpu_s
from .loadgen import wrk_distinct
from .queries import Query
from .web import LoadPlan
from .web_distinct import one_at_a_time

Running = tuple[Popen[bytes], str]
Start = Callable[[], AbstractContextManager[Running]]
LATENCY_OF = "the worse of the processes'"
SUMMED = ("requests", "errors", "non_2xx", "distinct_requests", "past_end")
WORST = ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms")


@contextmanager
def started(starts: Sequence[Start]) -> Iterator[list[Running]]:
    """Every server started (one after the other), all stopped when the block ends."""
    with ExitStack() as stack:
        yield [stack.enter_context(start()) for start in starts]


def health(base: str) -> dict[str, Any]:
    """What /healthz says (the documents and paragraphs the server can search)."""
    status, body, _ms = fetch(f"{base}/healthz")
    if status != 200:
        return {"status": status}
    found: dict[str, Any] = json.loads(body)
    return found


def search_paths(queries: list[Query]) -> list[str]:
    return [query.our_path("/search") for query in queries]


def load_servers(
    servers: list[Running],
    warm: list[Query],
    load: list[Query],
    plan: LoadPlan,
    database_pids: Sequence[int] = (),
) -> dict[str, Any]:
    """Warm each server with its share of `warm`, then load them all at once, each with
    its share of `load` and of the connections."""
    count = len(servers)
    warm_passes = [one_at_a_time(base, search_paths(warm[k::count]))
                   for k, (_process, base) in enumerate(servers)]  # fmt: skip
    pids = [process.pid for process, _base in servers]

    def one(k: int) -> dict[str, Any]:
        paths = search_paths(load[k::count])
        threads = max(1, 2 // count)
        return wrk_distinct(servers[k][1], paths, plan.connections // count, plan.duration,
                            threads)  # fmt: skip

    servers_cpu, database_cpu = trees_cpu_s(tuple(pids)), trees_cpu_s(tuple(database_pids))
    with other_processes(*pids, *database_pids) as machine, ThreadPoolExecutor(count) as pool:
        runs = list(pool.map(one, range(count)))
    servers_cpu = trees_cpu_s(tuple(pids)) - servers_cpu
    database_cpu = trees_cpu_s(tuple(database_pids)) - database_cpu
    for run, (process, base) in zip(runs, servers, strict=True):
        run["memory"] = tree_memory_mb(process.pid)
        run["health"] = health(base)
    combined = combine(runs)
    return combined | {
        "warm_passes": warm_passes,
        "other_cpu_share": machine["other_cpu_share"],
        "servers_cpu_s": round(servers_cpu, 2),
        "database_cpu_s": round(database_cpu, 2) if database_pids else None,
        "cpu_ms_per_request": round(
            1000 * (servers_cpu + database_cpu) / max(1, combined["requests"]), 1
        ),
    }


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure set for simultaneous runs: counts and requests/s summed, latencies the
    worst of them."""
    return {
        "processes": len(runs),
        "connections": sum(run["connections"] for run in runs),
        "requests_per_s": round(sum(run["requests_per_s"] for run in runs), 1),
        **{name: sum(run[name] for run in runs) for name in SUMMED},
        **{name: max(run[name] for run in runs) for name in WORST},
        "latency_of": LATENCY_OF if len(runs) > 1 else "the one process",
        "wrapped": any(run["wrapped"] for run in runs),
        "per_process": runs,
    }
