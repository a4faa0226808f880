"""The document page's context: metadata rows, tags with links, paragraph rows."""

from __future__ import annotations

from urllib.parse import urlencode

from ..citation import cite
from ..fields import BY_NAME, TAG_FACETS, TAG_FIELDS
from ..history import TagChange
from ..i18n import N_, Translator
from ..models import Confidences, Document, TagSet
from ..service import SOME_EDITOR, DocumentReading
from ..vocabulary import Vocabulary
from .contexts import DocumentPage, HistoryRow, ParagraphRow, RedactionRow, TagView
from .views import percent

WITNESS_DETAILS = (("age", N_("Age")), ("gender", N_("Gender")), ("community", N_("Community")))
ACTION_LABELS = {
    "add": N_("added"), "remove": N_("removed"), "accept": N_("accepted"),
    "reject": N_("rejected"), "suggest": N_("suggested by the machine"),
}  # fmt: skip


def document_page(
    *,
    reading: DocumentReading,
    q: str,
    vocabulary: Vocabulary,
    translate: Translator,
    base_url: str,
    archive: str,
) -> DocumentPage:
    document = reading.document
    return DocumentPage(
        doc_id=document.id,
        title=document.title,
        kind=translate.kind(document.kind),
        date=str(document.date) if document.date else None,
        language=document.language,
        metadata=_metadata(document, translate),
        tags=_tags(document, vocabulary, translate),
        paragraphs=_rows(reading, vocabulary, translate, base_url, archive),
        q=q,
        hits=reading.hits,
        back_url="/search?" + urlencode({"q": q}) if q else "/search",
        sha256=document.sha256,
        text_redacted=document.redacted,
        doc_tags=_tag_views(
            document.tags, document.suggested, vocabulary, translate, confidence=document.confidence
        ),
        history=history_rows(reading.history, vocabulary, translate),
        editing=reading.may_edit_tags,
        may_redact=reading.may_redact,
        redactions=_redactions(document, reading.exposures) if reading.may_redact else [],
    )


def _rows(
    reading: DocumentReading,
    vocabulary: Vocabulary,
    translate: Translator,
    base_url: str,
    archive: str,
) -> list[ParagraphRow]:
    document, hits = reading.document, reading.hits
    rows: list[ParagraphRow] = []
    for paragraph in document.paragraphs:
        segment = document.segments.get(paragraph.number)
        tags: list[TagView] = []
        if segment is not None:
            tags = _tag_views(
                segment.tags, segment.suggested, vocabulary, translate,
                reading.evidence.get(paragraph.number), segment.confidence,
            )  # fmt: skip
        position = hits.index(paragraph.number) if paragraph.number in hits else None
        rows.append(
            ParagraphRow(
                number=paragraph.number,
                text=paragraph.text,
                spans=reading.spans.get(paragraph.number, []),
                redacted=[(item.start, item.end) for item in document.redactions
                          if item.para == paragraph.number],  # fmt: skip
                tags=tags,
                citation=cite(document, paragraph.number, base_url, translate, archive),
                is_hit=position is not None,
                previous_hit=hits[position - 1] if position else None,
                next_hit=hits[position + 1]
                if position is not None and position + 1 < len(hits)
                else None,
                page_starts=document.pages.get(paragraph.number),
            )
        )
    return rows


def _tag_views(
    confirmed: TagSet,
    suggested: TagSet,
    vocabulary: Vocabulary,
    translate: Translator,
    evidence: dict[str, str] | None = None,
    confidence: Confidences | None = None,
) -> list[TagView]:
    """Confirmed, then suggested tags; a suggestion with the words behind it and how sure
    the machine was of it, where known."""
    sure = confidence or {}
    return [
        TagView(value, vocabulary.label(name, value, translate.language), is_suggested,
                "/search?" + urlencode({BY_NAME[name].param: value}),
                (evidence or {}).get(value, "") if is_suggested else "",
                percent(sure[value], translate) if is_suggested and value in sure else "")
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
        editor = translate.gettext(SOME_EDITOR) if change.editor == SOME_EDITOR else change.editor
        rows.append(HistoryRow(change.at.replace("T", " ").removesuffix("+00:00"), editor,
                               translate.gettext(ACTION_LABELS.get(change.action, change.action)),
                               label, where,
                               ", ".join(change.before) or "—", ", ".join(change.after) or "—",
                               origin))  # fmt: skip
    return rows


def _redactions(document: Document, exposures: list[list[str]]) -> list[RedactionRow]:
    """The document's redactions, listed for those who may redact (their document is
    unredacted, and each redaction says who made it, when and why, and where else its
    words stand in what every reader sees)."""
    return [
        RedactionRow(number, item.para, item.chars, document.paragraphs[item.para - 1].text[
            item.start:item.end], item.reason, item.by, item.at.replace("T", " ")[:16],
            ", ".join(exposed))
        for number, (item, exposed) in enumerate(zip(document.redactions, exposures,
                                                     strict=True), start=1)
    ]  # fmt: skip


def _metadata(document: Document, translate: Translator) -> list[tuple[str, str]]:
    """The document's details, as the viewer may see them (`access.redact` has left only
    the witness details the viewer may read)."""
    rows: list[tuple[str, str]] = []
    witness = document.witness or {}
    if witness.get("pseudonym"):
        rows.append((translate.gettext("Witness"), str(witness["pseudonym"])))
    for key, label in WITNESS_DETAILS:
        if witness.get(key) not in (None, ""):
            rows.append((translate.gettext(label), str(witness[key])))
    if document.date:
        rows.append((translate.gettext("Date"), str(document.date)))
    incident = document.incident
    if incident is not None and (incident.start or incident.end):
        span = " – ".join(dict.fromkeys(str(value) for value in (incident.start, incident.end)
                                        if value))  # fmt: skip
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
    every = document.all_tags()
    tags: dict[str, list[tuple[str, str]]] = {}
    for facet in TAG_FACETS:
        values = every.get(facet.name)
        if values:
            tags[translate.gettext(facet.plural)] = [
                (
                    facet.label(value, vocabulary, translate),
                    "/search?" + urlencode({facet.param: value}),
                )
                for value in values
            ]
    return tags
