"""The evidence bundle: a BagIt bag (SHA-256 manifests) holding the excerpts JSON that
`testimony verify` reads, the cited archive files byte for byte as given, every export,
and a record of who exported what, when, from which archive, with which software.

The bag is built in memory and then written out, as a directory or a zip, so that the
same request gives the same files (the only time inside them is `exported_at`) and no
process-wide state changes (bagit's `make_bag` changes the working directory).
`bagit` itself validates bags (`reading.read_excerpts`, the tests).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import UsageError
from ..service import CitedFile
from . import render
from .reading import ReadExcerpts, read_excerpts
from .request import (
    ExportRequest,
    check_format,
    exported_at,
    filename,
    media_type,
    software,
    stem,
    zip_time,
)

__all__ = ["ReadExcerpts", "bag_files", "bundle_filename", "bundle_zip", "read_excerpts",
           "write_bundle"]  # fmt: skip

RECORD_FORMAT = "testimony-archive/export-record"
BUNDLED_FORMATS = ("docx", "pdf", "csv", "md")
BAGIT_TXT = "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
_SAFE_NAME = re.compile(r"^[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$")


def bundle_filename(request: ExportRequest) -> str:
    """`evidence-asylum-case-2026-12-06.zip`; the bag inside is the same name without `.zip`."""
    return f"{bag_name(request)}.zip"


def bag_name(request: ExportRequest) -> str:
    return stem(request, "evidence")


def write_bundle(request: ExportRequest, cited: list[CitedFile], destination: Path) -> Path:
    """The bag in a new directory `destination` (made whole next to it, then renamed)."""
    if destination.exists():
        raise UsageError(f"{destination} already exists; an evidence bundle goes to a new folder")
    files = bag_files(request, cited)
    destination.parent.mkdir(parents=True, exist_ok=True)
    # made as any new folder is (the umask's permissions), under a name no one else picks
    partial = destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.partial")
    partial.mkdir()
    try:
        for name, data in files.items():
            target = partial / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        partial.rename(destination)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return destination


def bundle_zip(request: ExportRequest, cited: list[CitedFile]) -> bytes:
    """The bag as a zip, in one folder named like the bag, every member dated
    `exported_at`."""
    date_time = zip_time(request)
    folder = bag_name(request)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in bag_files(request, cited).items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return output.getvalue()


def bag_files(request: ExportRequest, cited: list[CitedFile]) -> dict[str, bytes]:
    """Every file of the bag, by its path inside it: the tag files, then `data/`."""
    payload: dict[str, bytes] = {"data/excerpts.json": render(request, "json")}
    for item in cited:
        name = f"data/documents/{_safe_name(item.name)}"
        if name in payload:
            raise UsageError(f"two cited files are named {item.name!r}")
        payload[name] = item.data
    for format in BUNDLED_FORMATS:
        payload[f"data/exports/{filename(request, format)}"] = render(request, format)
    payload["data/export-record.json"] = _record(request, cited, payload)

    manifest = _manifest(payload)
    tags = {
        "bagit.txt": BAGIT_TXT.encode("utf-8"),
        "bag-info.txt": _bag_info(request, payload).encode("utf-8"),
        "manifest-sha256.txt": manifest,
    }
    tags["tagmanifest-sha256.txt"] = _manifest(tags)
    return {**tags, **dict(sorted(payload.items()))}


def _record(request: ExportRequest, cited: list[CitedFile], payload: Mapping[str, bytes]
            ) -> bytes:  # fmt: skip
    """data/export-record.json: who exported what, when, from where, and what the bag holds."""
    record = {
        "format": RECORD_FORMAT,
        "version": 1,
        "title": request.title,
        "description": request.description,
        "archive": request.archive,
        "exported_by": request.exported_by,
        "exported_at": request.exported_at,
        "software": software(request),
        "language": request.language,
        "excerpts": len(request.excerpts),
        "excerpts_json": _file_facts("data/excerpts.json", payload),
        "cited_files": [
            {"doc": item.doc, "exact": item.exact,
             **_file_facts(f"data/documents/{item.name}", payload)}
            for item in cited
        ],
        "exports": [
            {"format": format, "media_type": media_type(check_format(format)),
             **_file_facts(f"data/exports/{filename(request, format)}", payload)}
            for format in BUNDLED_FORMATS
        ],
    }  # fmt: skip
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _file_facts(name: str, payload: Mapping[str, bytes]) -> dict[str, object]:
    data = payload[name]
    return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _bag_info(request: ExportRequest, payload: Mapping[str, bytes]) -> str:
    description = request.title + (f" ({request.description})" if request.description else "")
    info = {
        "Bag-Software-Agent": software(request),
        "Bagging-Date": exported_at(request).strftime("%Y-%m-%d"),
        "Contact-Name": request.exported_by,
        "External-Description": description,
        "Payload-Oxum": f"{sum(len(data) for data in payload.values())}.{len(payload)}",
        "Source-Organization": request.archive,
    }
    return "".join(f"{key}: {_one_line(value)}\n" for key, value in info.items())


def _one_line(value: str) -> str:
    """A tag value is one line (as bagit's own writer makes it)."""
    return re.sub(r"[\r\n]+", " ", value)


def _manifest(files: Mapping[str, bytes]) -> bytes:
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    ]
    return "".join(lines).encode("utf-8")


def _safe_name(name: str) -> str:
    if not _SAFE_NAME.match(name):
        raise UsageError(f"{name!r} cannot be a file name in an evidence bundle")
    return name
