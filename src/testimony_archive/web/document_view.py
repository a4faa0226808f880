"""The document page's context: metadata rows, tags with links, paragraph rows."""

from __future__ import annotations

from urllib.parse import urlencode

from ..citation import cite
from ..history import TagChange
from ..index.search import spans_for
from ..models import TAG_FIELDS, Document, TagSet
from ..vocabulary import Vocabulary
from .contexts import DocumentPage, HistoryRow, ParagraphRow, TagView
from .i18n import KIND_LABELS, N_, Translator

__all__ = ["KIND_LABELS", "document_page"]
ACTION_LABELS = {
    "add": N_("added"), "remove": N_("removed"), "accept": N_("accepted"),
    "reject": N_("rejected"), "suggest": N_("suggested by the machine"),
}  # fmt: skip
TAG_PARAMS = {"locations": "location", "abuse_types": "abuse_type", "perpetrators": "perpetrator"}


def document_page(
    document: Document,
    vocabulary: Vocabulary,
    translate: Translator,
    base_url: str,
    q: str,
    terms: tuple[set[tuple[str, str]], set[tuple[str, str]]],
    hits: list[int],
    history: list[TagChange],
    editing: bool,
    csrf: str,
    evidence: dict[int, dict[str, str]] | None = None,
) -> DocumentPage:
    language = translate.language
    return DocumentPage(
        doc_id=document.id,
        title=document.title,
        kind=translate.kind(document.kind),
        date=str(document.date) if document.date else None,
        language=document.language,
        metadata=_metadata(document, translate),
        tags=_tags(document, vocabulary, translate),
        paragraphs=_rows(document, vocabulary, language, base_url, terms, hits, evidence or {}),
        q=q,
        hits=hits,
        back_url="/search?" + urlencode({"q": q}) if q else "/search",
        sha256=document.sha256,
        doc_tags=_tag_views(document.tags, document.suggested, vocabulary, language),
        history=history_rows(history, vocabulary, translate),
        editing=editing,
        csrf=csrf,
    )


def _rows(
    document: Document,
    vocabulary: Vocabulary,
    language: str,
    base_url: str,
    terms: tuple[set[tuple[str, str]], set[tuple[str, str]]],
    hits: list[int],
    evidence: dict[int, dict[str, str]],
) -> list[ParagraphRow]:
    rows: list[ParagraphRow] = []
    for paragraph in document.paragraphs:
        segment = document.segments.get(paragraph.number)
        tags: list[TagView] = []
        if segment is not None:
            tags = _tag_views(
                segment.tags, segment.suggested, vocabulary, language,
                evidence.get(paragraph.number),
            )  # fmt: skip
        position = hits.index(paragraph.number) if paragraph.number in hits else None
        rows.append(
            ParagraphRow(
                number=paragraph.number,
                text=paragraph.text,
                spans=spans_for(paragraph.text, document.language, *terms),
                tags=tags,
                citation=cite(document, paragraph.number, base_url, language),
                is_hit=position is not None,
                previous_hit=hits[position - 1] if position else None,
                next_hit=hits[position + 1]
                if position is not None and position + 1 < len(hits)
                else None,
            )
        )
    return rows


def _tag_views(
    confirmed: TagSet,
    suggested: TagSet,
    vocabulary: Vocabulary,
    language: str,
    evidence: dict[str, str] | None = None,
) -> list[TagView]:
    return [
        TagView(value, vocabulary.label(name, value, language), is_suggested,
                "/search?" + urlencode({TAG_PARAMS[name]: value}),
                (evidence or {}).get(value, "") if is_suggested else "")
        for is_suggested, tags in ((False, confirmed), (True, suggested))
        for name in TAG_FIELDS
        for value in tags.get(name)
    ]  # fmt: skip


def history_rows(
    changes: list[TagChange], vocabulary: Vocabulary, translate: Translator
) -> list[HistoryRow]:
    rows = []
    for change in reversed(changes):
        label = vocabulary.label(change.field, change.value, translate.language)
        where = (
            f"{translate.gettext('Paragraph')} {change.para}"
            if change.para
            else translate.gettext("Document")
        )
        origin = (
            translate.gettext("suggestion")
            if change.origin == "suggested"
            else translate.gettext("manual")
        )
        rows.append(HistoryRow(change.at.replace("T", " ").removesuffix("+00:00"), change.editor,
                               translate.gettext(ACTION_LABELS.get(change.action, change.action)),
                               label, where,
                               ", ".join(change.before) or "—", ", ".join(change.after) or "—",
                               origin))  # fmt: skip
    return rows


def _metadata(document: Document, translate: Translator) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if document.witness and document.witness.get("pseudonym"):
        # The pseudonym only: age, community and the like can identify a witness.
        rows.append((translate.gettext("Witness"), str(document.witness["pseudonym"])))
    if document.date:
        rows.append((translate.gettext("Date"), str(document.date)))
    incident = document.incident
    if incident is not None and (incident.start or incident.end):
        span = " – ".join(str(value) for value in (incident.start, incident.end) if value)
        rows.append((translate.gettext("Events"), span))
    if document.translation:
        described = ", ".join(f"{key}: {value}" for key, value in document.translation.items())
        rows.append((translate.gettext("Translated"), described))
    source = document.source
    if isinstance(source, dict):
        described = "; ".join(str(value) for key, value in source.items() if key != "url")
        rows.append((translate.gettext("Source"), described))
    elif source:
        rows.append((translate.gettext("Source"), source))
    rows.append((translate.gettext("Language"), document.language))
    return rows


def _tags(
    document: Document, vocabulary: Vocabulary, translate: Translator
) -> dict[str, list[tuple[str, str]]]:
    headings = {
        "locations": translate.gettext("Places"),
        "abuse_types": translate.gettext("Abuse types"),
        "perpetrators": translate.gettext("Perpetrators"),
    }
    every = document.all_tags()
    tags: dict[str, list[tuple[str, str]]] = {}
    for name in TAG_FIELDS:
        values = every.get(name)
        if values:
            tags[headings[name]] = [
                (
                    vocabulary.label(name, value, translate.language),
                    "/search?" + urlencode({TAG_PARAMS[name]: value}),
                )
                for value in values
            ]
    return tags
