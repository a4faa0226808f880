"""A query plan as a PostgreSQL `tsquery`: the entries a search needs to read.

The entries' tsvectors hold each field's terms under the field's name (`text_en:tortur`,
`title:raid`) with their positions, so a plan translates node for node:

- a term is its lexeme;
- a phrase of words side by side is `<->` between them; of two words within N
  positions, the choice of `<1>` … `<N>`; of more words farther apart, all of its words
  (`&`: their order and distances are then checked from the positions, as Whoosh does);
- words that must match are joined by `&`, alternatives and words that may match by `|`,
  excluded words by `& !`; what a required part matches with an optional one is what
  the required part matches.

Tags are not in the tsvectors: a branch that a tag alone can satisfy says nothing about
the words, and an excluded part that cannot be said exactly is left out. So the tsquery
is never narrower than the plan: every entry the plan matches satisfies it, and scoring
decides on the postings of the entries it lets through. `narrowing` says whether it lets
through fewer entries than the plan's words do (an `|` of them all), the fetch that
needs no translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pg_rows import MAX_LEXEME_BYTES, TITLE, lexeme, quoted
from .scoring import All, AndMaybe, Best, Exclude, Node, Phrase, Sum, Term


@dataclass(frozen=True)
class Match:
    """A tsquery that matches at least what its node matches; `exact`: exactly that."""

    text: str
    exact: bool


ANY = None  # a node that a tag alone can match: every entry, as far as words go
NOTHING = Match("", True)  # a node no entry can match (a word longer than any lexeme)
Translated = Match | None


def narrowing(plan: Node | None) -> str | None:
    """The tsquery of the entries the plan may match, where the plan requires more than
    one word at its top (every alternative a phrase, words that must match, an
    exclusion); None where it does not (a plan of words that may match, each with its
    alternatives: its tsquery would let through about what its words do, and the words'
    whole postings are kept for the next search), cannot say (a tag may match alone) or
    matches by exclusion only (which no index answers)."""
    if plan is None or not _requires_more_than_a_word(plan):
        return None
    match = translate(plan)
    if match is None or match is NOTHING or match.text.startswith("!"):
        return None
    return match.text


def translate(node: Node) -> Translated:
    if isinstance(node, Term):
        return _term(node.field, node.text)
    if isinstance(node, Phrase):
        return _phrase(node)
    if isinstance(node, (Best, Sum)):
        return _any_of([translate(child) for child in node.children])
    if isinstance(node, All):
        return _all_of([translate(child) for child in node.children])
    if isinstance(node, AndMaybe):
        return translate(node.required)
    return _excluding(node)


def _term(field_name: str, text: str) -> Translated:
    if field_name != TITLE and not field_name.startswith("text_"):
        return ANY  # a tag: not in the tsvectors
    name = lexeme(field_name, text)
    if len(name.encode("utf-8")) > MAX_LEXEME_BYTES:
        return NOTHING
    return Match(quoted(name), True)


def _phrase(phrase: Phrase) -> Translated:
    words = [_term(phrase.field, term) for term in phrase.terms]
    if any(word is ANY for word in words):
        return ANY
    if any(word is NOTHING for word in words):
        return NOTHING
    texts = [word.text for word in words if word is not None]
    if len(texts) == 1:
        return Match(texts[0], True)
    if phrase.slop == 1:
        return Match("(" + " <-> ".join(texts) + ")", True)
    if len(texts) == 2:
        first, second = texts
        choices = [f"{first} <{distance}> {second}" for distance in range(1, phrase.slop + 1)]
        return Match("(" + " | ".join(choices) + ")", True)
    return Match("(" + " & ".join(dict.fromkeys(texts)) + ")", False)


def _any_of(children: list[Translated]) -> Translated:
    if any(child is ANY for child in children):
        return ANY
    kept = [child for child in children if child is not None and child is not NOTHING]
    if not kept:
        return NOTHING
    exact = all(child.exact for child in kept)
    texts = list(dict.fromkeys(child.text for child in kept))  # (a stem shared by languages)
    if len(texts) == 1:
        return Match(texts[0], exact)
    return Match("(" + " | ".join(texts) + ")", exact)


def _all_of(children: list[Translated]) -> Translated:
    if any(child is NOTHING for child in children):
        return NOTHING
    kept = [child for child in children if child is not None]
    if not kept:
        return ANY
    exact = len(kept) == len(children) and all(child.exact for child in kept)
    if len(kept) == 1:
        return Match(kept[0].text, exact)
    return Match("(" + " & ".join(child.text for child in kept) + ")", exact)


def _excluding(node: Exclude) -> Translated:
    positive = translate(node.positive) if node.positive is not None else ANY
    negative = translate(node.negative)
    if negative is NOTHING or positive is NOTHING:
        return positive
    if negative is None or not negative.exact:
        # Excluding more than the plan does would lose matches: left to scoring.
        return None if positive is None else Match(positive.text, False)
    if positive is None:
        return Match(f"!{negative.text}", node.positive is None)
    return Match(f"({positive.text} & !{negative.text})", positive.exact)


def _requires_more_than_a_word(node: Node) -> bool:
    """Whether every entry the node matches holds more than one of its words (or lacks
    one): all of some words, a required part, an exclusion, a phrase, or alternatives
    that each do. (A word's alternatives hold phrases and `All`s of its multi-word
    synonyms: a plan of plain words is not narrowed by them.)"""
    if isinstance(node, Term):
        return False
    if isinstance(node, Phrase):
        return len(node.terms) > 1
    if isinstance(node, (All, AndMaybe)):
        return True
    if isinstance(node, Exclude):
        return node.positive is not None
    return all(_requires_more_than_a_word(child) for child in node.children)
