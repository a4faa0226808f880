"""Typed page contexts: what each template receives, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import access
from ..access import ANONYMOUS, Viewer
from ..citation import Citation
from ..i18n import LANGUAGES, Translator
from ..index import Span
from .excerpt_contexts import (
    CollectionPage,
    CollectionsPage,
    CollectPage,
    ImportPage,
    VerifyPage,
)
from .search_state import SearchState
from .views import Chip, FacetGroup, Pagination, ResultView, YearChart


@dataclass
class Chrome:
    """What every page needs: language, its switch, the current path, who is signed in
    and what they may do (asked of `access`, never decided in a template)."""

    translator: Translator
    path_with_query: str
    body_class: str = ""
    viewer: Viewer = ANONYMOUS
    csrf: str = ""  # for the sign-out form of a signed-in viewer

    def may(self, action: access.Action) -> bool:
        return access.may(self.viewer, action)

    @property
    def language(self) -> str:
        return self.translator.language

    @property
    def languages(self) -> dict[str, str]:
        return LANGUAGES

    def language_url(self, code: str) -> str:
        base, _, query = self.path_with_query.partition("?")
        params = [part for part in query.split("&") if part and not part.startswith("lang=")]
        params.append(f"lang={code}")
        return f"{base}?{'&'.join(params)}"


@dataclass
class SearchPage:
    template = "search.html"
    state: SearchState
    total: int
    unit: str
    results: list[ResultView]
    facets: list[FacetGroup]
    chips: list[Chip]
    chart: YearChart | None
    pagination: Pagination
    notes: list[str]
    took_ms: float
    sort_links: dict[str, str]
    unit_links: dict[str, str]


@dataclass
class TagView:
    value: str
    label: str
    suggested: bool
    url: str  # the search for this tag
    why: str = ""  # for a suggestion: the words that led to it
    confidence: str = ""  # for a suggestion: how sure the machine was ("92%"), if it said


@dataclass
class HistoryRow:
    at: str
    editor: str
    action: str
    label: str
    where: str
    before: str
    after: str
    origin: str


@dataclass
class ParagraphRow:
    number: int
    text: str
    spans: list[Span]
    tags: list[TagView]
    citation: Citation
    is_hit: bool
    previous_hit: int | None = None
    next_hit: int | None = None
    redacted: list[Span] = field(default_factory=list)  # hidden words, or their markers
    page_starts: int | None = None  # a PDF's page whose text starts with this paragraph


@dataclass
class RedactionRow:
    number: int  # in the document's list, counted from 1 (to remove it)
    para: int
    chars: str
    words: str  # the redacted words, for the editor who may see them
    reason: str
    by: str
    at: str
    exposed: str = ""  # where else the words stand in what every reader sees


@dataclass
class DocumentPage:
    template = "document.html"
    doc_id: str
    title: str
    kind: str
    date: str | None
    language: str
    metadata: list[tuple[str, str]]
    tags: dict[str, list[tuple[str, str]]]  # heading → [(label, search url)]
    paragraphs: list[ParagraphRow]
    q: str
    hits: list[int]
    back_url: str
    sha256: str
    text_redacted: bool = False  # the text shown has [redacted] passages (and their hash)
    doc_tags: list[TagView] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    editing: bool = False
    may_redact: bool = False
    redactions: list[RedactionRow] = field(default_factory=list)


@dataclass
class VocabularyRow:
    id: str
    label: str
    count: int
    url: str
    depth: int


@dataclass
class VocabularyPage:
    template = "vocabulary.html"
    title: str
    sections: list[tuple[str, str]]  # (title, url) of each vocabulary page
    current: str
    rows: list[VocabularyRow]


@dataclass
class ReviewRow:
    doc_id: str
    title: str
    url: str
    pending: int
    date: str | None
    confidence: str = ""  # of its most confident pending suggestion ("92%"), if known


@dataclass
class ReviewPage:
    template = "review.html"
    rows: list[ReviewRow]
    editing: bool


@dataclass
class ErrorPage:
    template = "error.html"
    status: int
    title: str
    message: str
    details: list[str] = field(default_factory=list)


@dataclass
class SignInPage:
    template = "sign_in.html"
    forms = True  # a page with forms for visitors who have not signed in: a CSRF token
    stage: str  # "password", then "code" where the user has a second factor
    next_url: str
    signed_in_as: str | None
    error: str = ""
    name: str = ""


@dataclass
class AccountPage:
    template = "account.html"
    name: str
    role: str
    second_factor: bool
    recovery_codes_left: int
    second_factor_advised: bool  # an editor or administrator without one
    message: str = ""
    error: str = ""


@dataclass
class EnrolmentPage:
    template = "enrolment.html"
    secret: str = ""  # shown once, when the setup begins; "" afterwards
    qr_data_uri: str = ""
    error: str = ""


@dataclass
class RecoveryCodesPage:
    template = "recovery_codes.html"
    codes: list[str]


@dataclass
class UserRow:
    name: str
    role: str
    role_label: str
    disabled: bool
    second_factor: bool
    created: str


@dataclass
class UsersPage:
    template = "users.html"
    rows: list[UserRow]
    roles: list[tuple[str, str]]  # (role, label)
    message: str = ""
    error: str = ""


@dataclass
class AuditRow:
    seq: int
    at: str
    actor: str
    role: str
    address: str
    action: str
    target: str
    detail: str


@dataclass
class AuditPage:
    template = "audit.html"
    rows: list[AuditRow]
    intact: bool
    verdict: str  # what `audit verify` says
    user: str
    since: str
    older_url: str | None


Page = (
    SearchPage | DocumentPage | VocabularyPage | ReviewPage | ErrorPage | SignInPage
    | AccountPage | EnrolmentPage | RecoveryCodesPage | UsersPage | AuditPage
    | CollectionsPage | CollectionPage | CollectPage | VerifyPage | ImportPage
)  # fmt: skip


def template_context(page: Page, chrome: Chrome) -> dict[str, Any]:
    return {
        "page": page,
        "ui": chrome,
        "_": chrome.translator.gettext,
        "ngettext": chrome.translator.ngettext,
    }
