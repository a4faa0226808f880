"""Score known-item search on the shared evaluation set, through the real CLI.

Imports both corpora of ../shared/corpus into var/eval (once), indexes them, runs
`testimony search --batch --unit paragraph --limit 10` on the queries, and scores the
answers with ../shared/eval/score.py. Usage:

    python scripts/evaluate_search.py [--gold ../shared/eval/known-items.dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = sorted((SHARED / "corpus").glob("*.jsonl"))


def testimony(*args: str, work: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "testimony_archive",
        "--archive",
        str(work / "archive"),
        "--var",
        str(work / "var"),
        *args,
    ]
    return subprocess.run(command, check=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def prepare(work: Path) -> dict[str, float]:
    timings: dict[str, float] = {}
    # The evaluation's own instance database, brought up to this version's (an earlier
    # run's is refused until then, as any administrator's would be).
    testimony("db", "upgrade", work=work, stdout=subprocess.DEVNULL)
    if not (work / "archive" / "documents").is_dir():
        started = time.perf_counter()
        testimony("import", "--no-index", *map(str, CORPORA), work=work, stdout=subprocess.DEVNULL)
        timings["import_s"] = time.perf_counter() - started
    started = time.perf_counter()
    testimony("index", work=work, stdout=subprocess.DEVNULL)
    timings["index_s"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "eval" / "known-items.dev.jsonl")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "eval")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the index first.")
    options = parser.parse_args()
    if not CORPORA or not options.gold.exists():
        sys.exit(f"needs {SHARED}/corpus/*.jsonl and {options.gold}")
    work: Path = options.work
    work.mkdir(parents=True, exist_ok=True)
    if options.rebuild:
        testimony("index", "--rebuild", work=work, stdout=subprocess.DEVNULL)
    timings = prepare(work)

    queries = work / "queries.jsonl"
    with options.gold.open(encoding="utf-8") as gold, queries.open("w", encoding="utf-8") as out:
        for line in gold:
            item = json.loads(line)
            query = {"qid": item["qid"], "query": item["query"]}
            if item.get("filters"):
                query["filters"] = item["filters"]
            out.write(json.dumps(query, ensure_ascii=False) + "\n")

    predictions = work / "predictions.jsonl"
    started = time.perf_counter()
    with predictions.open("w", encoding="utf-8") as out:
        testimony(
            "search",
            "--batch",
            str(queries),
            "--unit",
            "paragraph",
            "--limit",
            "10",
            work=work,
            stdout=out,
        )
    timings["batch_s"] = time.perf_counter() - started
    score = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(predictions), str(options.gold)],
        check=True,
        text=True,
        capture_output=True,
    )
    print(score.stdout)
    print(json.dumps({key: round(value, 2) for key, value in timings.items()}))


if __name__ == "__main__":
    main()
