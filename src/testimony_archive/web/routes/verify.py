"""Verification on the web: an uploaded excerpts JSON, or an evidence bundle (a zipped
BagIt bag), checked against the archive as the visitor may see it, one line per excerpt;
the same check as `testimony verify`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from ...errors import UsageError
from ...export.bundle import read_excerpts
from ...i18n import N_, Translator
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
    name = (bundle.filename or "") if bundle is not None else ""
    page = VerifyPage(MAX_UPLOAD_BYTES // 2**20, file_name=name[:200])
    suffix = Path(page.file_name).suffix.lower()
    if bundle is None or suffix not in _SUFFIXES:
        page.error = chrome.translator.gettext(
            "Send an excerpts JSON file (.json) or an evidence bundle (.zip)."
        )
        return page_response(request, page, chrome, status=400)
    data = bundle.file.read(MAX_UPLOAD_BYTES + 1)  # a worker thread: this route is not async
    with tempfile.TemporaryDirectory(prefix="testimony-verify-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            found = read_excerpts(path, max_bytes=MAX_UPLOAD_BYTES)
            verdicts = service.verify(viewer, found.excerpts, page.file_name, found.sha256)
        except UsageError as error:
            page.error = str(error).replace(str(path), page.file_name).replace(folder, "")
            return page_response(request, page, chrome, status=400)
    page.checked, page.kind, page.problems = True, found.kind, found.problems
    page.rows = [_row(verdict, chrome.translator) for verdict in verdicts]
    return page_response(request, page, chrome)


def _row(verdict: Verdict, translate: Translator) -> VerdictRow:
    place = verdict.excerpt.place
    where = f"{place.doc} {place.locator}"
    if place.chars:
        where += f" ({place.chars[0]}–{place.chars[1]})"
    label = translate.gettext(STATUS_LABELS[verdict.status])
    return VerdictRow(verdict.number, verdict.status, label, where, verdict.detail)
