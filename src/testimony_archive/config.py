"""Settings, passed explicitly to the library and injected into the web app.

Nothing here reads the environment at import time: `Settings.from_env` is called by the
CLI and the server entry point, and tests build `Settings` directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from .errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def _find_templates() -> Path:
    """The top-level `templates/` folder, whether running from a checkout or installed."""
    for candidate in (PACKAGE_DIR.parents[1] / "templates", PACKAGE_DIR / "templates"):
        if candidate.is_dir():
            return candidate
    return PACKAGE_DIR.parents[1] / "templates"


@dataclass(frozen=True)
class Settings:
    archive_dir: Path = Path("archive")
    var_dir: Path = Path("var")
    templates_dir: Path = field(default_factory=_find_templates)
    static_dir: Path = field(default_factory=lambda: _find_templates().parent / "static")
    editor: str = "editor"  # whom the command line's changes are recorded under
    # Another engine for the instance database (TESTIMONY_DATABASE_URL); SQLite under
    # the var folder by default.
    database: str | None = None
    # PostgreSQL read replicas of that database (TESTIMONY_READ_REPLICAS, comma-separated
    # URLs): reads go to one that is no more than `replica_max_lag` seconds behind
    # (TESTIMONY_REPLICA_MAX_LAG_SECONDS).
    read_replicas: tuple[str, ...] = ()
    replica_max_lag: float = 5.0
    # Where searches run (TESTIMONY_SEARCH): "whoosh", the index folder under var/, or
    # "postgresql", tables in the instance database that several servers share. By
    # default PostgreSQL when the instance database is PostgreSQL, else Whoosh.
    search: str | None = None
    # Whether visitors who have not signed in may search and read the public documents
    # (TESTIMONY_ANONYMOUS=read, the default) or must sign in first (=none).
    open_to_anonymous: bool = True
    session_idle: timedelta = timedelta(hours=1)  # TESTIMONY_SESSION_IDLE_MINUTES
    session_lifetime: timedelta = timedelta(hours=12)  # TESTIMONY_SESSION_HOURS
    # The archive's name in citations, excerpts and exports (TESTIMONY_ARCHIVE_NAME).
    archive_name: str = "Testimony Archive"
    # Where the archive is served, for permalinks made outside a request, by the command
    # line (TESTIMONY_BASE_URL; "" gives links such as /documents/ID#p4).
    base_url: str = ""

    @property
    def index_dir(self) -> Path:
        return self.var_dir / "index"

    @property
    def instance_db(self) -> Path:
        """The default instance database: users, sessions, the audit trail, tag history."""
        return self.var_dir / "instance.sqlite"

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.instance_db}"

    @property
    def on_postgresql(self) -> bool:
        return self.database_url.startswith(("postgresql", "postgres:"))

    @property
    def search_backend(self) -> str:
        """"whoosh" or "postgresql" (checked by `from_env`)."""
        return self.search or ("postgresql" if self.on_postgresql else "whoosh")

    @property
    def audit_head_file(self) -> Path:
        """The audit trail's last entry, kept outside the database (`security.audit`)."""
        return self.var_dir / "audit-head.txt"

    @property
    def cache_dir(self) -> Path:
        """Derived data that is quicker to read than to compute (the place tables)."""
        return self.var_dir / "cache"

    def with_paths(self, archive_dir: Path | None = None, var_dir: Path | None = None) -> Settings:
        return replace(
            self,
            archive_dir=archive_dir or self.archive_dir,
            var_dir=var_dir or self.var_dir,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        anonymous = env.get("TESTIMONY_ANONYMOUS", "read").strip().lower() or "read"
        if anonymous not in ("read", "none"):
            raise UsageError(
                f"TESTIMONY_ANONYMOUS={anonymous!r}: use 'read' (visitors who have not "
                "signed in may read the public documents) or 'none' (everyone signs in)"
            )
        search = env.get("TESTIMONY_SEARCH", "").strip().lower() or None
        if search not in (None, "whoosh", "postgresql"):
            raise UsageError(
                f"TESTIMONY_SEARCH={search!r}: use 'whoosh' (the index folder under "
                "TESTIMONY_VAR) or 'postgresql' (the instance database's tables)"
            )
        return cls(
            search=search,
            archive_dir=Path(env.get("TESTIMONY_ARCHIVE", "archive")),
            var_dir=Path(env.get("TESTIMONY_VAR", "var")),
            editor=env.get("TESTIMONY_EDITOR") or env.get("USER") or "editor",
            database=env.get("TESTIMONY_DATABASE_URL") or None,
            read_replicas=tuple(
                url.strip() for url in env.get("TESTIMONY_READ_REPLICAS", "").split(",")
                if url.strip()
            ),
            replica_max_lag=_number(env, "TESTIMONY_REPLICA_MAX_LAG_SECONDS", 5),
            open_to_anonymous=anonymous == "read",
            session_idle=timedelta(minutes=_number(env, "TESTIMONY_SESSION_IDLE_MINUTES", 60)),
            session_lifetime=timedelta(hours=_number(env, "TESTIMONY_SESSION_HOURS", 12)),
            archive_name=env.get("TESTIMONY_ARCHIVE_NAME", "").strip() or "Testimony Archive",
            base_url=env.get("TESTIMONY_BASE_URL", "").strip(),
        )


def _number(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"{name}={text!r}: give a whole number of 1 or more")
    return int(text)
