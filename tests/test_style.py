"""The stylesheet's colour pairs meet WCAG AA contrast (4.5:1 for body text)."""

from __future__ import annotations

import re

import pytest

from .conftest import REPO

CSS = (REPO / "static" / "style.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("ink", "paper"), ("muted", "paper"), ("accent", "paper"), ("ink", "panel"),
        ("muted", "panel"), ("accent", "panel"), ("accent-ink", "accent"), ("ink", "mark"),
    ],
)  # fmt: skip
def test_text_colours_have_enough_contrast(text: str, background: str) -> None:
    assert contrast(COLOURS[text], COLOURS[background]) >= 4.5


def test_white_backgrounds_keep_the_accent_readable() -> None:
    assert contrast(COLOURS["accent"], "#ffffff") >= 4.5
