"""What every `testimony` command shares: the settings, archive and service of the
invocation, its viewer, progress bars and JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..access import Viewer
from ..archive import Archive
from ..config import Settings
from ..service import SearchService


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._service: SearchService | None = None
        self._archive: Archive | None = None

    @property
    def archive(self) -> Archive:
        """The archive folder, for the commands that write or check its files."""
        if self._archive is None:
            self._archive = Archive(self.settings.archive_dir, cache_dir=self.settings.cache_dir)
        return self._archive

    @property
    def service(self) -> SearchService:
        if self._service is None:
            self._service = SearchService.open(self.settings, self.archive)
        return self._service

    def viewer(self, editor: str | None = None) -> Viewer:
        """Whoever runs the command holds the archive's files: an administrator, whose
        changes are recorded under --editor, TESTIMONY_EDITOR or the login name."""
        return Viewer.administrator(editor or self.settings.editor)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()


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
