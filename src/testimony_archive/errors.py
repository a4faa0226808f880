"""Domain errors. Each carries the HTTP status and the CLI exit code it maps to, so that
one handler per interface renders them and no caller needs a ladder of try/except."""

from __future__ import annotations

import re
from pathlib import Path

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print on one line: control characters escaped (`\\x0a`), and the bytes
    of a file name that is not UTF-8 (kept by Python as lone surrogates) shown as bytes."""

    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escaped, text)


class TestimonyError(Exception):
    """Base class for every error the library raises on purpose."""

    status_code = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(TestimonyError):
    """The caller asked for something that cannot be done as asked."""

    status_code = 400
    exit_code = 2


class NotFound(TestimonyError):
    status_code = 404
    exit_code = 2


class Forbidden(TestimonyError):
    """The viewer may not do this (the access policy said no)."""

    status_code = 403
    exit_code = 2


class ArchiveError(TestimonyError):
    """A file of the archive (or an input file) is invalid.

    The message names the file, where possible the line and the field, and what to fix.
    """

    status_code = 422
    exit_code = 2

    def __init__(
        self,
        reason: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = printable(str(path)) if path is not None else None
        self.line = line
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        field = f"field '{self.field}': " if self.field else ""
        return f"{where}: {field}{self.reason}" if where else f"{field}{self.reason}"


class IndexMissing(TestimonyError):
    status_code = 503
    exit_code = 2

    def __init__(self, index_dir: Path | str) -> None:
        super().__init__(f"no search index at {index_dir}; build it with 'testimony index'")


class IndexOutdated(IndexMissing):
    """The index was written by another version (its entries would be misread)."""

    def __init__(self, index_dir: Path | str) -> None:
        TestimonyError.__init__(
            self,
            f"the search index at {index_dir} was built by another version of Testimony "
            "Archive; rebuild it with 'testimony index'",
        )
