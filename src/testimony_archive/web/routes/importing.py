"""Importing on the web, for editors and administrators: the files sent go through the
same all-or-nothing import as `testimony import` (checked only, or the valid records
written even where others are refused, if asked), and the page gives its report, file by
file. The server's folders are never named in it: each saved file is named as it was sent.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from ... import access
from ...access import Viewer
from ...errors import ArchiveError
from ...i18n import Translator
from ...importer import ImportOptions
from ...service import SearchService
from ..csrf import check
from ..deps import ChromeDep, ServiceDep, SettingsDep, SignedInDep
from ..excerpt_contexts import ImportPage
from ..import_report import NamedAsSent, reported, server_folders
from ..limits import MAX_IMPORT_BYTES
from ..responses import page_response
from ..uploads import UploadTooLarge, save_uploads

router = APIRouter()


@dataclass(frozen=True)
class ImportForm:
    encoding: str
    dry_run: bool
    skip_invalid: bool


@router.get("/import", response_class=HTMLResponse, summary="Import documents (HTML form)")
def import_form(request: Request, viewer: SignedInDep, chrome: ChromeDep) -> HTMLResponse:
    access.require(viewer, "import")
    return page_response(request, ImportPage(MAX_IMPORT_BYTES // 2**20), chrome)


@router.post("/import", response_class=HTMLResponse, include_in_schema=False)
def import_upload(
    request: Request, service: ServiceDep, viewer: SignedInDep, chrome: ChromeDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile] | None, File()] = None,
    encoding: Annotated[str, Form(max_length=40)] = "utf-8",
    dry_run: Annotated[bool, Form()] = False,
    skip_invalid: Annotated[bool, Form()] = False,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:  # fmt: skip
    access.require(viewer, "import")
    check(request, csrf)  # before anything of the form is looked at
    sent = [(upload.filename, upload.file) for upload in files or () if upload.filename]
    form = ImportForm(encoding.strip() or "utf-8", dry_run, skip_invalid)
    hidden = server_folders(settings.archive_dir)
    page, status = imported_page(service, viewer, sent, form, chrome.translator, hidden)
    return page_response(request, page, chrome, status=status)


def imported_page(
    service: SearchService, viewer: Viewer, sent: list[tuple[str, BinaryIO]],
    form: ImportForm, translate: Translator, hidden: dict[str, str],
) -> tuple[ImportPage, int]:  # fmt: skip
    """The page for the files sent, and its status: 200 when every record passed, 422
    when some were refused, 400 (413) when there is nothing (too much) to import.
    `hidden`: the server's folders a message may name, and what to name them instead."""
    page = ImportPage(MAX_IMPORT_BYTES // 2**20, form.encoding, form.dry_run, form.skip_invalid)
    if not sent:
        page.error = translate.gettext("Choose at least one file to import.")
        return page, 400
    options = ImportOptions(
        encoding=form.encoding, dry_run=form.dry_run, skip_invalid=form.skip_invalid
    )
    with tempfile.TemporaryDirectory(prefix="testimony-import-") as folder:
        try:
            saved = save_uploads(sent, Path(folder), MAX_IMPORT_BYTES)
        except UploadTooLarge as error:
            page.error = translate.message(error.message)
            return page, 413
        shown = NamedAsSent(saved, folder, hidden)
        try:
            report = service.import_files(
                viewer, [upload.path for upload in saved], suggest=True, options=options
            )
        except ArchiveError as error:  # an unknown encoding, a file changed meanwhile
            page.error = shown(str(error))
            return page, 400
    reported(page, report, translate, shown)
    if report.imported and service.index_exists():
        indexed = service.update_index()
        page.index_note = translate.gettext("The search index was updated: %(n)s added.") % {
            "n": indexed.added
        }
    elif report.imported:
        page.index_note = translate.gettext(
            "They will be found by searches once the search index is built ('testimony index')."
        )
    return page, 422 if report.failed else 200
