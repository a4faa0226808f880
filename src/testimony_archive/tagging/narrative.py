"""Where a narrative says its events happened: the state where its narrator was enslaved
("I b'longed to de Moorings ... Aberdeen, Mississippi"; "a slave on the Stubblefield
plantation in Kentucky"). The labelling rules take a WPA event's state from the paragraph,
or else from the document "when the document states where the informant was enslaved"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import split_paragraphs
from .locating import resolve
from .tokens import tokenize

if TYPE_CHECKING:
    from .tagger import Tagger

# Words that say where the narrator was enslaved. Birth alone does not: many narrators
# were born free, after the war, or were sold away from where they were born.
_ENSLAVEMENT_WORDS = frozenset(
    "slave slaves slavery enslaved belonged b'longed owned plantation marster massa master "
    "owner".split()
)
_ADDRESS_WORDS = frozenset(
    "street st avenue ave road rd route drive boulevard lane box rfd lives living resides "
    "reside".split()
)
MAX_PARAGRAPHS = 12  # the narrator's origins come first; later moves are other events


def event_places(body: str, tagger: Tagger, locations: tuple[str, ...]) -> tuple[str, ...]:
    """The first-level subdivision named where the narrative tells of the narrator's
    enslavement, if any; the earliest such statement wins."""
    gazetteer = tagger.gazetteer
    home = tuple(code.split("-")[0] for code in locations if len(code) >= 2)
    home_countries = tuple(
        dict.fromkeys(tagger.vocabulary.places.country_of(code) for code in locations)
    )
    for paragraph in split_paragraphs(body)[:MAX_PARAGRAPHS]:
        tokens = tokenize(paragraph)
        words = [token for token in tokens if token.is_word]
        life_sentences = {word.sentence for word in words if word.folded in _ENSLAVEMENT_WORDS}
        if not life_sentences:
            continue
        mentions = gazetteer.find(words, tokens)
        resolved = resolve(mentions, home_countries or home)
        # The interview's address ("Rosaline Rogers, ex-slave, 1200 Kentucky Avenue,
        # Indianapolis, Indiana") says where the narrator lives now.
        addresses = {word.sentence for word in words if word.folded in _ADDRESS_WORDS}
        for mention, place in resolved:
            sentence = words[mention.first].sentence
            if sentence not in life_sentences or sentence in addresses or place.level != 1:
                continue
            if not home_countries or place.country in home_countries:
                return (place.code,)
    return ()
