"""Which matched words describe an abuse, and which perpetrators did it.

An abuse word is not a described abuse when it is denied ("there were no reports of
torture", "NGOs reported no cases of torture", "they never did whip him"), stated as law
("the law prohibits torture") or named as what a policy fights ("torture prevention").
A law clause counts after all when a violation is reported with it ("the law prohibits
arbitrary arrest, but authorities did not observe these prohibitions"). A perpetrator word
names a victim, not a perpetrator, in "killings of police officers".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .conventions import PRISON_CONDITIONS
from .lexicon import TAGGING_DATA
from .patterns import Match, PatternSet, compile_pattern
from .tokens import Token

NEGATION_WINDOW = 6  # words between a denial and the abuse word it denies
# "there were no reports that the government or its agents committed arbitrary killings"
REPORT_DENIAL_WINDOW = 14
REMEDY_WINDOW = 2
VICTIM_WINDOW = 12
_CUE_SETS = (
    "negation",
    "report_denial",
    "negation_ends",
    "not_negation",
    "law",
    "violation",
    "remedy_before",
    "remedy_after",
    "source_before",
    "source_after",
    "hypothetical",
    "hypothetical_report",
    "negation_after",
)
HYPOTHETICAL_WINDOW = 4  # words between "could face" or "feared" and the abuse
SOURCE_WINDOW = 2  # "the Public Ministry reported", "the PNC later reported"
_APPREHENDING = frozenset("arrested detained apprehended captured caught".split())
# who is arrested and what for: "suspects", "for the killing", "in connection with"
_CHARGED_WITH = frozenset(
    "connection accused suspected suspect suspects responsible allegedly alleged "
    "perpetrators perpetrator killers killer murderers assailants attackers".split()
)
_DETERMINERS = frozenset("the this these that those his her their its".split())
CHARGE_REACH = 8  # words from the arrest to what it was for
_AUXILIARIES = frozenset("was were been being is are be".split())
_AND_THEN = frozenset("and then".split())
_PAST_VERBS = frozenset("beat shot hit struck threw stabbed".split())
_AT_THE_HANDS_OF = ["at", "the", "hands", "of"]
_CASES = frozenset("case cases complaint complaints charges".split())
_AGAINST = frozenset("against involving".split())
_VICTIM_LINKS = frozenset("of against to on toward towards targeting targeted de contra a".split())
_AGENT_LINKS = frozenset("by por".split())
# Right after an abuse word, words that bring in who did it or who is tried for it:
# "harassment from state security agents", "killings involved military and police
# forces", "the murder trial of police officer Perdomo"
_DOERS_FOLLOW = frozenset(
    "from involved committed perpetrated carried attributed blamed linked trial trials".split()
)
LINK_REACH = 3
_VICTIM_NOUNS = frozenset("victim victims víctima víctimas".split())
_REGION_ENDS = _AGENT_LINKS | frozenset(
    "where who whom which that when after while because during since".split()
)


@dataclass(frozen=True)
class Cues:
    """The scope cues found in one paragraph."""

    negations: frozenset[int]  # word indexes where a denial ends
    negation_ends: frozenset[int]  # words past which a denial does not reach
    law_sentences: dict[int, int]  # sentence -> the clause holding a law statement
    violation_sentences: frozenset[int]
    remedy_ends: frozenset[int]  # word indexes where a "prevent"/"against" cue ends
    remedy_starts: frozenset[int]  # word indexes where "prevention"/"unit" cues start
    source_ends: frozenset[int]  # "according to" ends here
    source_starts: frozenset[int]  # "reported", "sentenced" starts here
    hypotheticals: frozenset[int] = frozenset()  # "could face", "feared" ends here
    denied_after: frozenset[int] = frozenset()  # "no one", "nobody" starts here
    # sentence -> the first word past its concessive law clause ("Although the law
    # prohibits coercion, police ... used threats": the threats are told as done)
    law_ends: dict[int, int] = field(default_factory=dict)
    report_denials: frozenset[int] = frozenset()  # "there were no reports that" ends here


class Scope:
    """The scope cues of `data/tagging/scope.yaml`, and the rules that apply them."""

    def __init__(self) -> None:
        data: Any = yaml.safe_load((TAGGING_DATA / "scope.yaml").read_text(encoding="utf-8"))
        self.cue_set = PatternSet()  # every cue, its value the name of its set
        for name in _CUE_SETS:
            for language, lines in (data.get(name) or {}).items():
                self.cue_set.extend(compile_pattern(line, name, language) for line in lines)

    def cues(
        self, words: Sequence[Token], languages: Sequence[str], testimony: bool = False
    ) -> Cues:
        """The cues of a paragraph. In a testimony "would" tells what used to happen
        ("they would whip us"); in a report, what might ("she would be killed if
        returned"), so only there is it a hypothetical."""

        found = self.cue_set.find_by_value(words, languages)

        def find(name: str) -> list[Match]:
            return found.get(name, [])

        not_negated = {
            i for match in find("not_negation") for i in range(match.first, match.last + 1)
        }
        negations = frozenset(m.last for m in find("negation") if m.last not in not_negated)
        # a subject pronoun ends a denial ("dey didn't whup dey tied up ..."), unless the
        # denial is inverted before it ("Never did dey whip us", "never would let dey")
        negation_ends = frozenset(
            m.first
            for m in find("negation_ends")
            if words[m.first].folded not in _PRONOUN_ENDS
            or m.first == 0
            or words[m.first - 1].folded not in _INVERTERS
        )
        law_sentences: dict[int, int] = {}
        law_ends: dict[int, int] = {}
        for match in find("law"):
            sentence = words[match.first].sentence
            law_sentences.setdefault(sentence, words[match.first].clause)
            end = _concession_end(words, match)
            if end is not None:
                law_ends.setdefault(sentence, end)
        violations = frozenset(words[m.first].sentence for m in find("violation"))
        return Cues(
            negations,
            negation_ends,
            law_sentences,
            violations,
            frozenset(m.last for m in find("remedy_before")),
            frozenset(m.first for m in find("remedy_after")),
            frozenset(m.last for m in find("source_before")),
            frozenset(m.first for m in find("source_after")),
            frozenset(
                m.last
                for name in ("hypothetical",) + (() if testimony else ("hypothetical_report",))
                for m in find(name)
            ),
            frozenset(m.first for m in find("negation_after")),
            law_ends,
            frozenset(m.last for m in find("report_denial")),
        )

    def describes_abuse(
        self, match: Match, words: Sequence[Token], cues: Cues, agent: bool = False
    ) -> bool:
        """Whether an abuse word describes an abuse, or (`agent`) a perpetrator word names
        one who did it: "army units" are soldiers, where "kidnapping unit" names a police
        unit, not a kidnapping."""
        first = words[match.first]
        crossed = False  # a comma or the like between the denial and the word
        for index in range(match.first - 1, max(-1, match.first - 1 - NEGATION_WINDOW), -1):
            if index in cues.negation_ends or words[index].clause != first.clause:
                break
            crossed = crossed or not words[index + 1].joined
            if agent and crossed:
                break  # "If you didn't, the Klan would drive you in": no denial of the Klan
            if index in cues.negations:
                if crossed and _in_condition(words, index):
                    break  # "If they wasn't, somebody got a whuppin'": the condition's
                return False
        if not agent and _denied_by_report(match, words, cues):
            return False
        if any(  # "anti-gang operations", "the fight against torture"
            index in cues.remedy_ends and words[index].sentence == first.sentence
            for index in range(max(0, match.first - REMEDY_WINDOW), match.first)
        ):
            return False
        after = match.last + 1
        if after in cues.denied_after and words[after].joined:
            return False  # "killed no one", "whipped nobody"; not "beat me. Nobody helped"
        if any(
            index in cues.hypotheticals and words[index].clause == first.clause
            for index in range(max(0, match.first - 1 - HYPOTHETICAL_WINDOW), match.first)
        ):
            return False  # "could face deportation", "feared they would be kidnapped"
        if not agent and after in cues.remedy_starts and words[after].sentence == first.sentence:
            return False  # "torture prevention", not "... torture. Law enforcement ..."
        law_clause = cues.law_sentences.get(first.sentence)
        past_concession = match.first >= cues.law_ends.get(first.sentence, len(words))
        if law_clause is not None and first.clause == law_clause and not past_concession:
            # "the law prohibits X" is no report of X, unless a violation follows, in
            # that sentence or a later one ("... The regime routinely ignored these
            # requirements.")
            return any(sentence >= first.sentence for sentence in cues.violation_sentences)
        return True

    def is_source(self, match: Match, words: Sequence[Token], cues: Cues) -> bool:
        """Whether a perpetrator word names who reports, investigates or judges: "the
        Public Ministry reported", "according to the PNC", "a court sentenced"."""
        sentence = words[match.first].sentence
        after = range(match.last + 1, min(len(words), match.last + 1 + SOURCE_WINDOW))
        if any(i in cues.source_starts and words[i].sentence == sentence for i in after):
            return True
        before = range(max(0, match.first - 1 - SOURCE_WINDOW), match.first)
        return any(
            i in cues.source_ends and all(words[j].joined for j in range(i + 1, match.first + 1))
            for i in before
        )  # "according to the PNC", not "According to police, gang members ..."

    @staticmethod
    def apprehends(match: Match, words: Sequence[Token], abuses: Sequence[Match]) -> bool:
        """Whether a perpetrator word names who arrested the suspects of an abuse, not
        who did it: "police arrested two suspects in connection with the murder", "the
        police arrested him for the attack" (unless the arrest is itself the abuse)."""
        sentence = words[match.first].sentence
        verbs = [
            i
            for i in range(match.last + 1, min(len(words), match.last + 1 + SOURCE_WINDOW))
            if words[i].sentence == sentence and words[i].folded in _APPREHENDING
        ]
        if not verbs or any(
            words[i].folded in _AUXILIARIES for i in range(match.last + 1, verbs[0])
        ):
            return False  # "two police officers were arrested": the suspects
        if any(
            words[abuse.first].sentence == sentence
            and (abuse.value.startswith("liberty.") or _done_next(abuse, words))
            for abuse in abuses
        ):
            return False  # "police arbitrarily arrested protesters", "... and beat her"
        reach = range(verbs[0] + 1, min(len(words) - 1, verbs[0] + 1 + CHARGE_REACH))
        return any(
            words[i].sentence == sentence
            and (
                words[i].folded in _CHARGED_WITH
                or (words[i].folded == "for" and words[i + 1].folded in _DETERMINERS)
            )
            for i in reach
        )  # "for the murder", "for this attack"; not "for three days"

    def victim_words(self, words: Sequence[Token], abuses: Sequence[Match]) -> frozenset[int]:
        """Words that name the victims of an abuse word: what follows "killings of",
        "threats against", "murdered two", up to "by", a new clause or a relative word;
        what comes before it in the passive ("two soldiers were killed")."""
        victims: set[int] = set()
        for abuse in abuses:
            victims.update(_passive_subject(words, abuse, abuses))
            if words[abuse.last].folded in _AGENT_LINKS:
                continue  # "killings by criminal gangs"
            index = abuse.last + 1
            if index < len(words) and words[index].folded in _DOERS_FOLLOW:
                continue  # "killings involved military and police forces", "the murder
                # trial of police officer Perdomo"
            if _cases_against(words, index):
                continue  # "torture cases against soldiers"; not "the case of an officer"
            if [w.folded for w in words[index : index + 4]] == _AT_THE_HANDS_OF:
                continue  # "beatings at the hands of security agents"
            ends = _REGION_ENDS
            link = _victim_link(words, index)
            if link is not None:
                index = link + 1  # "threats and violence directed against judges"
            elif abuse.pattern.language == "en" and index < len(words) and words[index].joined:
                # "murdered two soldiers"; not in Spanish, where the subject often
                # follows the verb ("me golpearon los policías")
                ends = _REGION_ENDS | _VICTIM_LINKS  # "disappeared victims of the military"
            else:
                continue
            start = words[abuse.last].sentence, words[abuse.last].clause
            while index < len(words) and index - abuse.last <= VICTIM_WINDOW:
                word = words[index]
                if (word.sentence, word.clause) != start or word.folded in ends:
                    break
                victims.add(index)
                index += 1
        return frozenset(victims)


# Not "being": "footage of gang members being burned" is not what the clause's subject
# suffered.
_PASSIVE_AUXILIARIES = frozenset("was were been is are got gets".split())
# Conditions told in the passive befall no one named before them ("detention centers
# were overcrowded"); a death in custody befalls someone.
_CONDITIONS = PRISON_CONDITIONS - {"life.death-in-custody"}
_IRREGULAR_PARTICIPLES = frozenset("shot hung slain struck beat hit held kept taken".split())
PASSIVE_ADVERBS = 2  # "were reportedly killed", "had been brutally beaten"


def _passive_subject(words: Sequence[Token], abuse: Match, abuses: Sequence[Match]) -> range:
    """Who an abuse word in the passive befell: "Three soldiers were killed by gang
    members", "39 police officers had been killed": the words before it, back to where its
    clause begins ("after", "when", or an "and" that opens a clause: "Police fired on the
    crowd, and three protesters were killed"). None where those words follow a "by" or a
    relative word (they then name who did something else: "individuals detained by SEBIN
    agents were tortured", "detainees whom soldiers arrested were tortured"), nor where
    the sentence tells another abuse (who did which is not clear: "Two gang members were
    killed by police after they had murdered a man")."""
    verb = words[abuse.first]
    if (
        abuse.pattern.language != "en"
        or abuse.value in _CONDITIONS
        or not (verb.folded.endswith(("ed", "en")) or verb.folded in _IRREGULAR_PARTICIPLES)
        or any(
            words[other.first].sentence == verb.sentence and other.first != abuse.first
            for other in abuses
        )
    ):
        return range(0)
    at = abuse.first - 1
    while at >= 0 and abuse.first - at <= PASSIVE_ADVERBS and words[at].folded.endswith("ly"):
        at -= 1
    if at < 0 or words[at].folded not in _PASSIVE_AUXILIARIES:
        return range(0)
    start = at
    while (
        start > 0
        and at - start < VICTIM_WINDOW
        and (words[start - 1].sentence, words[start - 1].clause) == (verb.sentence, verb.clause)
        and words[start - 1].folded not in _REGION_ENDS
        and not _opens_a_clause(words, start - 1)
    ):
        start -= 1
    if start > 0 and words[start - 1].folded in _AGENT_LINKS | _RELATIVES:
        return range(0)
    return range(start, at)


_CONJUNCTIONS = frozenset("and an or but nor".split())
_RELATIVES = frozenset("who whom that which whose".split())
_SUBJECT_OPENERS = frozenset(
    "the a an de dem my his her their our your its he she they dey we i it you several many "
    "some most all".split()
)


def _opens_a_clause(words: Sequence[Token], at: int) -> bool:
    """Whether a conjunction at `at` begins a clause: after a comma ("..., and three
    protesters were killed"), or before a new subject ("... and the passengers were
    beaten"; not "police officers and soldiers")."""
    if words[at].folded not in _CONJUNCTIONS:
        return False
    return not words[at].joined or (
        at + 1 < len(words) and words[at + 1].folded in _SUBJECT_OPENERS
    )


# Who is held, told by what they are ("detainees, primarily gang members", "inmates who
# were gang members").
_HELD = frozenset(
    "detainees detainee prisoners prisoner inmates inmate convicts convict internos "
    "reos presos detenidos".split()
)
_HELD_FILLERS = frozenset(
    "primarily mostly mainly largely including many most some of them whom who were was "
    "are alleged suspected reportedly principalmente incluidos".split()
)
HELD_REACH = 4  # words from "detainees" to what they are


def held_people(words: Sequence[Token]) -> frozenset[int]:
    """Where a group named as what the people held are begins: after "detainees",
    "inmates", "prisoners", with words like "primarily" or "who were" between (and
    never a verb: "prisoners who were beaten by guards" names the guards)."""
    held: set[int] = set()
    for index, word in enumerate(words):
        if word.folded not in _HELD:
            continue
        position = index + 1
        while (
            position < len(words)
            and position - index <= HELD_REACH
            and words[position].sentence == word.sentence
            and words[position].folded in _HELD_FILLERS
        ):
            position += 1
        if position > index + 1 and position < len(words):
            held.add(position)  # the first word after the fillers
    return frozenset(held)


_ATTRIBUTION_LINKS = frozenset("to on".split())
_ATTRIBUTING = frozenset(
    "linked attributed blamed ascribed tied connected related attributable".split()
)
ATTRIBUTION_REACH = 5  # words before an abuse word to the verb that lays it on someone


def _attributed(words: Sequence[Token], after_abuse: int, link: int) -> bool:
    clause = words[link].sentence, words[link].clause
    reach = range(max(0, after_abuse - 1 - ATTRIBUTION_REACH), link)
    return any(
        words[i].folded in _ATTRIBUTING and (words[i].sentence, words[i].clause) == clause
        for i in reach
    )


def _cases_against(words: Sequence[Token], index: int) -> bool:
    return (
        index + 1 < len(words)
        and words[index].folded in _CASES
        and words[index + 1].folded in _AGAINST
    )


def _done_next(abuse: Match, words: Sequence[Token]) -> bool:
    """Whether an abuse is told as the next thing its subject did: "... and beat her",
    "... and tortured them" (not "... in connection with the murder and robbery")."""
    first = words[abuse.first].folded
    return (
        abuse.first > 0
        and words[abuse.first - 1].folded in _AND_THEN
        and (first.endswith("ed") or first in _PAST_VERBS)
    )


_PRONOUN_ENDS = frozenset("they dey he she we".split())
_INVERTERS = frozenset("did would could does do let more".split())
_CONDITIONALS = frozenset("if iffen ef effen when whenever unless lessen".split())
CONDITION_REACH = 5  # words from "if" to the denial in its condition


def _in_condition(words: Sequence[Token], index: int) -> bool:
    """Whether a denial lies in a condition that opens a few words before it, in its
    sentence ("If they wasn't done, ...")."""
    sentence = words[index].sentence
    return any(
        word.folded in _CONDITIONALS and word.sentence == sentence
        for word in words[max(0, index - CONDITION_REACH) : index]
    )


def _denied_by_report(match: Match, words: Sequence[Token], cues: Cues) -> bool:
    """Whether an abuse word falls in the reach of "there were no reports that ..." in
    its sentence, with nothing between that ends a denial ("but", "when" ...)."""
    sentence = words[match.first].sentence
    for index in range(match.first - 1, max(-1, match.first - 1 - REPORT_DENIAL_WINDOW), -1):
        ends = index in cues.negation_ends and words[index].folded not in _PRONOUN_ENDS
        if words[index].sentence != sentence or ends:
            return False  # "no reports that he was beaten": the pronoun is what is denied
        if index in cues.report_denials:
            return True
    return False


def _concession_end(words: Sequence[Token], law: Match) -> int | None:
    """Where a law clause that opens its sentence with "Although" (or "though",
    "while", "despite") ends: at the first punctuation after the law's words that a
    main clause follows ("..., police used threats"; not a list going on: "torture,
    arbitrary arrest, and incommunicado detention"). None if no main clause is seen."""
    sentence = words[law.first].sentence
    start = law.first
    while start > 0 and words[start - 1].sentence == sentence:
        start -= 1
    if words[start].folded not in _CONCESSIVE:
        return None
    for index in range(law.last + 1, len(words)):
        if words[index].sentence != sentence:
            return None
        if not words[index].joined and words[index].folded in _CLAUSE_OPENERS:
            return index
    return None


_CONCESSIVE = frozenset("although though while despite whereas notwithstanding".split())
# Words that open a main clause after a concessive one: its subject, or "there".
_CLAUSE_OPENERS = frozenset(
    "the there it they he she we police authorities officials officers security "
    "government guards prison prisons soldiers military members agents some many most "
    "several ngos reports human in this these such according cases instances complaints "
    "allegations numerous credible nevertheless nonetheless however during public state "
    "local".split()
)


def _victim_link(words: Sequence[Token], index: int) -> int | None:
    """Where "of", "against" or "targeting" follows an abuse word, at most a few words on
    and in the same clause ("threats and violence directed against")."""
    for offset in range(LINK_REACH + 1):
        at = index + offset
        if at >= len(words) or words[at].clause != words[index - 1].clause:
            return None
        if words[at].folded in _VICTIM_LINKS:
            # "victims of the military occupation": what follows is the cause
            if words[at - 1].folded in _VICTIM_NOUNS:
                return None
            # "linked these homicides to gangs", "killings attributed to the army":
            # to whom the abuse is laid
            if words[at].folded in _ATTRIBUTION_LINKS and _attributed(words, index, at):
                return None
            return at
        if words[at].folded in _REGION_ENDS:
            return None
    return None
