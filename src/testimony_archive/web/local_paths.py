"""Where a form may send its sender next: a path of this site only."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str, default: str = "/search") -> str:
    """`target` if it is a path of this site, else `default`: never another host, nor a
    path that a browser would read as one (it drops tabs and line breaks, and reads a
    backslash as a slash: `/\\evil.example` is `//evil.example`)."""
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in target):
        return default
    read = urlsplit(target.replace("\\", "/"))
    if target.startswith("/") and not read.scheme and not read.netloc:
        return target
    return default
