"""Markdown tables and cells of the benchmark's report."""

from __future__ import annotations

from typing import Any


def cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


def ratio_text(value: float | None) -> str:
    """Ratios to three decimals, also above 1 (1.098 is not 1.1 against a limit of 1.1)."""
    return "–" if value is None else f"{value:.3f}"


def verdict(passed: bool | None) -> str:
    return {True: "**pass**", False: "**FAIL**", None: "not measured"}[passed]
