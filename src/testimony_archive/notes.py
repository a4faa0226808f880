"""Messages for the user that a web page can translate: text with named parameters.

A `Note` is the formatted English text (so the CLI and JSON just print it) and keeps
its template and parameters, so that the web front end can translate the template and
format it again.
"""

from __future__ import annotations

from typing import Any


class Note(str):
    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Note:
        note = super().__new__(cls, template % params if params else template)
        note.template = template
        note.params = params
        return note

    def translated(self, gettext: Any) -> str:
        return str(gettext(self.template) % self.params if self.params else gettext(self.template))
