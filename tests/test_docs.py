"""The README cannot drift from the code: every command and setting is documented."""

from __future__ import annotations

import click

from testimony_archive.cli import cli

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "testimony") -> list[str]:
    found: list[str] = []
    for name, command in group.commands.items():
        found.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
    return found


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in commands(cli) if name not in README]
    assert not missing, f"document these in README.md: {missing}"


def test_every_setting_is_in_the_readme() -> None:
    for setting in (
        "TESTIMONY_ARCHIVE",
        "TESTIMONY_VAR",
        "TESTIMONY_EDITOR",
        "TESTIMONY_DATABASE_URL",
        "TESTIMONY_ANONYMOUS",
        "TESTIMONY_SESSION_IDLE_MINUTES",
        "TESTIMONY_SESSION_HOURS",
        "--as",
        "--archive",
        "--var",
    ):
        assert setting in README, setting


def test_the_readme_opens_with_the_two_commands() -> None:
    opening = README.split("## ", 1)[0]
    assert "make serve" in opening and "make test" in opening


def test_every_environment_setting_the_code_reads_is_in_the_readme() -> None:
    import re

    source = "".join(
        path.read_text(encoding="utf-8") for path in (REPO / "src").rglob("*.py")
    )
    settings = set(re.findall(r"\bTESTIMONY_[A-Z_]+\b", source))
    assert len(settings) >= 6
    missing = sorted(setting for setting in settings if setting not in README)
    assert not missing, f"document these settings in README.md: {missing}"
