"""Jinja2, set up once: autoescape everywhere, StrictUndefined, templates ending in .html."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..index import Span


def highlighted(text: str, spans: list[Span]) -> Markup:
    """The text, escaped, with each span wrapped in <mark>."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [
            str(escape(text[position:start])),
            "<mark>",
            str(escape(text[start:end])),
            "</mark>",
        ]
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


@lru_cache(maxsize=4)
def environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once per process, not checked per page
    )
    env.filters["highlighted"] = lambda pair: highlighted(*pair)
    return env


def render(templates_dir: Path, template: str, context: dict[str, Any]) -> str:
    if not template.endswith(".html"):
        raise ValueError(f"templates end in .html (autoescaping): {template}")
    return environment(templates_dir).get_template(template).render(**context)
