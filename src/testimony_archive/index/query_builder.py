"""Turn a parsed user query into a Whoosh query over the language fields.

Each plain word becomes the best of its alternatives (its stem in each language field,
its title match, and expansions from the glossary and vocabulary); alternatives of one
word take the maximum, not the sum, so synonyms never outweigh a literal match. Words
are ORed with a coordination bonus: passages matching more of the words, and rarer ones,
rank higher, and no word is required unless the user says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import IndexReader

from ..expansion import Expander, Expansion, looks_spanish
from ..text_folding import fold, words
from .analysis import FIELD_LANGUAGES, analyze
from .query_syntax import Clause, ParsedQuery
from .schema import text_field

MAX_PREFIX_TERMS = 200
MAX_FUZZY_TERMS = 50
COORDINATION = 0.3
GLOSSARY_WEIGHT = 0.9
REVERSE_GLOSSARY_WEIGHT = 0.6
VOCABULARY_WEIGHT = 0.3
PROXIMITY_WEIGHT = 0.6
PLACE_WEIGHT = 0.4
FILTER_FIELD_NAMES = {
    "location": "locations", "abuse_type": "abuse_types", "perpetrator": "perpetrators",
}  # fmt: skip


@dataclass
class BuiltQuery:
    query: wq.Query | None  # None: nothing to search for (match every paragraph)
    filters: list[wq.Query] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spanish: bool = False


@dataclass
class QueryBuilder:
    reader: IndexReader
    expander: Expander
    languages: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        present = [
            lang for lang in FIELD_LANGUAGES if self.reader.field_length(text_field(lang)) > 0
        ]
        self.languages = tuple(present) or ("en",)

    def build(self, parsed: ParsedQuery) -> BuiltQuery:
        built = BuiltQuery(query=None, notes=list(parsed.notes))
        must: list[wq.Query] = []
        should: list[wq.Query] = []
        must_not: list[wq.Query] = []
        plain = [
            clause for clause in parsed.clauses if clause.kind == "word" and clause.field is None
        ]
        plain_words = [
            word for clause in plain if clause.occur == "should" for word in words(clause.text)
        ]
        built.spanish = looks_spanish(words(" ".join(clause.text for clause in parsed.clauses)))
        expansions = self._expansions(plain_words, built.spanish)

        for clause in parsed.clauses:
            if clause.kind == "field":
                query = self._field_clause(clause, built)
                if query is not None:
                    (must_not if clause.occur == "must_not" else built.filters).append(query)
                continue
            if clause.kind == "word" and clause.field is None and clause.occur == "should":
                continue  # handled below, as a run of plain words with their expansions
            query = self._clause(clause, built)
            if query is None:
                continue
            {"must": must, "should": should, "must_not": must_not}[clause.occur].append(query)

        should.extend(self._plain_words(plain_words, expansions, built.spanish))
        if len(plain_words) >= 2 and not built.spanish:
            should.extend(self._proximity(plain_words))
        for code in self.expander.places_named(plain_words):
            should.append(wq.Term("locations", code, boost=PLACE_WEIGHT))

        positive: wq.Query | None = None
        if must:
            positive = wq.And(must) if len(must) > 1 else must[0]
            if should:
                positive = wq.AndMaybe(positive, wq.Or(should, scale=COORDINATION))
        elif should:
            positive = wq.Or(should, scale=COORDINATION) if len(should) > 1 else should[0]
        if must_not:
            positive = wq.AndNot(positive or wq.Every(), wq.Or(must_not))
        built.query = positive
        return built

    # -- plain words -------------------------------------------------------------------

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

    def _plain_words(
        self,
        plain_words: list[str],
        expansions: dict[int, list[tuple[Expansion, float]]],
        spanish: bool,
    ) -> list[wq.Query]:
        """One query per word: the best of its literal forms and of the expansions that
        start at it (a phrase's expansion is attached to its first word)."""
        queries: list[wq.Query] = []
        for position, word in enumerate(plain_words):
            # A Spanish function word ("de", "en") is no evidence in an English passage.
            alternatives = [] if spanish and not analyze("es", word) else self._literal(word)
            for expansion, weight in expansions.get(position, []):
                for phrase, language in expansion.alternatives:
                    alternatives.extend(self._phrase_alternative(phrase, language, weight))
            if len(alternatives) == 1:
                queries.append(alternatives[0])
            elif alternatives:
                queries.append(wq.DisjunctionMax(alternatives, tiebreak=0.1))
        return queries

    def _literal(self, word: str) -> list[wq.Query]:
        alternatives: list[wq.Query] = []
        for lang in self.languages:
            terms = analyze(lang, word)
            if terms:
                alternatives.append(_terms_query(text_field(lang), terms))
        title_terms = analyze("en", word)
        if title_terms and alternatives:
            alternatives.append(_terms_query("title", title_terms))
        return alternatives

    def _phrase_alternative(self, phrase: str, language: str, weight: float) -> list[wq.Query]:
        queries = []
        for lang in (lang for lang in self.languages if lang == language):
            terms = analyze(lang, phrase)
            if terms:
                query = _terms_query(text_field(lang), terms)
                query.boost = weight
                queries.append(query)
        return queries

    def _proximity(self, plain_words: list[str]) -> list[wq.Query]:
        """Favour passages where neighbouring query words stand close together."""
        queries: list[wq.Query] = []
        for lang in self.languages:
            terms = analyze(lang, " ".join(plain_words))
            for first, second in zip(terms, terms[1:], strict=False):
                if first != second:
                    queries.append(
                        wq.Phrase(text_field(lang), [first, second], slop=3, boost=PROXIMITY_WEIGHT)
                    )
        return queries[:16]

    # -- other clauses -----------------------------------------------------------------

    def _clause(self, clause: Clause, built: BuiltQuery) -> wq.Query | None:
        if clause.kind == "word":
            if clause.field == "title":
                terms = analyze("en", clause.text)
                return _terms_query("title", terms) if terms else None
            alternatives = self._literal(clause.text)
            if not alternatives:
                return None
            return alternatives[0] if len(alternatives) == 1 else wq.DisjunctionMax(alternatives)
        if clause.kind == "phrase":
            fields: Sequence[tuple[str, str]] = (
                [("title", "en")] if clause.field == "title"
                else [(text_field(lang), lang) for lang in self.languages]
            )  # fmt: skip
            phrases: list[wq.Query] = []
            for name, lang in fields:
                terms = analyze(lang, clause.text)
                if terms:
                    phrases.append(
                        wq.Phrase(name, terms, slop=clause.slop + 1)
                        if len(terms) > 1 else wq.Term(name, terms[0])
                    )  # fmt: skip
            return wq.Or(phrases) if len(phrases) > 1 else (phrases[0] if phrases else None)
        if clause.kind == "prefix":
            return self._expanded(clause, built, prefix=True)
        if clause.kind == "fuzzy":
            return self._expanded(clause, built, prefix=False)
        return None

    def _expanded(self, clause: Clause, built: BuiltQuery, prefix: bool) -> wq.Query | None:
        text = fold(clause.text)
        limit = MAX_PREFIX_TERMS if prefix else MAX_FUZZY_TERMS
        candidates: list[tuple[int, str, str]] = []
        for lang in self.languages:
            name = text_field(lang)
            if prefix:
                terms = self.reader.expand_prefix(name, text)
            else:
                stems = analyze(lang, clause.text) or [text]
                terms = self.reader.terms_within(name, stems[0], clause.slop, prefix=1)
            for term in terms:
                term_text = term.decode("utf-8") if isinstance(term, bytes) else term
                candidates.append((self.reader.doc_frequency(name, term_text), name, term_text))
        if not candidates:
            return None
        symbol = f"{clause.text}*" if prefix else f"{clause.text}~"
        if len(candidates) > limit:
            candidates.sort(reverse=True)
            candidates = candidates[:limit]
            built.notes.append(
                f"'{symbol}' matches many words; only the {limit} most frequent were searched."
            )
        return wq.Or([wq.Term(name, term) for _freq, name, term in candidates])

    def _field_clause(self, clause: Clause, built: BuiltQuery) -> wq.Query | None:
        assert clause.field is not None
        value = clause.text
        if clause.field in FILTER_FIELD_NAMES:
            if clause.field == "location":
                value = value.upper() if not value.startswith("geonames:") else value
            return wq.Term(FILTER_FIELD_NAMES[clause.field], value)
        if clause.field in ("kind", "language"):
            return wq.Term(clause.field, value)
        if clause.field == "year":
            if value.isdigit():
                return wq.NumericRange("year", int(value), int(value))
            built.notes.append(f"year:{value} is not a year and was ignored.")
        return None


def _terms_query(field_name: str, terms: list[str]) -> wq.Query:
    if len(terms) == 1:
        return wq.Term(field_name, terms[0])
    return wq.Phrase(field_name, terms, slop=1)
