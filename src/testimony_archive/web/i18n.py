"""The interface language of a request: `?lang=`, then the `lang` cookie, then the
browser's Accept-Language (the catalogs themselves are in `testimony_archive.i18n`)."""

from __future__ import annotations

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES


def choose_language(query_value: str | None, cookie: str | None, accept: str | None) -> str:
    for candidate in (query_value, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
