"""The report's section on the distinct-query load: what a search costs when no cache can
answer it, ours against Datasette, and one uncached page at a time."""

from __future__ import annotations

from typing import Any

from .figures import dig, distinct_ratios
from .report_tables import cell, ratio_text, table

ENDPOINTS = (
    ("ours", "search_page", "ours: search page"),
    ("ours", "api", "ours: /api/search"),
    ("datasette", "search_page", "Datasette: table page (HTML)"),
    ("datasette", "api", "Datasette: .json"),
)


def distinct_section(runs: dict[str, dict[str, Any]], sizes: list[str]) -> list[str]:
    measured = [size for size in sizes if runs[size].get("web_distinct")]
    if not measured:
        return []
    out = [
        "## Web, distinct queries: ours against Datasette (1 worker, 16 connections)",
        "",
        "No query is repeated within a run, and each load starts a fresh server process, "
        "so no request is answered from our result cache: this is what a researcher's new "
        "search costs.",
        "",
    ]
    rows = []
    for size in measured:
        distinct = runs[size]["web_distinct"]
        ratios = distinct_ratios(runs[size])
        for system, name, label in ENDPOINTS:
            figures = dig(distinct, system, name) or {}
            ours = system == "ours"
            rows.append(
                [
                    size,
                    label,
                    figures.get("requests_per_s"),
                    figures.get("p50_ms"),
                    figures.get("p95_ms"),
                    figures.get("p99_ms"),
                    (figures.get("errors") or 0) + (figures.get("non_2xx") or 0),
                    figures.get("distinct_requests"),
                    "**yes: refused**" if figures.get("wrapped") else "no",
                    _tries(figures),
                    ratio_text(ratios.get(f"{name}_p95_ms")) if ours else None,
                    ratio_text(ratios.get(f"{name}_requests_per_s")) if ours else None,
                ]
            )
    out += table(
        ["size", "server: endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
         "distinct served", "ran out", "other CPUs (tries)", "p95 ours/DS", "req/s ours/DS"],
        rows,
    )  # fmt: skip
    rows = []
    for size in measured:
        for system, label in (("ours", "ours"), ("datasette", "Datasette")):
            figures = dig(runs[size], "web_distinct", system, "search_page") or {}
            single = figures.get("single_uncached") or {}
            hits = dig(runs[size], "web_distinct", system, "api", "hits") or {}
            rows.append(
                [
                    size,
                    label,
                    single.get("requests"),
                    single.get("p50_ms"),
                    single.get("p95_ms"),
                    single.get("max_ms"),
                    hits.get("median_hits"),
                    _share(hits.get("zero_hits"), hits.get("requests")),
                ]
            )
    out += [
        "One search page at a time (one connection, each query new to the server, timed by "
        "the client), and what those queries find (a hundred of them through each JSON "
        "endpoint; we find and rank the documents that hold any of a query's plain words, "
        "Datasette the paragraphs that hold all of them):",
        "",
    ]
    out += table(
        ["size", "server", "pages", "p50 ms", "p95 ms", "max ms", "median hits", "no hits"], rows
    )
    out += _memory(runs, measured)
    out += _method(runs[measured[0]]["web_distinct"])
    return out


def _memory(runs: dict[str, dict[str, Any]], measured: list[str]) -> list[str]:
    rows = []
    for size in measured:
        memory = dig(runs[size], "web_distinct", "ours", "search_page", "memory") or {}
        anon, files = memory.get("anon_mb"), memory.get("file_mb")
        two = round(2 * anon + files, 1) if anon is not None and files is not None else None
        rows.append([size, memory.get("rss_mb"), memory.get("peak_rss_mb"), anon, files, two])
    return [
        "Our server's memory after the search page load (1 worker): resident in all "
        "(RSS, and its peak), the worker's own (anonymous: the index snapshot, caches, "
        "Python), and pages of the index files it read (file-backed: the operating "
        "system's cache, which a second worker shares rather than copies). Two workers "
        "need about twice the first and once the second.",
        "",
        *table(["size", "RSS MB", "peak RSS MB", "own (anonymous) MB", "file pages MB",
                "two workers, about MB"], rows),  # fmt: skip
    ]


def _tries(figures: dict[str, Any]) -> str | None:
    """The other processes' CPU share of the run kept, and of each attempt if more."""
    shares = figures.get("other_cpu_shares") or []
    if figures.get("other_cpu_share") is None:
        return None
    kept = f"{figures['other_cpu_share']:.2f}"
    return kept if len(shares) < 2 else f"{kept} ({', '.join(f'{s:.2f}' for s in shares)})"


def _share(part: int | None, whole: int | None) -> str | None:
    return f"{100 * part / whole:.0f} %" if part is not None and whole else None


def _method(distinct: dict[str, Any]) -> list[str]:
    load = dig(distinct, "queries", "load") or {}
    categories = ", ".join(
        f"{cell(count)} {name}" for name, count in (load.get("categories") or {}).items()
    )
    filtered = ", ".join(
        f"{cell(count)} by {name}" for name, count in (load.get("filtered_by") or {}).items()
    )
    return [
        f"The stream: {cell(load.get('total'))} distinct queries per size for the loads "
        f"({categories}; filtered {filtered}; median {load.get('words_median')} words), the "
        "same paths in the same order for both systems, drawn with a seed from the ×1 "
        "corpus paragraphs as the repeated mix is (bench/distinct.py); "
        f"{cell(dig(distinct, 'queries', 'single'))} more for the one-at-a-time pages and "
        f"{cell(dig(distinct, 'queries', 'warm'))} more to warm each server before it is "
        "measured. The corpora are English: the `spanish` queries hold the Spanish words "
        "they have (names of people, places and organisations in the Latin American "
        "reports), and the `spanish_sample` queries are drawn from the Spanish sample "
        "archive, which the benchmark's archives do not hold, so they find little. Each "
        "wrk thread takes its own slice of the stream and never wraps round; a run that "
        "ran out would be refused. *Other CPUs*: how many CPUs other processes kept busy "
        "during the run (the load generator shares the machine's CPUs with the server); a "
        "run during which they kept more than a quarter of a CPU busy is measured again on "
        "a fresh server, twice at most, and the quietest kept (the tries in brackets).",
        "",
    ]
