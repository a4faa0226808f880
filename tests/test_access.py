"""The access policy: who may read, see and change what, decided in `access` and applied
by the service to every search, document, count and tag change."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from testimony_archive import access
from testimony_archive.access import ANONYMOUS, ROLES, Viewer
from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.errors import Forbidden, NotFound
from testimony_archive.index import ParagraphHit, SearchRequest, rebuild_index
from testimony_archive.service import SearchService

from .conftest import ADMIN

RESTRICTED = "r-es-004"  # access: restricted in tests/data/records.jsonl
RESEARCHER = Viewer(role="researcher", name="R")


@pytest.fixture
def service(archive: Archive, settings: Settings) -> Iterator[SearchService]:
    rebuild_index(archive, settings.index_dir)
    service = SearchService.open(settings, archive)
    yield service
    service.close()


@pytest.mark.parametrize(
    ("role", "levels", "edits"),
    [
        ("anonymous", {"public"}, False),
        ("researcher", {"public", "restricted"}, False),
        ("editor", {"public", "restricted"}, True),
        ("admin", {"public", "restricted"}, True),
    ],
)
def test_each_role_reads_and_edits_what_the_policy_says(
    role: access.Role, levels: set[str], edits: bool
) -> None:
    viewer = Viewer(role=role, name="x")
    assert access.readable(viewer) == levels
    assert access.may_edit_tags(viewer) is edits
    assert access.may_read(viewer, "public")
    assert access.may_read(viewer, "restricted") is ("restricted" in levels)
    assert set(ROLES) == {"anonymous", "researcher", "editor", "admin"}


def test_open_editing_lets_anonymous_visitors_edit_but_not_read_more() -> None:
    viewer = Viewer.anonymous(open_editing_as="Reviewer R")
    assert access.may_edit_tags(viewer) and access.require_tag_editing(viewer) == "Reviewer R"
    assert access.readable(viewer) == {"public"}
    with pytest.raises(Forbidden, match="switched off"):
        access.require_tag_editing(ANONYMOUS)


def test_redaction_keeps_the_pseudonym_and_never_the_text(archive: Archive) -> None:
    document = archive.get("t-en-001")
    detailed = dataclasses.replace(
        document, witness={"pseudonym": "Witness A", "age": 18, "community": "Tzeltal"}
    )
    for role in ("anonymous", "researcher", "editor"):
        shown = access.redact(detailed, Viewer(role=role))
        assert shown.witness == {"pseudonym": "Witness A"}
        assert (shown.body, shown.sha256) == (detailed.body, detailed.sha256)
    assert access.redact(detailed, ADMIN).witness == detailed.witness
    nameless = dataclasses.replace(document, witness={"age": 30})
    assert access.redact(nameless, ANONYMOUS).witness is None


def test_a_restricted_document_does_not_exist_for_anonymous_visitors(
    service: SearchService,
) -> None:
    with pytest.raises(NotFound) as hidden:
        service.document(RESTRICTED, ANONYMOUS)
    with pytest.raises(NotFound) as missing:
        service.document("no-such-doc", ANONYMOUS)
    assert str(hidden.value).replace(RESTRICTED, "X") == str(missing.value).replace(
        "no-such-doc", "X"
    )
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
    # the result cache is kept per access level: the anonymous answer is not reused
    again = service.search(SearchRequest(unit="paragraph", limit=100), ANONYMOUS)
    assert again.total == public.total
    counts, all_counts = service.counts(ANONYMOUS), service.counts(ADMIN)
    assert counts.documents == all_counts.documents - 1
    years = {value.value: value.count for value in counts.facets["year"]}
    all_years = {value.value: value.count for value in all_counts.facets["year"]}
    assert sum(years.values()) == sum(all_years.values()) - 1
    assert RESTRICTED not in [meta.id for meta in service.pending(ANONYMOUS)]
    assert [doc.id for doc in service.documents(ANONYMOUS)] == sorted(docs)


def test_tag_edits_need_the_right_and_are_searchable_at_once(service: SearchService) -> None:
    with pytest.raises(Forbidden):
        service.edit_tags(ANONYMOUS, "t-en-001", "add", ["police"])
    with pytest.raises(Forbidden):
        service.edit_tags(RESEARCHER, "t-en-001", "add", ["police"])
    editor = Viewer(role="editor", name="Ed")
    with pytest.raises(NotFound):  # an editor who may not read it cannot tag it either
        service.edit_tags(dataclasses.replace(editor, role="anonymous", open_editing=True),
                          RESTRICTED, "add", ["police"])  # fmt: skip
    service.edit_tags(editor, "t-en-001", "add", ["torture.deprivation"], 2)
    found = service.search(SearchRequest(abuse_type="torture.deprivation"), ANONYMOUS)
    assert [hit.meta.id for hit in found.hits if not isinstance(hit, ParagraphHit)] == ["t-en-001"]
    assert [(c.editor, c.value) for c in service.history("t-en-001", editor)] == [
        ("Ed", "torture.deprivation")
    ]
