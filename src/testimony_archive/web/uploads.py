"""Uploaded files saved in a folder of the server's, for a library call that reads paths.

Each is saved under a safe version of the name the browser sent (one part: no folders, no
leading dots, no control characters; the extension kept, since the importer reads it), in
a numbered folder of its own, so that two uploads of the same name never overwrite each
other and each keeps its name (a text file's name is its document's id and title). The
bytes are copied a chunk at a time, and never more than a limit in all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import TestimonyError
from ..notes import Note

CHUNK_BYTES = 1024 * 1024
NAME_BYTES = 150  # well under the 255 bytes a file system allows for a name
SHOWN_NAME = 200  # characters of the sent name shown back
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]+')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class UploadTooLarge(TestimonyError):
    status_code = 413
    exit_code = 2

    def __init__(self, limit: int) -> None:
        super().__init__(
            Note("The files are larger than this server accepts (at most %(mb)s MB in all).",
                 mb=limit // 2**20)
        )  # fmt: skip


@dataclass(frozen=True)
class SavedUpload:
    sent_name: str  # as the browser sent it (cut short, without control characters)
    path: Path


def safe_name(sent: str) -> str:
    """A file name of one part from the name a browser sent, which may hold folders (a
    Windows path, `../`), leading dots or characters a file name should not hold."""
    base = PurePosixPath(sent.replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .")
    suffix = PurePosixPath(base).suffix
    if len(suffix) > 10:  # not an extension: part of the name
        suffix = ""
    stem = base[: len(base) - len(suffix)]
    budget = NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:budget].decode(errors="ignore").rstrip(" .")
    return f"{stem or 'upload'}{suffix}"


def shown_name(sent: str) -> str:
    return _CONTROL.sub("", sent)[:SHOWN_NAME]


def save_uploads(
    uploads: Iterable[tuple[str, BinaryIO]], folder: Path, limit: int
) -> list[SavedUpload]:
    """Each (sent name, file) saved in `folder`; UploadTooLarge as soon as the bytes in all
    would be more than `limit` (what was saved is left for the caller's folder to go)."""
    saved: list[SavedUpload] = []
    left = limit
    for number, (sent, source) in enumerate(uploads, start=1):
        target = folder / str(number) / safe_name(sent)
        target.parent.mkdir()
        with target.open("xb") as copy:
            while chunk := source.read(min(CHUNK_BYTES, left + 1)):
                left -= len(chunk)
                if left < 0:
                    raise UploadTooLarge(limit)
                copy.write(chunk)
        saved.append(SavedUpload(shown_name(sent), target))
    return saved
