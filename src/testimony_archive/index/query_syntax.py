"""The user query language, parsed by a pure, forgiving parser.

Plain words, AND, OR, NOT / -word, +required, "exact phrase", "phrase"~3 (proximity),
prefix*, word~ (fuzzy) and field:value. Nothing a user types makes it fail: what cannot
be read as syntax is read as plain words, and a note says what was repaired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..fields import FILTER_PARAMS
from ..notes import Note

Occur = Literal["should", "must", "must_not"]
ClauseKind = Literal["word", "phrase", "prefix", "fuzzy", "field"]

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MAX_SLOP = 20
# Field names a query may use: every facet's parameter, the title, and short aliases.
FIELD_ALIASES = {
    **{param: param for param in FILTER_PARAMS},
    "title": "title", "place": "location", "abuse": "abuse_type", "lang": "language",
}  # fmt: skip

_TOKEN = re.compile(
    r"""
      (?P<sign>[+-])?
      (?:
        (?P<phrase>"[^"]*")(?:~(?P<slop>\d+))?
      | (?P<field>[A-Za-z_]+):(?:"(?P<fphrase>[^"]*)"|(?P<fvalue>[^\s"()]+))
      | (?P<word>[^\s"()]+)
      )
    | (?P<paren>[()])
    | (?P<quote>")
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Clause:
    kind: ClauseKind
    text: str
    occur: Occur = "should"
    slop: int = 0  # phrase: words allowed between; fuzzy: edit distance
    field: str | None = None


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def positive(self) -> list[Clause]:
        return [clause for clause in self.clauses if clause.occur != "must_not"]


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notes.append(
            Note("The query was cut to its first %(n)s characters.", n=MAX_QUERY_CHARS)
        )
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
        parsed.notes.append(Note("An unmatched quotation mark was ignored."))

    items: list[Clause | str] = []  # clauses and the operators AND / OR / NOT
    dropped_parens = False
    for match in _TOKEN.finditer(text):
        if match.group("paren") or match.group("quote"):
            dropped_parens = dropped_parens or bool(match.group("paren"))
            continue
        sign = match.group("sign")
        word = match.group("word")
        if word in ("AND", "OR", "NOT") and not sign:
            items.append(word)
            continue
        clause = _clause(match, parsed)
        if clause is None:
            continue
        if sign == "+":
            clause = _with(clause, "must")
        elif sign == "-":
            clause = _with(clause, "must_not")
        items.append(clause)
    if dropped_parens:
        parsed.notes.append(Note("Parentheses are not supported and were ignored."))
    parsed.clauses = _apply_operators(items, parsed)
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        parsed.notes.append(
            Note("Only the first %(n)s terms of the query were used.", n=MAX_CLAUSES)
        )
    if parsed.clauses and not parsed.positive():
        parsed.notes.append(Note("The query only excludes words; add a word to look for."))
    return parsed


def _with(clause: Clause, occur: Occur) -> Clause:
    return Clause(clause.kind, clause.text, occur, clause.slop, clause.field)


def _clause(match: re.Match[str], parsed: ParsedQuery) -> Clause | None:
    if match.group("phrase") is not None:
        # Brackets inside quotes mean nothing to a phrase ("(sic)" is the word sic).
        words = match.group("phrase")[1:-1].replace("(", " ").replace(")", " ").strip()
        if not words:
            return None
        slop = int(match.group("slop") or 0)
        if slop > MAX_SLOP:
            parsed.notes.append(
                Note("Proximity ~%(slop)s was reduced to ~%(max)s.", slop=slop, max=MAX_SLOP)
            )
            slop = MAX_SLOP
        return Clause("phrase", words, slop=slop)
    if match.group("field") is not None:
        name = match.group("field").lower()
        value = (
            match.group("fphrase") if match.group("fphrase") is not None else match.group("fvalue")
        )
        alias = FIELD_ALIASES.get(name)
        if alias is None:
            parsed.notes.append(
                Note(
                    "There is no field '%(field)s'; '%(text)s' was searched as words. "
                    "Fields: %(fields)s.",
                    field=name,
                    text=match.group(0).lstrip("+-"),
                    fields=", ".join(sorted(set(FIELD_ALIASES.values()))),
                )
            )
            return Clause("word", f"{name} {value}")
        if not value.strip():
            return None
        if alias == "title":
            return Clause("phrase" if " " in value.strip() else "word", value, field="title")
        return Clause("field", value.strip(), occur="must", field=alias)
    word = match.group("word")
    if word is None:
        return None
    fuzzy = re.fullmatch(r"(.+?)~([12]?)", word)
    if fuzzy and re.search(r"\w", fuzzy.group(1)):
        return Clause("fuzzy", fuzzy.group(1), slop=int(fuzzy.group(2) or 1))
    if word.endswith("*") and len(word) > 1:
        stem = word.rstrip("*")
        if len(re.sub(r"\W", "", stem)) < 3:
            if not stem.strip("*"):
                return None
            parsed.notes.append(
                Note(
                    "'%(word)s': a prefix needs at least 3 letters before the *; "
                    "searched as a word.",
                    word=word,
                )
            )
            return Clause("word", stem)
        return Clause("prefix", stem)
    if not re.search(r"\w", word):
        return None
    return Clause("word", word)


def _apply_operators(items: list[Clause | str], parsed: ParsedQuery) -> list[Clause]:
    clauses: list[Clause] = []
    pending_and = False
    pending_not = False
    ignored: list[str] = []
    for position, item in enumerate(items):
        if isinstance(item, str):
            if item == "NOT":
                pending_not = True
            elif item == "AND":
                if clauses and position + 1 < len(items):
                    pending_and = True
                    if clauses[-1].occur == "should":
                        clauses[-1] = _with(clauses[-1], "must")
                else:
                    ignored.append(item)
            elif item == "OR" and (not clauses or position + 1 == len(items)):
                ignored.append(item)
            continue
        if pending_not:
            item = _with(item, "must_not")
        elif pending_and and item.occur == "should":
            item = _with(item, "must")
        pending_and = pending_not = False
        clauses.append(item)
    if pending_not:
        ignored.append("NOT")
    for operator in dict.fromkeys(ignored):
        parsed.notes.append(
            Note("'%(operator)s' needs a word on each side and was ignored.", operator=operator)
        )
    return clauses
