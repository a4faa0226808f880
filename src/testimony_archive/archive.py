"""The archive folder: the record. Reads, validates and (atomically) writes its files.

This is the only module that writes archive files. Each document is `documents/<id>.md`
(subfolders allowed); ids are unique across the whole folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .document_file import ID_PATTERN, parse_document, serialize_document
from .errors import ArchiveError, NotFound
from .fields import TAG_FIELDS
from .models import Document, TagSet
from .vocabulary import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class FileState:
    """What is needed to tell whether a file changed since it was last read."""

    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileState:
        stat = path.stat()
        return cls(stat.st_mtime_ns, stat.st_size)


class Archive:
    """The record: its files, read and checked, and written atomically.

    `get` returns any document, whatever its access level: the record's reader is not a
    door. The CLI and the web pages read documents through `SearchService`, which asks
    the access policy (`access`) first."""

    def __init__(
        self, root: Path, vocabulary: Vocabulary | None = None, cache_dir: Path | None = None
    ) -> None:
        self.root = root
        self.documents_dir = root / "documents"
        self.cache_dir = cache_dir  # derived data of the vocabulary (place tables)
        self._vocabulary = vocabulary
        self._paths_by_id: dict[str, Path] | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary(self.root / "vocabulary", self.cache_dir)
        return self._vocabulary

    # -- reading -----------------------------------------------------------------------

    def paths(self) -> list[Path]:
        """Every document file, sorted; raises if two files claim the same id."""
        found = self._walk()
        paths = [Path(name) for name in found]
        self._paths_by_id = dict(zip(self._ids(found), paths, strict=True))
        return paths

    def file_states(self) -> dict[str, tuple[str, FileState]]:
        """Every document's id → its file (relative to the archive root, with "/") and
        the file's state, in file order; raises like `paths`. Quicker than `paths` and a
        stat of each: an incremental index update of a large archive starts with this."""
        found = self._walk()
        # The walk's names start with the documents folder as written (a root of "."
        # gives "documents/..."), so that prefix is the one to take off.
        start = len(os.path.join(str(self.documents_dir), ""))
        folder = self.documents_dir.name + "/"
        states: dict[str, tuple[str, FileState]] = {}
        for doc_id, name in zip(self._ids(found), found, strict=True):
            stat = os.stat(name)
            relative = folder + name[start:].replace(os.sep, "/")
            states[doc_id] = (relative, FileState(stat.st_mtime_ns, stat.st_size))
        return states

    def _walk(self) -> list[str]:
        """The document files' paths, sorted."""
        if not self.documents_dir.is_dir():
            return []
        found: list[str] = []
        for folder, subfolders, files in os.walk(self.documents_dir):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            found.extend(
                os.path.join(folder, name)
                for name in files
                if name.endswith(".md") and not name.startswith(".")
            )
        return sorted(found)

    @staticmethod
    def _ids(found: list[str]) -> list[str]:
        """The id of each file (its name without .md); raises if two files share one."""
        seen: dict[str, str] = {}
        for name in found:
            doc_id = os.path.basename(name)[: -len(".md")]
            if doc_id in seen:
                raise ArchiveError(
                    f"id {doc_id!r} is also used by {seen[doc_id]}; ids must be unique "
                    "in the archive: rename one of them",
                    path=Path(name),
                )
            seen[doc_id] = name
        return list(seen)

    def refresh(self) -> None:
        """Forget the cached id → file map (files may have been added by others)."""
        self._paths_by_id = None

    def load(self, path: Path) -> Document:
        """Read one file and check it fully (structure, sha256, vocabulary ids)."""
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ArchiveError(
                f"not valid UTF-8 (byte {error.start}); save the file as UTF-8", path=path
            ) from error
        if "\r" in text:
            raise ArchiveError(
                "the file has Windows (CR LF) line endings; the archive stores '\\n' only",
                path=path,
            )
        document = parse_document(text, path)
        if document.id != path.stem:
            raise ArchiveError(
                f"the id {document.id!r} does not match the file name; rename the file to "
                f"{document.id}.md",
                path=path,
                field="id",
            )
        validate_tags(document, self.vocabulary, text)
        return document

    def __iter__(self) -> Iterator[Document]:
        for path in self.paths():
            yield self.load(path)

    def path_for(self, doc_id: str) -> Path:
        """Where the document with this id is, or would be written."""
        if not ID_PATTERN.match(doc_id):
            raise NotFound(f"no document with id {doc_id!r}")
        direct = self.documents_dir / f"{doc_id}.md"
        if direct.exists():
            return direct
        if self._paths_by_id is None:
            self.paths()
        assert self._paths_by_id is not None
        found = self._paths_by_id.get(doc_id)
        return found if found is not None and found.exists() else direct

    def get(self, doc_id: str) -> Document:
        path = self.path_for(doc_id)
        if not path.exists():
            # The same words as for a restricted document, and no server path: a reply
            # must not tell whether a document exists that the reader may not see.
            raise NotFound(f"no document with id {doc_id!r}")
        return self.load(path)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.path_for(doc_id).exists()

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Serialise writers (several processes may import or edit tags at once)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, document: Document, path: Path | None = None) -> Path:
        """Write a document atomically (temp file + rename). Call under `write_lock`."""
        validate_tags(document, self.vocabulary)
        target = path or self.path_for(document.id)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, serialize_document(document))
        if self._paths_by_id is not None:
            self._paths_by_id[document.id] = target
        return target


def write_atomically(target: Path, text: str) -> None:
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def validate_tags(document: Document, vocabulary: Vocabulary, text: str | None = None) -> None:
    """Every tag id must exist in the vocabulary (or be a known place code)."""

    def check(tags: TagSet, where: str) -> None:
        for name in TAG_FIELDS:
            for value in tags.get(name):
                if not vocabulary.is_valid(name, value):
                    raise ArchiveError(
                        f"{where}unknown {name.replace('_', ' ')[:-1]} id {value!r}; "
                        + _hint(name),
                        path=document.path,
                        line=_line_of(text, value),
                        field=name,
                    )

    check(document.tags, "")
    check(document.suggested, "suggested: ")
    for number, segment in document.segments.items():
        check(segment.tags, f"segment {number}: ")
        check(segment.suggested, f"segment {number} suggested: ")


def _hint(name: str) -> str:
    if name == "locations":
        return "use an ISO 3166 code (MX, MX-CHP) or geonames:<id>"
    return f"see 'testimony vocabulary {name.replace('_', '-')}' for the ids"


def _line_of(text: str | None, needle: str) -> int | None:
    if not text:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if line == "---" and number > 1:
            return None
        if needle in line:
            return number
    return None
