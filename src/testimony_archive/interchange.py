"""The interchange format: one JSON object per document (JSONL), and the same shape in
CSV rows. Records become `Document`s and back without loss.

Known keys: id, kind, title, text, language, date, source, source_url, license, place,
locations, abuse_types, perpetrators, access, plus the archive's own translation,
incident, witness, suggested, segments, redactions and pages (a PDF's page of
each run of paragraphs). Any other key is kept under `extra`; a record
may also carry an `extra` object of its own (for keys that would clash with these).

The mapping, both ways:
- `source` text is kept as `source: {citation: ...}`; `source_url` and `license` go into
  the source as `url` and `license`. Export splits them out again.
- `place` (free text) is kept under `extra.place`, and the location codes read from it
  are added to the suggested locations.
"""

from __future__ import annotations

from typing import Any

from .dates import parse_loose_date
from .document_file import document_from_mapping, document_to_mapping
from .errors import ArchiveError
from .fields import TAG_FIELDS
from .input_files import control_character
from .models import Document, body_sha256
from .places import Places

RECORD_KEYS = (
    "id", "kind", "title", "text", "language", "date", "source", "source_url", "license",
    "place", *TAG_FIELDS, "access", "translation", "incident", "witness", "suggested",
    "segments", "redactions", "pages",
)  # fmt: skip
_ARCHIVE_KEYS = (
    "translation", "incident", "witness", "suggested", "segments", "redactions", "pages",
    *TAG_FIELDS,
)  # fmt: skip
_SOURCE_KEYS = {"source_url": "url", "license": "license"}
RESERVED_EXTRA = (*RECORD_KEYS, "extra")
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
    control = control_character(body)
    if control is not None:
        raise ArchiveError(
            f"holds {control[1]} at character {control[0] + 1}; remove it",
            path=where, field="text",
        )  # fmt: skip

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
    source = _source(record, where)
    if source is not None:
        data["source"] = source

    extra = _extra(record, where)
    place = extra.get("place")
    if isinstance(place, str) and places is not None and not data.get("locations"):
        codes = places.codes_for_text(place)
        if codes:
            suggested = dict(data.get("suggested") or {})
            known = list(suggested.get("locations") or [])
            suggested["locations"] = list(dict.fromkeys([*known, *codes]))
            data["suggested"] = suggested
    if extra:
        data["extra"] = extra
    return document_from_mapping(data, body, path=where)


def _source(record: dict[str, Any], where: str | None) -> dict[str, Any] | None:
    """The archive keeps the source as one mapping; a plain-text source is its citation."""
    source = record.get("source")
    mapping: dict[str, Any]
    if isinstance(source, str):
        mapping = {"citation": source}
    elif isinstance(source, dict):
        mapping = dict(source)
    elif source is None:
        mapping = {}
    else:
        raise ArchiveError("must be text or an object", path=where, field="source")
    for record_key, source_key in _SOURCE_KEYS.items():
        value = record.get(record_key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ArchiveError("must be text", path=where, field=record_key)
        if source_key in mapping and mapping[source_key] != value:
            raise ArchiveError(
                f"differs from source.{source_key}; give it once", path=where, field=record_key
            )
        mapping[source_key] = value
    return mapping or None


def _extra(record: dict[str, Any], where: str | None) -> dict[str, Any]:
    extra = {key: value for key, value in record.items() if key not in (*RECORD_KEYS, "extra")}
    if record.get("place") is not None:
        extra["place"] = record["place"]
    own = record.get("extra")
    if isinstance(own, dict):
        for key, value in own.items():
            if key in extra:
                raise ArchiveError(
                    f"'{key}' is given both in the record and under 'extra'; give it once",
                    path=where,
                    field="extra",
                )
            extra[key] = value
    elif own is not None:
        extra["extra"] = own
    return extra


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
    if document.source is not None:
        _export_source(document.source, record)
    if document.access != "public":
        record["access"] = document.access
    mapping = document_to_mapping(document)
    for key in _ARCHIVE_KEYS:
        if key in mapping:
            record[key] = _json_safe(mapping[key])
    extra = dict(document.extra)
    if extra.get("place") is not None:
        record["place"] = extra.pop("place")
    nested = {key: extra.pop(key) for key in list(extra) if key in RESERVED_EXTRA}
    record.update(extra)
    if nested:
        record["extra"] = nested
    return record


def _export_source(source: dict[str, Any] | str, record: dict[str, Any]) -> None:
    if isinstance(source, str):
        record["source"] = source
        return
    rest = dict(source)
    for record_key, source_key in _SOURCE_KEYS.items():
        if isinstance(rest.get(source_key), str):
            record[record_key] = rest.pop(source_key)
    if set(rest) == {"citation"} and isinstance(rest["citation"], str):
        record["source"] = rest["citation"]
    elif rest:
        record["source"] = rest


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
