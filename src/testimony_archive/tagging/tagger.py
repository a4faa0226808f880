"""The suggestion engine: one paragraph in, suggested tags with their evidence out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from typing import NamedTuple

from ..models import split_paragraphs
from ..vocabulary import Vocabulary
from .confidence import Basis, confidences
from .conventions import (
    AUTHORITIES,
    PRISON_WORDS,
    choose_perpetrators,
    conditional_threats,
    hedged_killings,
    implied_abuse_types,
    most_specific,
    paid_work,
    plausible_agents,
    survived_killings,
)
from .gazetteer import Gazetteer
from .lexicon import DETENTION, LANGUAGES, SLAVERY, SLAVERY_CONTEXT, Lexicon
from .locating import Placed, locate, location_codes
from .model import Evidence, Suggestion, TagContext
from .narrative import FREEDOM_WORDS
from .patterns import Match
from .scope import Cues, Scope, held_people
from .tokens import Token, tokenize

HEADING_MAX_WORDS = 14
# The terms a run-in heading lends a paragraph that tells of a kin of theirs
HEADING_KIN = {
    "liberty.arbitrary-arrest": frozenset({"liberty.arbitrary-detention"}),
    "liberty.arbitrary-detention": frozenset({"liberty.arbitrary-arrest"}),
}
WITNESS_REFERENCE_REACH = 6  # sentences back a witness's "they" may point
RUN_IN_LABEL_MAX_WORDS = 5
TITLE_LABEL_MAX_WORDS = 10  # "Abuse of Migrants, Refugees, and Stateless Persons:"


class SlaveryIn(NamedTuple):
    """How a narrative speaks of slavery. `told`: words for slavery itself in two of
    its paragraphs, so that every paragraph may be read as slavery. `spoken`: that, or
    such words in one paragraph and in another a word that speaks of slavery in a
    testimony ("master", "belonged", "plantation": "born into slavery eighty-nine years
    ago" ... "Us belonged to Lady Liza"), enough to say where its narrator was enslaved
    though most of it may tell of life after freedom."""

    told: bool
    spoken: bool


class Tagger:
    """Suggests locations, abuse types and perpetrators for a paragraph.

    Building one compiles the vocabulary and pattern files (~1 s); the place tables load
    with the first paragraph that describes an abuse (~1 s). Reuse one Tagger.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.lexicon = Lexicon.build(vocabulary.abuse_types, vocabulary.perpetrators)
        self.scope = Scope()

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return Gazetteer(self.vocabulary.places)

    def tells_of_slavery(self, body: str, language: str | None = None) -> bool:
        """Whether a narrative tells of slavery as its own story (a WPA narrative), so
        that its every paragraph may be read as slavery: words for slavery itself
        ("slave", "marster"; not "plantation" or "overseer", which a farm worker's
        testimony may use today) in at least two of its paragraphs."""
        return self.slavery_in(body, language).told

    def slavery_in(self, body: str, language: str | None = None) -> SlaveryIn:
        """How a narrative speaks of slavery, read paragraph by paragraph until it tells
        of it (`SlaveryIn`)."""
        itself = hinted = 0
        for paragraph in split_paragraphs(body):
            words = [token for token in tokenize(paragraph) if token.is_word]
            languages = _languages(words, TagContext(language=language))
            scanned = self.lexicon.abuse_types.scan(words, languages)
            said = {
                " ".join(word.folded for word in words[match.first : match.last + 1])
                for match in scanned.get(SLAVERY_CONTEXT, [])
            }
            if said & _SLAVERY_ITSELF:
                itself += 1
            elif self.lexicon.speaks_of_slavery(scanned, testimony=True):
                hinted += 1
            if itself >= 2:
                break
        return SlaveryIn(told=itself >= 2, spoken=itself >= 2 or bool(itself and hinted))

    def suggest(self, text: str, context: TagContext | None = None) -> Suggestion:
        context = context or TagContext()
        tokens = tokenize(text)
        words = [token for token in tokens if token.is_word]
        if not words or _is_heading(tokens, words):
            return Suggestion()
        languages = _languages(words, context)
        scanned = self.lexicon.abuse_types.scan(words, languages)
        slavery = self.lexicon.speaks_of_slavery(scanned, context.kind == "testimony")
        if context.slavery and not slavery:
            # a slave narrative's paragraph tells of slavery unless it tells of freedom
            slavery = not _after_slavery(words)
        label_end = _label_end(tokens, words)
        # the patterns of detention apply where the paragraph speaks of it (looked for
        # only where one of them matched)
        detention = bool(scanned.get(DETENTION)) and any(
            word.folded in PRISON_WORDS for word in words
        )
        every = self.lexicon.abuse_types.find(words, languages, slavery, scanned, detention)
        found = [match for match in every if match.first >= label_end]
        if not found:
            return Suggestion()  # most paragraphs: no need to look for scope cues
        cues = self.scope.cues(words, languages, context.kind == "testimony")
        abuses = hedged_killings(
            [match for match in found if self.scope.describes_abuse(match, words, cues)], words
        )
        if slavery:
            abuses = paid_work(abuses, words, SLAVERY)
        if context.kind == "testimony":  # in a report, "if ... would" is a supposition
            abuses = survived_killings(abuses, words) + conditional_threats(found, words)
        if not abuses:
            return Suggestion()
        matched = {match.value for match in abuses}
        abuse_types = most_specific(
            implied_abuse_types(abuses, words, matched, slavery), self.vocabulary.abuse_types
        )
        perpetrator_words = self.lexicon.perpetrators.find(words, languages, slavery)
        agents = self._agents(
            perpetrator_words, abuses, abuse_types, words, cues, context.kind == "testimony"
        )
        perpetrators = choose_perpetrators(
            agents, abuses, abuse_types, words, slavery, context.kind == "testimony"
        )
        named = _named_by_its_heading(every, label_end, abuses, found)
        if named:  # (who did it is read from the paragraph's own words, as before)
            abuses = [*abuses, *named]
            abuse_types = most_specific(
                abuse_types | {match.value for match in named}, self.vocabulary.abuse_types
            )

        # a force's name holds no place ("Zulia State police" is no place), but a phrase
        # that runs across a comma ("the military, Guerrero state police") may hold one
        named_groups = {
            i
            for m in perpetrator_words
            if all(words[j].joined for j in range(m.first + 1, m.last + 1))
            for i in range(m.first, m.last + 1)
        }
        mentions = [
            mention
            for mention in self.gazetteer.find(words, tokens)
            if not any(i in named_groups for i in range(mention.first, mention.last + 1))
        ]
        abuse_sentences = {words[match.first].sentence for match in abuses}
        if context.event_locations and not context.slavery and not slavery:
            # a narrative that speaks of slavery only here and there lends where its
            # narrator was enslaved to the paragraphs that speak of it, not to life after
            context = replace(context, event_locations=())
        placed = locate(self.gazetteer, mentions, words, abuse_sentences, context)
        locations = location_codes(placed, context, self.vocabulary.places)

        evidence = _evidence(text, words, abuses, abuse_types, "abuse_types")
        evidence += _evidence(text, words, agents, perpetrators, "perpetrators")
        evidence += _place_evidence(text, words, placed, locations)
        evidence = sorted(set(evidence), key=lambda item: (item.start, item.field, item.value))
        values = {
            "locations": locations,
            "abuse_types": sorted(abuse_types),
            "perpetrators": sorted(perpetrators),
        }
        bases = _bases(abuses, agents, locations, placed, context)
        return Suggestion(
            tuple(values["locations"]),
            tuple(values["abuse_types"]),
            tuple(values["perpetrators"]),
            tuple(evidence),
            confidences(values, evidence, bases),
        )

    def _agents(
        self,
        perpetrator_words: Sequence[Match],
        abuses: Sequence[Match],
        abuse_types: set[str],
        words: Sequence[Token],
        cues: Cues,
        testimony: bool = False,
    ) -> list[Match]:
        """The perpetrator words that name who did the abuses described: in a sentence
        that describes one (or, when that one opens with "They", the sentence before; in
        a testimony, the nearest of the few before that names someone), or else anywhere
        in the paragraph; never its victims, nor who reported or judged it."""
        abuse_sentences = {words[match.first].sentence for match in abuses}
        victims = self.scope.victim_words(words, abuses)
        named = [
            match
            for match in perpetrator_words
            if match.first not in victims
            and self.scope.describes_abuse(match, words, cues, agent=True)
            and not self.scope.is_source(match, words, cues)
            and not self.scope.apprehends(match, words, abuses)
        ]
        # "They whipped you, but my master ...": who "they" are is named before, even
        # where someone else is named later in the sentence
        first_abuse: dict[int, int] = {}
        for match in abuses:
            sentence = words[match.first].sentence
            first_abuse[sentence] = min(first_abuse.get(sentence, match.first), match.first)
        with_agents = {words[match.first].sentence for match in named}
        agent_first = {
            words[match.first].sentence
            for match in named
            if match.first < first_abuse.get(words[match.first].sentence, -1)
        }
        # a narrative tells on for a few sentences about whom it named ("Ku Klux would
        # drive you in. They would come ... They would whip you"); a report's "they"
        # is the sentence before's
        reach = WITNESS_REFERENCE_REACH if testimony else 1
        referred = {
            _named_before(sentence, with_agents, reach)
            for sentence in abuse_sentences - agent_first
            if _opens_with_pronoun(words, sentence)
        }
        candidates = [
            match for match in named if words[match.first].sentence in abuse_sentences | referred
        ]
        agents = plausible_agents(candidates, abuses, abuse_types, words)
        if all(match.value == AUTHORITIES for match in agents):
            # Nobody named where the abuse is told (or only who prosecutes it): who did it
            # may be named elsewhere in the paragraph ("Complaints of torture rose. Most
            # were against the navy."); not who the people held are ("transferring
            # detainees, primarily gang members, ... Detainees complained that
            # authorities confined them"), who do it only where it is told
            held = held_people(words)
            elsewhere = [match for match in named if match.first not in held]
            agents = plausible_agents(elsewhere, abuses, abuse_types, words)
        return agents


def _bases(
    abuses: Sequence[Match],
    agents: Sequence[Match],
    locations: Sequence[str],
    placed: Sequence[Placed],
    context: TagContext,
) -> dict[tuple[str, str], Basis]:
    """What each suggested value rests on, where that is more than the words found: a
    value named only by loose patterns, a place that comes from the document."""
    bases: dict[tuple[str, str], Basis] = {}
    for field, matches in (("abuse_types", abuses), ("perpetrators", agents)):
        tight = {match.value for match in matches if not match.pattern.loose}
        for match in matches:
            if match.value not in tight:
                bases[(field, match.value)] = Basis.LOOSE
    named_places = {item.place.code for item in placed} | {item.place.country for item in placed}
    for code in locations:
        if code in named_places:
            continue
        from_document = any(known.split("-")[0] == code for known in context.locations)
        bases[("locations", code)] = Basis.CONTEXT if from_document else Basis.CONVENTION
    return bases


# Words for slavery itself, of the words that make a paragraph speak of slavery.
_SLAVERY_ITSELF = frozenset(
    "slave slaves slavery enslaved marster marse massa massy marsa mastah slaveholder "
    "slaveholders".split()
) | {"slave owner", "auction block", "old miss", "ole miss"}


def _after_slavery(words: Sequence[Token]) -> bool:
    """A paragraph of a slave narrative that tells of life after freedom."""
    return any(word.folded in FREEDOM_WORDS for word in words)


def _named_before(sentence: int, with_agents: set[int], reach: int) -> int:
    """The nearest sentence before `sentence`, at most `reach` back, that names someone
    (or the one just before, if none does)."""
    for before in range(sentence - 1, max(-1, sentence - 1 - reach), -1):
        if before in with_agents:
            return before
    return sentence - 1


def _opens_with_pronoun(words: Sequence[Token], sentence: int) -> bool:
    """Whether a sentence opens with a pronoun that stands for who acts: "They whipped
    him", not "They were beaten" (the victims)."""
    opening = [word for word in words if word.sentence == sentence][:2]
    return (
        bool(opening)
        and opening[0].folded in _PRONOUNS
        and not (len(opening) > 1 and opening[1].folded in _PASSIVE_AUXILIARIES)
    )


_PRONOUNS = frozenset("they dey he she it these those ellos ellas".split())
_PASSIVE_AUXILIARIES = frozenset("was were wuz been is are got get git".split())


def _languages(words: Sequence[Token], context: TagContext) -> tuple[str, ...]:
    """The document's language, and the paragraph's own if it reads as another (a
    Spanish quotation in an English report)."""
    sample = [word.folded for word in words[:200]]
    spanish = sum(word in _SPANISH_WORDS for word in sample)
    english = sum(word in _ENGLISH_WORDS for word in sample)
    detected = "es" if spanish > english else "en"
    declared = (context.language or "").split("-")[0].lower()
    if declared in LANGUAGES and declared != detected:
        return (declared, detected)
    return (detected,)


# Function words that tell the two languages apart (a query-sized list would not do:
# "a" is both, and short paragraphs have few of them; "me" is English too, and "de" the
# narratives' "the").
_SPANISH_WORDS = frozenset(
    "la el los las del que en y por para con nos se un una unos unas su sus al lo le "
    "les fue fueron es son era eran como pero muy ya cuando donde sin sobre hasta".split()
)
_ENGLISH_WORDS = frozenset(
    "the of and to in was were is are he she they we i you it that for with on at by his "
    "her their from had have has this which who an".split()
)


def _label_end(tokens: Sequence[Token], words: Sequence[Token]) -> int:
    """The first word after a run-in heading ("Arbitrary Arrest: CONADEH reported..."):
    the heading names the section's topic, not what the paragraph describes."""
    for token in tokens[: TITLE_LABEL_MAX_WORDS * 2]:
        if token.text == ":":
            label = [word for word in words if word.index < token.index]
            if label and len(label) <= RUN_IN_LABEL_MAX_WORDS and label[0].is_capitalised:
                return len(label)
            if label and len(label) <= TITLE_LABEL_MAX_WORDS and _title_case(label):
                return len(label)
            return 0
        if token.text in ".;!?":
            return 0
    return 0


def _named_by_its_heading(
    matches: Sequence[Match], label_end: int, told: Sequence[Match], found: Sequence[Match]
) -> list[Match]:
    """The abuse a run-in heading names where the paragraph tells of its kin
    ("Arbitrary Arrest: ... complaints of arbitrary detention": the heading says what
    those detentions began with), and does not deny it ("no reports of arbitrary
    arrests"). A heading alone names a topic only."""
    told_values = {match.value for match in told}
    set_aside = {match.value for match in found} - told_values  # denied, or only law
    return [
        match
        for match in matches
        if match.first < label_end
        and HEADING_KIN.get(match.value, frozenset()) & told_values
        and match.value not in set_aside
    ]


def _title_case(label: Sequence[Token]) -> bool:
    """Whether every word of a label but the small ones is capitalised."""
    return all(word.is_capitalised or len(word.folded) <= 3 for word in label)


def _is_heading(tokens: Sequence[Token], words: Sequence[Token]) -> bool:
    """A section heading ("Prison and Detention Center Conditions") names a topic; it
    describes no abuse. Headings are short, unpunctuated and in title case."""
    if len(words) > HEADING_MAX_WORDS or tokens[-1].text in '.!?"”:':
        return False
    content = [word for word in words if len(word.text) > 3]
    capitalised = sum(word.is_capitalised for word in content)
    return bool(content) and capitalised >= len(content) * 0.6


def _evidence(
    text: str, words: Sequence[Token], matches: Sequence[Match], values: set[str], field: str
) -> list[Evidence]:
    found = []
    for match in matches:
        value = match.value
        if value not in values:
            continue
        start, end = match.span(words)
        found.append(Evidence(field, value, start, end, text[start:end]))
    return found


def _place_evidence(
    text: str, words: Sequence[Token], placed: Sequence[Placed], locations: Sequence[str]
) -> list[Evidence]:
    found = []
    for item in placed:
        if item.place.code in locations:
            start, end = words[item.mention.first].start, words[item.mention.last].end
            found.append(Evidence("locations", item.place.code, start, end, text[start:end]))
    return found
