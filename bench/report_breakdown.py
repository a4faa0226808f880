"""The report's section on where an uncached request spends its time (bench/breakdown.py)."""

from __future__ import annotations

from typing import Any

from .report_tables import table

ENDPOINTS = (("search_page", "search page"), ("api", "API"))


def breakdown_section(runs: dict[str, dict[str, Any]], sizes: list[str]) -> list[str]:
    measured = [size for size in sizes if runs[size].get("breakdown")]
    if not measured:
        return []
    out = [
        "## Where an uncached request spends its time",
        "",
        "Our server (1 worker) was sent distinct queries one at a time (plain words, "
        "phrases, filtered, paragraph unit), so that none was answered from its result "
        "cache. For each endpoint a timed pass gives the request times as the client saw "
        "them; a second pass, on other queries, is sampled by py-spy in every thread of the "
        "server. Each busy sample goes to the stage its stack is in (bench/breakdown.py); a "
        "stage's share is its samples times the sampling interval over the requests' time "
        "under the profiler, and its ms per request is that share of the timed pass's mean. "
        "What no busy thread accounts for was spent outside the server's Python code.",
        "",
    ]
    for size in measured:
        out += _size(size, runs[size]["breakdown"])
    return out


def _size(size: str, breakdown: dict[str, Any]) -> list[str]:
    if breakdown.get("error"):
        return [f"### {size}", "", f"Not measured: {breakdown['error']}.", ""]
    present = [(key, name) for key, name in ENDPOINTS if breakdown.get(key)]
    times = "; ".join(
        f"{name}: p50 {breakdown[key]['p50_ms']} ms, p95 {breakdown[key]['p95_ms']} ms, mean "
        f"{breakdown[key]['mean_ms']} ms ({_statuses(breakdown[key])})"
        for key, name in present
    )
    out = [
        f"### {size}",
        "",
        f"{breakdown['per_pass']} requests per pass, sampled {breakdown['rate_hz']} times a "
        f"second. Timed pass: {times}.",
        "",
    ]
    labels = {row["stage"]: row["label"] for key, _ in present for row in breakdown[key]["stages"]}
    rows = []
    for stage, label in labels.items():
        row: list[Any] = [label]
        for key, _name in present:
            found = next(item for item in breakdown[key]["stages"] if item["stage"] == stage)
            row += [found["ms_per_request"], _share(found["share"])]
        rows.append(row)
    header = ["stage"]
    for _key, name in present:
        header += [f"{name} ms/request", f"{name} share"]
    out += table(header, rows)
    for key, name in present:
        out += [f"Top {len(breakdown[key]['top_own_time'])} functions by own time, {name}:", ""]
        out += table(
            ["function", "stage", "samples", "share"],
            [
                [f"`{row['function']}`", row["stage"], row["samples"], _share(row["share"])]
                for row in breakdown[key]["top_own_time"]
            ],
        )
    return out


def _share(value: float) -> str:
    return f"{100 * value:.1f} %"


def _statuses(figures: dict[str, Any]) -> str:
    statuses = dict(figures.get("statuses") or {})
    failed = sum(count for status, count in statuses.items() if status != "200")
    return f"{failed} not 200" if failed else "all 200"
