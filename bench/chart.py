"""Draw var/bench/chart.png from var/bench/latest.json (run with the bench venv's Python,
which has matplotlib; the app's environment does not need it).

    var/bench/venv/bin/python -m bench.chart var/bench/latest.json var/bench/chart.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .figures import dig  # noqa: E402  (standard library only: fine in the bench venv)

OURS, THEIRS = "tab:blue", "tab:orange"
Line = tuple[str, tuple[str, ...], str, str]  # label, path in a run's results, colour, style


def series(runs: dict[str, Any], *path: str) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for size in sorted(runs, key=lambda name: int(name[1:])):
        paragraphs, value = dig(runs[size], "scale", "paragraphs"), dig(runs[size], *path)
        if paragraphs is not None and value is not None:
            xs.append(paragraphs / 1000)
            ys.append(value)
    return xs, ys


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    data = json.loads(source.read_text(encoding="utf-8"))
    runs = data["runs"]
    figure, (latency, throughput, build) = plt.subplots(1, 3, figsize=(16, 5))

    lines: tuple[Line, ...] = (
        ("ours: search page, 1 worker", ("web", "ours_w1", "search_page", "p95_ms"), OURS, "-o"),
        ("ours: /api/search, 1 worker", ("web", "ours_w1", "api", "p95_ms"), OURS, "--s"),
        ("ours: library, plain words", ("library", "categories", "words", "p95_ms"), OURS, ":^"),
        ("ours: search page, signed in", ("web", "access_w1", "signed_in", "p95_ms"), OURS, "-.d"),
        ("Datasette: table page", ("web", "datasette", "search_page", "p95_ms"), THEIRS, "-o"),
        ("Datasette: .json", ("web", "datasette", "api", "p95_ms"), THEIRS, "--s"),
    )
    for label, path, colour, style in lines:
        latency.plot(*series(runs, *path), style, color=colour, label=label)
    latency.set_title("p95 latency (web: 16 connections)")
    latency.set_ylabel("ms")

    rate = "requests_per_s"
    lines = (
        ("ours: search page, 1 worker", ("web", "ours_w1", "search_page", rate), OURS, "-o"),
        ("ours: search page, 2 workers", ("web", "ours_w2", "search_page", rate), OURS, "--s"),
        ("ours: search page, signed in", ("web", "access_w1", "signed_in", rate), OURS, "-.d"),
        ("Datasette: table page", ("web", "datasette", "search_page", rate), THEIRS, "-o"),
    )
    for label, path, colour, style in lines:
        throughput.plot(*series(runs, *path), style, color=colour, label=label)
    throughput.set_title("requests/s (16 connections)")
    throughput.set_ylabel("requests/s")

    lines = (
        ("ours: full index build", ("build", "index", "seconds"), OURS, "-o"),
        ("ours: import", ("build", "import", "seconds"), OURS, "--s"),
        ("Datasette: sqlite-utils build", ("build", "datasette", "seconds"), THEIRS, "-o"),
    )
    for label, path, colour, style in lines:
        build.plot(*series(runs, *path), style, color=colour, label=label)
    build.set_title("build time")
    build.set_ylabel("s")

    for axes in (latency, throughput, build):
        axes.set_xlabel("archive size, thousand paragraphs")
        axes.set_ylim(bottom=0)
        axes.set_xlim(left=0)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8)
    meta = data.get("meta", {})
    figure.suptitle(
        f"Testimony Archive vs Datasette — {meta.get('generated', '')}, commit "
        f"{meta.get('commit', '?')}, {meta.get('cpus', '?')} CPUs"
    )
    figure.tight_layout()
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    main()
