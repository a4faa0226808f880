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
class Confidence:
    """How likely a reviewer is to accept one suggested tag, from 0 to 1."""

    field: str
    value: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    locations: tuple[str, ...] = ()
    abuse_types: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confidences: tuple[Confidence, ...] = ()  # one per suggested value

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in TAG_FIELDS}

    def confidence(self, field: str, value: str) -> float:
        """The confidence of one suggested value (0 for a value not suggested)."""
        return next(
            (item.score for item in self.confidences if (item.field, item.value) == (field, value)),
            0.0,
        )

    def at_least(self, threshold: float) -> Suggestion:
        """Only the values suggested with at least this confidence, and their evidence."""
        kept = {(c.field, c.value) for c in self.confidences if c.score >= threshold}

        def values(name: str) -> tuple[str, ...]:
            return tuple(value for value in getattr(self, name) if (name, value) in kept)

        return Suggestion(
            locations=values("locations"),
            abuse_types=values("abuse_types"),
            perpetrators=values("perpetrators"),
            evidence=tuple(e for e in self.evidence if (e.field, e.value) in kept),
            confidences=tuple(c for c in self.confidences if (c.field, c.value) in kept),
        )


@dataclass(frozen=True)
class TagContext:
    """What is known about the document a paragraph comes from.

    `locations` are the document's known places (a report's country; for a testimony,
    where it was collected). A report's country is where its abuses happened unless a
    paragraph says otherwise; a testimony's collection place only settles ambiguous names
    ("Georgia" in an American narrative), because a witness may describe another state.
    `event_locations` are places the document itself says its events happened (where a
    narrator was enslaved); they stand in when a paragraph describes an abuse and names
    no place. `slavery` says the document is a narrative of slavery: an abuse in it whose
    doer goes unnamed is the enslaver's, not an unknown person's.
    """

    kind: str | None = None
    language: str | None = None
    locations: tuple[str, ...] = ()
    event_locations: tuple[str, ...] = ()
    slavery: bool = False
