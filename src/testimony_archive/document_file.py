"""Reading and writing one archive file: YAML front matter, then the body, verbatim.

This module checks the structure of a file (keys, types, id, dates, sha256). Whether the
tag ids exist in the vocabulary is checked by `archive.validate_tags`, which knows it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import yaml

from .dates import PartialDate, parse_date
from .errors import ArchiveError, UsageError
from .fields import TAG_FIELDS
from .input_files import control_character
from .models import (
    ACCESS_LEVELS,
    KINDS,
    Confidences,
    Document,
    Incident,
    Paragraph,
    Redaction,
    Segment,
    TagSet,
    body_sha256,
    iter_paragraphs,
    pending_confidences,
)
from .redaction import parse_chars

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
KEYS = (
    "id", "kind", "title", "language", "translation", "date", "incident",
    *TAG_FIELDS, "suggested", "witness", "source", "pages", "access", "sha256", "segments",
    "redactions", "extra",
)  # fmt: skip
REQUIRED = ("id", "kind", "title", "language", "sha256")
SEGMENT_KEYS = (*TAG_FIELDS, "suggested")
# Under `suggested`, beside the tags: how sure the machine was of each, {tag: 0..1}.
SUGGESTED_KEYS = (*TAG_FIELDS, "confidence")

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """Safe YAML, except that dates stay text: this module checks them itself, so that an
    impossible date (2016-02-30) is reported with its field and line like any other."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def split_front_matter(text: str, path: Path | str | None = None) -> tuple[str, str, int]:
    """Return (front matter, body, body's first line number)."""
    if not text.startswith("---\n"):
        raise ArchiveError(
            "the file must start with a '---' line, then the YAML front matter",
            path=path, line=1,
        )  # fmt: skip
    closing = re.search(r"^---[ \t]*$\n?", text[4:], flags=re.MULTILINE)
    if closing is None:
        raise ArchiveError(
            "the front matter is not closed: add a line '---' before the text",
            path=path,
        )
    front = text[4 : 4 + closing.start()]
    body = text[4 + closing.end() :]
    return front, body, front.count("\n") + 3


def parse_document(
    text: str, path: Path | str | None = None, *, fill_sha256: bool = False
) -> Document:
    """Parse and check an archive file's text. Raises ArchiveError naming what to fix.

    With `fill_sha256` (for imports), a missing sha256 is computed from the body.
    """
    front, body, _ = split_front_matter(text, path)
    data, key_lines = _load_yaml(front, path)
    if fill_sha256 and not data.get("sha256"):
        data["sha256"] = body_sha256(body)
    return document_from_mapping(data, body, path=path, key_lines=key_lines)


def _load_yaml(front: str, path: Path | str | None) -> tuple[dict[str, Any], dict[str, int]]:
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_plain(node, path)
        data = loader.construct_document(node) if node is not None else {}
    except yaml.reader.ReaderError as error:
        raise ArchiveError(
            f"the front matter holds a control character U+{error.character:04X}; remove it",
            path=path, line=front[: error.position].count("\n") + 2,
        ) from None  # fmt: skip
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        if "could not determine a constructor" in problem:
            problem += " (YAML tags that build objects are not allowed: write plain text)"
        raise ArchiveError(f"invalid YAML: {problem}", path=path, line=line) from error
    except RecursionError:
        raise ArchiveError("the front matter is nested too deeply", path=path) from None
    except ValueError as error:  # a number of more digits than Python converts, say
        raise ArchiveError(
            f"a value of the front matter cannot be read ({str(error)[:120]})", path=path
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ArchiveError("the front matter must be a mapping of keys", path=path, line=2)
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 2
            if key in key_lines:
                raise ArchiveError(
                    f"the key appears twice (also on line {key_lines[key]}); keep one",
                    path=path,
                    line=line,
                    field=key,
                )
            key_lines[key] = line
    return data, key_lines


MAX_FRONT_MATTER_NODES = 100_000
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


def _check_plain(root: yaml.Node, path: Path | str | None) -> None:
    """Refuse anchors and aliases (`&a`, `*a`): the front matter is written out in full.
    An alias makes one value stand for many, and a few lines of them ("billion laughs")
    stand for more values than any memory holds once something walks them. Refuse the
    tags that build other things than text, numbers, lists and mappings (`!!binary`,
    `!!set`, `!!python/...`): nothing could export them."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise ArchiveError(
                "invalid YAML: anchors and aliases (& and *) are not allowed in the front "
                "matter; write each value out in full",
                path=path,
                line=node.start_mark.line + 2,
            )
        seen.add(id(node))
        if len(seen) > MAX_FRONT_MATTER_NODES:
            raise ArchiveError(
                f"the front matter has more than {MAX_FRONT_MATTER_NODES:,} values; it is not "
                "an ordinary document's",
                path=path,
            )
        if node.tag not in _PLAIN_TAGS:
            raise ArchiveError(
                f"invalid YAML: the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not "
                "allowed in the front matter; write plain text, numbers, lists and mappings",
                path=path,
                line=node.start_mark.line + 2,
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def document_from_mapping(
    data: dict[str, Any],
    body: str,
    *,
    path: Path | str | None = None,
    key_lines: dict[str, int] | None = None,
    check_sha256: bool = True,
) -> Document:
    lines = key_lines or {}

    def fail(name: str, reason: str) -> ArchiveError:
        return ArchiveError(reason, path=path, line=lines.get(name), field=name)

    unknown = [str(key) for key in data if key not in KEYS]
    if unknown:
        name = unknown[0]
        raise fail(
            name,
            f"unknown key; allowed keys are {', '.join(KEYS)} (put anything else under 'extra')",
        )
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            raise fail(name, "missing; every document needs it")

    doc_id = data["id"]
    if not isinstance(doc_id, str) or not ID_PATTERN.match(doc_id):
        raise fail(
            "id",
            f"{doc_id!r} is not a valid id: use 1-100 characters of a-z, 0-9, '.', '_' "
            "and '-', starting with a letter or digit",
        )
    kind = data["kind"]
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not a kind; use one of {', '.join(KINDS)}")
    title = data["title"]
    if not isinstance(title, str) or not title.strip():
        raise fail("title", "must be text")
    control = control_character(title, title=True)
    if control is not None:
        raise fail("title", f"holds {control[1]} at character {control[0] + 1}; remove it")
    language = data["language"]
    if not isinstance(language, str) or not LANGUAGE_PATTERN.match(language):
        raise fail("language", f"{language!r} is not a language code such as en, es, tzh")
    access = data.get("access", "public")
    if access not in ACCESS_LEVELS:
        raise fail("access", f"{access!r}: use one of {', '.join(ACCESS_LEVELS)}")

    date = _date(data.get("date"), lambda reason: fail("date", reason))
    incident = _incident(data.get("incident"), lambda reason: fail("incident", reason))

    sha = data["sha256"]
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise fail("sha256", "must be 64 lower-case hexadecimal characters")
    if check_sha256:
        actual = body_sha256(body)
        if actual != sha:
            raise fail(
                "sha256",
                f"the text does not match its recorded sha256 (recorded {sha[:12]}…, "
                f"text has {actual[:12]}…): the body was changed after import; restore "
                "the original text from a backup or version history",
            )
    if not body.strip():
        raise ArchiveError("the document has no text after the front matter", path=path)

    paragraphs = list(iter_paragraphs(body))
    suggested, confidence = _suggested(
        _optional_mapping(data, "suggested", fail) or {},
        lambda name, reason: fail("suggested", f"{name}: {reason}"),
    )
    segments = _segments(data.get("segments"), len(paragraphs), lambda r: fail("segments", r))
    redactions = _redactions(data.get("redactions"), paragraphs, lambda r: fail("redactions", r))

    return Document(
        id=doc_id,
        kind=kind,
        title=title,
        language=language,
        body=body,
        sha256=sha,
        access=access,
        date=date,
        incident=incident,
        translation=_optional_mapping(data, "translation", fail),
        tags=_tagset(data, lambda name, reason: fail(name, reason)),
        suggested=suggested,
        confidence=confidence,
        witness=_optional_mapping(data, "witness", fail),
        source=_source(data.get("source"), lambda reason: fail("source", reason)),
        segments=segments,
        redactions=redactions,
        extra=_optional_mapping(data, "extra", fail) or {},
        pages=_pages(data.get("pages"), len(paragraphs), lambda r: fail("pages", r)),
        path=Path(path) if path is not None else None,
    )


def _date(value: Any, fail: Any) -> PartialDate | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise fail(str(error)) from error


def _incident(value: Any, fail: Any) -> Incident | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"from", "to"}:
        raise fail("must be a mapping {from: DATE, to: DATE}")
    start = _date(value.get("from"), fail)
    end = _date(value.get("to"), fail)
    if start and end and end.last_day < start.first_day:
        raise fail(f"ends ({end}) before it starts ({start})")
    return Incident(start, end)


def _optional_mapping(data: dict[str, Any], name: str, fail: Any) -> dict[str, Any] | None:
    """A mapping, or None where it is absent or empty (`witness: {}` says nothing)."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise fail(name, "must be a mapping of keys and values")
    return value or None


def _source(value: Any, fail: Any) -> dict[str, Any] | str | None:
    if value is None or isinstance(value, (str, dict)):
        return value
    raise fail("must be text or a mapping such as {organization: ..., title: ...}")


def _tagset(data: dict[str, Any], fail: Any) -> TagSet:
    values: list[tuple[str, ...]] = []
    for name in TAG_FIELDS:
        raw = data.get(name) or []
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise fail(name, "must be a list of ids, such as [MX, MX-CHP]")
        values.append(tuple(dict.fromkeys(raw)))
    return TagSet(*values)


def _segments(value: Any, paragraph_count: int, fail: Any) -> dict[int, Segment]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail("must map paragraph numbers to tags, such as {3: {abuse_types: [...]}}")
    segments: dict[int, Segment] = {}
    for key, tags in value.items():
        number = _paragraph_number(key)
        if number is None or not 1 <= number <= paragraph_count:
            raise fail(
                f"paragraph {key!r} does not exist; the text has {paragraph_count} paragraphs"
            )
        if not isinstance(tags, dict) or set(tags) - set(SEGMENT_KEYS):
            raise fail(f"paragraph {number}: use the keys {', '.join(SEGMENT_KEYS)}")

        def segment_fail(name: str, reason: str, number: int = number) -> ArchiveError:
            return fail(f"paragraph {number}, {name}: {reason}")  # type: ignore[no-any-return]

        suggested, confidence = _suggested(_segment_suggested(tags, segment_fail), segment_fail)
        segments[number] = Segment(_tagset(tags, segment_fail), suggested, confidence)
    return dict(sorted(segments.items()))


def _paragraph_number(key: Any) -> int | None:
    """A paragraph number from a mapping's key: 3 or "3" (not "³", nor True)."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    text = str(key)
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 10 else None


def _pages(value: Any, paragraph_count: int, fail: Any) -> dict[int, int]:
    """{first paragraph: page}: from paragraph 1, both rising."""
    if value is None:
        return {}
    shape = "must map the paragraph where each page's text starts to the page, as {1: 1, 4: 2}"
    if not isinstance(value, dict) or not value:
        raise fail(shape)
    pages: dict[int, int] = {}
    for key, page in value.items():
        number = _paragraph_number(key)
        if number is None or not isinstance(page, int) or isinstance(page, bool) or page < 1:
            raise fail(shape)
        if not 1 <= number <= paragraph_count:
            raise fail(
                f"paragraph {key!r} does not exist; the text has {paragraph_count} paragraphs"
            )
        pages[number] = page
    ordered = sorted(pages.items())
    if ordered[0][0] != 1 or any(b[1] <= a[1] for a, b in itertools.pairwise(ordered)):
        raise fail(shape + ", from paragraph 1, the pages rising")
    return dict(ordered)


REDACTION_KEYS = ("para", "chars", "reason", "by", "at")


def _redactions(value: Any, paragraphs: list[Paragraph], fail: Any) -> tuple[Redaction, ...]:
    """`[{para: 3, chars: 12-25, reason: ..., by: ..., at: ...}]`: characters 12 to 25 of
    paragraph 3, counted from 1 and both included (see `redaction`)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fail("must be a list such as [{para: 3, chars: 12-25, reason: ...}]")
    found: list[Redaction] = []
    for position, item in enumerate(value, start=1):
        where = f"item {position}"
        if not isinstance(item, dict) or set(item) - set(REDACTION_KEYS):
            raise fail(f"{where}: use the keys {', '.join(REDACTION_KEYS)}")
        number = item.get("para")
        if not isinstance(number, int) or not 1 <= number <= len(paragraphs):
            raise fail(
                f"{where}: paragraph {number!r} does not exist; the text has "
                f"{len(paragraphs)} paragraphs"
            )
        length = len(paragraphs[number - 1].text)
        try:
            start, end = parse_chars(str(item.get("chars", "")))
        except UsageError as error:
            raise fail(f"{where}: chars: {error}") from None
        if end > length:
            raise fail(
                f"{where}: chars {item['chars']} go past the paragraph's {length} characters"
            )
        texts = [item.get(key, "") for key in ("reason", "by", "at")]
        if not all(isinstance(text, str) for text in texts):
            raise fail(f"{where}: reason, by and at are text")
        found.append(Redaction(number, start, end, *texts))
    return tuple(found)


def _suggested(data: dict[str, Any], fail: Any) -> tuple[TagSet, Confidences]:
    """Suggested tags, and how sure the machine was of those it said:
    `{abuse_types: [torture.beating], confidence: {torture.beating: 0.92}}`."""
    unknown = [str(key) for key in data if key not in SUGGESTED_KEYS]
    if unknown:
        raise fail(unknown[0], f"unknown key; use {', '.join(SUGGESTED_KEYS)}")
    suggested = _tagset(data, fail)
    raw = data.get("confidence")
    if raw is None:
        return suggested, {}
    if not isinstance(raw, dict):
        raise fail("confidence", "must map suggested tags to numbers from 0 to 1, such as "
                                 "{torture.beating: 0.92}")  # fmt: skip
    values = {value for name in TAG_FIELDS for value in suggested.get(name)}
    confidence: Confidences = {}
    for tag, score in raw.items():
        if tag not in values:
            raise fail("confidence", f"{tag!r} is not one of the suggested tags; remove it")
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            raise fail("confidence", f"{tag}: {score!r} is not a number from 0 to 1")
        confidence[tag] = float(score)
    return suggested, confidence


def _segment_suggested(tags: dict[str, Any], fail: Any) -> dict[str, Any]:
    suggested = tags.get("suggested") or {}
    if not isinstance(suggested, dict):
        raise fail("suggested", "must map tag fields to lists of ids")
    return suggested


# -- writing ---------------------------------------------------------------------------


def document_to_mapping(document: Document) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.id,
        "kind": document.kind,
        "title": document.title,
        "language": document.language,
    }
    if document.translation:
        data["translation"] = document.translation
    if document.date is not None:
        data["date"] = _date_value(document.date)
    if document.incident is not None:
        data["incident"] = {
            key: _date_value(value)
            for key, value in (("from", document.incident.start), ("to", document.incident.end))
            if value is not None
        }
    data.update(document.tags.as_dict())
    if document.suggested:
        data["suggested"] = _suggested_mapping(document.suggested, document.confidence)
    if document.witness:
        data["witness"] = document.witness
    if document.source:
        data["source"] = document.source
    if document.pages:
        data["pages"] = dict(document.pages)
    data["access"] = document.access
    data["sha256"] = document.sha256
    if document.segments:
        data["segments"] = {
            number: _segment_mapping(segment)
            for number, segment in document.segments.items()
            if segment.tags or segment.suggested
        }
    if document.redactions:
        data["redactions"] = [_redaction_mapping(redaction) for redaction in document.redactions]
    if document.extra:
        data["extra"] = document.extra
    return data


def _redaction_mapping(redaction: Redaction) -> dict[str, Any]:
    mapping: dict[str, Any] = {"para": redaction.para, "chars": redaction.chars}
    for key in ("reason", "by", "at"):
        if getattr(redaction, key):
            mapping[key] = getattr(redaction, key)
    return mapping


def _segment_mapping(segment: Segment) -> dict[str, Any]:
    mapping: dict[str, Any] = dict(segment.tags.as_dict())
    if segment.suggested:
        mapping["suggested"] = _suggested_mapping(segment.suggested, segment.confidence)
    return mapping


def _suggested_mapping(suggested: TagSet, confidence: Confidences) -> dict[str, Any]:
    mapping: dict[str, Any] = suggested.as_dict()
    kept = pending_confidences(suggested, confidence)
    if kept:
        mapping["confidence"] = kept
    return mapping


def _date_value(value: PartialDate) -> object:
    if value.day is not None:
        return dt.date(value.year, value.month or 1, value.day)
    if value.month is None:
        return value.year
    return str(value)


def serialize_document(document: Document) -> str:
    front = yaml.dump(
        document_to_mapping(document),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=4096,
    )
    return f"---\n{front}---\n{document.body}"
