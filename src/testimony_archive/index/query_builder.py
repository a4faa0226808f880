"""Turn a parsed user query into a scoring plan over the language fields.

Each plain word becomes the best of its alternatives (its stem in each language field,
its title match, and expansions from the glossary and vocabulary); alternatives of one
word take the maximum, not the sum, so synonyms never outweigh a literal match. Words
are summed, not required: passages matching more of the words, and rarer ones, rank
higher. Neighbouring words found close together earn a bonus when the best candidates
are re-ranked (see `proximity`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from whoosh import query as wq
from whoosh.support.levenshtein import damerau_levenshtein

from ..fields import BY_PARAM
from ..notes import Note
from ..text_folding import fold, words
from . import scoring as plan
from .analysis import FIELD_LANGUAGES, analyze
from .expansion import Expander, Expansion, looks_spanish
from .filters import facet_filter
from .proximity import Pair
from .query_syntax import Clause, ParsedQuery
from .schema import text_field

MAX_PREFIX_TERMS = 200
MAX_FUZZY_TERMS = 50
GLOSSARY_WEIGHT = 0.9
REVERSE_GLOSSARY_WEIGHT = 0.6
VOCABULARY_WEIGHT = 0.3
PLACE_WEIGHT = 1.0
MIN_HIGHLIGHT_WEIGHT = 0.5  # weaker expansions (vocabulary synonyms) are not highlighted


@dataclass
class BuiltQuery:
    plan: plan.Node | None  # None: nothing to search for (every paragraph, unranked)
    filters: list[wq.Query] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)  # for the proximity re-ranking
    highlight: set[tuple[str, str]] = field(default_factory=set)
    weak_highlight: set[tuple[str, str]] = field(default_factory=set)  # weak expansions
    spanish: bool = False


class Lexicon(Protocol):
    """The index's words, as a Whoosh reader lists them (`pg_lexicon` for PostgreSQL)."""

    def field_length(self, fieldname: str) -> float: ...

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterable[str | bytes]: ...

    def terms_within(
        self, fieldname: str, text: str, maxdist: int, prefix: int = 0
    ) -> Iterable[str | bytes]: ...


@dataclass
class QueryBuilder:
    reader: Lexicon
    expander: Expander
    # (field, term) → how many entries the searcher may see hold it
    frequency: Callable[[str, str], int]
    languages: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        present = [
            lang for lang in FIELD_LANGUAGES if self.reader.field_length(text_field(lang)) > 0
        ]
        self.languages = tuple(present) or ("en",)

    def build(self, parsed: ParsedQuery) -> BuiltQuery:
        built = BuiltQuery(plan=None, notes=list(parsed.notes))
        must: list[plan.Node] = []
        should: list[plan.Node] = []
        must_not: list[plan.Node] = []
        plain_words = [
            word for clause in parsed.clauses if _is_plain(clause) for word in words(clause.text)
        ]
        built.spanish = looks_spanish(words(" ".join(clause.text for clause in parsed.clauses)))

        for clause in parsed.clauses:
            if clause.kind == "field":
                query = self._field_clause(clause, built)
                if query is not None:
                    if clause.occur == "must_not":
                        built.filters.append(wq.Not(query))
                    else:
                        built.filters.append(query)
                continue
            if _is_plain(clause):
                continue  # handled below, as a run of plain words with their expansions
            node = self._clause(clause, built)
            if node is None:
                continue
            {"must": must, "should": should, "must_not": must_not}[clause.occur].append(node)
            if clause.occur != "must_not":
                built.highlight |= _leaf_terms(node)

        word_nodes = self._plain_words(plain_words, built)
        should.extend(word_nodes)
        for code in self.expander.places_named(plain_words):
            should.append(plan.Term("locations", code, boost=PLACE_WEIGHT))
        if not built.spanish:
            built.pairs = self._pairs(plain_words)

        positive: plan.Node | None = None
        if must:
            positive = plan.All(tuple(must)) if len(must) > 1 else must[0]
            if should:
                positive = plan.AndMaybe(positive, _sum(should))
        elif should:
            positive = _sum(should)
        if must_not:
            positive = plan.Exclude(positive, _sum(must_not))
        built.plan = positive
        return built

    # -- plain words -------------------------------------------------------------------

    def _plain_words(self, plain_words: list[str], built: BuiltQuery) -> list[plan.Node]:
        """One node per word: the best of its literal forms and of the expansions that
        start at it (a phrase's expansion is attached to its first word)."""
        expansions = self._expansions(plain_words, built.spanish)
        nodes: list[plan.Node] = []
        for position, word in enumerate(plain_words):
            # A Spanish function word ("de", "en") is no evidence in an English passage.
            alternatives: list[plan.Node] = (
                [] if built.spanish and not analyze("es", word) else self._literal(word)
            )
            for expansion, weight in expansions.get(position, []):
                for phrase, language in expansion.alternatives:
                    alternatives.extend(self._phrase_alternative(phrase, language, weight))
            for alternative in alternatives:
                if _weight(alternative) >= MIN_HIGHLIGHT_WEIGHT:
                    built.highlight |= _leaf_terms(alternative)
                else:
                    built.weak_highlight |= _leaf_terms(alternative)
            if len(alternatives) == 1:
                nodes.append(alternatives[0])
            elif alternatives:
                nodes.append(plan.Best(tuple(alternatives)))
        return nodes

    def _expansions(
        self, plain_words: list[str], spanish: bool
    ) -> dict[int, list[tuple[Expansion, float]]]:
        """Expansions by the position of the first word they cover."""
        found: dict[int, list[tuple[Expansion, float]]] = {}
        sources: list[tuple[list[Expansion], float]] = []
        if spanish:
            sources.append((self.expander.translations(plain_words), GLOSSARY_WEIGHT))
        elif "es" in self.languages:
            sources.append(
                (self.expander.spanish_equivalents(plain_words), REVERSE_GLOSSARY_WEIGHT)
            )
        sources.append((self.expander.vocabulary_alternatives(plain_words), VOCABULARY_WEIGHT))
        for expansions, weight in sources:
            for expansion in expansions:
                found.setdefault(expansion.start, []).append((expansion, weight))
        return found

    def _literal(self, word: str) -> list[plan.Node]:
        alternatives: list[plan.Node] = []
        for lang in self.languages:
            terms = analyze(lang, word)
            if terms:
                alternatives.append(_terms_node(text_field(lang), terms))
        title_terms = analyze("en", word)
        if title_terms and alternatives:
            alternatives.append(_terms_node("title", title_terms))
        return alternatives

    def _phrase_alternative(self, phrase: str, language: str, weight: float) -> list[plan.Node]:
        """An expansion: its words must all occur, but not necessarily side by side (an
        exact phrase check over the whole index costs more than a weak synonym earns)."""
        nodes: list[plan.Node] = []
        if language in self.languages:
            terms = analyze(language, phrase)
            name = text_field(language)
            if len(terms) == 1:
                nodes.append(plan.Term(name, terms[0], weight))
            elif terms:
                nodes.append(plan.All(tuple(plan.Term(name, term, weight) for term in terms)))
        return nodes

    def _pairs(self, plain_words: list[str]) -> list[Pair]:
        """Neighbouring query words, for the proximity bonus."""
        pairs: list[Pair] = []
        for lang in self.languages:
            terms = analyze(lang, " ".join(plain_words))
            pairs.extend(
                Pair(text_field(lang), first, second)
                for first, second in zip(terms, terms[1:], strict=False)
                if first != second
            )
        return pairs[:16]

    # -- other clauses -----------------------------------------------------------------

    def _clause(self, clause: Clause, built: BuiltQuery) -> plan.Node | None:
        if clause.kind == "word":
            if clause.field == "title":
                terms = analyze("en", clause.text)
                return _terms_node("title", terms) if terms else None
            alternatives = self._literal(clause.text)
            if not alternatives:
                return None
            return alternatives[0] if len(alternatives) == 1 else plan.Best(tuple(alternatives))
        if clause.kind == "phrase":
            fields = (
                [("title", "en")]
                if clause.field == "title"
                else [(text_field(lang), lang) for lang in self.languages]
            )
            phrases: list[plan.Node] = []
            for name, lang in fields:
                terms = analyze(lang, clause.text)
                if len(terms) > 1:
                    phrases.append(plan.Phrase(name, tuple(terms), slop=clause.slop + 1))
                elif terms:
                    phrases.append(plan.Term(name, terms[0]))
            if not phrases:
                return None
            return phrases[0] if len(phrases) == 1 else plan.Best(tuple(phrases), tiebreak=0)
        return self._expanded(clause, built)

    def _expanded(self, clause: Clause, built: BuiltQuery) -> plan.Node | None:
        """prefix* and fuzzy~ words, expanded to at most a few hundred index terms."""
        prefix = clause.kind == "prefix"
        text = fold(clause.text)
        limit = MAX_PREFIX_TERMS if prefix else MAX_FUZZY_TERMS
        candidates: list[tuple[int, str, str]] = []
        for lang in self.languages:
            name = text_field(lang)
            if prefix:
                terms = self.reader.expand_prefix(name, text)
            else:
                stems = analyze(lang, clause.text) or [text]
                terms = within(self.reader, name, stems[0], clause.slop)
            for term in terms:
                term_text = term.decode("utf-8") if isinstance(term, bytes) else term
                frequency = self.frequency(name, term_text)
                if frequency:  # a word only in what the searcher may not see: not one
                    candidates.append((frequency, name, term_text))
        if not candidates:
            # A word found nowhere matches nothing (dropping it would match everything).
            return plan.Term(text_field(self.languages[0]), text)
        if len(candidates) > limit:
            candidates.sort(reverse=True)
            candidates = candidates[:limit]
            symbol = f"{clause.text}*" if prefix else f"{clause.text}~"
            built.notes.append(
                Note(
                    "'%(symbol)s' matches many words; only the %(limit)s most frequent were "
                    "searched.",
                    symbol=symbol,
                    limit=limit,
                )
            )
        return plan.Best(tuple(plan.Term(name, term) for _freq, name, term in candidates))

    def _field_clause(self, clause: Clause, built: BuiltQuery) -> wq.Query | None:
        assert clause.field is not None
        facet = BY_PARAM.get(clause.field)
        if facet is None:
            return None
        if facet.kind == "year" and not clause.text.isdigit():
            built.notes.append(
                Note("year:%(value)s is not a year and was ignored.", value=clause.text)
            )
            return None
        return facet_filter(facet, clause.text)


def within(lexicon: Lexicon, field_name: str, word: str, distance: int) -> list[str]:
    """The field's terms that start with the word's letter and are within `distance`
    edits of it, a swap of two letters counting as one (Damerau-Levenshtein). Whoosh
    measures a one-segment index without swaps and a larger one with them: the terms
    within twice the distance without swaps are asked for (a swap is two such edits),
    and measured here, so that every index answers alike."""
    found = []
    for term in lexicon.terms_within(field_name, word, 2 * distance, prefix=1):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        if damerau_levenshtein(text, word, distance) <= distance:
            found.append(text)
    return found


def _is_plain(clause: Clause) -> bool:
    return clause.kind == "word" and clause.field is None and clause.occur == "should"


def _sum(nodes: list[plan.Node]) -> plan.Node:
    return nodes[0] if len(nodes) == 1 else plan.Sum(tuple(nodes))


def _terms_node(field_name: str, terms: list[str], boost: float = 1.0) -> plan.Node:
    if len(terms) == 1:
        return plan.Term(field_name, terms[0], boost)
    return plan.Phrase(field_name, tuple(terms), slop=1, boost=boost)


def _weight(node: plan.Node) -> float:
    if isinstance(node, (plan.Term, plan.Phrase)):
        return node.boost
    return min((leaf.boost for leaf in plan.leaves(node)), default=1.0)


def _leaf_terms(node: plan.Node) -> set[tuple[str, str]]:
    terms: set[tuple[str, str]] = set()
    for leaf in plan.leaves(node):
        if isinstance(leaf, plan.Term):
            terms.add((leaf.field, leaf.text))
        else:
            terms.update((leaf.field, term) for term in leaf.terms)
    return terms
