"""Templates and their typed page contexts: every template receives only `page`, `ui`
and the translation functions, and uses only attributes its page context declares."""

from __future__ import annotations

import dataclasses
import random
import re
import typing
from pathlib import Path

import pytest
from jinja2 import meta

from testimony_archive.config import Settings
from testimony_archive.web import contexts
from testimony_archive.web.rendering import environment, highlighted, render

TEMPLATES = Settings().templates_dir
PAGES = list(typing.get_args(contexts.Page))  # every page the app renders
CONTEXT_NAMES = {"page", "ui", "_", "ngettext"}


def test_every_page_is_checked() -> None:
    assert len(PAGES) >= 15 and contexts.VerifyPage in PAGES


def test_the_installed_app_finds_the_top_level_templates() -> None:
    assert TEMPLATES == Path(__file__).resolve().parents[1] / "templates"
    assert (TEMPLATES / "base.html").exists()


@pytest.mark.parametrize("template", sorted(path.name for path in TEMPLATES.glob("*.html")))
def test_templates_use_only_the_page_context(template: str) -> None:
    env = environment(TEMPLATES)
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    imported = {
        name.strip()
        for names in re.findall(r"import (.+?)(?: with context)? %}", source)
        for name in names.split(",")
    }
    assert meta.find_undeclared_variables(env.parse(source)) - imported <= CONTEXT_NAMES


@pytest.mark.parametrize("page_class", PAGES, ids=lambda page: page.__name__)
def test_page_attributes_used_by_its_template_are_declared(page_class: type) -> None:
    source = (TEMPLATES / page_class.template).read_text(encoding="utf-8")
    used = set(re.findall(r"\bpage\.(\w+)", source))
    declared = {field.name for field in dataclasses.fields(page_class)} | {
        name for name, value in vars(page_class).items() if isinstance(value, property)
    }
    assert used <= declared, f"{page_class.__name__} lacks {sorted(used - declared)}"


def test_templates_end_in_html_and_autoescape() -> None:
    env = environment(TEMPLATES)
    assert env.autoescape is not False
    with pytest.raises(ValueError):
        render(TEMPLATES, "search.txt", {})


def test_highlighting_escapes_the_text_and_marks_the_spans() -> None:
    html = highlighted('a <b> & "c" taser', [(12, 17)])
    assert html == "a &lt;b&gt; &amp; &#34;c&#34; <mark>taser</mark>"


def test_marking_spans_in_one_pass_equals_marking_them_piece_by_piece() -> None:
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice('ab <&>"é') for _ in range(rng.randint(0, 30)))
        edges = sorted(rng.choices(range(len(text) + 1), k=2 * rng.randint(0, 4)))
        spans = list(zip(edges[::2], edges[1::2], strict=True))
        # An empty redaction at the end adds no markup but takes the general path.
        piece_by_piece = highlighted(text, spans, [(len(text), len(text))])
        assert highlighted(text, spans) == piece_by_piece, (text, spans)
    assert highlighted("ab ab", [(0, 2), (3, 5)]) == "<mark>ab</mark> <mark>ab</mark>"
