"""Load the search page (or /api/search) from a separate process with wrk.

Starts `testimony serve` on 127.0.0.1 over an archive already built (by bench/harness.py
in var/bench/xN, or bench/run.py), sends the evaluation queries in turn from `wrk`
(bounded in time), and reports requests/s and latency percentiles. Usage:

    python bench/web_load.py [--work var/bench/x1] [--workers 1] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from urllib.parse import urlencode

from common import BENCH_DIR, DEV_QUERIES, fetch, tree_memory_mb
from loadgen import require_wrk, wrk
from web import our_server


def query_paths(endpoint: str, queries: Path) -> list[str]:
    paths = []
    for line in queries.open(encoding="utf-8"):
        item = json.loads(line)
        params = {"q": item["query"], **(item.get("filters") or {})}
        paths.append(f"{endpoint}?{urlencode(params)}")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "x1")
    parser.add_argument("--queries", type=Path, default=DEV_QUERIES)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--endpoint", default="/search")
    options = parser.parse_args()
    require_wrk()
    if not (options.work / "var" / "index").exists():
        raise SystemExit(f"no index in {options.work}; run bench/harness.py first")
    paths = query_paths(options.endpoint, options.queries)
    with our_server(options.work, options.workers, options.work / "logs") as (process, base):
        for path in paths:  # warm every query once (caches, snapshot), outside the measure
            fetch(base + path)
        figures = wrk(base, paths, options.connections, options.duration)
        figures["serve_rss_mb"] = tree_memory_mb(process.pid)["rss_mb"]
        sizes = [len(fetch(base + path)[1]) for path in paths]
        assets = sum(len(fetch(f"{base}/static/{name}")[1]) for name in ("style.css", "app.js"))
        figures["page_kb_max"] = round((max(sizes) + assets) / 1024, 1)
        figures["page_kb_median"] = round((sorted(sizes)[len(sizes) // 2] + assets) / 1024, 1)
    print(
        json.dumps(
            {"endpoint": options.endpoint, "workers": options.workers, **figures},
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
