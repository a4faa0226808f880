"""var/bench/postgres.md: the PostgreSQL benchmark's figures, one column a size, and the
warnings that say which of them not to trust. A figure that was not measured says so;
why is listed under the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .figures import dig, ratio
from .report_tables import cell, ratio_text, table
from .web_access import QUIET

NOT_MEASURED = "not measured"
Get = Callable[[dict[str, Any]], Any]
SYSTEMS = (("whoosh_1", "Whoosh, 1 process"), ("whoosh_2", "Whoosh, 2 processes"),
           ("postgres_2", "PostgreSQL, 2 processes (A primary, B replica)"))  # fmt: skip
FALLBACK = (
    "`testimony index --rebuild` built a Whoosh index under the PostgreSQL database URL "
    "(a version without the PostgreSQL search backend): every 'PostgreSQL' search "
    "figure here is Whoosh's"
)


def at(part: str, *keys: str) -> Get:
    """A figure of one part of a size's run ("not measured" if the part failed)."""

    def get(run: dict[str, Any]) -> Any:
        found = run.get(part)
        if isinstance(found, dict) and "not_measured" in found:
            return NOT_MEASURED
        return dig(found, *keys)

    return get


def over(top: Get, bottom: Get, digits: bool = True) -> Get:
    """The ratio of two figures (not measured if either was not)."""

    def get(run: dict[str, Any]) -> Any:
        a, b = top(run), bottom(run)
        if NOT_MEASURED in (a, b):
            return NOT_MEASURED
        value = ratio(a, b)
        return ratio_text(value) if digits else value

    return get


def pair(first: Get, second: Get) -> Get:
    """Two figures in one cell, "a / b" (not measured if either was not)."""

    def get(run: dict[str, Any]) -> Any:
        a, b = first(run), second(run)
        return NOT_MEASURED if NOT_MEASURED in (a, b) else f"{cell(a)} / {cell(b)}"

    return get


def heading(text: str) -> tuple[str, Get]:
    return (f"**{text}**", lambda _run: "")


def rows() -> list[tuple[str, Get]]:
    """The table's rows: a label and how to find the figure in a size's run."""
    rate, p95 = at("postgres_2", "requests_per_s"), at("postgres_2", "p95_ms")
    edit, tag, lag = "edit_to_searchable", "tag_edit_to_searchable", "replica_lag"
    return [
        heading("Build"),
        ("Whoosh: full index build, s", at("whoosh_build", "seconds")),
        ("PostgreSQL: `testimony index --rebuild`, s", at("postgres_build", "seconds")),
        ("build time, PostgreSQL / Whoosh",
         over(at("postgres_build", "seconds"), at("whoosh_build", "seconds"))),
        ("PostgreSQL build: peak memory, MB", at("postgres_build", "peak_rss_mb")),
        ("PostgreSQL: database size after the build, MB", at("postgres_build", "database_mb")),
        ("search backend under the PostgreSQL URL", at("postgres_build", "search_backend")),
        ("replica caught up after the build, s", at("postgres_build", "replica_caught_up_s")),
        heading("Search page, distinct queries"),
        *[(f"{label}: {name}", at(system, key))
          for name, key in (("req/s", "requests_per_s"), ("p95 ms", "p95_ms"))
          for system, label in SYSTEMS],
        ("req/s, PostgreSQL 2 / Whoosh 1", over(rate, at("whoosh_1", "requests_per_s"))),
        ("req/s, PostgreSQL 2 / Whoosh 2", over(rate, at("whoosh_2", "requests_per_s"))),
        ("p95, PostgreSQL 2 / Whoosh 1", over(p95, at("whoosh_1", "p95_ms"))),
        ("p95, PostgreSQL 2 / Whoosh 2", over(p95, at("whoosh_2", "p95_ms"))),
        *[(f"{label}: CPU ms a request (servers + database)", at(system, "cpu_ms_per_request"))
          for system, label in SYSTEMS],
        heading("Tag edit to searchable (A's web form; from A's 303 answer)"),
        ("found on B (replica reads): median, s", at(tag, "b", "median_s")),
        ("found on B: max, s", at(tag, "b", "max_s")),
        ("found on A (primary): median, s", at(tag, "a", "median_s")),
        ("found on A: max, s", at(tag, "a", "max_s")),
        ("not found within the time-out (A / B)", pair(at(tag, "a", "missed"),
                                                        at(tag, "b", "missed"))),
        ("edits already listed by the first search after the 303 (A / B)",
         pair(at(tag, "a", "found_by_first_search"), at(tag, "b", "found_by_first_search"))),
        ("the answering search itself: median ms (A / B)",
         pair(at(tag, "a", "search_median_ms"), at(tag, "b", "search_median_ms"))),
        ("the edit's POST on A, to its 303: median, s", at(tag, "post_median_s")),
        ("the replica had replayed the primary's WAL as of the 303: median, s",
         at(tag, "replica_replayed", "median_s")),
        ("the same: max, s", at(tag, "replica_replayed", "max_s")),
        heading("Import to searchable (a new document, `testimony import` with A's settings)"),
        ("found on B (replica reads), from the command's start: median, s",
         at(edit, "b", "median_s")),
        ("found on B, from the command's start: max, s", at(edit, "b", "max_s")),
        ("found on A (primary), from the command's start: median, s", at(edit, "a", "median_s")),
        ("the import command alone (process start to exit): median, s",
         at(edit, "command_median_s")),
        ("found on B, from the command's exit: median, s (< 0: before it)",
         at(edit, "b", "after_command_median_s")),
        ("found on B, from the command's exit: max, s", at(edit, "b", "after_command_max_s")),
        ("found on A, from the command's exit: median, s", at(edit, "a", "after_command_median_s")),
        ("not found within the time-out (A / B)", pair(at(edit, "a", "missed"),
                                                        at(edit, "b", "missed"))),
        heading("Replica lag while new documents are imported"),
        ("documents imported", at(lag, "documents")),
        ("import (with the index update), s", at(lag, "import_s")),
        ("lag, bytes: max", at(lag, "lag_bytes", "max")),
        ("lag, bytes: p95", at(lag, "lag_bytes", "p95")),
        ("replay_lag (pg_stat_replication), s: max", at(lag, "replay_lag_s", "max")),
        ("replay_lag, s: p95", at(lag, "replay_lag_s", "p95")),
        ("replica: now() − last replayed commit (an upper bound), s: max",
         at(lag, "replica_behind_s", "max")),
        ("the same, s: p95", at(lag, "replica_behind_s", "p95")),
        ("WAL written, MB", at(lag, "wal_written_mb")),
        ("samples (every 0.2 s) / those in which replication had work",
         pair(at(lag, "samples_n"), at(lag, "samples_busy_n"))),
        ("replica caught up after the import ended, s", at(lag, "caught_up_after_import_s")),
    ]  # fmt: skip


def reasons(runs: dict[str, dict[str, Any]], sizes: list[str]) -> list[str]:
    found = []
    for size in sizes:
        for part, figures in runs[size].items():
            if isinstance(figures, dict) and "not_measured" in figures:
                found.append(f"- {size} {part}: {figures['not_measured']}")
    return ["Not measured:", "", *found, ""] if found else []


def warnings(runs: dict[str, dict[str, Any]]) -> list[str]:
    """What makes a figure doubtful: the Whoosh fallback, failed requests, a run whose
    distinct queries ran out, a busy machine, src/ changed meanwhile, a lost document."""
    found = []
    for size, run in runs.items():
        if dig(run, "postgres_build", "search_backend") == "whoosh":
            found.append(f"{size}: {FALLBACK}")
        source = dict(run.get("src") or {})
        if source.get("start") != source.get("end"):
            found.append(
                f"{size}: src/ changed while it was measured ({source.get('start')} "
                f"→ {source.get('end')}): its processes may have run different code"
            )
        for system, label in SYSTEMS:
            figures = dict(run.get(system) or {})
            failed = (figures.get("errors") or 0) + (figures.get("non_2xx") or 0)
            if failed:
                found.append(f"{size} {label}: {failed} failed requests (see {size}/logs/)")
            if figures.get("wrapped"):
                found.append(f"{size} {label}: the stream ran out: refused")
            if (figures.get("other_cpu_share") or 0) > QUIET:
                found.append(f"{size} {label}: other processes kept "
                             f"{figures['other_cpu_share']} CPUs busy")  # fmt: skip
        for server in ("a", "b"):
            if dig(run, "edit_to_searchable", server, "missed"):
                found.append(f"{size}: server {server.upper()} did not find a new document")
            if dig(run, "tag_edit_to_searchable", server, "missed"):
                found.append(f"{size}: server {server.upper()} did not find a tag edit")
        if dig(run, "tag_edit_to_searchable", "replica_replayed", "missed"):
            found.append(f"{size}: the replica did not replay a tag edit within the time-out")
        lag = dict(run.get("replica_lag") or {})
        if lag.get("samples_n") and lag.get("caught_up_after_import_s") is None:
            found.append(f"{size}: the replica had not caught up a minute after the import")
    return found


def render(data: dict[str, Any], brief: bool = False) -> str:
    """The report (brief: the table alone, for the terminal)."""
    runs = data["runs"]
    sizes = sorted(runs, key=lambda name: int(name[1:]))
    body = table(["figure", *sizes], [[label, *(get(runs[size]) for size in sizes)]
                                      for label, get in rows()])  # fmt: skip
    if brief:
        return "\n".join(body)
    meta, load = data["meta"], data["load"]
    out = [
        "# PostgreSQL search beside Whoosh",
        "",
        f"Measured {meta['generated']} at commit {meta['commit']} on {meta['cpus']} CPUs "
        f"({'quick: ' if data.get('quick') else ''}{load['duration']:g} s a load, "
        f"{load['connections']} connections in all). `python -m bench.postgres_web` "
        "(`make bench-postgres`); how each figure is measured is in its module's notes.",
        "",
        *[f"- **Warning:** {warning}" for warning in data.get("warnings") or []],
        "",
        *body,
        *reasons(runs, sizes),
        *method(),
        *settings(runs, sizes),
    ]
    return "\n".join(out) + "\n"


def method() -> list[str]:
    return [
        "Search page: each load sends the stream of distinct queries (web_distinct.py) "
        "once, no query twice, to fresh server processes. With two processes both are "
        "loaded at once, each with half the connections and its own half of the stream; "
        "their requests/s are summed and their latencies are "
        "the worse of the two processes' percentiles. A reads from the primary, B from "
        "the replica. Tag edit to searchable: an editor signed in to A adds an abuse "
        "type to a paragraph through the document page's form (POST "
        "/documents/{id}/tags, answered 303 once the edit is committed); from the moment "
        "that answer arrives, A's and B's /api/search (the document's title and the "
        "abuse type, paragraphs) are each asked every 0.02 s, in threads of their own, "
        "until they list the paragraph: the time is when the listing answer arrived, so "
        "it includes that search's own time (shown beside): where the first search "
        "after the 303 already listed it, the figure is one search's time and says only "
        "that the edit was searchable by then. Both servers had answered the same search, "
        "without the paragraph, before the edit. B reads the replica when its own "
        "once-a-second check finds it keeping up, else the primary: which one answered "
        "is not seen by the benchmark. Meanwhile the primary's WAL position is read "
        "just after the 303 and the replica is asked every 0.002 s until it has replayed "
        "that far: by then it held the edit (an upper bound of the edit's replication, "
        "without any search). Import to searchable: "
        "`testimony import` of one new document (A's settings) in a child process, each "
        "server's /api/search asked for it every 0.1 s: the seconds from the command's "
        "start to the request that found it (this includes Python's start-up and the "
        "app's imports: not a figure for the issue's one second), and the same less the "
        "command's own time, i.e. from the command's exit (negative: found before the "
        "process had exited, as its index commit comes before its clean-up). "
        "Replica lag: sampled every 0.2 s during the import and until "
        "the replica has replayed everything; max and p95 over the samples in which "
        "replication had work (the primary's WAL moved, or the replica had not replayed "
        "it all). replay_lag is PostgreSQL's own time lag (a WAL record's flush on the "
        "primary to its replay); now() − the last replayed commit also counts time in "
        "which the primary's transaction had not yet committed.",
        "",
    ]


def settings(runs: dict[str, dict[str, Any]], sizes: list[str]) -> list[str]:
    shown = next((runs[size].get("postgres_settings") for size in sizes
                  if runs[size].get("postgres_settings")), None)  # fmt: skip
    if not shown:
        return []
    return ["PostgreSQL: the tests' primary and replica (fsync and full-page writes off; "
            "shared_buffers set by the benchmark): "
            + ", ".join(f"{name} {value}" for name, value in shown.items()) + ".", ""]  # fmt: skip
