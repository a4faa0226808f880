"""What the PostgreSQL backend asks its indexes: a query plan as a tsquery
(`index/pg_tsquery.py`), and how similar a fuzzy word's terms must be for the trigram
index (`index/pg_lexicon.py`). Neither may be narrower than the search: these check the
translation node by node and the bound on random edits; tests/test_postgres_search.py
checks, on a real database, that both backends answer alike, and that the tsquery lets
through every entry a search finds and fewer than the words alone."""

from __future__ import annotations

import random

from testimony_archive.index.pg_lexicon import similarity_bound, trigrams
from testimony_archive.index.pg_tsquery import narrowing, translate
from testimony_archive.index.scoring import All, AndMaybe, Best, Exclude, Phrase, Sum, Term

TORTURE = Term("text_en", "tortur")
POLICE = Term("text_en", "polic")
AGENT = Term("text_en", "agent")
CHIAPAS = Term("locations", "MX-CHP")


def test_words_that_may_match_are_not_narrowed() -> None:
    assert narrowing(Sum((TORTURE, POLICE))) is None
    assert narrowing(Best((TORTURE, Term("text_es", "tortur")))) is None
    assert narrowing(TORTURE) is None
    assert narrowing(None) is None


def test_words_that_must_match_are_joined_by_and() -> None:
    assert narrowing(All((TORTURE, POLICE))) == "('text_en:tortur' & 'text_en:polic')"
    assert narrowing(AndMaybe(TORTURE, Sum((POLICE, AGENT)))) == "'text_en:tortur'"


def test_a_phrase_is_followed_by_words_side_by_side_or_within_its_slop() -> None:
    shocks = ("electr", "shock")
    assert narrowing(Phrase("text_en", shocks)) == "('text_en:electr' <-> 'text_en:shock')"
    assert narrowing(Phrase("text_en", shocks, slop=3)) == (
        "('text_en:electr' <1> 'text_en:shock' | 'text_en:electr' <2> 'text_en:shock' "
        "| 'text_en:electr' <3> 'text_en:shock')"
    )
    # Three words farther apart: all of them, their order checked from the positions.
    loose = translate(Phrase("title", ("a", "b", "a"), slop=2))
    assert loose is not None and (loose.text, loose.exact) == ("('title:a' & 'title:b')", False)
    assert narrowing(Phrase("text_en", ("very", "very"))) == ("('text_en:very' <-> 'text_en:very')")


def test_excluded_words_are_excluded_only_where_that_is_exact() -> None:
    assert narrowing(Exclude(TORTURE, POLICE)) == "('text_en:tortur' & !'text_en:polic')"
    # Excluding by exclusion alone: no index answers it, the words are fetched instead.
    assert narrowing(Exclude(None, POLICE)) is None
    # A loose phrase excluded would exclude more than the plan does: left to scoring.
    loose = Phrase("text_en", ("a", "b", "c"), slop=3)
    kept = translate(Exclude(TORTURE, loose))
    assert kept is not None and (kept.text, kept.exact) == ("'text_en:tortur'", False)


def test_tags_are_not_in_the_tsvectors() -> None:
    # A tag alone may match: the alternatives say nothing of the words.
    assert narrowing(Exclude(Sum((TORTURE, CHIAPAS)), POLICE)) is None
    # A tag that must match as well as a word: the word is still needed.
    both = translate(All((CHIAPAS, TORTURE)))
    assert both is not None and (both.text, both.exact) == ("'text_en:tortur'", False)


def test_quotes_in_words_and_words_longer_than_any_lexeme() -> None:
    assert narrowing(All((Term("text_en", "don't"), POLICE))) == (
        "('text_en:don''t' & 'text_en:polic')"
    )
    too_long = Term("text_en", "x" * 3000)
    assert narrowing(All((too_long, POLICE))) is None  # (matches nothing: nothing to narrow)
    assert narrowing(AndMaybe(Sum((too_long, TORTURE)), POLICE)) == "'text_en:tortur'"


def test_a_term_within_the_distance_is_always_similar_enough_for_the_trigram_index() -> None:
    """The bound that lets pg_trgm's index find fuzzy words loses none: random words,
    random edits (a swap of two letters is two), pg_trgm's similarity of each result."""
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz0123"
    checked = 0
    for _ in range(6000):
        word = "".join(
            rng.choice(letters[: rng.choice((4, 12, 30))]) for _ in range(rng.randint(1, 30))
        )
        distance = rng.choice((2, 4))
        bound = similarity_bound(word, distance)
        if bound is None:
            continue
        edited = word
        for _edit in range(rng.randint(0, distance)):
            edited = _edit_once(edited, rng, letters)
        if edited and edited != word:
            assert _similarity(word, edited) >= bound, (word, edited, distance)
            checked += 1
    assert checked > 1000


def test_words_the_trigram_index_cannot_tell_are_measured_among_all_terms() -> None:
    assert similarity_bound("deportations", 2) is not None
    assert similarity_bound("torture", 2) is None  # (too short: most t- terms would do)
    assert similarity_bound("extorsion", 4) is None
    assert similarity_bound("don't", 2) is None  # (pg_trgm reads two words)
    assert similarity_bound("migración", 2) is None  # (a letter pg_trgm may not read)
    assert trigrams("ab") == {"  a", " ab", "ab "}


def _edit_once(word: str, rng: random.Random, letters: str) -> str:
    at = rng.randrange(len(word) + 1)
    kind = rng.choice(("insert", "delete", "replace"))
    if kind == "insert" or not word:
        return word[:at] + rng.choice(letters) + word[at:]
    at = min(at, len(word) - 1)
    if kind == "delete":
        return word[:at] + word[at + 1 :]
    return word[:at] + rng.choice(letters) + word[at + 1 :]


def _similarity(first: str, second: str) -> float:
    """pg_trgm's `similarity` of two plain words."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b)


def test_a_word_with_multi_word_synonyms_is_not_narrowed() -> None:
    """A plain word's alternatives hold its multi-word synonyms (all their words, or a
    phrase): the plan still matches by any word, and its words' postings are kept."""
    disappeared = All((Term("text_en", "enforc"), Term("text_en", "disappear")))
    word = Best((TORTURE, disappeared, Phrase("text_en", ("ill", "treatment"))))
    assert narrowing(Sum((word, POLICE))) is None
    assert narrowing(word) is None


def test_a_phrase_in_each_language_is_narrowed_once_a_stem() -> None:
    phrases = Best(
        (Phrase("text_en", ("immigr", "agent")), Phrase("text_es", ("agent", "migracion"))),
        tiebreak=0,
    )
    assert narrowing(phrases) == (
        "(('text_en:immigr' <-> 'text_en:agent') | ('text_es:agent' <-> 'text_es:migracion'))"
    )
    twice = Best((TORTURE, Term("text_en", "tortur")))
    assert narrowing(All((twice, POLICE))) == "('text_en:tortur' & 'text_en:polic')"
