"""The interchange format: one JSON object per document (JSONL), and the same shape in
CSV rows. Records become `Document`s and back without loss.

Known keys: id, kind, title, text, language, date, source, source_url, license, place,
locations, abuse_types, perpetrators, access, plus the archive's own translation,
incident, witness, suggested and segments. Any other key is kept under `extra`.
"""

from __future__ import annotations

from typing import Any

from .dates import parse_loose_date
from .document_file import document_from_mapping, document_to_mapping
from .errors import ArchiveError
from .models import TAG_FIELDS, Document, body_sha256
from .places import Places

RECORD_KEYS = (
    "id", "kind", "title", "text", "language", "date", "source", "source_url", "license",
    "place", *TAG_FIELDS, "access", "translation", "incident", "witness", "suggested",
    "segments",
)  # fmt: skip
_ARCHIVE_KEYS = ("translation", "incident", "witness", "suggested", "segments", *TAG_FIELDS)
UNDETERMINED_LANGUAGE = "und"


def normalise_text(text: str) -> str:
    """The archive stores '\\n' line endings only."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def record_to_document(
    record: dict[str, Any], *, places: Places | None = None, where: str | None = None
) -> Document:
    """Build a document from an interchange record. Raises ArchiveError naming the field."""
    if not isinstance(record, dict):
        raise ArchiveError("each record must be a JSON object", path=where)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArchiveError(
            "missing or empty; every record needs its text", path=where, field="text"
        )
    body = normalise_text(text)
    try:
        body.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ArchiveError(
            "contains characters that are not valid Unicode text", path=where, field="text"
        ) from error

    data: dict[str, Any] = {
        "id": record.get("id"),
        "kind": record.get("kind"),
        "title": record.get("title"),
        "language": record.get("language") or UNDETERMINED_LANGUAGE,
        "access": record.get("access") or "public",
        "sha256": body_sha256(body),
    }
    for key in _ARCHIVE_KEYS:
        if record.get(key) is not None:
            data[key] = record[key]
    try:
        date = parse_loose_date(record.get("date"))
    except ValueError as error:
        raise ArchiveError(str(error), path=where, field="date") from error
    if date is not None:
        data["date"] = str(date)

    source = _source(record)
    if source is not None:
        data["source"] = source
    extra = {key: value for key, value in record.items() if key not in (*RECORD_KEYS, "extra")}
    if isinstance(record.get("extra"), dict):
        extra.update(record["extra"])  # keys that would clash with the record's own
    elif record.get("extra") is not None:
        extra["extra"] = record["extra"]
    for key in ("source_url", "license"):
        if record.get(key) is not None and not (
            isinstance(source, dict) and source.get(_SOURCE_KEYS[key]) == record[key]
        ):
            extra[key] = record[key]
    place = record.get("place")
    if place is not None:
        extra["place"] = place
        if isinstance(place, str) and places is not None and not data.get("locations"):
            codes = places.codes_for_text(place)
            if codes:
                suggested = dict(data.get("suggested") or {})
                suggested["locations"] = list(
                    dict.fromkeys([*suggested.get("locations", []), *codes])
                )
                data["suggested"] = suggested
    if extra:
        data["extra"] = extra
    return document_from_mapping(data, body, path=where)


_SOURCE_KEYS = {"source_url": "url", "license": "license"}


def _source(record: dict[str, Any]) -> dict[str, Any] | str | None:
    """The archive keeps the source as one mapping; a plain-text source is its citation."""
    source = record.get("source")
    mapping: dict[str, Any]
    if isinstance(source, str):
        mapping = {"citation": source}
    elif isinstance(source, dict):
        if any(key in source for key in _SOURCE_KEYS.values()):
            return source  # already carries its own url/licence: keep it exactly
        mapping = dict(source)
    elif source is None:
        mapping = {}
    else:
        raise ArchiveError("source must be text or an object", field="source")
    for record_key, source_key in _SOURCE_KEYS.items():
        if isinstance(record.get(record_key), str):
            mapping[source_key] = record[record_key]
    return mapping or None


def document_to_record(document: Document) -> dict[str, Any]:
    """The interchange record of a document; `record_to_document` reads it back exactly."""
    record: dict[str, Any] = {
        "id": document.id,
        "kind": document.kind,
        "title": document.title,
        "text": document.body,
    }
    if document.language != UNDETERMINED_LANGUAGE:
        record["language"] = document.language
    if document.date is not None:
        record["date"] = str(document.date)
    extra = dict(document.extra)
    source = document.source
    if isinstance(source, dict) and not (set(source) - {"citation", *_SOURCE_KEYS.values()}):
        rest = dict(source)
        for record_key, source_key in _SOURCE_KEYS.items():
            if source_key in rest and record_key not in extra:
                record[record_key] = rest.pop(source_key)
        source = rest.get("citation") if set(rest) == {"citation"} else rest or None
    if source is not None:
        record["source"] = source
    if document.access != "public":
        record["access"] = document.access
    mapping = document_to_mapping(document)
    for key in _ARCHIVE_KEYS:
        if key in mapping:
            record[key] = _json_safe(mapping[key])
    for key in ("place", "source_url", "license"):
        if key in extra and key not in record:
            record[key] = extra.pop(key)
    for key, value in extra.items():
        if key in record or key in RECORD_KEYS:
            record.setdefault("extra", {})[key] = value
        else:
            record[key] = value
    return record


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
