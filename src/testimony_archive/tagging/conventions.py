"""From matched words to tags, by the labelling conventions of the archive's gold set.

The lexicon finds words; these rules decide what a reviewer would tag: the most specific
terms only, the implied ones ("sold away from his mother" is a sale and a separation), and
who did it when the paragraph does not say in so many words (prison conditions are the
prison authorities'; a paragraph that names no one gets `unknown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..vocabulary import Thesaurus
from .narrative import LAST_YEAR_OF_A_NARRATORS_BIRTH, LAST_YEAR_OF_SLAVERY
from .patterns import Match, Pattern
from .tokens import Token

AUTHORITIES = "@authorities"  # "the government", "officials": no service named
PRISON_CONDITIONS = frozenset(
    {"psychological", "psychological.isolation", "torture.deprivation", "life.death-in-custody"}
)
PRISON_WORDS = frozenset(
    "prison prisons prisoners prisoner jail jails inmates inmate penitentiary penitentiaries "
    "cell cells detainees detainee penal correctional custody "
    "carcel carceles reos internos".split()  # folded, as words are compared
)
_KEEPERS = {"police": "police", "military": "military", "army": "military"}
_INMATES = frozenset("inmates inmate prisoners prisoner detainees detainee".split())
_SALE_WORDS = frozenset("sold sell sells selling sellin auction auctioned bought".split())
_DETENTION_TERMS = frozenset({"liberty.arbitrary-detention", "liberty.incommunicado"})

_AGENT_MARKERS = frozenset("by against por contra".split())
AGENT_REACH = 8  # words from "authorities" to the abuse they commit
AGENT_MARKER_REACH = 5
PERSON_REACH = 8  # words from "he" to the abuse he did
_ONE_PERSON = frozenset("he she".split())
_SUBJECTS = _ONE_PERSON | frozenset("they dey we i you it".split())
_PASSIVE = frozenset("was were been be being is got get git wuz".split())
_TO_BE = frozenset("was were been being is are wuz".split())  # "he was taken and beaten"

# A beating held over someone (conditional_threats) and a killing only nearly done
# (hedged_killings).
_CONDITIONS = frozenset("if iffen ef unless".split())
_MODALS = frozenset(
    "would wouldn't will gonna gwine going want wants wanted better i'll he'll she'll "
    "they'll we'll you'll dey'll i'd he'd she'd they'd".split()
)
_HEDGES = frozenset("near nearly nigh almost half most like".split())
_BEATING_WORDS = frozenset("beat beaten whipped whupped stomped kicked".split())
_BEATING = Pattern("torture.beating", "en", "nearly beaten to death", ())
_ILL_TREATMENT = Pattern("torture", "en", "nearly killed", ())
_THREATENED = frozenset({"torture.beating", "torture", "life.killing"})
_THREAT = Pattern("psychological.threats", "en", "a beating held over someone", ())


def most_specific(values: Iterable[str], thesaurus: Thesaurus) -> set[str]:
    """Drop a category when one of its terms applies: "torture" only when no method is
    named. Conditions described only as harsh (`psychological`) give way to any named
    condition, overcrowding or lack of care alike."""
    chosen = set(values)
    for value in list(chosen):
        for ancestor in thesaurus.ancestors(value)[1:]:
            chosen.discard(ancestor)
    if "psychological" in chosen and chosen & (PRISON_CONDITIONS - {"psychological"}):
        chosen.discard("psychological")
    return chosen


def implied_abuse_types(
    matches: Sequence[Match], words: Sequence[Token], values: set[str], slavery: bool
) -> set[str]:
    """Terms that the conventions add to the ones matched."""
    implied = set(values)
    for match in matches:
        said = {word.folded for word in words[match.first : match.last + 1]}
        if match.value == "family-separation" and said & _SALE_WORDS:
            implied.add("exploitation.trafficking")  # a family member sold away
    if slavery and "exploitation.child-labour" in implied:
        implied.add("exploitation.forced-labour")  # an enslaved child put to work
    if _all_within(matches, "psychological", "torture"):
        implied.discard("psychological")  # "cruel, inhuman, or degrading treatment"
    if _all_within(matches, "psychological.isolation", "liberty.incommunicado"):
        implied.discard("psychological.isolation")  # "his lawyers were prevented from seeing him"
    killed_in = {words[m.first].sentence for m in matches if m.value == "life.killing"}
    attempts = [m for m in matches if m.value == "life.attempted-killing"]
    if attempts and all(words[m.first].sentence in killed_in for m in attempts):
        implied.discard("life.attempted-killing")  # "opened fire ..., killing three"
    return implied


def _all_within(matches: Sequence[Match], inner: str, outer: str) -> bool:
    """Whether every match of `inner` lies within a match of `outer` (so the words said
    `outer`, and `inner` only in part)."""
    spans = [(m.first, m.last) for m in matches if m.value == outer]
    found = [m for m in matches if m.value == inner]
    return bool(found) and all(
        any(first <= m.first and m.last <= last for first, last in spans) for m in found
    )


def conditional_threats(matches: Sequence[Match], words: Sequence[Token]) -> list[Match]:
    """A beating held over someone ("you better be in bed if you don't want a whippin'",
    "they would whip you if they caught you") is a threat, whether or not it happened:
    a condition in the sentence and a wish or a "would" right before the beating."""
    return [
        Match(_THREAT, match.first, match.last)
        for match in matches
        if match.value in _THREATENED and _conditional(match, words)
    ]


_FORCED_WORK = frozenset({"exploitation.forced-labour", "exploitation.child-labour"})
# What a free worker is given or lives on: wages, shares of a crop, a pension; money
# only by the day, week, month or year ("twenty-five cents a day"), not a price
_WAGES = frozenset(
    "pay pays paid paying payin wages wage salary shares sharecropper sharecropping "
    "sharecropped renter renting pension pensions".split()
)
_MONEY = frozenset("dollars dollar cents cent bits".split())
_PERIODS = frozenset("day week month year".split())
_NOT_WAGES = frozenset("attention mind heed respect tribute homage visit visits no".split())
_SALES = frozenset("sold sell sells selling bought buy buying price auction traded".split())
# Pay in a sentence that speaks of slaves was paid in slavery ("Any time a slave worked
# over time Massa pay him money"); a paragraph that names no owner speaks of no slavery
_ENSLAVED = frozenset("slave slaves slavery enslaved".split())
_OWNERS = _ENSLAVED | frozenset(
    "marster marsters marse massa marsa mastah master masters mistress missus mistis "
    "overseer overseers owner owners slaveholder slaveholders".split()
)
_UNPAID = frozenset("never no not without nothing nary ain't didn't wasn't weren't".split())
_AFTER = frozenset("after atter since".split())
_FREED = frozenset("freedom surrender s'render emancipation war".split())
_BEGAN = frozenset("started start begun began begin commenced broke come came".split())
_SET_FREE = frozenset("free freed".split())
_BECAME = frozenset("was were wuz got git set being been all".split())  # "we was all free"
WAGE_NEGATION_REACH = 5  # "never got a cent of pay", "worked without pay"


def paid_work(matches: Sequence[Match], words: Sequence[Token], group: str) -> list[Match]:
    """Drop work that a narrative's words of slavery (`group`) took for enslaved work,
    where its sentence tells of wages or a pension ("I works for a stockman and he give
    me twenty-five cents a day"; not "we worked and never got paid", nor a price paid for
    a person, nor pay in a sentence that names an owner), of a year after slavery ("In
    1869 I went to work for Mr. Parish"), of freedom ("By then we was all free, but we
    worked hard") or of a time after it ("the slaves that worked on his place after
    freedom"; not "after de war started"). The whole paragraph, where it opens after
    freedom ("Atter de surrender, ...") or speaks of no one owned."""
    if not any(m.value in _FORCED_WORK and m.pattern.group == group for m in matches):
        return list(matches)  # most paragraphs: no enslaved work to weigh
    sentences: dict[int, list[Token]] = {}
    for word in words:
        sentences.setdefault(word.sentence, []).append(word)
    free = {
        number
        for number, sentence in sentences.items()
        if any(_free_time(sentence, index) for index in range(len(sentence)))
    }
    owned = any(word.folded in _OWNERS for word in words)
    opens_free = bool(words) and words[0].sentence in free
    whole = bool(free) and (opens_free or not owned)
    return [
        match
        for match in matches
        if not (
            match.value in _FORCED_WORK
            and match.pattern.group == group
            and (whole or words[match.first].sentence in free)
        )
    ]


def _free_time(sentence: Sequence[Token], index: int) -> bool:
    """Whether a word of a sentence tells of a free worker's time: wages not denied, a
    year after slavery, "after de war", "we was free"."""
    word = sentence[index].folded
    before = [w.folded for w in sentence[max(0, index - WAGE_NEGATION_REACH) : index]]
    after = [w.folded for w in sentence[index + 1 : index + 4]]
    said = {w.folded for w in sentence}
    if word in _WAGES or (word in _MONEY and set(after) & _PERIODS):
        return not (set(before) & _UNPAID or said & (_SALES | _ENSLAVED) or set(after) & _NOT_WAGES)
    if word.isdigit():
        return LAST_YEAR_OF_SLAVERY < int(word) < LAST_YEAR_OF_A_NARRATORS_BIRTH
    if word in _FREED:
        return bool(set(before[-2:]) & _AFTER) and not set(after[:1]) & _BEGAN
    if word in _SET_FREE:
        return bool(before) and before[-1] in _BECAME and not set(before) & _UNPAID
    return False


_SURVIVORS = frozenset("me us you ye".split())


def survived_killings(matches: Sequence[Match], words: Sequence[Token]) -> list[Match]:
    """Drop a killing held over the witness that never happened: "iffen I didn't tell
    'em, dey would kill me" (a threat, which `conditional_threats` finds); not "they
    would kill any man that run off", nor a beating held over someone, which a witness
    tells as what was done as well as a threat ("they would whip you if they caught
    you")."""
    return [
        match
        for match in matches
        if not (
            match.value == "life.killing"
            and _conditional(match, words)
            and any(
                word.folded in _SURVIVORS
                for word in words[match.first + 1 : match.last + 3]
                if word.sentence == words[match.first].sentence
            )
        )
    ]


def _conditional(match: Match, words: Sequence[Token]) -> bool:
    """A condition in the sentence and a wish or a "would" right before the match."""
    sentence = words[match.first].sentence
    condition = any(word.folded in _CONDITIONS and word.sentence == sentence for word in words)
    before = words[max(0, match.first - 3) : match.first]
    return condition and any(word.folded in _MODALS for word in before)


def hedged_killings(matches: Sequence[Match], words: Sequence[Token]) -> list[Match]:
    """ "They near killed me", "nearly beat me to death": ill-treatment, not a killing."""
    hedged = []
    for match in matches:
        before = {word.folded for word in words[max(0, match.first - 2) : match.first]}
        if match.value == "life.killing" and before & _HEDGES:
            said = {word.folded for word in words[match.first : match.last + 1]}
            hedged.append(
                Match(
                    _BEATING if said & _BEATING_WORDS else _ILL_TREATMENT, match.first, match.last
                )
            )
        else:
            hedged.append(match)
    return hedged


def plausible_agents(
    matches: Sequence[Match],
    abuses: Sequence[Match],
    abuse_types: set[str],
    words: Sequence[Token],
) -> list[Match]:
    """Drop the perpetrator words that by convention name no perpetrator here: courts
    and prosecutors except for detention without trial, and "the government" unless it
    is what did the abuse ("authorities regularly held detainees")."""
    starts = {abuse.first for abuse in abuses}
    kept = []
    for match in matches:
        before = words[max(0, match.first - AGENT_MARKER_REACH) : match.first]
        by_them = any(
            word.folded in _AGENT_MARKERS and word.clause == words[match.first].clause
            for word in before
        )  # "disappearances by or on behalf of government authorities"
        if match.value == "judicial" and not (by_them or abuse_types & _DETENTION_TERMS):
            continue
        if match.value == AUTHORITIES and not (by_them or _acts(match, starts, words)):
            continue
        if _fellow_inmates(match, words) and abuse_types <= PRISON_CONDITIONS:
            continue  # "shared a cell with five other inmates": crowding, no assault
        kept.append(match)
    return kept


def _custody_of(words: Sequence[Token]) -> set[str]:
    """Who held someone, where a paragraph says so: "police custody", "military custody"."""
    return {
        _KEEPERS[words[index - 1].folded]
        for index, word in enumerate(words)
        if word.folded == "custody" and index and words[index - 1].folded in _KEEPERS
    }


def _fellow_inmates(match: Match, words: Sequence[Token]) -> bool:
    return match.value == "private-individual" and any(
        word.folded in _INMATES for word in words[match.first : match.last + 1]
    )


def _acts(match: Match, abuse_starts: set[int], words: Sequence[Token]) -> bool:
    sentence = words[match.first].sentence
    reach = range(match.last + 1, min(len(words), match.last + 1 + AGENT_REACH))
    return any(i in abuse_starts and words[i].sentence == sentence for i in reach)


def choose_perpetrators(
    agents: Sequence[Match],
    abuses: Sequence[Match],
    abuse_types: set[str],
    words: Sequence[Token],
    slavery: bool,
    testimony: bool = False,
) -> set[str]:
    """Who did it: the agents named where the abuse is described, or the convention's
    default for what was described."""
    named = {match.value for match in agents}
    authorities = AUTHORITIES in named
    named.discard(AUTHORITIES)
    if len(named) > 1:
        named.discard("unknown")  # "unknown" is for when nothing is said
    in_prison = any(word.folded in PRISON_WORDS for word in words)
    conditions = abuse_types & PRISON_CONDITIONS
    keepers = _custody_of(words)
    if keepers and conditions == {"life.death-in-custody"}:
        # "died in police custody": the police's doing, not a jail staff's
        named |= keepers
        named.discard("unknown")
        in_prison = False
    if named and conditions and in_prison:
        # prison conditions are the prison authorities' doing, whoever else is named
        named.discard("unknown")
        named.add("detention-staff")
    if named:
        return named
    if conditions and in_prison:
        # detention past its term, beside the conditions, is the courts' ("Prisoners
        # suffered overcrowding ... Long periods of pretrial detention remained common")
        past_term = "liberty.arbitrary-detention" in abuse_types
        return {"detention-staff"} | ({"judicial"} if past_term else set())
    if authorities or abuse_types & _DETENTION_TERMS:
        return {"judicial"}
    if slavery or _sold(abuses, words):
        # enslavers, traders and speculators: in a narrative of slavery, an abuse whose
        # doer goes unnamed was the enslaver's or done for him
        return {"private-individual"}
    if testimony and _done_by_one(abuses, words):
        return {"private-individual"}  # "he came and got me and nearly beat me to death"
    return {"unknown"}


def _done_by_one(abuses: Sequence[Match], words: Sequence[Token]) -> bool:
    """Whether a witness tells of one person doing an abuse: "he" or "she" a few words
    before it, in its clause, as the nearest subject ("he said they beat him": they did),
    and the abuse not told in the passive ("he was badly beaten": the victim)."""
    for match in abuses:
        clause = words[match.first].clause
        before = words[max(0, match.first - PERSON_REACH) : match.first]
        subjects = [i for i, w in enumerate(before) if w.folded in _SUBJECTS]
        if not subjects:
            continue
        nearest = subjects[-1]
        after = before[nearest + 1 :]
        passive = any(w.folded in _PASSIVE for w in before[-2:]) or any(
            w.folded in _TO_BE for w in after
        )
        subject = before[nearest]
        if subject.folded in _ONE_PERSON and subject.clause == clause and not passive:
            return True
    return False


def _sold(abuses: Sequence[Match], words: Sequence[Token]) -> bool:
    return any(
        words[index].folded in _SALE_WORDS
        for match in abuses
        if match.value in ("exploitation.trafficking", "family-separation")
        for index in range(match.first, match.last + 1)
    )
