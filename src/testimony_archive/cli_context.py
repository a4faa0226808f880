"""What every `testimony` command shares: the settings and archive of the invocation,
progress bars and JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .archive import Archive
from .config import Settings


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._archive: Archive | None = None

    @property
    def archive(self) -> Archive:
        if self._archive is None:
            self._archive = Archive(self.settings.archive_dir)
        return self._archive


pass_context = click.make_pass_decorator(Context)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long jobs (hidden when stderr is not a terminal)."""
    if total < 50 or not sys.stderr.isatty():
        yield lambda _step: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
