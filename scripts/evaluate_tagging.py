"""Score tag suggestions on the shared tagging sets, through the real CLI.

Imports both corpora of ../shared/corpus into var/eval (once, shared with
evaluate_search.py), so that each paragraph's document is in the archive and its
metadata is the context, as the design says. Then, for each gold set, runs
`testimony tag suggest --batch` on its paragraphs and scores the answers with
../shared/eval/score.py.

DEV (`tagging.dev.jsonl`) is the set to develop on. DEV2 (`tagging.dev2.jsonl`) is there
to validate: read it only as the aggregate figures printed here. A gap above 0.05 F1 on a
field between the two means a change fits DEV rather than the language. Usage:

    python scripts/evaluate_tagging.py [--sets dev,dev2] [--json var/eval/tagging.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from evaluate_search import CORPORA, ROOT, SHARED, prepare, testimony

EVAL = SHARED / "eval"
FIELDS = ("locations", "abuse_types", "perpetrators")
PARTS = ("all", "report_excerpt", "testimony")
GAP_LIMIT = 0.05
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)  # lower bounds of the confidence bands reported


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def suggest(work: Path, gold: Path, out: Path) -> float:
    """Run the CLI on the gold paragraphs (doc, para and text only); seconds taken."""
    inputs = out.with_suffix(".in.jsonl")
    with gold.open(encoding="utf-8") as lines, inputs.open("w", encoding="utf-8") as sink:
        for line in lines:
            if line.strip():
                item = json.loads(line)
                sink.write(json.dumps({k: item[k] for k in ("doc", "para", "text")}) + "\n")
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as sink:
        testimony("tag", "suggest", "--batch", str(inputs), "--explain", work=work, stdout=sink)
    return time.perf_counter() - started


def reliability(
    score: ModuleType, predictions: list[dict[str, Any]], gold: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """For each band of confidence, how many suggested tags the gold confirms: whether a
    higher confidence does mean a tag more often right."""
    normalise = {
        "locations": lambda values: score.norm_locations(values, [0]),
        "abuse_types": score.norm_abuse,
        "perpetrators": score.norm_perp,
    }
    by_key = {(item["doc"], item["para"]): item for item in gold}
    bands: dict[float, list[int]] = {}
    for prediction in predictions:
        truth = by_key.get((prediction["doc"], prediction["para"]))
        if truth is None:
            continue
        for field, scores in (prediction.get("confidence") or {}).items():
            expected = normalise[field](truth.get(field))
            for value, confidence in scores.items():
                band = bands.setdefault(BANDS[sum(confidence >= b for b in BANDS) - 1], [0, 0])
                band[0] += value in expected
                band[1] += 1
    return [
        {"from": band, "suggested": total, "confirmed": confirmed,
         "share": round(confirmed / total, 3)}
        for band, (confirmed, total) in sorted(bands.items())
    ]  # fmt: skip


def figures(report: dict[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    return {
        part: {
            field: {
                name: round(float(report[part][field][name]), 3)
                for name in ("precision", "recall", "f1")
            }
            for field in FIELDS
        }
        for part in PARTS
        if part in report
    }


def table(name: str, scores: dict[str, dict[str, dict[str, float]]]) -> str:
    rows = [f"{name}: precision / recall / F1"]
    for part, by_field in scores.items():
        cells = "   ".join(
            f"{field} {s['precision']:.2f} / {s['recall']:.2f} / {s['f1']:.3f}"
            for field, s in by_field.items()
        )
        rows.append(f"  {part:<15} {cells}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="dev,dev2", help="Gold sets to score (dev,dev2).")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "eval")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    options = parser.parse_args()
    sets = {name: EVAL / f"tagging.{name}.jsonl" for name in options.sets.split(",")}
    missing = [str(path) for path in sets.values() if not path.exists()]
    if not CORPORA or missing:
        sys.exit(f"needs {SHARED}/corpus/*.jsonl and {', '.join(missing) or 'the gold sets'}")
    work: Path = options.work
    work.mkdir(parents=True, exist_ok=True)
    prepare(work)
    score = scorer()
    results: dict[str, Any] = {}
    for name, gold_path in sets.items():
        predictions = work / f"tagging.{name}.predictions.jsonl"
        seconds = suggest(work, gold_path, predictions)
        answers, gold = score.read_jsonl(predictions), score.read_jsonl(gold_path)
        report, absent, _dropped, headline = score.score_tagging(answers, gold)
        results[name] = {
            "paragraphs": sum(1 for line in gold_path.open(encoding="utf-8") if line.strip()),
            "missing_predictions": absent,
            "mean_f1": round(float(headline), 3),
            "seconds": round(seconds, 2),
            "scores": figures(report),
            "reliability": reliability(score, answers, gold),
        }
        print(table(f"{name} ({results[name]['paragraphs']} paragraphs)", results[name]["scores"]))
        print(
            "  confirmed by the gold, by confidence: "
            + ", ".join(
                f"{band['from']:.1f}+ {band['confirmed']}/{band['suggested']}"
                for band in results[name]["reliability"]
            )
        )
    if {"dev", "dev2"} <= results.keys():
        gaps = {
            field: round(
                results["dev"]["scores"]["all"][field]["f1"]
                - results["dev2"]["scores"]["all"][field]["f1"],
                3,
            )
            for field in FIELDS
        }
        results["gap_f1_dev_minus_dev2"] = gaps
        over = [field for field, gap in gaps.items() if gap > GAP_LIMIT]
        print(
            "F1 gap dev - dev2: "
            + ", ".join(f"{field} {gap:+.3f}" for field, gap in gaps.items())
            + (f"  (over {GAP_LIMIT}: {', '.join(over)})" if over else "  (all within 0.05)")
        )
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
