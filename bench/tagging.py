"""Tag suggestion throughput: paragraphs per second in one process (issue target: at
least 1,000), over every distinct paragraph of the shared corpora, each with its
document's metadata as context, as `testimony tag suggest` and the importer use them.

Each paragraph is tagged once (a stream of distinct text: the per-word pattern cache
warms as it would over a real archive, but no paragraph is seen twice). The documents,
shuffled, are split in three disjoint parts timed one after the other, and the figure is
the median part's rate: on a shared two-core machine one run swings by 10 to 20 %. The
time to build the tagger (vocabulary, patterns, place tables) is reported apart, as are
the paragraphs that describe an abuse, which cost the most (scope cues, perpetrators,
places). Usage:

    python -m bench.tagging [--limit N]      # writes var/bench/tagging.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testimony_archive.interchange import record_to_document
from testimony_archive.models import Document, split_paragraphs
from testimony_archive.tagging import Tagger, context_for
from testimony_archive.vocabulary import load_vocabulary

from .common import BENCH_DIR, CORPUS_DIR, percentile

TARGET = 1000.0  # paragraphs per second, one process
PARTS = 3  # disjoint parts of the corpus, timed apart: the figure is their median
SEED = 20261207


def documents(limit: int | None) -> Iterator[Document]:
    count = 0
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if limit is not None and count >= limit:
                    return
                count += 1
                yield record_to_document(json.loads(line))


def measure(limit: int | None = None, parts: int = PARTS) -> dict[str, Any]:
    started = time.perf_counter()
    tagger = Tagger(load_vocabulary())
    tagger.gazetteer.names  # noqa: B018 - the place tables, else loaded by the first abuse
    build_s = time.perf_counter() - started

    corpus = list(documents(limit))  # read and checked before the clock starts
    random.Random(SEED).shuffle(corpus)  # each part holds reports and narratives alike
    seen: set[str] = set()
    runs = []
    for part in range(parts):
        paragraphs = tagged = 0
        per_document: list[float] = []
        started = time.perf_counter()
        for document in corpus[part::parts]:
            begun = time.perf_counter()
            context = context_for(document, tagger)
            for text in split_paragraphs(document.body):
                if text in seen:
                    continue  # the reports repeat boilerplate from year to year
                seen.add(text)
                paragraphs += 1
                tagged += bool(tagger.suggest(text, context).abuse_types)
            per_document.append((time.perf_counter() - begun) * 1000)
        seconds = time.perf_counter() - started
        runs.append(
            {
                "documents": len(per_document),
                "paragraphs": paragraphs,
                "paragraphs_with_abuse": tagged,
                "seconds": round(seconds, 2),
                "paragraphs_per_s": round(paragraphs / seconds, 1) if seconds else 0.0,
                "document_ms_p50": round(percentile(per_document, 0.5), 2),
                "document_ms_p95": round(percentile(per_document, 0.95), 2),
            }
        )
    rate = statistics.median(run["paragraphs_per_s"] for run in runs)
    return {
        "documents": sum(run["documents"] for run in runs),
        "paragraphs": sum(run["paragraphs"] for run in runs),
        "paragraphs_with_abuse": sum(run["paragraphs_with_abuse"] for run in runs),
        "paragraphs_per_s": rate,
        "target_paragraphs_per_s": TARGET,
        "meets_target": rate >= TARGET,
        "parts": runs,
        "tagger_build_s": round(build_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="Only the first N documents.")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "tagging.json")
    options = parser.parse_args()
    result = measure(options.limit)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    verdict = "meets" if result["meets_target"] else "MISSES"
    parts = ", ".join(f"{run['paragraphs_per_s']:,.0f}" for run in result["parts"])
    print(
        f"tag suggestions: {result['paragraphs']:,} distinct paragraphs of "
        f"{result['documents']:,} documents, {result['paragraphs_with_abuse']:,} describing "
        f"an abuse; {result['paragraphs_per_s']:,.0f} paragraphs/s in one process, the median "
        f"of {len(result['parts'])} parts ({parts}): {verdict} the target of {TARGET:,.0f}; "
        f"tagger built in {result['tagger_build_s']} s"
    )


if __name__ == "__main__":
    main()
