"""What every `testimony` command shares: the settings, archive, instance database and
service of the invocation, its viewer, progress bars and JSON output."""

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
from ..errors import UsageError
from ..instance import InstanceDatabase
from ..security.accounts import Accounts
from ..service import SearchService


class Context:
    def __init__(self, settings: Settings, acting_as: str | None = None) -> None:
        self.settings = settings
        self.acting_as = acting_as
        self._service: SearchService | None = None
        self._archive: Archive | None = None
        self._database: InstanceDatabase | None = None
        self._accounts: Accounts | None = None

    @property
    def archive(self) -> Archive:
        """The archive folder, for the commands that write or check its files."""
        if self._archive is None:
            self._archive = Archive(self.settings.archive_dir, cache_dir=self.settings.cache_dir)
        return self._archive

    def unprepared_database(self) -> InstanceDatabase:
        """The instance database as it is (for `testimony db`, which upgrades it)."""
        if self._database is None:
            self._database = InstanceDatabase(
                self.settings.database_url, self.settings.read_replicas,
                self.settings.replica_max_lag,
            )
        return self._database

    @property
    def database(self) -> InstanceDatabase:
        """The instance database: created if new, refused with what to run if behind."""
        database = self.unprepared_database()
        database.prepare()
        return database

    @property
    def service(self) -> SearchService:
        if self._service is None:
            self._service = SearchService.open(self.settings, self.database, self.archive)
        return self._service

    @property
    def accounts(self) -> Accounts:
        if self._accounts is None:
            self._accounts = Accounts(self.database, self.service.audit)
        return self._accounts

    def viewer(self, editor: str | None = None) -> Viewer:
        """Whoever runs the command holds the archive's files: an administrator, whose
        changes are recorded under --editor, TESTIMONY_EDITOR or the login name; or, with
        `testimony --as USER`, that user with its role."""
        if self.acting_as is not None:
            user = self.accounts.users.get(self.acting_as)
            if user.disabled:
                raise UsageError(f"{user.name} is disabled; 'testimony user enable' first")
            return Viewer(role=user.role, name=user.name, address="command line",
                          via="command line")  # fmt: skip
        return Viewer.administrator(editor or self.settings.editor)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
        if self._database is not None:
            self._database.close()


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
