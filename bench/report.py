"""The benchmark's report (report.md), written from the figures."""

from __future__ import annotations

from typing import Any

from .figures import CATEGORY_NAMES, LIBRARY_TARGETS_MS, dig, web_ratios
from .report_access import access_section, audit_verify_section
from .report_breakdown import breakdown_section
from .report_distinct import distinct_section
from .report_exports import exports_section
from .report_tables import cell, ratio_text, table, verdict


def render(data: dict[str, Any]) -> str:
    runs: dict[str, dict[str, Any]] = data["runs"]
    sizes = sorted(runs, key=lambda name: int(name[1:]))
    meta = data["meta"]
    out = [
        "# Benchmark: Testimony Archive against Datasette",
        "",
        f"Written by `python -m bench.harness` on {meta['generated']} "
        f"(commit {meta['commit']}{', with uncommitted changes' if meta['dirty'] else ''}); "
        f"{'quick run (×1 only, shorter load runs)' if data['quick'] else 'full run'}. "
        f"Machine: {meta['cpus']} CPUs, load average {meta['load_before']} before the run; "
        "the load generator (wrk) shares these CPUs with the server. Python "
        f"{meta['python']}, wrk {meta['wrk']}.",
        "",
        "Raw figures: `var/bench/latest.json`; chart: `var/bench/chart.png`.",
        "",
    ]
    for size in sizes:
        if runs[size].get("run") != meta["generated"]:
            when = runs[size].get("measured_at")
            out.append(f"*{size} was measured in an earlier run, on {when}.*")
    if data.get("warnings"):
        out += ["", "**Warnings** (figures affected by failed requests):", ""]
        out += [f"- {warning}" for warning in data["warnings"]]
    out += ["", "## Targets", ""]
    rows = [
        [
            target["name"],
            target["size"],
            ratio_text(target["value"]) if target["limit"].endswith("×") else target["value"],
            target["limit"],
            verdict(target["pass"]),
        ]
        for target in data["targets"]
    ]
    out += table(["target", "size", "measured", "limit", "result"], rows)
    out += distinct_section(runs, sizes)

    out += [
        "## Web, repeated query mix (answered mostly from the result cache): ours against "
        "Datasette (16 connections)",
        "",
    ]
    rows = []
    for size in sizes:
        web = runs[size].get("web") or {}
        for label, key in (("ours, 1 worker", "ours_w1"), ("ours, 2 workers", "ours_w2")):
            for name, endpoint in (("search_page", "search page"), ("api", "JSON API")):
                ratios = web_ratios(runs[size], int(key[-1]))
                figures = dig(web, key, name) or {}
                rows.append(
                    [
                        size,
                        f"{label}: {endpoint}",
                        figures.get("requests_per_s"),
                        figures.get("p50_ms"),
                        figures.get("p95_ms"),
                        figures.get("p99_ms"),
                        (figures.get("errors") or 0) + (figures.get("non_2xx") or 0),
                        ratios.get(f"{name}_p95_ms"),
                        ratios.get(f"{name}_requests_per_s"),
                    ]
                )
        for name, endpoint in (("search_page", "table page (HTML)"), ("api", ".json")):
            figures = dig(web, "datasette", name) or {}
            rows.append(
                [
                    size,
                    f"Datasette: {endpoint}",
                    figures.get("requests_per_s"),
                    figures.get("p50_ms"),
                    figures.get("p95_ms"),
                    figures.get("p99_ms"),
                    (figures.get("errors") or 0) + (figures.get("non_2xx") or 0),
                    None,
                    None,
                ]
            )
    out += table(
        [
            "size",
            "server: endpoint",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "p95 ours/DS",
            "req/s ours/DS",
        ],
        rows,
    )
    out.append(
        "Ratios compare our search page with Datasette's HTML table page and our "
        "/api/search with Datasette's .json, at the same size and with the same queries. "
        "Our server caches search results per index generation and the load repeats its "
        "query mix (after one warm-up pass), so under load most of our requests are answered "
        "from that cache: what they measure is the web stack and page rendering. The library "
        "figures below are measured without the cache."
    )
    out.append("")

    out += access_section(runs, sizes)
    out += breakdown_section(runs, sizes)
    out += audit_verify_section(data.get("audit_verify") or {})
    out += exports_section(data)

    for size in sizes:
        out += _size_section(size, runs[size])

    grown = data.get("growth") or {}
    if grown:
        out += [f"## Growth from {grown['from']} to {grown['to']}", ""]
        rows = [
            [label, row[grown["from"]], row[grown["to"]], row["factor"]]
            for label, row in grown["figures"].items()
        ]
        out += table(["figure", grown["from"], grown["to"], "factor"], rows)

    profile = data.get("profile") or {}
    if profile:
        out += _profile_section(profile)
    out += _method_section(data)
    return "\n".join(out) + "\n"


def _size_section(size: str, run: dict[str, Any]) -> list[str]:
    scale = run.get("scale") or {}
    build = run.get("build") or {}
    out = [
        f"## {size}: {cell(scale.get('paragraphs'))} paragraphs, "
        f"{cell(scale.get('documents'))} documents",
        "",
    ]
    imp, idx, ds = build.get("import") or {}, build.get("index") or {}, build.get("datasette") or {}
    paragraphs = scale.get("paragraphs") or 0
    rows = [
        [
            "ours: import (testimony import)",
            imp.get("seconds"),
            _per_s(paragraphs, imp.get("seconds")),
            imp.get("mb_per_s"),
            imp.get("peak_rss_mb"),
            imp.get("archive_mb"),
        ],
        [
            "ours: full index build (testimony index --rebuild)",
            idx.get("seconds"),
            idx.get("paragraphs_per_s"),
            idx.get("mb_per_s"),
            idx.get("peak_rss_mb"),
            idx.get("index_mb"),
        ],
        [
            "Datasette: sqlite-utils insert + FTS5 + indexes",
            ds.get("seconds"),
            _per_s(paragraphs, ds.get("seconds")),
            _per_s(scale.get("text_mb") or 0, ds.get("seconds")),
            ds.get("peak_rss_mb"),
            ds.get("db_mb"),
        ],
    ]
    out += table(["build", "s", "paragraphs/s", "MB/s", "peak RSS MB", "on disk MB"], rows)
    if build.get("measured_at"):
        out += [f"Built on {build['measured_at']} (reused until `--fresh`).", ""]
    library = run.get("library") or {}
    rows = []
    for category, figures in (library.get("categories") or {}).items():
        limit = LIBRARY_TARGETS_MS.get(category)
        rows.append(
            [
                CATEGORY_NAMES.get(category, category),
                figures["n"],
                figures["p50_ms"],
                figures["p95_ms"],
                figures["max_ms"],
                figures.get("median_hits"),
                f"≤ {limit}" if limit else "–",
            ]
        )
    if rows:
        out += [
            f"Library search (SearchService, 20 per page, all facets and highlights; "
            f"{library.get('repeat')} measured pass(es) after one warm pass; first search "
            f"{cell(library.get('first_search_ms'))} ms):",
            "",
        ]
        out += table(
            ["queries", "n", "p50 ms", "p95 ms", "max ms", "median hits", "target at x10"], rows
        )
    fresh = run.get("add_one_document") or {}
    if fresh:
        out += [
            f"One new document: import {fresh['import_s']} s, index update "
            f"{fresh['index_update_s']} s, found {fresh['visible_after_index_s']} s later: "
            f"**{fresh['total_s']} s** from adding it to finding it.",
            "",
        ]
    web = run.get("web") or {}
    checks = []
    for key, label in (("ours_w1", "ours"), ("datasette", "Datasette")):
        check = dig(web, key, "validation")
        if check:
            checks.append(
                f"{label}: statuses {check['statuses']}, median hits {check['median_hits']}, "
                f"{check['zero_hits']} queries without hits, single requests p50 "
                f"{check['single_p50_ms']} ms / p95 {check['single_p95_ms']} ms"
                + (f", facets timed out {check['facets_timed_out']}" if key == "datasette" else "")
            )
    if checks:
        out += ["Each query once through the JSON endpoint before the load: " + "; ".join(checks)]
        out.append("")
    memory = [
        f"{label} {dig(web, key, 'rss_mb')} MB (peak {dig(web, key, 'peak_rss_mb')})"
        for key, label in (("ours_w1", "ours, 1 worker"), ("ours_w2", "ours, 2 workers"))
        if dig(web, key)
    ]
    if dig(web, "datasette"):
        memory.append(f"Datasette {dig(web, 'datasette', 'rss_mb')} MB")
    if memory:
        out += ["Server memory after the load (RSS, all processes): " + "; ".join(memory), ""]
    return out


def _per_s(amount: float, seconds: float | None) -> float | None:
    return round(amount / seconds, 1) if seconds else None


def _profile_section(profile: dict[str, Any]) -> list[str]:
    wall = profile["wall_s"] or 1
    out = [
        f"## Where the time goes at {profile['size']} (cProfile, library search)",
        "",
        f"One pass of the {profile['queries']} plain-word, phrase and filtered queries took "
        f"{profile['wall_s']} s under the profiler. Functions with the most time of their own:",
        "",
    ]
    rows = [
        [row["function"], row["calls"], row["tottime_s"], f"{100 * row['tottime_s'] / wall:.0f} %"]
        for row in profile["top_self_time"]
    ]
    out += table(["function", "calls", "own s", "share"], rows)
    out += ["The app's functions with the most time including their callees:", ""]
    rows = [
        [row["function"], row["calls"], row["cumtime_s"], f"{100 * row['cumtime_s'] / wall:.0f} %"]
        for row in profile["top_cumulative_in_app"]
    ]
    out += table(["function", "calls", "total s", "share"], rows)
    inner = [
        row for row in profile["top_cumulative_in_app"] if not row["function"].endswith("(search)")
    ][:3]
    if inner:
        named = ", ".join(
            f"`{_name(row['function'])}` ({100 * row['cumtime_s'] / wall:.0f} %)" for row in inner
        )
        out += [f"Largest shares of the search time: {named}.", ""]
    return out


def _name(function: str) -> str:
    """'testimony_archive/index/search.py:277(_attach_text)' -> 'index/search.py _attach_text'"""
    where, _, name = function.rstrip(")").partition("(")
    path = where.rsplit(":", 1)[0].removeprefix("testimony_archive/")
    return f"{path} {name}"


def _method_section(data: dict[str, Any]) -> list[str]:
    mix = data["query_mix"]
    counts = ", ".join(f"{count} {name}" for name, count in mix["categories"].items())
    plan = data["load"]
    return [
        "## Method and caveats",
        "",
        f"- Query mix: {mix['total']} queries ({counts}); {mix['dev']} of them are the "
        "development known-item queries, the rest are drawn with a fixed seed from the ×1 "
        "corpus (see bench/queries.py). The same mix is used for the library, our web pages "
        "and Datasette, at every size.",
        "- Scaled archives: copy 1 is the corpus; copies 2..N get new ids (`<id>-cK`), a short "
        "sentence before the first paragraph and a few swapped neighbouring words, so they "
        "are not duplicates. Imported with `--no-suggest`; abuse types are suggested per "
        "paragraph by a fixed keyword table in bench/scale.py, so abuse-type filters and "
        "facets have something to work on.",
        "- Datasette: the same paragraphs in one `paragraphs` table (SQLite FTS5, porter "
        "tokenizer, built with sqlite-utils), one process as Datasette always runs, settings "
        f"{data['datasette_settings']}. URLs: `?_search=…&_facet=country&_facet=year"
        "&_facet=kind&_size=20` plus `country=`, `year=` and `abuse_types__arraycontains=` for "
        "the filters.",
        "- Semantics differ: Datasette ANDs the words and returns rows in rowid order "
        "(no ranking); we rank documents (or paragraphs) and compute every facet and "
        "highlights. Phrases keep their quotes on both sides; prefix queries go to Datasette "
        "with `_searchmode=raw` (FTS5 `stem*`); fuzzy queries go to Datasette as the plain, "
        "correctly spelt word, since FTS5 has no fuzzy matching.",
        f"- Load: wrk, {plan['connections']} connections, 2 threads, {plan['duration']} s per "
        "run, 30 s timeout, paths rotated from a Lua script; 127.0.0.1 only. Every query is "
        "sent once through the JSON endpoint before the runs (warm-up and check).",
        "- Our `serve --workers 2` runs two processes; the targets use 1 worker against "
        "Datasette's single process. Each of our server processes loads its index snapshot "
        "(document metadata, facet memberships) before it accepts connections; the first "
        "search of each query in a process still reads its terms' postings from disk, which "
        "is what the single-request figures of the check pass show.",
        "",
    ]
