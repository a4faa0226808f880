"""Quick library check: import, index build and search latency on the shared corpora.

Builds its own archive in var/bench/run-x1 (from scratch each time), writes
var/bench/run.json and prints a short report. Timings belong here, not in the unit
tests. The full benchmark against Datasette is bench/harness.py (`make bench`).
Usage: python bench/run.py [--queries FILE] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from testimony_archive.archive import Archive
from testimony_archive.importer import import_paths
from testimony_archive.index import SearchRequest, SearchService, rebuild_index
from testimony_archive.index.writer import indexed_documents

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=SHARED / "eval" / "known-items.dev.jsonl")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "run-x1")
    parser.add_argument("--repeat", type=int, default=3, help="Passes over the queries.")
    options = parser.parse_args()
    corpora = sorted((SHARED / "corpus").glob("*.jsonl"))
    if not corpora:
        sys.exit(f"no corpora in {SHARED / 'corpus'}")
    work: Path = options.work
    shutil.rmtree(work, ignore_errors=True)
    archive = Archive(work / "archive")

    started = time.perf_counter()
    report = import_paths(archive, corpora)
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    index_dir = work / "var" / "index"
    rebuild_index(archive, index_dir)
    index_s = time.perf_counter() - started
    paragraphs = sum(meta.paragraph_count for meta in indexed_documents(index_dir).values())
    megabytes = sum(path.stat().st_size for path in corpora) / 1e6

    service = SearchService(archive, index_dir)
    queries = [json.loads(line) for line in options.queries.open(encoding="utf-8")]
    timings: dict[str, list[float]] = {"document": [], "paragraph": []}
    service.search(SearchRequest(q="warm up"))
    for _ in range(options.repeat):
        for item in queries:
            for unit in timings:
                request = SearchRequest(
                    q=item["query"],
                    unit=unit,  # type: ignore[arg-type]
                    include_restricted=True,
                    **(item.get("filters") or {}),
                )
                started = time.perf_counter()
                service.search(request)
                timings[unit].append((time.perf_counter() - started) * 1000)

    result = {
        "paragraphs": paragraphs,
        "documents": len(report.imported),
        "import_s": round(import_s, 2),
        "import_documents_per_s": round(len(report.imported) / import_s, 1),
        "index_s": round(index_s, 2),
        "index_paragraphs_per_s": round(paragraphs / index_s, 1),
        "index_mb_per_s": round(megabytes / index_s, 2),
        "index_size_mb": round(sum(p.stat().st_size for p in index_dir.iterdir()) / 1e6, 1),
        "search_p50_ms": round(statistics.median(timings["document"]), 1),
        "search_p95_ms": round(percentile(timings["document"], 0.95), 1),
        "paragraph_search_p50_ms": round(statistics.median(timings["paragraph"]), 1),
        "paragraph_search_p95_ms": round(percentile(timings["paragraph"], 0.95), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "queries": len(queries) * options.repeat,
    }
    out = ROOT / "var" / "bench" / "run.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(f"(written to {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
