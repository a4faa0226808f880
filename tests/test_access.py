"""The access policy: who may read, see and change what, decided in `access` and applied
by the service to every search, document, count, tag change and redaction."""

from __future__ import annotations

import dataclasses

import pytest

from testimony_archive import access
from testimony_archive.access import ANONYMOUS, ROLES, Viewer
from testimony_archive.archive import Archive
from testimony_archive.dates import PartialDate
from testimony_archive.errors import Forbidden, NotFound
from testimony_archive.index import (
    DocumentHit,
    ParagraphHit,
    SearchBackend,
    SearchRequest,
)
from testimony_archive.models import Incident
from testimony_archive.service import SearchService

from .conftest import ADMIN

RESTRICTED = "r-es-004"  # access: restricted in tests/data/records.jsonl
RESEARCHER = Viewer(role="researcher", name="rita", address="203.0.113.5")
EDITOR = Viewer(role="editor", name="ed", address="203.0.113.6")


@pytest.mark.parametrize(
    ("role", "levels", "every_part", "actions"),
    [
        ("anonymous", {"public"}, False, set()),
        ("researcher", {"public", "restricted"}, False, set()),
        ("editor", {"public", "restricted"}, True, {"edit tags", "redact", "import"}),
        ("admin", {"public", "restricted"}, True,
         {"edit tags", "redact", "import", "manage users", "read audit"}),
    ],
)  # fmt: skip
def test_each_role_reads_sees_and_does_what_the_policy_says(
    role: access.Role, levels: set[str], every_part: bool, actions: set[str]
) -> None:
    viewer = Viewer(role=role, name="x")
    assert access.scope(viewer) == access.Scope(frozenset(levels), every_part)  # type: ignore[arg-type]
    for level in ("public", "restricted"):
        assert access.may_see(viewer, level) is (level in levels)
        for part in ("witness details", "exact dates", "redacted text"):
            assert access.may_see(viewer, level, part) is (level in levels and every_part)
    every_action = ("edit tags", "redact", "import", "manage users", "read audit")
    assert {action for action in every_action if access.may(viewer, action)} == actions
    assert set(ROLES) == {"anonymous", "researcher", "editor", "admin"}


def test_refusals_say_who_may_act() -> None:
    with pytest.raises(Forbidden, match="editors and administrators may change tags"):
        access.require(RESEARCHER, "edit tags")
    with pytest.raises(Forbidden, match="administrators may read the audit trail"):
        access.require(EDITOR, "read audit")
    assert access.require(EDITOR, "redact") == "ed"


def test_closing_the_archive_to_anonymous_visitors() -> None:
    assert access.may_use_archive(ANONYMOUS, open_to_anonymous=True)
    assert not access.may_use_archive(ANONYMOUS, open_to_anonymous=False)
    assert access.may_use_archive(RESEARCHER, open_to_anonymous=False)


def test_redaction_keeps_the_pseudonym_the_year_and_never_the_record(archive: Archive) -> None:
    document = archive.get("t-en-001")
    detailed = dataclasses.replace(
        document,
        witness={"pseudonym": "Witness A", "age": 18, "community": "Tzeltal", "interviewer": "B"},
        incident=Incident(PartialDate(2016, 2, 20), PartialDate(2016, 2, 23)),
    )
    for role in ("anonymous", "researcher"):
        shown = access.redact(detailed, Viewer(role=role))
        assert shown.witness == {"pseudonym": "Witness A"}
        assert shown.incident == Incident(PartialDate(2016), PartialDate(2016))
        assert (shown.body, shown.sha256, shown.date) == (
            detailed.body, detailed.sha256, detailed.date
        )  # fmt: skip
    for viewer in (EDITOR, ADMIN):
        assert access.redact(detailed, viewer) == detailed
    nameless = dataclasses.replace(document, witness={"age": 30})
    assert access.redact(nameless, ANONYMOUS).witness is None


def test_a_restricted_document_does_not_exist_for_anonymous_visitors(
    service: SearchService, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NotFound) as hidden:
        service.document(RESTRICTED, ANONYMOUS)
    with pytest.raises(NotFound) as missing:
        service.document("no-such-doc", ANONYMOUS)
    assert str(hidden.value).replace(RESTRICTED, "X") == str(missing.value).replace(
        "no-such-doc", "X"
    )
    # The index answers before the file is opened: a refusal costs what a miss costs.
    monkeypatch.setattr(archive, "load", lambda path: pytest.fail(f"{path} was read"))
    with pytest.raises(NotFound):
        service.document(RESTRICTED, ANONYMOUS)
    monkeypatch.undo()
    assert service.document(RESTRICTED, RESEARCHER).id == RESTRICTED
    with pytest.raises(NotFound):
        service.history(RESTRICTED, ANONYMOUS)
    with pytest.raises(NotFound):
        service.reading(RESTRICTED, ANONYMOUS)


def test_searches_counts_and_queues_hold_only_what_the_viewer_may_read(
    service: SearchService,
) -> None:
    public = service.search(SearchRequest(unit="paragraph", limit=100), ANONYMOUS)
    everything = service.search(SearchRequest(unit="paragraph", limit=100), RESEARCHER)
    docs = {hit.doc for hit in public.hits if isinstance(hit, ParagraphHit)}
    assert RESTRICTED not in docs
    assert RESTRICTED in {hit.doc for hit in everything.hits if isinstance(hit, ParagraphHit)}
    assert public.total < everything.total
    # the result cache is kept per scope: the anonymous answer is not reused
    again = service.search(SearchRequest(unit="paragraph", limit=100), ANONYMOUS)
    assert again.total == public.total
    counts, all_counts = service.counts(ANONYMOUS), service.counts(ADMIN)
    assert counts.documents == all_counts.documents - 1
    years = {value.value: value.count for value in counts.facets["year"]}
    all_years = {value.value: value.count for value in all_counts.facets["year"]}
    assert sum(years.values()) == sum(all_years.values()) - 1
    assert RESTRICTED not in [meta.id for meta in service.pending(ANONYMOUS)]
    assert [doc.id for doc in service.documents(ANONYMOUS)] == sorted(docs)


def test_tag_edits_need_the_right_are_searchable_at_once_and_audited(
    service: SearchService,
) -> None:
    for viewer in (ANONYMOUS, RESEARCHER):
        with pytest.raises(Forbidden):
            service.edit_tags(viewer, "t-en-001", "add", ["police"])
    service.edit_tags(EDITOR, "t-en-001", "add", ["torture.deprivation"], 2)
    found = service.search(SearchRequest(abuse_type="torture.deprivation"), ANONYMOUS)
    assert [hit.meta.id for hit in found.hits if isinstance(hit, DocumentHit)] == ["t-en-001"]
    assert [(c.editor, c.value) for c in service.history("t-en-001", EDITOR)] == [
        ("ed", "torture.deprivation")
    ]
    entry = service.audit.entries()[-1]
    assert (entry.actor, entry.role, entry.address, entry.action, entry.target) == (
        "ed", "editor", "203.0.113.6", "tag-edit", "t-en-001"
    )  # fmt: skip
    assert entry.detail == {"change": "add", "values": ["torture.deprivation"], "para": 2}


def test_signed_in_searches_and_restricted_reads_are_audited_the_command_line_not(
    service: SearchService,
) -> None:
    service.search(SearchRequest(q="golpes"), ANONYMOUS)
    service.search(SearchRequest(q="golpes", location="MX"), RESEARCHER)
    service.open_document(RESTRICTED, RESEARCHER)
    service.open_document("t-en-001", RESEARCHER)  # public: not a view worth recording
    service.search(SearchRequest(q="golpes"), ADMIN)  # the command line's
    entries = [(e.actor, e.action, e.target, e.detail) for e in service.audit.entries()]
    assert entries == [
        ("rita", "search", "golpes", {"location": "MX", "page": 1, "unit": "document",
                                      "sort": "relevance"}),
        ("rita", "view", RESTRICTED, {}),
    ]  # fmt: skip
    assert service.audit.verify().ok


def test_scores_do_not_move_when_a_hidden_document_is_edited(service: SearchService) -> None:
    """An edit leaves the old entries of a document in their segment until a merge: they
    must not count either (a visitor watching scores would learn its words)."""

    def scores() -> list[tuple[str, float]]:
        found = service.search(SearchRequest(q="golpes police", unit="paragraph"), ANONYMOUS)
        return [(f"{hit.doc}#{hit.para}", hit.score) for hit in found.hits
                if isinstance(hit, ParagraphHit)]  # fmt: skip

    before = scores()
    assert before
    service.edit_tags(EDITOR, RESTRICTED, "add", ["police"])
    service.edit_tags(EDITOR, RESTRICTED, "add", ["torture.beating"])
    assert scores() == before


def test_what_a_request_says_of_its_address_never_escapes_the_audit(
    service: SearchService,
) -> None:
    posing = Viewer(role="researcher", name="rita", address="command line")  # via the web
    service.search(SearchRequest(q="golpes"), posing)
    assert [(e.actor, e.action) for e in service.audit.entries()] == [("rita", "search")]


def test_a_client_address_is_an_ip_address_or_unknown() -> None:
    from starlette.requests import Request

    from testimony_archive.web.session_cookie import client_address

    def address(host: str) -> str:
        return client_address(Request({"type": "http", "client": (host, 1), "headers": []}))

    assert address("203.0.113.9") == "203.0.113.9" and address("2001:db8::1") == "2001:db8::1"
    assert address("cli") == address("<script>") == address("") == "unknown"


def test_editors_names_are_shown_only_to_those_who_edit(service: SearchService) -> None:
    service.edit_tags(EDITOR, "t-en-001", "add", ["police"])
    assert [c.editor for c in service.history("t-en-001", EDITOR)] == ["ed"]
    for viewer in (ANONYMOUS, RESEARCHER):
        assert [c.editor for c in service.history("t-en-001", viewer)] == ["an editor"]
        assert [c.editor for c in service.reading("t-en-001", viewer).history] == ["an editor"]


def test_a_scope_that_may_read_nothing_finds_nothing_and_never_fails(
    any_backend: SearchBackend,
) -> None:
    """(An archive whose every document is restricted, for anonymous visitors: a word of
    those documents must answer as a word of none, not fail.)"""
    nothing = access.Scope(frozenset(), unredacted=False)
    for q in ("golpes", '"los agentes"', "golp*", "golpes~", "+golpes -police", "zzyzx"):
        for unit in ("document", "paragraph"):
            result = any_backend.search(SearchRequest(q=q, unit=unit), nothing)
            assert (result.total, result.hits) == (0, []), q
            assert all(value.count == 0 for values in result.facets.values()
                       for value in values), q  # fmt: skip
    # A prefix or a fuzzy word expands to no word of what the scope may not read.
    for q, literal in (("golp*", "golp"), ("golpes~", "golpes")):
        expanded = {term for _field, term in any_backend.highlight_terms(q, nothing).strong}
        assert expanded <= {literal}, (q, expanded)
