"""Jinja2, set up once: autoescape everywhere, StrictUndefined, templates ending in .html."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..index import Span


def highlighted(text: str, spans: list[Span], redacted: list[Span] | None = None) -> Markup:
    """The text, escaped, with each highlight span wrapped in <mark> and each redacted
    passage (or `[redacted]` marker) in <span class="redacted">."""
    in_order = all(a <= b for a, b in spans) and all(
        end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False)
    )
    if not redacted and in_order:
        return _marked(text, spans)
    events = sorted(
        {0, len(text), *(edge for span in spans for edge in span),
         *(edge for span in redacted or [] for edge in span)}  # fmt: skip
    )
    pieces: list[str] = []
    for start, end in zip(events, events[1:], strict=False):
        piece = str(escape(text[start:end]))
        if any(a <= start and end <= b for a, b in spans):
            piece = f"<mark>{piece}</mark>"
        if any(a <= start and end <= b for a, b in redacted or []):
            piece = f'<span class="redacted">{piece}</span>'
        pieces.append(piece)
    # Every piece of text is escaped above; only our own tags are added (bandit B704).
    return Markup("".join(pieces))  # nosec B704


def _marked(text: str, spans: list[Span]) -> Markup:
    """`highlighted` of spans in order that do not overlap, in one pass (a results page
    marks dozens of paragraphs): the same markup."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(escape(text[position:start]))
        if start < end:
            pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    # Every piece of text is escaped here; only our own tags are added (bandit B704).
    return Markup("".join(pieces))  # nosec B704


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
    env.filters["highlighted"] = lambda spans: highlighted(*spans)
    return env


def render(templates_dir: Path, template: str, context: dict[str, Any]) -> str:
    if not template.endswith(".html"):
        raise ValueError(f"templates end in .html (autoescaping): {template}")
    return environment(templates_dir).get_template(template).render(**context)
