"""The JSON API's response shapes (they make /openapi.json accurate)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ParagraphResult(BaseModel):
    doc: str
    para: int = Field(description="Paragraph number (1-based)")
    score: float
    text: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) character offsets in text")


class DocumentResult(BaseModel):
    doc: str
    title: str
    kind: str
    language: str
    date: str | None
    access: str
    score: float
    tags: dict[str, list[str]]
    suggested: dict[str, list[str]]
    paras: list[int] = Field(description="Best-matching paragraph numbers")
    paragraphs: list[ParagraphResult]


class FacetCount(BaseModel):
    value: str
    label: str
    count: int
    parent: str | None


class SearchResponse(BaseModel):
    query: str
    unit: str
    sort: str
    page: int
    limit: int
    total: int
    pages: int
    notes: list[str]
    took_ms: float
    results: list[DocumentResult] | list[ParagraphResult]
    facets: dict[str, list[FacetCount]]


SHA256_DESCRIPTION = (
    "SHA-256 of the document's archived text; where passages are redacted for this caller, "
    "of the text as shown, with [redacted] in their place"
)


class CitationModel(BaseModel):
    text: str
    permalink: str


class ParagraphResponse(BaseModel):
    doc: str
    para: int
    page: int | None = Field(
        None, description="The page it stands on, for a document imported from a PDF"
    )
    text: str
    sha256: str = Field(description=SHA256_DESCRIPTION)
    citation: CitationModel


class DocumentResponse(BaseModel):
    id: str
    kind: str
    title: str
    language: str
    date: str | None
    access: str
    sha256: str = Field(description=SHA256_DESCRIPTION)
    redacted: bool = Field(
        False, description="Passages are hidden from this caller, shown as [redacted]"
    )
    tags: dict[str, list[str]]
    suggested: dict[str, list[str]]
    witness: dict[str, object] | None
    source: dict[str, object] | str | None
    paragraphs: list[ParagraphResponse]


class Health(BaseModel):
    status: str
    # What the caller may read; absent where the archive is closed to visitors who have
    # not signed in (the check itself stays open, for load balancers).
    documents: int | None = None
    paragraphs: int | None = None


class ErrorResponse(BaseModel):
    error: str
    details: list[str]
