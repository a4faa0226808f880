"""Paragraph splitting, as the archive contract defines it (DESIGN.md, "Paragraphs").

The body is split on blank lines (empty or only whitespace); each non-empty piece,
stripped, is a paragraph, numbered from 1. Only "\\n" ends a line.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from testimony_archive.models import Paragraph, iter_paragraphs, split_paragraphs


def reference_paragraphs(text: str) -> list[str]:
    """The rule in ../shared/eval/README.md, which the evaluation sets were numbered by."""
    return [piece.strip() for piece in text.split("\n\n") if piece.strip()]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", []),
        ("\n", []),
        ("\n\n\n", []),
        ("   \n\t\n  ", []),
        ("One.", ["One."]),
        ("One.\n", ["One."]),
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("One.\n\nTwo.\n\nThree.\n", ["One.", "Two.", "Three."]),
        # a single newline stays inside the paragraph
        ("Line one\nline two.\n\nNext.", ["Line one\nline two.", "Next."]),
        ("a\nb\nc", ["a\nb\nc"]),
        # leading and trailing blank lines
        ("\n\n\nOne.\n\n\n", ["One."]),
        ("\n  \nOne.\n \n", ["One."]),
        # several blank lines count as one separator
        ("One.\n\n\n\n\nTwo.", ["One.", "Two."]),
        # lines of only whitespace are blank lines too
        ("One.\n   \nTwo.", ["One.", "Two."]),
        ("One.\n\t\nTwo.", ["One.", "Two."]),
        ("One.\n \t \n\nTwo.", ["One.", "Two."]),
        ("One.\n\u00a0\nTwo.", ["One.", "Two."]),  # no-break space is whitespace
        ("One.\n\u3000\nTwo.", ["One.", "Two."]),  # ideographic space
        # each paragraph is stripped, the inside of it is kept
        ("   indented  \n\n\ttabbed\t", ["indented", "tabbed"]),
        ("  a  \n  b  ", ["a  \n  b"]),
        ("a  \n\n  b", ["a", "b"]),
        # U+2028, U+2029, NEL, form feed, vertical tab are not line breaks
        ("One\u2028two.", ["One\u2028two."]),
        ("One\u2029two.", ["One\u2029two."]),
        ("One\x85two.", ["One\x85two."]),
        ("One\x0ctwo.", ["One\x0ctwo."]),
        ("One\x0btwo.", ["One\x0btwo."]),
        ("One\x1ctwo.\x1d\x1e", ["One\x1ctwo."]),
        ("\x0cOne.\x0c", ["One."]),
        # ... but a line made only of them is a blank line (only whitespace)
        ("One.\n\x0c\nTwo.", ["One.", "Two."]),
        ("One.\n\u2028\nTwo.", ["One.", "Two."]),
        # Unicode text
        ("Llegué a Tapachula.\n\nMe golpearon. 😢", ["Llegué a Tapachula.", "Me golpearon. 😢"]),
        ("ئەز\n\n中文段落", ["ئەز", "中文段落"]),
        # Markdown means nothing here
        ("# Heading\n\n- item\n- item", ["# Heading", "- item\n- item"]),
        ("---\n\n---", ["---", "---"]),
    ],
)
def test_split_paragraphs(body: str, expected: list[str]) -> None:
    assert split_paragraphs(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("One.", [Paragraph(1, "One.", 0)]),
        ("One.\n\nTwo.", [Paragraph(1, "One.", 0), Paragraph(2, "Two.", 6)]),
        ("\n\n  One.\n\n\tTwo.\n", [Paragraph(1, "One.", 4), Paragraph(2, "Two.", 11)]),
        ("a\n \nb", [Paragraph(1, "a", 0), Paragraph(2, "b", 4)]),
        ("x\ny\n\n\n  z", [Paragraph(1, "x\ny", 0), Paragraph(2, "z", 8)]),
        ("é\n\n😢 ñ", [Paragraph(1, "é", 0), Paragraph(2, "😢 ñ", 3)]),  # offsets in characters
        ("a\u2028\n\nb", [Paragraph(1, "a", 0), Paragraph(2, "b", 4)]),
    ],
)
def test_iter_paragraphs_numbers_and_offsets(body: str, expected: list[Paragraph]) -> None:
    assert list(iter_paragraphs(body)) == expected


def test_paragraphs_are_numbered_from_one_in_order() -> None:
    body = "\n\n".join(f"Paragraph {number}." for number in range(1, 13))
    paragraphs = list(iter_paragraphs(body))
    assert [paragraph.number for paragraph in paragraphs] == list(range(1, 13))
    assert [paragraph.text for paragraph in paragraphs] == [
        f"Paragraph {number}." for number in range(1, 13)
    ]


def test_offsets_point_at_each_paragraph_in_the_body() -> None:
    body = "\n  First line\nstill first.  \n\n \n\tSecond.\n\n\n Third\u2028same. \n"
    paragraphs = list(iter_paragraphs(body))
    assert [paragraph.text for paragraph in paragraphs] == [
        "First line\nstill first.",
        "Second.",
        "Third\u2028same.",
    ]
    for paragraph in paragraphs:
        assert body[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text
        assert not body[paragraph.start].isspace()


# -- properties ------------------------------------------------------------------------

_line_characters = st.characters(exclude_categories=["Cs"], exclude_characters="\n")
_blank_line = st.just("")
_text_line = st.text(_line_characters, max_size=12).filter(lambda line: line.strip() != "")


@st.composite
def bodies_without_whitespace_only_lines(draw: st.DrawFn) -> str:
    """Bodies whose lines are either empty or hold a non-space character: for these, the
    contract's blank lines are exactly the reference rule's "\\n\\n"."""
    lines = draw(st.lists(st.one_of(_blank_line, _text_line), max_size=12))
    return "\n".join(lines)


def _has_whitespace_only_line(text: str) -> bool:
    return any(line and not line.strip() for line in text.split("\n"))


@settings(max_examples=300, deadline=None)
@given(bodies_without_whitespace_only_lines())
def test_agrees_with_the_evaluation_rule(body: str) -> None:
    assert split_paragraphs(body) == reference_paragraphs(body)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_agrees_with_the_evaluation_rule_on_any_text(body: str) -> None:
    # the contract treats a line of only whitespace as a blank line, the reference does not
    assume(not _has_whitespace_only_line(body))
    assert split_paragraphs(body) == reference_paragraphs(body)


@settings(max_examples=300, deadline=None)
@given(st.one_of(bodies_without_whitespace_only_lines(), st.text()))
def test_paragraph_offsets_and_numbers(body: str) -> None:
    paragraphs = list(iter_paragraphs(body))
    assert [paragraph.number for paragraph in paragraphs] == list(range(1, len(paragraphs) + 1))
    previous_end = 0
    for paragraph in paragraphs:
        assert paragraph.text
        assert paragraph.text == paragraph.text.strip()
        assert body[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text
        assert paragraph.start >= previous_end
        previous_end = paragraph.start + len(paragraph.text)
        # a paragraph never spans a blank line
        assert not any(not line.strip() for line in paragraph.text.split("\n")), paragraph.text
    assert [paragraph.text for paragraph in paragraphs] == split_paragraphs(body)
