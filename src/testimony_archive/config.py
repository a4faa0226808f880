"""Settings, passed explicitly to the library and injected into the web app.

Nothing here reads the environment at import time: `Settings.from_env` is called by the
CLI and the server entry point, and tests build `Settings` directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

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
    editing: bool = False  # web tag editing (TESTIMONY_EDITING=1) until accounts exist
    editor: str = "editor"  # who tag edits are recorded as (TESTIMONY_EDITOR)

    @property
    def index_dir(self) -> Path:
        return self.var_dir / "index"

    @property
    def instance_db(self) -> Path:
        """Instance data that is not part of the record: tag history (SQLite)."""
        return self.var_dir / "instance.sqlite"

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
        return cls(
            archive_dir=Path(env.get("TESTIMONY_ARCHIVE", "archive")),
            var_dir=Path(env.get("TESTIMONY_VAR", "var")),
            editing=env.get("TESTIMONY_EDITING", "") in ("1", "true", "yes"),
            editor=env.get("TESTIMONY_EDITOR") or env.get("USER") or "editor",
        )
