"""Where an uncached request spends its time: parse, expand, score, facets, proximity
re-rank, highlights and body reads, page context, template rendering and the web stack,
for the search page and for the API, at one size.

The real server (`testimony serve`, one worker, uvicorn) is started on the size's folder
and sent distinct queries one at a time, so that its per-generation result cache never
answers. Two passes per endpoint, on different queries: a timed one with no profiler
(p50, p95 and mean of the whole request, as a client sees it), and a profiled one under
py-spy, a sampling profiler that reads the server's stacks from outside. Each sample is
given to a stage by the frames on its stack (`STAGES` below). A stage's share of a
request is its samples times the sampling interval over the requests' time under the
profiler, and its ms per request that share of the timed pass's mean; the time no busy
thread accounts for was spent outside the server's Python (client, loopback, kernel).

Why py-spy and not cProfile: the route runs in a worker thread of the server's pool and
the response is sent from the event loop's thread, so an in-process profiler would have
to follow every thread, and cProfile's cost per Python call inflates the many small
calls of page building against numpy's few large ones. py-spy sees every thread of the
unchanged server from outside, at a cost that does not depend on what the code does.
It reads the stacks without pausing the server (`--nonblocking`): paused 500 times a
second, the server took 20-40 % longer per request, and that time fell outside every
stage. Idle threads are sampled too (`--idle`), so that the event loop's thread counts
the sampling rounds; whether a thread was waiting is told from its innermost frame.
py-spy is run from the bench venv (var/bench/venv/bin/py-spy) and needs to be allowed
to trace the server (root, or ptrace permitted).
"""

from __future__ import annotations

import argparse
import re
import signal
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import BENCH_DIR, fetch, percentile
from .queries import SEED, Generator, Query, passages
from .web import our_server

CATEGORIES = ("words", "phrase", "filtered", "paragraph")
ENDPOINTS = {"search_page": "/search", "api": "/api/search"}
WARMUP = 20  # queries sent first (templates compiled, index files paged in)
PER_PASS = 150  # queries per pass: timed and profiled, for each endpoint
QUICK_PER_PASS = 40
RATE = 500  # samples per second (py-spy keeps up with it on two CPUs)
TOP = 10

APP = "testimony_archive/"
INDEX = APP + "index/"
WEB = APP + "web/"


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    modules: tuple[str, ...] = ()  # path prefixes (or suffixes, for ".html")
    functions: tuple[tuple[str, str], ...] = ()  # (module, qualified name)

    def matches(self, module: str, function: str) -> bool:
        if any(module.startswith(prefix) or module.endswith(prefix) for prefix in self.modules):
            return True
        return (module, function) in self.functions


# A sample goes to the first of these that any frame of its stack belongs to: the search
# stages are nested (expansion runs inside query building, the re-rank reads term scores
# through scoring, highlighting runs inside page building and templates), so the more
# specific stage comes first.
STAGES = (
    Stage(
        "proximity",
        "proximity re-rank",
        (INDEX + "proximity.py",),
        ((INDEX + "ranking.py", "rerank"),),
    ),
    Stage("expand", "expand (synonyms, prefixes, fuzzy words)", (INDEX + "expansion.py",)),
    Stage(
        "parse",
        "parse (query syntax, query building)",
        (INDEX + "query_syntax.py", INDEX + "query_builder.py"),
    ),
    Stage("facets", "facets", (INDEX + "facets.py",)),
    Stage(
        "highlights",
        "highlights and body reads",
        (INDEX + "highlight.py", INDEX + "bodies.py"),
        (
            (INDEX + "archive_backend.py", "ArchiveBackend._attach_text"),
            (INDEX + "archive_backend.py", "ArchiveBackend.spans"),
            (WEB + "rendering.py", "highlighted"),
        ),
    ),
    Stage(
        "score",
        "score (filters, scoring, ranking)",
        tuple(
            INDEX + name
            for name in ("scoring.py", "snapshot.py", "filters.py", "arrange.py", "searcher.py",
                         "ranking.py", "sparse.py")
        ),
        (
            (INDEX + "whoosh_index.py", "WhooshIndex._search"),
            (INDEX + "whoosh_index.py", "WhooshIndex.search"),
        ),
    ),
    Stage("template", "template rendering (Jinja2)", ("jinja2/", WEB + "rendering.py", ".html")),
    Stage(
        "page",
        "page context (API: its JSON)",
        (WEB + "page_builders.py", WEB + "views.py", WEB + "contexts.py", APP + "search_json.py"),
    ),
)
# Otherwise the innermost frame that is ours or the web stack's decides.
WEB_STACK = Stage(
    "response",
    "web stack (uvicorn, Starlette, FastAPI, pydantic: request and response)",
    ("uvicorn/", "starlette/", "fastapi/", "h11/", "httptools/", "anyio/", "pydantic")
    + (WEB + "responses.py", WEB + "api_models.py"),
)
APP_REST = Stage("app", "other app code (parameters, access, dependencies)", (APP,))
OTHER = Stage("other", "other (event loop, threads, garbage collection)")
OUTSIDE = "outside"
# Read without pausing the server, a stack is now and then caught changing: it then
# lacks its root (a thread's start), and only a search stage's frame can place it.
PARTIAL = "partial"
ROOTS = ("_run_module_as_main", "<module>", "Thread._bootstrap")
_NAMED = {stage.key: stage.label for stage in (*STAGES, WEB_STACK, APP_REST, OTHER)}
_NAMED[PARTIAL] = "stacks read only in part (py-spy, not attributed)"
_NAMED[OUTSIDE] = "outside the server's Python (client, loopback, kernel)"
ORDER = ("parse", "expand", "score", "facets", "proximity", "highlights", "page", "template")
LABELS = {key: _NAMED[key] for key in (*ORDER, "response", "app", "other", PARTIAL, OUTSIDE)}
# A thread whose innermost frame is one of these, outside every stage, is waiting: the
# event loop (uvloop's, in C) for the network, a pool thread for work.
IDLE = "idle"
IDLE_LEAVES = (
    ("asyncio/runners.py", "Runner.run"),
    ("asyncio/base_events.py", "BaseEventLoop.run_forever"),
    ("selectors.py", "EpollSelector.select"),
    ("threading.py", "Condition.wait"),
    ("threading.py", "Event.wait"),
    ("threading.py", "Thread._wait_for_tstate_lock"),
    ("queue.py", "Queue.get"),
)

Frame = tuple[str, str]  # (module, function)
_INSTALLED = re.compile(r"^.*/(site-packages|src|lib/python3\.\d+)/")  # before the module


def distinct_queries(mix: list[Query], count: int, seed: int = SEED + 12) -> list[Query]:
    """`count` queries of the plain categories, none repeated and none in the mix."""
    generator = Generator(passages(), seed)
    seen = {_key(query) for query in mix}
    found: list[Query] = []
    while len(found) < count:
        query = generator.make(CATEGORIES[len(found) % len(CATEGORIES)])
        if _key(query) not in seen:
            seen.add(_key(query))
            found.append(query)
    return found


def breakdown_queries(mix: list[Query], quick: bool) -> list[Query]:
    """What `measure_breakdown` needs: warm-up, then four passes."""
    return distinct_queries(mix, WARMUP + 4 * (QUICK_PER_PASS if quick else PER_PASS))


def _key(query: Query) -> tuple[str, str, tuple[tuple[str, Any], ...]]:
    return query.q.lower(), query.unit, tuple(sorted(query.filters.items()))


def measure_breakdown(
    work: Path, queries: list[Query], bench_venv: Path, rate: int = RATE
) -> dict[str, Any]:
    """The breakdown of both endpoints at the size in `work`. The first `WARMUP` queries
    warm the server; the rest are split in four: timed and profiled, page and API."""
    py_spy = bench_venv / "bin" / "py-spy"
    if not py_spy.exists():
        return {"error": f"no py-spy in {bench_venv}: pip install py-spy"}
    warmup, rest = queries[:WARMUP], queries[WARMUP:]
    quarter = len(rest) // 4
    if quarter < 5:
        raise ValueError(f"too few queries for a breakdown: {len(queries)}")
    passes = [rest[at * quarter : (at + 1) * quarter] for at in range(4)]
    result: dict[str, Any] = {"method": "py-spy", "rate_hz": rate, "per_pass": quarter}
    with our_server(work, 1, work / "logs", "serve-breakdown.log") as (process, base):
        for at, query in enumerate(warmup):
            fetch(base + query.our_path(list(ENDPOINTS.values())[at % 2]))
        for number, (name, endpoint) in enumerate(ENDPOINTS.items()):
            timed, profiled = passes[2 * number], passes[2 * number + 1]
            figures = _timed(base, [query.our_path(endpoint) for query in timed])
            paths = [query.our_path(endpoint) for query in profiled]
            profile = _profiled(py_spy, process.pid, base, paths, rate)
            result[name] = {**figures, **profile.attributed(figures["mean_ms"])}
    return result


def _timed(base: str, paths: list[str]) -> dict[str, Any]:
    times: list[float] = []
    statuses: Counter[str] = Counter()
    for path in paths:
        status, _body, ms = fetch(base + path)
        statuses[str(status)] += 1
        times.append(ms)
    return {
        "requests": len(paths),
        "statuses": dict(statuses),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "mean_ms": round(statistics.fmean(times), 2),
    }


@dataclass
class Profile:
    """What py-spy saw of the server while it answered `times_ms` requests in turn."""

    stacks: Counter[tuple[Frame, ...]]  # each thread's stack, root first
    rounds: int  # how often py-spy sampled (every thread is sampled each time)
    seconds: float  # for how long
    times_ms: list[float]

    def attributed(self, timed_mean_ms: float) -> dict[str, Any]:
        """Each stage's share of a request's time as the client saw it (samples × the
        sampling interval, over the requests' time under the profiler), and so its ms of
        the timed pass's mean; what no busy thread accounts for happened outside the
        server's Python code (the client, the loopback, the kernel)."""
        interval_ms = 1000 * self.seconds / max(self.rounds, 1)
        profiled_ms = sum(self.times_ms) or 1.0
        busy: Counter[str] = Counter()
        own: Counter[Frame] = Counter()
        stages_by_leaf: dict[Frame, Counter[str]] = {}
        for stack, count in self.stacks.items():
            stage = stage_of(stack)
            if stage != IDLE:
                busy[stage] += count
                leaf = stack[-1] if stack else ("", "(no frames)")
                own[leaf] += count
                stages_by_leaf.setdefault(leaf, Counter())[stage] += count

        def share(samples: int) -> float:
            return samples * interval_ms / profiled_ms

        outside = max(0.0, 1 - share(sum(busy.values())))
        stages = [
            {
                "stage": key,
                "label": label,
                "samples": busy[key],
                "share": round(share(busy[key]) if key != OUTSIDE else outside, 4),
                "ms_per_request": round(
                    timed_mean_ms * (share(busy[key]) if key != OUTSIDE else outside), 2
                ),
            }
            for key, label in LABELS.items()
        ]
        top = [
            {
                "function": f"{module}:{function}" if module else function,
                "stage": stages_by_leaf[(module, function)].most_common(1)[0][0],
                "samples": count,
                "share": round(share(count), 4),
            }
            for (module, function), count in own.most_common(TOP)
        ]
        return {
            "profiled_mean_ms": round(statistics.fmean(self.times_ms), 2),
            "sampled_s": round(self.seconds, 2),
            "rounds": self.rounds,
            "busy_samples": sum(busy.values()),
            "stages": stages,
            "top_own_time": top,
        }


def _profiled(py_spy: Path, pid: int, base: str, paths: list[str], rate: int) -> Profile:
    """The paths fetched in turn while py-spy samples every thread of the server, idle
    or not (whether a thread waits is told from its stack, `IDLE_LEAVES`)."""
    with tempfile.TemporaryDirectory() as folder:
        raw, log = Path(folder) / "stacks.txt", Path(folder) / "py-spy.log"
        command = [str(py_spy), "record", "--pid", str(pid), "--rate", str(rate), "--idle"]
        command += ["--nonblocking", "--threads", "--function", "--full-filenames"]
        with log.open("wb") as output:
            command += ["--format", "raw", "--output", str(raw)]
            spy = subprocess.Popen(command, stdout=output, stderr=output)
        try:
            started = _wait_for(log, "Sampling process", spy)
            times = [fetch(base + path)[2] for path in paths]
        finally:
            spy.send_signal(signal.SIGINT)  # py-spy writes what it sampled, then ends
            seconds = time.perf_counter() - started
            try:
                spy.wait(60)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
        if not raw.exists():
            raise RuntimeError(f"py-spy wrote no profile: {log.read_text()[-500:]}")
        stacks, rounds = parse_raw(raw.read_text(encoding="utf-8"))
    return Profile(stacks, rounds, seconds, times)


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes]) -> float:
    """When py-spy said it started sampling."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return time.perf_counter()
        if process.poll() is not None:
            break
        time.sleep(0.01)
    raise RuntimeError(f"py-spy did not start: {log.read_text(errors='replace')[-500:]}")


def parse_raw(text: str) -> tuple[Counter[tuple[Frame, ...]], int]:
    """py-spy's raw (folded) output with `--threads`: `thread (id): name;frame;... count`,
    root first, each frame `function (path:line)`. The stacks without their thread, and
    the samples of the main thread (the event loop's), one per sampling round."""
    stacks: Counter[tuple[Frame, ...]] = Counter()
    rounds = 0
    for line in text.splitlines():
        folded, _, count = line.rpartition(" ")
        if not (folded and count.isdigit()):
            continue
        thread, *frames = folded.split(";")
        if thread.endswith(": MainThread"):
            rounds += int(count)
        stacks[tuple(_frame(part) for part in frames)] += int(count)
    return stacks, rounds


def _waiting(leaf: Frame) -> bool:
    module, function = leaf
    return any(module.endswith(where) and function == name for where, name in IDLE_LEAVES)


def _frame(text: str) -> Frame:
    function, _, where = text.rpartition(" (")
    if not function:
        return "", text
    path = where.rstrip(")").rpartition(":")[0]
    return _INSTALLED.sub("", path), function


def stage_of(stack: tuple[Frame, ...]) -> str:
    for stage in STAGES:
        if any(stage.matches(module, function) for module, function in stack):
            return stage.key
    if not stack:
        return PARTIAL
    if _waiting(stack[-1]):
        return IDLE
    if stack[0][1] not in ROOTS:
        return PARTIAL
    for module, function in reversed(stack):
        for stage in (WEB_STACK, APP_REST):
            if stage.matches(module, function):
                return stage.key
    return OTHER.key


def main() -> None:
    """Measure the breakdown at existing sizes and print it (not the whole bench)."""
    from .accounts import upgrade_instance
    from .queries import query_mix
    from .report_breakdown import breakdown_section

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--bench-venv", type=Path, default=BENCH_DIR / "venv")
    options = parser.parse_args()
    mix = query_mix()
    runs: dict[str, dict[str, Any]] = {}
    for size in (int(part) for part in options.sizes.split(",")):
        work = BENCH_DIR / f"x{size}"
        upgrade_instance(work)
        queries = breakdown_queries(mix, options.quick)
        runs[f"x{size}"] = {"breakdown": measure_breakdown(work, queries, options.bench_venv)}
    print("\n".join(breakdown_section(runs, sorted(runs, key=lambda name: int(name[1:])))))


if __name__ == "__main__":
    main()
