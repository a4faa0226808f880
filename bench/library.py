"""Library-side measures: search latency per query category, a profile, and the time from
adding one document to finding it. These run in the benchmark's own process, on the app's
Python API (the Whoosh backend, `testimony_archive.index.WhooshIndex`), as the web
server uses it for anonymous visitors."""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from testimony_archive.access import ANONYMOUS, scope
from testimony_archive.archive import Archive
from testimony_archive.importer import import_paths
from testimony_archive.index import SearchRequest, WhooshIndex, update_index

from .common import percentile
from .queries import CATEGORIES, Query

PUBLIC = scope(ANONYMOUS)  # what the web pages search for a visitor


def request_for(query: Query) -> SearchRequest:
    filters = dict(query.filters)
    if "year" in filters:
        filters["year"] = int(filters["year"])
    return SearchRequest(q=query.q, unit=query.unit, **filters)  # type: ignore[arg-type]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }


def measure_latency(service: WhooshIndex, mix: list[Query], repeat: int) -> dict[str, Any]:
    """One unmeasured pass (warms caches), then `repeat` measured passes over the mix."""
    started = time.perf_counter()
    service.search(SearchRequest(q="warm up"), PUBLIC)
    first_ms = (time.perf_counter() - started) * 1000
    hits: dict[str, list[int]] = defaultdict(list)
    for query in mix:
        hits[query.category].append(service.search(request_for(query), PUBLIC, cache=False).total)
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        for query in mix:
            request = request_for(query)
            started = time.perf_counter()
            service.search(request, PUBLIC, cache=False)
            timings[query.category].append((time.perf_counter() - started) * 1000)
    categories = {
        category: {**summary(timings[category]), "median_hits": statistics.median(hits[category])}
        for category in CATEGORIES
        if timings[category]
    }
    everything = [value for values in timings.values() for value in values]
    return {
        "first_search_ms": round(first_ms, 1),
        "repeat": repeat,
        "categories": categories,
        "all": summary(everything),
        "zero_hit_queries": sum(1 for values in hits.values() for value in values if not value),
    }


def profile_search(service: WhooshIndex, mix: list[Query], top: int = 15) -> dict[str, Any]:
    """cProfile over one pass of the plain-word and filtered queries: where the time goes."""
    chosen = [query for query in mix if query.category in ("words", "filtered", "phrase")]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for query in chosen:
        service.search(request_for(query), PUBLIC, cache=False)
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    rows = []
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in raw.items():
        rows.append(
            {
                "function": f"{_short(filename)}:{line}({name})",
                "calls": calls,
                "tottime_s": round(tottime, 3),
                "cumtime_s": round(cumtime, 3),
            }
        )
    by_self = sorted(rows, key=lambda row: -float(row["tottime_s"]))[:top]
    by_total = [
        row
        for row in sorted(rows, key=lambda row: -float(row["cumtime_s"]))
        if "testimony_archive" in str(row["function"])
    ][:top]
    return {
        "queries": len(chosen),
        "wall_s": round(wall, 2),
        "top_self_time": by_self,
        "top_cumulative_in_app": by_total,
    }


def _short(filename: str) -> str:
    for marker in ("site-packages/", "src/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def new_marker() -> str:
    """A word no archive holds (and no earlier run left behind)."""
    return "zq" + uuid.uuid4().hex[:10]


def fresh_record(marker: str) -> dict[str, Any]:
    """A new testimony, in the interchange format, that only a search for `marker` finds."""
    return {
        "id": f"bench-fresh-{marker}",
        "kind": "testimony",
        "title": "A new testimony for the benchmark",
        "text": f"Witness statement {marker}.\n\nThey came at night and took my brother away.\n",
        "language": "en",
        "date": "2024-05-01",
        "place": "Tapachula, Chiapas, Mexico",
    }


def time_to_searchable(archive_dir: Path, index_dir: Path, timeout: float = 60.0) -> dict[str, Any]:
    """Import one new document (importer + incremental index update, as `testimony import`
    does) while a warm WhooshIndex is open, then search until it is found; remove it
    again afterwards so that the cached archive stays as built."""
    archive = Archive(archive_dir)
    service = WhooshIndex(archive, index_dir)
    service.search(SearchRequest(q="warm up"), PUBLIC)
    marker = new_marker()
    record = fresh_record(marker)
    doc_id = str(record["id"])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "new.jsonl"
        source.write_text(json.dumps(record) + "\n", encoding="utf-8")
        try:
            started = time.perf_counter()
            report = import_paths(archive, [source])
            imported = time.perf_counter()
            update_index(archive, index_dir)
            indexed = time.perf_counter()
            polls = 0
            while True:
                polls += 1
                if service.search(SearchRequest(q=marker), PUBLIC).total:
                    break
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"{doc_id} not searchable after {timeout:.0f} s")
                time.sleep(0.01)
            found = time.perf_counter()
        finally:
            path = archive.path_for(doc_id)
            if path.exists():
                path.unlink()
                update_index(Archive(archive_dir), index_dir)
    if report.failed or not report.imported:
        raise RuntimeError(f"the new document was not imported: {report.as_dict()}")
    return {
        "import_s": round(imported - started, 3),
        "index_update_s": round(indexed - imported, 3),
        "visible_after_index_s": round(found - indexed, 3),
        "total_s": round(found - started, 3),
        "polls": polls,
    }
