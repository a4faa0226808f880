"""What the suggestion engine returns, and the document context it can use."""

from __future__ import annotations

from dataclasses import dataclass

from ..fields import TAG_FIELDS


@dataclass(frozen=True)
class Evidence:
    """Why a tag was suggested: the words that triggered it, located in the paragraph."""

    field: str  # "locations" | "abuse_types" | "perpetrators"
    value: str  # the id suggested
    start: int  # offsets into the paragraph text: text[start:end] == self.text
    end: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    locations: tuple[str, ...] = ()
    abuse_types: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in TAG_FIELDS}


@dataclass(frozen=True)
class TagContext:
    """What is known about the document a paragraph comes from.

    `locations` are the document's known places (a report's country; for a testimony,
    where it was collected). A report's country is where its abuses happened unless a
    paragraph says otherwise; a testimony's collection place only settles ambiguous names
    ("Georgia" in an American narrative), because a witness may describe another state.
    `event_locations` are places the document itself says its events happened (where a
    narrator was enslaved); they stand in when a paragraph describes an abuse and names
    no place.
    """

    kind: str | None = None
    language: str | None = None
    locations: tuple[str, ...] = ()
    event_locations: tuple[str, ...] = ()
