"""Exports at one size: a 50-excerpt collection exported in each format and as an
evidence bundle, and verified, the way a user does it (`CollectionDesk`).

The places are drawn with a fixed seed: 25 documents from the archive's files (only
those are read), two whole paragraphs of each, five of the fifty narrowed to characters
inside their paragraph. A researcher, "bench-lawyer", owns a fresh collection of them in
the size's instance database, deleted afterwards. Each export's first call pays for its
imports (WeasyPrint's for the PDF) and is reported apart as "cold"; then the median of a
few warm calls. Exports and verifications are recorded in the size's audit trail, as
they are for a user.
"""

from __future__ import annotations

import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pypdf import PdfReader

from testimony_archive.access import Viewer
from testimony_archive.archive import Archive
from testimony_archive.collecting import CollectionDesk
from testimony_archive.collections import Collections
from testimony_archive.errors import NotFound
from testimony_archive.excerpts import Place
from testimony_archive.export import FORMATS
from testimony_archive.export.bundle import read_excerpts
from testimony_archive.instance import InstanceDatabase
from testimony_archive.service import SearchService

from .accounts import settings_for

SEED = 2026
DOCUMENTS = 25
PER_DOCUMENT = 2
EXCERPTS = DOCUMENTS * PER_DOCUMENT
CHARACTER_RANGES = 5
SHORTEST_NARROWED = 40  # characters of a paragraph that a character range is cut from
LAWYER = Viewer("researcher", "bench-lawyer", "127.0.0.1")
COLLECTION = f"bench: {EXCERPTS} excerpts"
T = TypeVar("T")


def pick_places(service: SearchService, archive: Archive) -> list[Place]:
    """The collection's places, each document read as the lawyer may see it."""
    rng = random.Random(SEED)
    paths = archive.paths()
    chosen: list[tuple[Place, int]] = []  # each place and its paragraph's length
    for path in rng.sample(paths, len(paths)):
        if len(chosen) == EXCERPTS:
            break
        try:
            document = service.document(path.stem, LAWYER)
        except NotFound:
            continue
        if len(document.paragraphs) < PER_DOCUMENT:
            continue
        for number in sorted(rng.sample(range(1, len(document.paragraphs) + 1), PER_DOCUMENT)):
            length = len(document.paragraphs[number - 1].text)
            chosen.append((Place(document.id, number, number), length))
    if len(chosen) < EXCERPTS:
        raise RuntimeError(f"{archive.root}: too few documents of {PER_DOCUMENT} paragraphs")
    places = [place for place, _ in chosen]
    long_enough = [i for i, (_, length) in enumerate(chosen) if length >= SHORTEST_NARROWED]
    for i in rng.sample(long_enough, CHARACTER_RANGES):
        place, length = chosen[i]
        start = rng.randint(1, length // 3)
        places[i] = Place(place.doc, place.first, place.last,
                          (start, rng.randint(start + length // 3, length)))  # fmt: skip
    return places


def _timed(call: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _repeated(call: Callable[[], T], runs: int) -> tuple[list[float], T]:
    """Each run's seconds, and the last run's result."""
    timings = []
    for _ in range(runs):
        seconds, result = _timed(call)
        timings.append(seconds)
    return timings, result


def _median(name: str, timings: list[float]) -> dict[str, Any]:
    return {f"{name}_s": round(statistics.median(timings), 4),
            f"{name}_runs_s": [round(value, 4) for value in timings]}  # fmt: skip


def _verified(service: SearchService, path: Path) -> int:
    """Verify a bundle or an excerpts JSON as `testimony verify` does; its excerpts."""
    read = read_excerpts(path)
    verdicts = service.verify(LAWYER, list(read.excerpts), path.name, read.sha256)
    unfaithful = [verdict.line() for verdict in verdicts if not verdict.faithful]
    if read.problems or unfaithful or len(verdicts) != EXCERPTS:
        raise RuntimeError(f"{path.name} does not verify: {read.problems + unfaithful}")
    return len(verdicts)


def measure_exports(work: Path, runs: int = 3) -> dict[str, Any]:
    settings = settings_for(work)
    database = InstanceDatabase(settings.database_url)
    database.prepare()
    service = SearchService.open(settings, database)
    desk = CollectionDesk(service, Collections(database))
    try:
        places = pick_places(service, Archive(settings.archive_dir))
        for left in desk.list(LAWYER):  # by a run that stopped half-way
            if left.name == COLLECTION:
                desk.delete(LAWYER, left.id)
        collection = desk.create(LAWYER, COLLECTION)
        try:
            for place in places:
                desk.add(LAWYER, collection.id, place)
            figures = _measure(service, desk, collection.id, runs)
        finally:
            desk.delete(LAWYER, collection.id)
    finally:
        service.close()
        database.close()
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": work.name,
        "excerpts": len(places),
        "documents": len({place.doc for place in places}),
        "character_ranges": sum(place.chars is not None for place in places),
        "runs": runs,
        **figures,
    }


def _measure(
    service: SearchService, desk: CollectionDesk, collection_id: int, runs: int
) -> dict[str, Any]:
    formats: dict[str, Any] = {}
    exported: dict[str, bytes] = {}
    for format in FORMATS:

        def export(format: str = format) -> bytes:
            return desk.export(LAWYER, collection_id, format)[2]

        cold, exported[format] = _timed(export)
        warm, _ = _repeated(export, runs)
        formats[format] = {"cold_s": round(cold, 4), **_median("warm", warm),
                           "bytes": len(exported[format])}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as scratch:
        bags = iter(Path(scratch) / f"bag-{n}" for n in range(runs))
        directory, bag = _repeated(lambda: desk.bundle(LAWYER, collection_id, next(bags)), runs)
        zipped, (_, _, data) = _repeated(lambda: desk.bundle(LAWYER, collection_id), runs)
        excerpts_json = Path(scratch) / "excerpts.json"
        excerpts_json.write_bytes(exported["json"])
        verify_bundle, _ = _repeated(lambda: _verified(service, bag), runs)
        verify_json, _ = _repeated(lambda: _verified(service, excerpts_json), runs)
        files = [path for path in bag.rglob("*") if path.is_file()]
        bundle = {
            **_median("directory", directory),
            "directory_bytes": sum(path.stat().st_size for path in files),
            "files": len(files),
            **_median("zip", zipped),
            "zip_bytes": len(data),
        }
    return {
        "formats": formats,
        "bundle": bundle,
        "verify": {**_median("bundle", verify_bundle), **_median("json", verify_json)},
        "pdf_pages": len(PdfReader(io.BytesIO(exported["pdf"])).pages),
        "pdf_bytes": len(exported["pdf"]),
    }
