"""The archived text behind index entries: read from the archive file, never stored in
the index, and checked against the sha256 that was indexed."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from threading import Lock

from ..document_file import split_front_matter
from ..errors import ArchiveError
from ..models import Paragraph, body_sha256, iter_paragraphs
from .entries import DocMeta

DOCUMENT_CACHE_SIZE = 4096  # documents whose paragraphs are kept (plain text only)


class ChangedSinceIndexed(ArchiveError):
    """The file is not as it was indexed: its front matter may now restrict it or redact
    a passage the index does not know of."""


class Bodies:
    """Paragraphs of archive files, cached while a file is unchanged; shared by threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._documents: OrderedDict[tuple[str, int], list[Paragraph]] = OrderedDict()
        self._lock = Lock()

    def paragraphs(self, meta: DocMeta) -> list[Paragraph]:
        """The archived paragraphs of an indexed document, while its file is as it was
        indexed. Only the body is read (no YAML), and checked against the indexed sha256:
        a quoted paragraph is always the archived text."""
        path = self.root / meta.path
        try:
            stat = path.stat()
        except FileNotFoundError as error:
            raise ArchiveError("the file was removed; run 'testimony index'", path=path) from error
        if (stat.st_mtime_ns, stat.st_size) != (meta.mtime_ns, meta.size):
            raise ChangedSinceIndexed(
                "the file changed since it was indexed; run 'testimony index'", path=path
            )
        key = (str(path), stat.st_mtime_ns)
        with self._lock:
            cached = self._documents.get(key)
            if cached is not None:
                self._documents.move_to_end(key)
                return cached
        _front, body, _line = split_front_matter(path.read_text(encoding="utf-8"), path)
        if body_sha256(body) != meta.sha256:
            raise ArchiveError(
                "the text does not match the sha256 recorded at import; run 'testimony validate'",
                path=path,
            )
        paragraphs = list(iter_paragraphs(body))
        with self._lock:
            self._documents[key] = paragraphs
            while len(self._documents) > DOCUMENT_CACHE_SIZE:
                self._documents.popitem(last=False)
        return paragraphs
