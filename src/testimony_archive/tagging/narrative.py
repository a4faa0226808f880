"""Where a narrative says its events happened: the state where its narrator was enslaved
("I b'longed to de Moorings ... Aberdeen, Mississippi"; "a slave on the Stubblefield
plantation in Kentucky"). The labelling rules take a WPA event's state from the paragraph,
or else from the document "when the document states where the informant was enslaved"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import split_paragraphs
from .gazetteer import LOCATIVES, Candidate, PlaceMention
from .locating import resolve
from .tokens import Token, tokenize

if TYPE_CHECKING:
    from .tagger import Tagger

# Words that say where the narrator was enslaved. Birth alone is read only where no such
# words are found, and only a birth dated before the war's end: many narrators were born
# free, after the war, or were sold away from where they were born.
_ENSLAVEMENT_WORDS = frozenset(
    "slave slaves slavery enslaved belonged b'longed owned plantation marster massa master "
    "owner".split()
)
HEADING_LINE_CHARS = 60
# "born ... on Matt Swanson's place": a birth on an enslaver's holding.
_HOLDING_WORDS = frozenset("place farm plantation".split())
_HOMES = frozenset(["home"])  # "in the home of Benjamin Simms"
_IN_PLACE = frozenset("in took take taking".split())  # "took the place of Aunt Sally"
# A birth that was not into slavery: "born a free man", "born free", or after the war.
_FREE_WORDS = frozenset(["free"])  # "born a free man" ("freeborn": a word of its own)
LAST_YEAR_OF_SLAVERY = 1865
FIRST_YEAR = 1780  # a year before this is no narrator's birth
LAST_YEAR_OF_A_NARRATORS_BIRTH = 1950
FREE_REACH = 3  # words from "born" to "free" ("born a free man")
RELATIVE_REACH = 4  # words from "my mother" to "born"
_BIRTH_WORDS = frozenset("born borned bawn bawned bo'n birth".split())
_THIRD_PERSONS = frozenset("he she they dey them dem".split())
_SLAVERY_TIMES = (
    "before freedom", "befo' freedom", "before the war", "before de war", "befo' de war",
    "in slavery", "slavery time", "slave time", "before the surrender", "before surrender",
    "before emancipation",
)  # fmt: skip
SLAVERY_TIME_REACH = 6  # words from "born" to "before freedom" ("born in Georgia before")
_OLD_WORDS = frozenset("old ole".split())  # "thirteen year ole at surrender"
_YEAR_WORDS = frozenset("year years yeah yeahs yr yrs".split())
OLD_AT_FREEDOM_REACH = 2  # words from "at" or "when" to "surrender" ("when de surrender")
_RELATIVES = frozenset(
    "mother father mammy pappy mama papa ma pa parents brother brothers sister sisters "
    "wife husband son daughter children chillun grandmother grandfather granny grandma "
    "grandpa aunt uncle cousin".split()
)
# An address: a street ("Billups Street", "Heard St." but not "St. Martinville"), a road
# beside a number ("Route 2"; not "the Epes road"), or a verb of where someone lives now.
_STREET_WORDS = frozenset("street avenue ave boulevard blvd drive lane box rfd court ct".split())
_ROAD_WORDS = frozenset("road rd route".split())
_LIVES_NOW = frozenset("lives resides reside".split())
ADDRESS_NUMBER_REACH = 4  # words from a house number to its street word
ADDRESS_TAIL = 4  # words after the street word: its town and state
LIVING_REACH = 8  # words after "lives" to the place lived in
# "brought from Georgia to Texas": the place left behind is not where the story is set.
_ORIGIN_WORDS = frozenset("from".split())
# Taken to live elsewhere while enslaved: "was brought to Alabama when a child", "Master
# Ben moves us all up into Missouri", "refugeed to Texas during the war"; not after
# freedom ("moved to Texas after freedom", "after the war").
_MOVED_WORDS = frozenset(
    "brought brung carried took taken tuk moved moves move sold refugeed".split()
)
_INTO = frozenset("to into".split())
MOVED_REACH = 5  # words from "brought" to the "to" before the state
# Words of freedom: a paragraph of a narrative that holds one tells of life after it.
FREEDOM_WORDS = frozenset(
    "freedom free freed surrender s'render surrendered emancipation reconstruction".split()
)
_AFTER_WORDS = frozenset("after atter since".split())
MAX_PARAGRAPHS = 12  # the narrator's origins come first; later moves are other events
# The narratives were taken down in 1936-1938: a narrator then 73 or older was born by
# 1865, into slavery. The age is read where the interview opens ("Age 87", "aged 85",
# "I'se 86 years old").
OLDEST_AGE_BORN_FREE = 72
YOUNGEST_NARRATOR = 50  # a younger age is someone else's, or the narrator's once
AGE_PARAGRAPHS = 3
AGE_REACH = 2  # words from "age" to its number ("Age: about 90")
_AGE_WORDS = frozenset("age aged".split())
_SPEAKERS = frozenset("i i'm i'se i's".split())
SPEAKER_REACH = 3  # words from "I" to "freeborn" ("I was freeborn")
# States without slavery by 1850 (and Kansas, admitted free): a birth there was no birth
# into slavery ("I was born in Danville, Illinois").
FREE_STATES = frozenset(
    "US-CA US-CT US-IA US-IL US-IN US-KS US-MA US-ME US-MI US-MN US-NH US-NJ US-NY US-OH "
    "US-OR US-PA US-RI US-VT US-WI".split()
)
NOT_BORN_REACH = 3  # words from a birth denied to the place it was not in
DENIAL_REACH = 2  # words from a denial to the birth it denies ("wasn't born")
SUBJECT_REACH = 3  # words from "he" or "she" to the birth told of them
_POSSESSIVES = frozenset("my his her our their me".split())
_MINE = frozenset("my mah our".split())
_NOT_BORN = frozenset("not wasn't wasnt weren't warn't wan't ain't never".split())


def event_places(
    body: str, tagger: Tagger, locations: tuple[str, ...], slavery: bool = False
) -> tuple[str, ...]:
    """The first-level subdivision named where the narrative tells of the narrator's
    enslavement, if any: the earliest such statement wins, and in it the state nearest
    the words that say so. Failing one, where the narrator was born into slavery: a
    birth the narrative dates before the war's end ("I was born in Marshall, Texas, in
    1854"), in a narrative that tells of slavery (`slavery`)."""
    home = tuple(code.split("-")[0] for code in locations if len(code) >= 2)
    home_countries = tuple(
        dict.fromkeys(tagger.vocabulary.places.country_of(code) for code in locations)
    )
    texts = split_paragraphs(body)[:MAX_PARAGRAPHS]
    paragraphs = [_read(paragraph) for paragraph in texts]
    headings = [_a_heading_block(text) for text in texts]
    age = _narrators_age([words for _tokens, words in paragraphs[:AGE_PARAGRAPHS]])
    born_in_slavery = (age is not None and age > OLDEST_AGE_BORN_FREE) or any(
        _called_ex_slave(words) for _tokens, words in paragraphs[:AGE_PARAGRAPHS]
    )
    # "I was born free": where the narrator was born says nothing of slavery
    births_tell = slavery and not any(_said_born_free(words) for _t, words in paragraphs)
    # each paragraph's states, as far as they can say where the narrator was enslaved
    placed = [
        (words, _states(words, tokens, tagger, home_countries or home, home_countries), heading)
        for (tokens, words), heading in zip(paragraphs, headings, strict=True)
    ]

    def dated_births(words: list[Token]) -> dict[int, Token]:
        return _birth_cues(words, born_in_slavery)

    for reading in (_enslavement_cues, dated_births) if births_tell else (_enslavement_cues,):
        for words, candidates, heading in placed:
            if not candidates or (heading and reading is _enslavement_cues):
                continue  # (a heading names where the interview was taken)
            cues = reading(words)  # sentence → its first cue word
            states = [(m, p) for m, p in candidates if words[m.first].sentence in cues]
            if states:
                told = _where_told(states, words, cues).code
                if reading is dated_births and told in FREE_STATES:
                    return ()  # born free: where the narrator was enslaved is not said
                return (told,)
    return ()


def _states(
    words: list[Token],
    tokens: list[Token],
    tagger: Tagger,
    homes: tuple[str, ...],
    home_countries: tuple[str, ...],
) -> list[tuple[PlaceMention, Candidate]]:
    """A paragraph's states (or towns in one state), leaving out an address's ("Rosaline
    Rogers, ex-slave, 1200 Kentucky Avenue, Indianapolis, Indiana": where the narrator
    lives now), those of a birth free or after the war, and those a birth is denied in
    ("I wasn't born in Arkansas")."""
    born_free = _born_free(words)
    addressed = _address_words(words)
    not_born_in = {
        after
        for index, word in enumerate(words)
        if word.folded in _BIRTH_WORDS and _not_born(words, index)
        for after in range(index + 1, index + 1 + NOT_BORN_REACH)
    }
    return [
        (mention, place)
        for mention, place in resolve(tagger.gazetteer.find(words, tokens), homes)
        if _a_state(mention, place, words)
        and words[mention.first].sentence not in born_free
        and mention.first not in addressed
        and mention.first not in not_born_in
        and (not home_countries or place.country in home_countries)
    ]


def _a_state(mention: PlaceMention, place: Candidate, words: list[Token]) -> bool:
    """Whether a mention names a state: itself, or a town after "in", "at", "near" ...
    that lies in one state only ("at Tuscaloosa"; not "Lexington", which eleven states
    have, nor "John Moore")."""
    if place.level == 1:
        return True
    return (
        place.level == 2
        and len({c.code for c in mention.candidates}) == 1
        and mention.first > 0
        and words[mention.first - 1].folded in LOCATIVES
    )


def _read(paragraph: str) -> tuple[list[Token], list[Token]]:
    """A paragraph's tokens, and its words among them."""
    tokens = tokenize(paragraph)
    return tokens, [token for token in tokens if token.is_word]


def _enslavement_cues(words: list[Token]) -> dict[int, Token]:
    """Each sentence's first word that says the narrator was enslaved there."""
    cues: dict[int, Token] = {}
    for index, word in enumerate(words):
        if word.folded in _ENSLAVEMENT_WORDS or _on_holding(words, index):
            cues.setdefault(word.sentence, word)
    return cues


def _a_heading_block(text: str) -> bool:
    """Whether a paragraph is a heading of short lines with no sentence in them ("Folklore
    / Ex-Slaves / Taliaferro County"): where the interview was taken, not where the
    narrator was enslaved."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and all(
        len(line) <= HEADING_LINE_CHARS and not line.endswith((".", "!", "?", '"', "”"))
        for line in lines
    )


def _birth_cues(words: list[Token], born_in_slavery: bool = False) -> dict[int, Token]:
    """Each sentence's word "born" (or "birth") of the narrator's own birth (not "my
    mother was born"), where the year nearest it is before the war's end, or where it
    says so in words ("I was born in Georgia before freedom"), or where the narrator's
    age says so (`born_in_slavery`)."""
    cues: dict[int, Token] = {}
    for index, word in enumerate(words):
        if word.folded not in _BIRTH_WORDS or _of_a_relative(words, index):
            continue
        if _not_born(words, index):
            continue  # "I wasn't born in Arkansas, born in Alabama"
        year = _birth_year(words, index)
        if (year is not None and year <= LAST_YEAR_OF_SLAVERY) or (
            year is None and (born_in_slavery or _born_in_slavery(words, index))
        ):
            cues.setdefault(word.sentence, word)
    return cues


def _narrators_age(paragraphs: list[list[Token]]) -> int | None:
    """The first age the interview's opening gives the narrator: "Age 87", "aged 85",
    "I'se 86 years old", "Mary Jones, 88 years old"; not "died at age 95", "my father
    was 95 years old", nor "when I was 5 years old"."""
    for words in paragraphs:
        for index, word in enumerate(words):
            number = None
            if word.folded in _AGE_WORDS and not (index and words[index - 1].folded == "at"):
                after = words[index + 1 : index + 1 + AGE_REACH]
                number = next((w for w in after if w.folded.isdigit()), None)
            elif word.folded == "years" and 0 < index < len(words) - 1:
                before = range(max(0, index - 1 - RELATIVE_REACH), index - 1)
                if words[index + 1].folded == "old" and not any(
                    _a_relative(words, i) and words[i].sentence == word.sentence for i in before
                ):
                    number = words[index - 1]  # not "my father was 95 years old"
            if number is None or not number.folded.isdigit() or len(number.folded) > 3:
                continue
            if int(number.folded) >= YOUNGEST_NARRATOR:
                return int(number.folded)
    return None


def _called_ex_slave(words: list[Token]) -> bool:
    """Whether the interview's opening calls its narrator an ex-slave or a former slave
    ("Bill Austin ... is an ex-slave who gained his freedom", "Rias Body, Ex-Slave")."""
    return any(
        word.folded in ("ex", "former") and next_word.folded == "slave" and next_word.joined
        for word, next_word in zip(words, words[1:], strict=False)
    )


def _not_born(words: list[Token], index: int) -> bool:
    """Whether a birth word is denied ("I wasn't born in Arkansas")."""
    before = words[max(0, index - DENIAL_REACH) : index]
    return any(w.folded in _NOT_BORN and w.sentence == words[index].sentence for w in before)


def _born_in_slavery(words: list[Token], index: int) -> bool:
    """ "born before freedom", "born in slavery time", "born before de war"."""
    after = [w.folded for w in words[index + 1 : index + 1 + SLAVERY_TIME_REACH]]
    said = " ".join(after)
    return any(phrase in said for phrase in _SLAVERY_TIMES) or _old_at_freedom(words, index)


def _old_at_freedom(words: list[Token], index: int) -> bool:
    """ "born near Commerce, Georgia, and was thirteen years old at surrender": the
    narrator's age when freedom came, told in the sentence of the birth (not a relative's:
    "my mammy was twenty years old at freedom"; not "born since freedom")."""
    told = [w.folded for w in words[index + 1 :] if w.sentence == words[index].sentence]
    for at, word in enumerate(told):
        if word in _RELATIVES:
            return False
        if (
            word in _OLD_WORDS
            and at > 0
            and told[at - 1] in _YEAR_WORDS
            and told[at + 1 : at + 2] in (["at"], ["when"], ["in"])
            and FREEDOM_WORDS & set(told[at + 2 : at + 2 + OLD_AT_FREEDOM_REACH])
        ):
            return True
    return False


def _birth_year(words: list[Token], index: int) -> int | None:
    """The year nearest a birth word in its sentence (a narrator's, from 1780 on), or
    failing that a year of slavery in the next ("I was borned in Macon, Georgy. But de
    year was 1858."); not a later year there ("In 1870 we moved", which the narrator's
    age may date better), nor a relative's ("My pappy was brought from Virginia in
    1855")."""
    sentence = words[index].sentence
    year = _nearest_year(words, index, sentence, before=LAST_YEAR_OF_A_NARRATORS_BIRTH)
    if year is not None:
        return year
    following = [i for i, word in enumerate(words) if word.sentence == sentence + 1]
    if any(_a_relative(words, i) for i in following):
        return None
    return _nearest_year(words, index, sentence + 1, before=LAST_YEAR_OF_SLAVERY + 1)


def _nearest_year(words: list[Token], index: int, sentence: int, before: int) -> int | None:
    """The year in a sentence nearest the word at `index`, from 1780 up to `before`."""
    years = [
        (abs(position - index), int(word.folded))
        for position, word in enumerate(words)
        if word.sentence == sentence
        and word.folded.isdigit()
        and len(word.folded) == 4
        and FIRST_YEAR < int(word.folded) < before
    ]
    return min(years)[1] if years else None


def _of_a_relative(words: list[Token], index: int) -> bool:
    """Whether a birth word tells of a relative's birth: "my mother was born", "My
    father was Jackson Longacre and he was born", "My mama ... She was born in Missouri";
    not the narrator's, called "Aunt" or "Uncle" ("Uncle Sam says he was born")."""
    sentence = words[index].sentence
    before = range(max(0, index - RELATIVE_REACH), index)
    if any(_a_relative(words, i) and words[i].sentence == sentence for i in before):
        return True
    subject = words[max(0, index - SUBJECT_REACH) : index]
    if not any(word.folded in _THIRD_PERSONS for word in subject):
        return False
    # the relative named earlier in the sentence, or the narrator's in the one before
    # ("My mama was a good woman. She was born ..."; not "Jane Doe lives with her
    # daughter. She was born ...", an interviewer's words of the narrator)
    return any(
        _a_relative(words, i)
        and (
            words[i].sentence == sentence
            or (words[i].sentence == sentence - 1 and i and words[i - 1].folded in _MINE)
        )
        for i in range(index)
    )


def _a_relative(words: list[Token], index: int) -> bool:
    """A word for a relative, not a title before a name ("Aunt Adeline", but "my Aunt
    Sally" is a relative)."""
    if words[index].folded not in _RELATIVES:
        return False
    titled = (
        words[index].is_capitalised
        and index + 1 < len(words)
        and words[index + 1].is_capitalised
        and words[index + 1].joined
    )
    owned = index > 0 and words[index - 1].folded in _POSSESSIVES
    return owned or not titled


def _where_told(
    states: list[tuple[PlaceMention, Candidate]], words: list[Token], cues: dict[int, Token]
) -> Candidate:
    """Of the first such sentence's states, the one nearest the words that say so, in
    their clause first ("born in Mississippi as a slave of ..."), leaving out a place left
    behind ("from Georgia to Tennessee", "born in Virginia but was brought to Alabama")
    where another is named, and a state named outright before a town's ("a boat to
    Mobile from Aberdeen, Mississippi")."""
    sentence = words[states[0][0].first].sentence
    in_sentence = [(m, p) for m, p in states if words[m.first].sentence == sentence]
    arrived = [
        (m, p) for m, p in in_sentence
        if m.first == 0 or words[m.first - 1].folded not in _ORIGIN_WORDS
    ] or in_sentence  # fmt: skip
    arrived = [(m, p) for m, p in arrived if _moved_to(m, words)] or arrived
    cue = cues[sentence]
    nearest = min(
        arrived,
        key=lambda item: (
            item[1].level,  # a state named outright before a town in one
            words[item[0].first].clause != cue.clause,
            abs(words[item[0].first].index - cue.index),
        ),
    )
    return nearest[1]


def _moved_to(mention: PlaceMention, words: list[Token]) -> bool:
    """Whether a state is where the narrator was taken while enslaved: after "brought
    to", "moves us all up into", in a sentence that says nothing of freedom nor dates
    the move after it ("we moved to Arkansas in 1870")."""
    first = mention.first
    if first == 0 or words[first - 1].folded not in _INTO:
        return False
    told = [w for w in words if w.sentence == words[first].sentence]
    before = words[max(0, first - 1 - MOVED_REACH) : first - 1]
    moved = any(w.folded in _MOVED_WORDS and w.sentence == words[first].sentence for w in before)
    after_the_war = any(
        w.folded in _AFTER_WORDS and {"war", "wah"} & {x.folded for x in told[i + 1 : i + 3]}
        for i, w in enumerate(told)
    )
    dated_later = any(
        w.folded.isdigit() and len(w.folded) == 4 and int(w.folded) > LAST_YEAR_OF_SLAVERY
        for w in told
        if w.index > words[first].index
    )
    free = any(w.folded in FREEDOM_WORDS for w in told) or after_the_war or dated_later
    return moved and not free


def _on_holding(words: list[Token], index: int) -> bool:
    """ "Swanson's place", "the home of Benjamin Simms": a holding named by its owner
    (not "my father's place")."""
    word = words[index].folded
    if word not in _HOLDING_WORDS | _HOMES:
        return False
    owner = words[index - 1] if index else None  # "Swanson's"
    if (
        word in _HOLDING_WORDS
        and owner is not None
        and owner.is_capitalised
        and owner.text.endswith(("'s", "’s"))
    ):
        return True
    if word == "place" and index >= 2 and words[index - 2].folded in _IN_PLACE:
        return False  # "took the place of"
    after = words[index + 1 : index + 3]  # "of Benjamin"
    return len(after) == 2 and after[0].folded == "of" and after[1].is_capitalised


def _address_words(words: list[Token]) -> set[int]:
    """The words of an address, or of where someone lives now: "1200 Kentucky Avenue,
    Indianapolis, Indiana", "lives in Madison", "Living on the Moffat road ...". A birth
    told in the same sentence ("Irene Coates of 2015 Windle Street, Jacksonville,
    Florida, was born in Georgia") still places the narrator."""
    found: set[int] = set()
    for index, word in enumerate(words):
        sentence = word.sentence
        named = (
            index > 0
            and words[index - 1].sentence == sentence
            and (words[index - 1].is_capitalised or words[index - 1].folded[0].isdigit())
        )
        numbered = index + 1 < len(words) and words[index + 1].folded[0].isdigit()
        # a surname, not a street: "a former slave of A.J. Lane of Georgia"
        someone_of = index + 1 < len(words) and words[index + 1].folded == "of"
        opens = index == 0 or words[index - 1].sentence != sentence
        if word.folded in _LIVES_NOW or (word.folded == "living" and opens):
            # "lives in Madison", "In Chaseville, Florida, ... lives William Sherman, a
            # former slave": the sentence, unless it tells a birth too ("... lives
            # Douglas Dorsey, born in Suwannee County, Florida"; "I was born in ...
            # Tennessee, said Aunt Adeline who lives in Fayetteville"): then the words
            # from "lives" to that birth, or a few after it
            in_sentence = [i for i, w in enumerate(words) if w.sentence == sentence]
            births = [i for i in in_sentence if words[i].folded in _BIRTH_WORDS]
            later = [i for i in births if i > index]
            if not births:
                span = range(in_sentence[0], in_sentence[-1] + 1)
            else:
                span = range(index, later[0] if later else index + 1 + LIVING_REACH)
        elif (word.folded in _STREET_WORDS and (named or numbered) and not someone_of) or (
            word.folded == "st" and named
        ):
            # "Billups Street", "Box 34", "Heard St."; not "to drive the cows", nor "in
            # St. Martinville"
            span = range(index - ADDRESS_NUMBER_REACH, index + 1 + ADDRESS_TAIL)
        elif word.folded in _ROAD_WORDS and any(
            w.folded[0].isdigit() and w.sentence == sentence
            for w in words[max(0, index - ADDRESS_NUMBER_REACH) : index + 2]
        ):
            span = range(index - ADDRESS_NUMBER_REACH, index + 1 + ADDRESS_TAIL)
        else:
            continue
        found.update(i for i in span if 0 <= i < len(words) and words[i].sentence == sentence)
    return found


def _free_birth(words: list[Token], index: int) -> bool:
    """Whether a birth word tells of a birth free ("born a free man"), not denied ("I
    wasn't born free")."""
    after = words[index + 1 : index + 1 + FREE_REACH]
    return (
        words[index].folded in _BIRTH_WORDS
        and any(w.folded in _FREE_WORDS for w in after)
        and not _not_born(words, index)
    )


def _said_born_free(words: list[Token]) -> bool:
    """Whether the narrator says they were born free ("I was born free", "I was
    freeborn"; not "Dere was a freeborn man")."""
    return any(
        (_free_birth(words, index) and not _of_a_relative(words, index))
        or (
            words[index].folded == "freeborn"
            and any(
                w.folded in _SPEAKERS and w.sentence == words[index].sentence
                for w in words[max(0, index - SPEAKER_REACH) : index]
            )
        )
        for index in range(len(words))
    )


def _born_free(words: list[Token]) -> set[int]:
    """Sentences of a birth that was not into slavery: free ("born a free man",
    "freeborn"), or dated after the war."""
    found: set[int] = set()
    for index, word in enumerate(words):
        year = _birth_year(words, index) if word.folded in _BIRTH_WORDS else None
        if (
            word.folded == "freeborn"
            or _free_birth(words, index)
            or (year is not None and year > LAST_YEAR_OF_SLAVERY)
        ):
            found.add(word.sentence)
    return found
