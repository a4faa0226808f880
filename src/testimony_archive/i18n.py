"""Interface language: English (the source strings) and Spanish, from gettext catalogs.

Catalogs are the `.po` files under `locale/`, read with Babel. The web pages, the
citations and the CLI all translate through a `Translator` from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from .notes import Note

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": "English", "es": "Español"}


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (by its value)."""
    return message


KIND_LABELS = {"testimony": N_("Testimony"), "report_excerpt": N_("Report excerpt")}
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Translator:
    language: str
    messages: dict[str, str | tuple[str, ...]]

    def gettext(self, message: str) -> str:
        translated = self.messages.get(message)
        return translated if isinstance(translated, str) and translated else message

    def message(self, message: str) -> str:
        """A message of the library (an error's, a note's) in this language, where the
        catalog has it: a `Note` with its parameters, or a message marked with `N_`."""
        if isinstance(message, Note):
            return message.translated(self.gettext)
        return self.gettext(message)

    def kind(self, kind: str) -> str:
        """The label of a document kind (testimony, report excerpt) in this language."""
        return self.gettext(KIND_LABELS.get(kind, kind))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        translated = self.messages.get(singular)
        if isinstance(translated, tuple) and all(translated):
            return translated[0 if count == 1 else 1]
        return singular if count == 1 else plural


@lru_cache(maxsize=8)
def translator(language: str) -> Translator:
    messages: dict[str, str | tuple[str, ...]] = {}
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language != DEFAULT_LANGUAGE and path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
            value = message.string
            if isinstance(value, (tuple, list)):
                messages[key] = tuple(str(item) for item in value)
            elif value:
                messages[key] = str(value)
    return Translator(language, messages)
