"""Reading excerpts back for `testimony verify`: from an excerpts JSON file, an evidence
bundle (a BagIt bag) or a zip of one. A bag is validated first (bagit, SHA-256) and each
of its problems names the file: changed, missing, or added after the bag was made.

A zip is unpacked only after its names and its unpacked size are checked: no member may
leave the bag's folder, and the whole may not exceed `max_bytes`.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import bagit  # type: ignore[import-untyped]

from ..errors import UsageError
from ..excerpts import Excerpt, parse_document
from .remaking import unlike_their_excerpts

MAX_MEMBERS = 10_000  # an evidence bundle holds a few files per cited document
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ReadExcerpts:
    excerpts: list[Excerpt]
    problems: list[str]  # the bag's own: a changed, missing or added file (named), not a bag
    sha256: str  # of the input file (for a bag directory: of its manifest-sha256.txt)
    kind: str  # "json" | "bag" | "zipped bag"


def read_excerpts(path: Path, max_bytes: int = 50_000_000, name: str = "") -> ReadExcerpts:
    """The excerpts of a JSON file, a bag directory or a zipped bag, with the bag's
    problems; UsageError (one line) for anything else. Messages name the input `name`
    (an upload's own file name, say), or else its path."""
    where = name or str(path)
    if path.is_dir():
        manifest = path / "manifest-sha256.txt"
        digest = _sha256(manifest.read_bytes()) if manifest.is_file() else ""
        excerpts, problems = _read_bag(path, where, max_bytes)
        return ReadExcerpts(excerpts, problems, digest, "bag")
    if not path.is_file():
        raise UsageError(f"{where}: no such file or folder")
    if path.stat().st_size > max_bytes:
        raise UsageError(f"{where}: too large to read ({path.stat().st_size:,} bytes; "
                         f"the limit is {max_bytes:,})")  # fmt: skip
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with tempfile.TemporaryDirectory(prefix="testimony-bag-") as scratch:
            folder = _unzip(data, Path(scratch), where, max_bytes)
            excerpts, problems = _read_bag(folder, where, max_bytes)
        return ReadExcerpts(excerpts, problems, _sha256(data), "zipped bag")
    return ReadExcerpts(_parse(data, where), [], _sha256(data), "json")


def _parse(data: bytes, where: str) -> list[Excerpt]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise UsageError(f"{where}: neither an excerpts JSON file nor an evidence bundle "
                         f"({type(error).__name__}: {_one_line(error)})") from None  # fmt: skip
    try:
        return parse_document(document)
    except UsageError as error:
        raise UsageError(f"{where}: {error.message}") from None


def _read_bag(folder: Path, where: str, max_bytes: int) -> tuple[list[Excerpt], list[str]]:
    if not (folder / "bagit.txt").is_file():
        raise UsageError(f"{where}: not an evidence bundle (a BagIt bag has a bagit.txt)")
    try:
        bag = bagit.Bag(str(folder))
    except (bagit.BagError, OSError, ValueError) as error:
        reason = _one_line(error).replace(str(folder), "the bag")  # no server path
        raise UsageError(f"{where}: not a readable bag: {reason}") from None
    problems = _problems(bag)
    source = folder / "data" / "excerpts.json"
    if not source.is_file():
        return [], problems or ["data/excerpts.json is missing"]
    if source.stat().st_size > max_bytes:
        raise UsageError(f"{where}: data/excerpts.json is too large to read")
    try:
        excerpts = _parse(source.read_bytes(), f"{where}: data/excerpts.json")
    except UsageError as error:
        if not problems:
            raise
        return [], [*problems, error.message]
    try:
        problems += unlike_their_excerpts(folder, excerpts)
    except UsageError as error:  # a record that names no language or format we make
        problems.append(f"data/export-record.json: {error.message}")
    return excerpts, problems


def _problems(bag: bagit.Bag) -> list[str]:
    """Nothing for a valid bag; else each changed, missing or added file, by name."""
    try:
        bag.validate()
        return []
    except bagit.BagError as error:
        failure = _one_line(error)
    problems: list[str] = []
    if "sha256" not in bag.algorithms:
        problems.append("the bag has no SHA-256 manifest")
    missing, added = bag.compare_manifests_with_fs()
    problems += [f"{name}: in the manifest but missing" for name in sorted(missing)]
    problems += [f"{name}: not in the manifest (added after the bag was made)"
                 for name in sorted(added)]  # fmt: skip
    root = Path(bag.path)
    for name, hashes in sorted(bag.entries.items()):
        expected = hashes.get("sha256")
        file = root / name
        if expected and file.is_file() and _file_sha256(file) != expected.lower():
            problems.append(f"{name}: its SHA-256 is not the manifest's "
                            "(changed after the bag was made)")  # fmt: skip
    return problems or [f"not a valid bag: {failure}"]


def _unzip(data: bytes, scratch: Path, where: str, max_bytes: int) -> Path:
    """The bag folder of a zip, unpacked under `scratch` once every name and the total
    unpacked size are checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UsageError(f"{where}: not a readable zip: {error}") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise UsageError(f"{where}: {len(members):,} files; an evidence bundle has fewer")
        if sum(info.file_size for info in members) > max_bytes:
            raise UsageError(f"{where}: too large when unpacked (the limit is {max_bytes:,} "
                             "bytes)")  # fmt: skip
        folders = {_top_folder(info.filename, where) for info in members}
        if len(folders) != 1:
            raise UsageError(f"{where}: a zipped bag holds one folder, the bag")
        written = 0
        for info in members:
            target = scratch.joinpath(*PurePosixPath(info.filename).parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("wb") as sink:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > max_bytes:  # more than the sizes the zip declares
                            raise UsageError(f"{where}: too large when unpacked")
                        sink.write(chunk)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as error:
                raise UsageError(f"{where}: {info.filename}: cannot be unpacked: "
                                 f"{_one_line(error)}") from None  # fmt: skip
    return scratch / folders.pop()


def _top_folder(name: str, where: str) -> str:
    """The first part of a member's name, once the name is known to stay inside it."""
    parts = PurePosixPath(name).parts
    unsafe = (
        "\\" in name or name.startswith("/") or ":" in parts[0]
        or any(part in ("..", ".", "") for part in parts) or len(parts) < 2
    )  # fmt: skip
    if unsafe:
        raise UsageError(f"{where}: refused: {name!r} would be unpacked outside the bag's folder")
    return parts[0]


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
