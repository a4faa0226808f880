"""Verification on the web: an uploaded excerpts JSON, or an evidence bundle (a zipped
BagIt bag), checked against the archive as the visitor may see it, one line per excerpt;
the same check as `testimony verify`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from ...access import Viewer
from ...errors import UsageError
from ...export.bundle import read_excerpts
from ...i18n import N_, Translator
from ...service import SearchService
from ...verification import Verdict
from ..csrf import check
from ..deps import ChromeDep, ServiceDep, ViewerDep
from ..excerpt_contexts import VerdictRow, VerifyPage
from ..limits import MAX_UPLOAD_BYTES
from ..responses import page_response

router = APIRouter()
STATUS_LABELS = {
    "faithful": N_("faithful"),
    "redacted since": N_("redacted since"),
    "altered": N_("altered"),
    "missing": N_("missing"),
}
_SUFFIXES = (".json", ".zip")


@router.get("/verify", response_class=HTMLResponse, summary="Verify excerpts (HTML form)")
def verify_form(request: Request, viewer: ViewerDep, chrome: ChromeDep) -> HTMLResponse:
    return page_response(request, VerifyPage(MAX_UPLOAD_BYTES // 2**20), chrome)


@router.post("/verify", response_class=HTMLResponse, include_in_schema=False)
def verify(
    request: Request, service: ServiceDep, viewer: ViewerDep, chrome: ChromeDep,
    bundle: Annotated[UploadFile | None, File()] = None,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:  # fmt: skip
    check(request, csrf)  # before anything of the form is looked at
    name = (bundle.filename or "")[:200] if bundle is not None else ""
    data = bundle.file.read(MAX_UPLOAD_BYTES + 1) if bundle is not None else None
    page, status = checked_page(service, viewer, name, data, chrome.translator)
    return page_response(request, page, chrome, status=status)


def checked_page(
    service: SearchService, viewer: Viewer, name: str, data: bytes | None,
    translate: Translator,
) -> tuple[VerifyPage, int]:  # fmt: skip
    """The page for an uploaded file (or none), and its status: each excerpt's verdict
    and the bag's problems, or what to send instead."""
    page = VerifyPage(MAX_UPLOAD_BYTES // 2**20, file_name=name)
    suffix = Path(name).suffix.lower()
    if data is None or suffix not in _SUFFIXES:
        page.error = translate.gettext(
            "Send an excerpts JSON file (.json) or an evidence bundle (.zip)."
        )
        return page, 400
    with tempfile.TemporaryDirectory(prefix="testimony-verify-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            found = read_excerpts(path, max_bytes=MAX_UPLOAD_BYTES, name=name)
            verdicts = service.verify(viewer, found.excerpts, name, found.sha256)
        except UsageError as error:
            page.error = str(error)
            return page, 400
    page.checked, page.kind, page.problems = True, found.kind, found.problems
    page.rows = [_row(verdict, translate) for verdict in verdicts]
    return page, 200


def _row(verdict: Verdict, translate: Translator) -> VerdictRow:
    place = verdict.excerpt.place
    where = f"{place.doc} {place.described(translate.gettext('characters'))}"
    label = translate.gettext(STATUS_LABELS[verdict.status])
    return VerdictRow(verdict.number, verdict.status, label, where, verdict.detail)
