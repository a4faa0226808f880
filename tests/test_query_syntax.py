"""The user query language: a pure, forgiving parser, tested as a table (STYLE habit 6)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimony_archive.index.query_syntax import (
    MAX_CLAUSES,
    MAX_QUERY_CHARS,
    MAX_SLOP,
    Clause,
    parse_query,
)


def word(text: str, occur: str = "should") -> Clause:
    return Clause("word", text, occur)  # type: ignore[arg-type]


def phrase(text: str, occur: str = "should", slop: int = 0, field: str | None = None) -> Clause:
    return Clause("phrase", text, occur, slop, field)  # type: ignore[arg-type]


def prefix(text: str, occur: str = "should") -> Clause:
    return Clause("prefix", text, occur)  # type: ignore[arg-type]


def fuzzy(text: str, distance: int, occur: str = "should") -> Clause:
    return Clause("fuzzy", text, occur, distance)  # type: ignore[arg-type]


def field(name: str, value: str, occur: str = "must") -> Clause:
    return Clause("field", value, occur, 0, name)  # type: ignore[arg-type]


MUST, NOT = "must", "must_not"
ONLY_NEGATIVE = "only excludes words"
PARENS = "Parentheses are not supported"
QUOTE = "unmatched quotation mark"
FIELDS_NOTE = "There is no field"


def ignored(operator: str) -> str:
    return f"'{operator}' needs a word on each side"


CASES: list[tuple[str, list[Clause], list[str]]] = [
    # plain words: each one optional, ranked by how many match
    ("police", [word("police")], []),
    (
        "police beat migrants",
        [word("police"), word("beat"), word("migrants")],
        [],
    ),
    ("  police \t beat\nmigrants  ", [word("police"), word("beat"), word("migrants")], []),
    ("descargas eléctricas", [word("descargas"), word("eléctricas")], []),
    ("comisaría", [word("comisaría")], []),
    ("o'brien can't", [word("o'brien"), word("can't")], []),
    ("MX-CHP 2016", [word("MX-CHP"), word("2016")], []),
    # operators are only operators in capitals
    ("and or not", [word("and"), word("or"), word("not")], []),
    ("And Or Not", [word("And"), word("Or"), word("Not")], []),
    # AND makes both neighbours required (Lucene-like)
    ("torture AND police", [word("torture", MUST), word("police", MUST)], []),
    ("a b AND c d", [word("a"), word("b", MUST), word("c", MUST), word("d")], []),
    ("a AND b AND c", [word("a", MUST), word("b", MUST), word("c", MUST)], []),
    ("a AND b OR c", [word("a", MUST), word("b", MUST), word("c")], []),
    ("a OR b AND c", [word("a"), word("b", MUST), word("c", MUST)], []),
    ("a\tAND\nb", [word("a", MUST), word("b", MUST)], []),
    ("a AND AND b", [word("a", MUST), word("b", MUST)], []),
    # OR is the default: both optional
    ("torture OR beating", [word("torture"), word("beating")], []),
    ("a OR OR b", [word("a"), word("b")], []),
    # NOT excludes the next clause
    ("migrants NOT children", [word("migrants"), word("children", NOT)], []),
    ("a AND NOT b", [word("a", MUST), word("b", NOT)], []),
    ("a NOT NOT b", [word("a"), word("b", NOT)], []),
    ("NOT a b", [word("a", NOT), word("b")], []),
    # + and -
    ("+police -army", [word("police", MUST), word("army", NOT)], []),
    ("+a AND b", [word("a", MUST), word("b", MUST)], []),
    ("-a AND b", [word("a", NOT), word("b", MUST)], []),
    ("a AND -b", [word("a", MUST), word("b", NOT)], []),
    ("+-a", [word("-a", MUST)], []),
    ("a-b a- b", [word("a-b"), word("a-"), word("b")], []),
    ("a+b", [word("a+b")], []),
    ("+AND", [word("AND", MUST)], []),
    ("-", [], []),
    ("+", [], []),
    # phrases
    ('"electric shocks"', [phrase("electric shocks")], []),
    ('"  electric   shocks "', [phrase("electric   shocks")], []),
    ('"one"', [phrase("one")], []),
    ('"a AND b"', [phrase("a AND b")], []),
    ('+"exact phrase" -"other one"', [phrase("exact phrase", MUST), phrase("other one", NOT)], []),
    ('"a" "b"', [phrase("a"), phrase("b")], []),
    ('""', [], []),
    ('"   "', [], []),
    # proximity, with the slop capped
    ('"electric shocks"~3', [phrase("electric shocks", slop=3)], []),
    ('"a b"~0', [phrase("a b")], []),
    ('"a b"~', [phrase("a b")], []),
    (f'"a b"~{MAX_SLOP}', [phrase("a b", slop=MAX_SLOP)], []),
    (f'"a b"~{MAX_SLOP + 1}', [phrase("a b", slop=MAX_SLOP)], [f"reduced to ~{MAX_SLOP}"]),
    ('"a b"~999999', [phrase("a b", slop=MAX_SLOP)], ["Proximity ~999999"]),
    # prefixes need 3 letters
    ("deport*", [prefix("deport")], []),
    ("ñan*", [prefix("ñan")], []),
    ("abc*", [prefix("abc")], []),
    ("abc**", [prefix("abc")], []),
    ("ab*", [word("ab")], ["'ab*': a prefix needs at least 3 letters"]),
    ("a*", [word("a")], ["at least 3 letters"]),
    ("é*", [word("é")], ["at least 3 letters"]),
    ("a-b*", [word("a-b")], ["at least 3 letters"]),  # punctuation is not a letter
    ("*", [], []),
    ("*abc", [word("*abc")], []),
    ("abc*def", [word("abc*def")], []),
    # fuzzy
    ("tortura~", [fuzzy("tortura", 1)], []),
    ("tortura~1", [fuzzy("tortura", 1)], []),
    ("tortura~2", [fuzzy("tortura", 2)], []),
    ("-tortura~2", [fuzzy("tortura", 2, NOT)], [ONLY_NEGATIVE]),
    ("tortura~3", [word("tortura~3")], []),  # beyond ~2 it is not fuzzy syntax: a word
    ("~", [], []),
    ("~2", [word("~2")], []),
    # field queries
    ("location:MX", [field("location", "MX")], []),
    ("place:MX-CHP", [field("location", "MX-CHP")], []),
    ("abuse:torture", [field("abuse_type", "torture")], []),
    ("ABUSE_TYPE:torture.beating", [field("abuse_type", "torture.beating")], []),
    ("perpetrator:police", [field("perpetrator", "police")], []),
    ("kind:testimony", [field("kind", "testimony")], []),
    ("lang:es", [field("language", "es")], []),
    ("language:en", [field("language", "en")], []),
    ("year:2016", [field("year", "2016")], []),
    ('year:"2016"', [field("year", "2016")], []),
    ('location:"MX CHP"', [field("location", "MX CHP")], []),
    ("-location:MX", [field("location", "MX", NOT)], [ONLY_NEGATIVE]),
    ("police location:MX", [word("police"), field("location", "MX")], []),
    ("title:checkpoint", [Clause("word", "checkpoint", field="title")], []),
    ("Title:checkpoint", [Clause("word", "checkpoint", field="title")], []),
    ('title:"two words"', [phrase("two words", field="title")], []),
    ('+title:"two words"', [phrase("two words", MUST, field="title")], []),
    ('title:" "', [], []),
    # unknown fields become words, with a note
    ("foo:bar", [word("foo bar")], [FIELDS_NOTE + " 'foo'", "'foo:bar' was searched as words"]),
    ('foo:"two words"', [word("foo two words")], [FIELDS_NOTE + " 'foo'"]),
    ("http://example.org", [word("http //example.org")], [FIELDS_NOTE + " 'http'"]),
    ("-foo:bar", [word("foo bar", NOT)], [FIELDS_NOTE, ONLY_NEGATIVE]),
    ("location:", [word("location:")], []),
    ("x:", [word("x:")], []),
    # unbalanced quotes: the last one is dropped
    ('a "b', [word("a"), word("b")], [QUOTE]),
    ('"electric shocks', [word("electric"), word("shocks")], [QUOTE]),
    ('electric shocks"', [word("electric"), word("shocks")], [QUOTE]),
    ('"a" "b', [phrase("a"), word("b")], [QUOTE]),
    ('"', [], [QUOTE]),
    ('"""', [], [QUOTE]),
    # parentheses are ignored, with a note
    ("(a OR b)", [word("a"), word("b")], [PARENS]),
    ("(a OR b) AND c", [word("a"), word("b", MUST), word("c", MUST)], [PARENS]),
    ("year:2016)", [field("year", "2016")], [PARENS]),
    ("()", [], [PARENS]),
    # operators at the ends, or alone
    ("AND", [], [ignored("AND")]),
    ("OR", [], [ignored("OR")]),
    ("NOT", [], [ignored("NOT")]),
    ("OR OR", [], [ignored("OR")]),
    ("police AND", [word("police")], [ignored("AND")]),
    ("AND police", [word("police")], [ignored("AND")]),
    ("police OR", [word("police")], [ignored("OR")]),
    ("OR police", [word("police")], [ignored("OR")]),
    ("police NOT", [word("police")], [ignored("NOT")]),
    ("a AND NOT", [word("a", MUST)], [ignored("NOT")]),
    # markup is text, never syntax
    (
        "<script>alert(1)</script>",
        [word("<script>alert"), word("1"), word("</script>")],
        [PARENS],
    ),
    ("<b>bold</b>", [word("<b>bold</b>")], []),
    ("&amp; &lt;", [word("&amp;"), word("&lt;")], []),
    # nothing to search for
    ("", [], []),
    ("   ", [], []),
    ("\n\t", [], []),
    ("$%^", [], []),
    ("- + ~ *", [], []),
    # only negative
    ("-police", [word("police", NOT)], [ONLY_NEGATIVE]),
    ("NOT police", [word("police", NOT)], [ONLY_NEGATIVE]),
    ("-a -b", [word("a", NOT), word("b", NOT)], [ONLY_NEGATIVE]),
    ("NOT a NOT b", [word("a", NOT), word("b", NOT)], [ONLY_NEGATIVE]),
    ("NOT NOT a", [word("a", NOT)], [ONLY_NEGATIVE]),
    ('-"a b"', [phrase("a b", NOT)], [ONLY_NEGATIVE]),
]


@pytest.mark.parametrize(
    ("query", "clauses", "notes"),
    CASES,
    ids=[repr(query)[:40] for query, _, _ in CASES],
)
def test_parse_query(query: str, clauses: list[Clause], notes: list[str]) -> None:
    parsed = parse_query(query)
    assert parsed.clauses == clauses
    if notes:
        for expected in notes:
            assert any(expected in note for note in parsed.notes), (expected, parsed.notes)
    else:
        assert parsed.notes == []


@pytest.mark.parametrize("query", ["**", "***", "police ***"])
def test_bare_asterisks_do_not_claim_a_search(query: str) -> None:
    parsed = parse_query(query)
    assert all(clause.text.strip("*") for clause in parsed.clauses)
    assert not any("searched as a word" in note for note in parsed.notes), parsed.notes


def test_positive_leaves_out_excluded_clauses() -> None:
    parsed = parse_query("+police beat -army NOT navy")
    assert parsed.positive() == [word("police", MUST), word("beat")]


def test_notes_are_not_repeated_for_the_same_operator() -> None:
    parsed = parse_query("AND a AND")
    assert parsed.notes == ["'AND' needs a word on each side and was ignored."]


def test_over_long_query_is_cut_with_a_note() -> None:
    query = "migrants " * 200  # 1,800 characters
    parsed = parse_query(query)
    assert any(f"first {MAX_QUERY_CHARS} characters" in note for note in parsed.notes)
    # 1000 characters hold 111 whole words and one cut to 'm'
    assert len(parsed.clauses) == MAX_CLAUSES
    assert all(clause.text == "migrants" for clause in parsed.clauses)


def test_query_of_exactly_the_limit_is_not_cut() -> None:
    query = "x" * MAX_QUERY_CHARS
    parsed = parse_query(query)
    assert parsed.clauses == [word(query)]
    assert parsed.notes == []


def test_one_long_word_is_cut_at_the_limit() -> None:
    parsed = parse_query("y" * (MAX_QUERY_CHARS + 500))
    assert parsed.clauses == [word("y" * MAX_QUERY_CHARS)]
    assert parsed.notes == [f"The query was cut to its first {MAX_QUERY_CHARS} characters."]


def test_cut_inside_a_phrase_leaves_the_quote_unmatched() -> None:
    query = "x" * (MAX_QUERY_CHARS - 6) + ' "a b c d"'
    parsed = parse_query(query)
    assert parsed.clauses == [word("x" * (MAX_QUERY_CHARS - 6)), word("a"), word("b")]
    assert any("cut" in note for note in parsed.notes)
    assert any(QUOTE in note for note in parsed.notes)


@pytest.mark.parametrize("count", [MAX_CLAUSES - 1, MAX_CLAUSES])
def test_up_to_the_clause_limit_is_kept(count: int) -> None:
    parsed = parse_query(" ".join(f"w{number}" for number in range(count)))
    assert [clause.text for clause in parsed.clauses] == [f"w{number}" for number in range(count)]
    assert parsed.notes == []


def test_more_than_64_clauses_are_cut_with_a_note() -> None:
    parsed = parse_query(" ".join(f"w{number}" for number in range(100)))
    assert len(parsed.clauses) == MAX_CLAUSES
    assert [clause.text for clause in parsed.clauses] == [f"w{n}" for n in range(MAX_CLAUSES)]
    assert parsed.notes == [f"Only the first {MAX_CLAUSES} terms of the query were used."]


def test_operators_do_not_count_as_clauses() -> None:
    query = " AND ".join(f"w{number}" for number in range(MAX_CLAUSES))
    parsed = parse_query(query)
    assert len(parsed.clauses) == MAX_CLAUSES
    assert {clause.occur for clause in parsed.clauses} == {"must"}
    assert parsed.notes == []


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_query_never_raises(text: str) -> None:
    parsed = parse_query(text)
    assert len(parsed.clauses) <= MAX_CLAUSES
    for clause in parsed.clauses:
        assert clause.text.strip()
        assert clause.kind in ("word", "phrase", "prefix", "fuzzy", "field")
        assert clause.occur in ("should", "must", "must_not")
        assert 0 <= clause.slop <= MAX_SLOP
        assert not {"(", ")", '"'} & set(clause.text)


_syntax = st.sampled_from(
    ["AND", "OR", "NOT", "+", "-", '"', "(", ")", "*", "~", "~2", "~99", ":", "title:", "location:"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_syntax, st.text(max_size=6)), max_size=20).map(" ".join))
def test_parse_query_never_raises_on_syntax_soup(text: str) -> None:
    parsed = parse_query(text)
    assert len(parsed.clauses) <= MAX_CLAUSES
    for clause in parsed.clauses:
        assert clause.text.strip()
        assert 0 <= clause.slop <= MAX_SLOP


def test_brackets_inside_a_phrase_are_dropped() -> None:
    assert parse_query('")"').clauses == []
    assert [c.text for c in parse_query('"detained (sic) at"').clauses] == ["detained  sic  at"]
