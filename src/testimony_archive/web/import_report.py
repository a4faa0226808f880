"""The import report as the import page shows it: a row per file, the summary in words,
and each refusal on a line, every file named as it was sent (never by the server's path)."""

from __future__ import annotations

from pathlib import Path

from ..i18n import Translator
from ..importer import ImportReport
from .excerpt_contexts import ImportFileRow, ImportPage
from .uploads import SavedUpload

REFUSALS_SHOWN = 200  # a CSV of thousands of bad rows would make a page nobody reads


def server_folders(archive_dir: Path) -> dict[str, str]:
    """The archive's folder as a message may name it (an archived file that cannot be
    read, say), and what to call it instead."""
    found = {archive_dir, archive_dir.resolve()}
    return {str(folder): "archive" for folder in found if folder.is_absolute()}


class NamedAsSent:
    """Messages with each saved file named as it was sent, and no folder of the server's
    named at all."""

    def __init__(self, saved: list[SavedUpload], folder: str, hidden: dict[str, str]) -> None:
        named = {str(upload.path): upload.sent_name for upload in saved}
        named |= {folder: ""} | hidden
        # the longest first: a file's path before its folder's
        self.replacements = sorted(named.items(), key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        for path, name in self.replacements:
            text = text.replace(path, name)
        return text


def reported(
    page: ImportPage, report: ImportReport, translate: Translator, shown: NamedAsSent
) -> None:
    page.checked = True
    page.files = [
        ImportFileRow(shown(summary.name), summary.new, summary.skipped, summary.failed)
        for summary in report.files
    ]
    page.summary = summary_sentence(report, translate)
    lines = [
        shown(reason if reason.startswith(where) else f"{where}: {reason}")
        for where, reason in report.failed[:REFUSALS_SHOWN]
    ]
    page.refusals, page.more_refusals = lines, max(len(report.failed) - REFUSALS_SHOWN, 0)


def summary_sentence(report: ImportReport, translate: Translator) -> str:
    """The report in a sentence or two (as `testimony import` says it, in words for the
    form rather than the command line)."""
    counts = {"new": len(report.new), "skipped": len(report.skipped),
              "refused": len(report.failed), "imported": len(report.imported)}  # fmt: skip
    if report.dry_run:
        return translate.gettext(
            "Dry run: %(new)s new, %(skipped)s already archived, %(refused)s refused. "
            "Nothing was written."
        ) % counts
    if report.failed and not report.imported:
        return translate.gettext(
            "Nothing was imported: %(new)s new, %(skipped)s already archived, %(refused)s "
            "refused. Fix the refused records (listed below) and send the files again, or "
            "tick “Import the valid records even if some are refused” to import "
            "the others."
        ) % counts
    return translate.gettext(
        "Imported %(imported)s, skipped %(skipped)s (already archived), refused %(refused)s."
    ) % counts
