"""Scaled copies of the shared corpus: ×N archives of lightly varied, non-duplicate text.

Copy 1 is the corpus as it is; copies 2..N get the id `<id>-c<k>`, a short sentence in
front of their first paragraph, a few neighbouring words swapped in about half of the
paragraphs, and " (copy k)" after the title. Everything is drawn from a random generator
seeded by (copy, id), so every run writes the same files.

The corpus has no abuse-type tags and the benchmark imports without tag suggestions, so
each paragraph gets suggested abuse types from a small keyword table (ABUSE_RULES), in the
archive's own `segments` format. Filters and facets on abuse types then select a
realistic share of the archive, for us and (as a JSON array column) for Datasette.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from testimony_archive.interchange import normalise_text
from testimony_archive.models import split_paragraphs

from .common import CORPUS_DIR

SCALE_VERSION = 1  # change when the copies change, so that cached archives are rebuilt
PREFIXES = (
    "Second transcription of this record.",
    "Copy kept for comparison.",
    "Transcribed again from the original.",
    "Reviewed copy of the same account.",
    "As recorded in a later copy.",
    "Duplicate filed with the archive.",
    "Text checked against the source.",
    "Copied for the reading room.",
)
ABUSE_RULES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "torture.electric-shock": r"electric(al)? shock|electrocut",
        "torture.beating": r"\bbeat(en|ing|ings)?\b|\bwhipp?(ed|ing|ings)?\b|\blash(es|ed)\b",
        "torture.asphyxiation": r"suffocat|asphyxia|plastic bag",
        "torture.deprivation": r"depriv\w* of (food|water|sleep)|without food|spoiled food|rotten",
        "life.killing": r"\bkill(ed|ing|ings)\b|extrajudicial|murder",
        "life.death-threat": r"death threat|threatened to kill",
        "liberty.arbitrary-arrest": r"arbitrary arrest",
        "liberty.arbitrary-detention": r"arbitrary detention|pretrial detention",
        "liberty.enforced-disappearance": r"disappear",
        "liberty.kidnapping": r"kidnap|abduct",
        "sexual-violence.rape": r"\brap(e|ed|es)\b",
        "property.extortion": r"extort|brib",
        "expulsion.deportation": r"deport",
        "exploitation.forced-labour": r"forced labou?r|\bslaves?\b|slavery",
        "exploitation.trafficking": r"traffick|auction block",
        "exploitation.child-labour": r"child labou?r",
    }.items()
}


@dataclass
class ScaledCorpus:
    size: int
    documents: int
    paragraphs: int
    corpus_mb: float
    text_mb: float
    version: int = SCALE_VERSION

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_records() -> list[dict[str, Any]]:
    records = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    if not records:
        raise SystemExit(f"no corpora in {CORPUS_DIR}")
    return records


def abuse_types(text: str) -> list[str]:
    return [name for name, pattern in ABUSE_RULES.items() if pattern.search(text)]


def country_of(record: dict[str, Any]) -> str | None:
    """The country column of the Datasette table (the WPA narratives are all in the US)."""
    if record.get("country"):
        return str(record["country"])
    place = str(record.get("place") or "")
    return "United States" if place.endswith("USA") else None


def year_of(record: dict[str, Any]) -> int | None:
    date = str(record.get("date") or "")
    return int(date[:4]) if re.match(r"^\d{4}", date) else None


def vary(record: dict[str, Any], copy: int) -> dict[str, Any]:
    """Copy `copy` (2..N) of a record: new id, lightly and deterministically varied text."""
    if copy == 1:
        return dict(record)
    rng = random.Random(f"{copy}:{record['id']}")
    paragraphs = split_paragraphs(normalise_text(record["text"]))
    varied = []
    for number, paragraph in enumerate(paragraphs):
        words = paragraph.split(" ")
        if len(words) > 3 and rng.random() < 0.5:
            for _ in range(rng.randint(1, 2)):
                at = rng.randrange(len(words) - 1)
                words[at], words[at + 1] = words[at + 1], words[at]
        text = " ".join(words)
        if number == 0:
            text = f"{rng.choice(PREFIXES)} {text}"
        varied.append(text)
    return {
        **record,
        "id": f"{record['id']}-c{copy}",
        "title": f"{record['title']} (copy {copy})",
        "text": "\n\n".join(varied) + "\n",
    }


def with_suggested_abuse_types(record: dict[str, Any]) -> dict[str, Any]:
    """The record with keyword-suggested abuse types per paragraph (`segments`)."""
    segments = {}
    for number, paragraph in enumerate(split_paragraphs(normalise_text(record["text"])), 1):
        found = abuse_types(paragraph)
        if found:
            segments[str(number)] = {"suggested": {"abuse_types": found}}
    return {**record, "segments": segments} if segments else dict(record)


def paragraph_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of the Datasette table for one record: one per paragraph."""
    country, year = country_of(record), year_of(record)
    for number, paragraph in enumerate(split_paragraphs(normalise_text(record["text"])), 1):
        yield {
            "id": f"{record['id']}/{number}",
            "doc": record["id"],
            "para": number,
            "title": record["title"],
            "kind": record["kind"],
            "country": country,
            "year": year,
            "abuse_types": json.dumps(abuse_types(paragraph)),
            "text": paragraph,
        }


def build_scaled(size: int, folder: Path) -> ScaledCorpus:
    """Write corpus.jsonl (to import) and paragraphs.jsonl (for Datasette) for ×size."""
    folder.mkdir(parents=True, exist_ok=True)
    records = load_records()
    documents = paragraphs = 0
    text_bytes = 0
    corpus = folder / "corpus.jsonl"
    rows = folder / "paragraphs.jsonl"
    with (
        (folder / "corpus.jsonl.tmp").open("w", encoding="utf-8") as corpus_out,
        (folder / "paragraphs.jsonl.tmp").open("w", encoding="utf-8") as rows_out,
    ):
        for copy in range(1, size + 1):
            for record in records:
                scaled = with_suggested_abuse_types(vary(record, copy))
                corpus_out.write(json.dumps(scaled, ensure_ascii=False) + "\n")
                documents += 1
                for row in paragraph_rows(scaled):
                    rows_out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    paragraphs += 1
                    text_bytes += len(row["text"].encode("utf-8"))
    (folder / "corpus.jsonl.tmp").replace(corpus)
    (folder / "paragraphs.jsonl.tmp").replace(rows)
    return ScaledCorpus(
        size=size,
        documents=documents,
        paragraphs=paragraphs,
        corpus_mb=round(corpus.stat().st_size / 1e6, 2),
        text_mb=round(text_bytes / 1e6, 2),
    )
