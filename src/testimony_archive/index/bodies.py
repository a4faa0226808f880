"""The archived text behind index entries: read from the archive file, never stored in
the index, and checked against the sha256 that was indexed."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ..document_file import split_front_matter
from ..errors import ArchiveError
from ..models import Paragraph, body_sha256, iter_paragraphs
from .entries import DocMeta
from .snapshot import LRU

# The paragraphs of recently read documents, bounded by their estimated size in memory.
BODY_CACHE_BYTES = 96 * 2**20
PARAGRAPH_OVERHEAD = 200  # bytes: a Paragraph and its str, besides the text's characters


def paragraphs_weight(paragraphs: list[Paragraph]) -> int:
    return sum(len(paragraph.text) + PARAGRAPH_OVERHEAD for paragraph in paragraphs) + 100


class ChangedSinceIndexed(ArchiveError):
    """The file is not as it was indexed: its front matter may now restrict it or redact
    a passage the index does not know of."""


class Bodies:
    """Paragraphs of archive files, cached while a file is unchanged; shared by threads."""

    def __init__(self, root: Path, cache_bytes: int = BODY_CACHE_BYTES) -> None:
        self.root = root
        self.cache = LRU(cache_bytes, weigh=paragraphs_weight)

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
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        paragraphs: list[Paragraph] = self.cache.fetch(key, partial(_read, path, meta.sha256))
        return paragraphs


def _read(path: Path, sha256: str) -> list[Paragraph]:
    _front, body, _line = split_front_matter(path.read_text(encoding="utf-8"), path)
    if body_sha256(body) != sha256:
        raise ArchiveError(
            "the text does not match the sha256 recorded at import; run 'testimony validate'",
            path=path,
        )
    return list(iter_paragraphs(body))
