"""The archive folder on disk: reading, validating and atomically writing its files."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from testimony_archive.archive import Archive, FileState, validate_tags, write_atomically
from testimony_archive.document_file import parse_document, serialize_document
from testimony_archive.errors import ArchiveError, NotFound
from testimony_archive.models import Document, Segment, TagSet, body_sha256
from testimony_archive.vocabulary import Vocabulary, load_vocabulary

BODY = "Llegué a Tapachula en 2018.\n\nUnos policías me golpearon en la comisaría.\n"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture
def archive(tmp_path: Path, vocabulary: Vocabulary) -> Archive:
    return Archive(tmp_path / "archive", vocabulary)


def make_document(
    doc_id: str = "t-es-002", body: str = BODY, /, **tags: tuple[str, ...]
) -> Document:
    return Document(
        id=doc_id,
        kind="testimony",
        title="Golpeado por policías en Tapachula",
        language="es",
        body=body,
        sha256=body_sha256(body),
        tags=TagSet(**tags),
    )


def files_in(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_write_then_load(archive: Archive) -> None:
    document = make_document(
        locations=("MX-CHP", "geonames:3516266"),
        abuse_types=("torture.beating",),
        perpetrators=("police",),
    )
    with archive.write_lock():
        path = archive.write(document)
    assert path == archive.root / "documents" / "t-es-002.md"
    assert path.read_text(encoding="utf-8") == serialize_document(document)
    assert archive.load(path) == document
    assert archive.get("t-es-002") == document
    assert archive.get("t-es-002").path == path
    assert "t-es-002" in archive
    assert list(archive) == [document]


def test_write_leaves_no_temporary_files(archive: Archive) -> None:
    with archive.write_lock():
        for number in range(3):
            archive.write(make_document(f"doc-{number}"))
    assert files_in(archive.root / "documents") == ["doc-0.md", "doc-1.md", "doc-2.md"]
    assert sorted(path.name for path in archive.root.iterdir()) == [".lock", "documents"]


def test_write_replaces_an_existing_file(archive: Archive) -> None:
    first = make_document(abuse_types=("torture",))
    with archive.write_lock():
        path = archive.write(first)
    inode = path.stat().st_ino
    second = replace(first, tags=TagSet(abuse_types=("torture.beating",)), title="Nuevo título")
    with archive.write_lock():
        assert archive.write(second) == path
    assert archive.get(first.id) == second
    assert "Nuevo título" in path.read_text(encoding="utf-8")
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert files_in(archive.documents_dir) == ["t-es-002.md"]


def test_write_to_a_subfolder_is_found_again(archive: Archive) -> None:
    document = make_document()
    target = archive.documents_dir / "testimonies" / "2018" / "t-es-002.md"
    with archive.write_lock():
        assert archive.write(document, target) == target
    archive.refresh()
    assert archive.path_for("t-es-002") == target
    assert archive.get("t-es-002") == document
    # writing it again goes to the same file, not to a second one
    with archive.write_lock():
        archive.write(replace(document, title="Otro título"))
    assert files_in(archive.documents_dir) == ["testimonies/2018/t-es-002.md"]


def test_a_refused_write_leaves_the_old_file(archive: Archive) -> None:
    with archive.write_lock():
        path = archive.write(make_document())
    before = path.read_bytes()
    bad = make_document(abuse_types=("torture.tickling",))
    with archive.write_lock(), pytest.raises(ArchiveError) as caught:
        archive.write(bad)
    assert caught.value.field == "abuse_types"
    assert path.read_bytes() == before
    assert files_in(archive.documents_dir) == ["t-es-002.md"]


def test_a_failed_atomic_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.md"
    target.write_text("the original\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "half written \ud800 then it fails")
    assert target.read_text(encoding="utf-8") == "the original\n"
    assert files_in(tmp_path) == ["doc.md"]


def test_write_atomically_keeps_newlines_and_unicode(tmp_path: Path) -> None:
    target = tmp_path / "doc.md"
    write_atomically(target, "a\nb\n\u2028ñ😢\n")
    assert target.read_bytes() == "a\nb\n\u2028ñ😢\n".encode()


# -- reading and checking ----------------------------------------------------------------


def write_file(archive: Archive, relative: str, text: str | bytes) -> Path:
    path = archive.documents_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_bytes(text.encode("utf-8"))
    else:
        path.write_bytes(text)
    return path


def test_duplicate_id_in_two_subfolders(archive: Archive) -> None:
    text = serialize_document(make_document())
    first = write_file(archive, "reports/t-es-002.md", text)
    second = write_file(archive, "testimonies/t-es-002.md", text)
    with pytest.raises(ArchiveError) as caught:
        archive.paths()
    with pytest.raises(ArchiveError, match="'t-es-002' is also used by"):
        archive.file_states()
    message = str(caught.value)
    assert caught.value.path in (str(first), str(second))
    assert str(first) in message
    assert str(second) in message
    assert "'t-es-002'" in message
    with pytest.raises(ArchiveError):
        list(archive)


def test_id_must_match_the_file_name(archive: Archive) -> None:
    path = write_file(archive, "other-name.md", serialize_document(make_document()))
    with pytest.raises(ArchiveError) as caught:
        archive.load(path)
    assert caught.value.field == "id"
    assert caught.value.path == str(path)
    assert "t-es-002.md" in caught.value.reason


def test_crlf_file_is_rejected(archive: Archive) -> None:
    text = serialize_document(make_document()).replace("\n", "\r\n")
    path = write_file(archive, "t-es-002.md", text)
    with pytest.raises(ArchiveError, match="CR LF") as caught:
        archive.load(path)
    assert caught.value.path == str(path)


def test_parser_refuses_crlf_text() -> None:
    # what load() would see if it read the bytes as they are: the parser itself refuses it
    text = serialize_document(make_document()).replace("\n", "\r\n")
    with pytest.raises(ArchiveError):
        parse_document(text)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("latin-1"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("utf-8").replace(b"Tapachula", b"Tapachula\xff", 1),
    ],
    ids=["latin-1", "utf-16", "stray byte"],
)
def test_non_utf8_file_is_rejected(archive: Archive, encode: object) -> None:
    text = serialize_document(make_document())
    path = write_file(archive, "t-es-002.md", encode(text))  # type: ignore[operator]
    with pytest.raises(ArchiveError, match="not valid UTF-8") as caught:
        archive.load(path)
    assert caught.value.path == str(path)


def test_a_changed_body_is_rejected_on_load(archive: Archive) -> None:
    text = serialize_document(make_document()).replace("golpearon", "golpeaban")
    path = write_file(archive, "t-es-002.md", text)
    with pytest.raises(ArchiveError) as caught:
        archive.load(path)
    assert caught.value.field == "sha256"


@pytest.mark.parametrize(
    ("tags", "field", "value"),
    [
        ({"abuse_types": ("torture.tickling",)}, "abuse_types", "torture.tickling"),
        ({"abuse_types": ("torture", "Torture")}, "abuse_types", "Torture"),
        ({"perpetrators": ("aliens",)}, "perpetrators", "aliens"),
        ({"locations": ("MX", "XX-YY")}, "locations", "XX-YY"),
        ({"locations": ("geonames:0",)}, "locations", "geonames:0"),
    ],
)
def test_unknown_vocabulary_id_is_rejected_on_load(
    archive: Archive, tags: dict[str, tuple[str, ...]], field: str, value: str
) -> None:
    document = make_document(**tags)
    text = serialize_document(document)
    path = write_file(archive, "t-es-002.md", text)
    with pytest.raises(ArchiveError) as caught:
        archive.load(path)
    error = caught.value
    assert error.field == field
    assert error.path == str(path)
    assert repr(value) in error.reason
    line = next(
        number
        for number, text_line in enumerate(text.split("\n"), start=1)
        if text_line.startswith(f"{field}:")
    )
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: field '{field}'")


def test_validate_tags_checks_suggestions_and_segments(vocabulary: Vocabulary) -> None:
    document = make_document(abuse_types=("torture",))
    validate_tags(document, vocabulary)  # valid: no error
    cases = [
        (
            replace(document, suggested=TagSet(perpetrators=("nobody",))),
            "perpetrators",
            "suggested",
        ),
        (
            replace(document, segments={2: Segment(tags=TagSet(locations=("Chiapas",)))}),
            "locations",
            "segment 2",
        ),
        (
            replace(
                document,
                segments={1: Segment(suggested=TagSet(abuse_types=("torture.nosuch",)))},
            ),
            "abuse_types",
            "segment 1 suggested",
        ),
    ]
    for bad, field, where in cases:
        with pytest.raises(ArchiveError) as caught:
            validate_tags(bad, vocabulary)
        assert caught.value.field == field
        assert caught.value.reason.startswith(where)


def test_validate_tags_accepts_real_ids(vocabulary: Vocabulary) -> None:
    document = make_document(
        locations=("MX", "MX-CHP", "GT-13", "geonames:3516266", "MX-CHP/tapachula"),
        abuse_types=("torture", "torture.electric-shock", "expulsion.deportation"),
        perpetrators=("immigration", "organized-crime", "unknown"),
    )
    validate_tags(document, vocabulary)


def test_the_archive_vocabulary_folder_is_used(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "vocabulary").mkdir(parents=True)
    (root / "vocabulary" / "abuse-types.yaml").write_text(
        "- {id: torture.noise, label: {en: Loud noise, es: Ruido ensordecedor}}\n",
        encoding="utf-8",
    )
    archive = Archive(root)
    document = make_document(abuse_types=("torture.noise",))
    with archive.write_lock():
        path = archive.write(document)
    assert archive.load(path) == document
    with pytest.raises(ArchiveError):
        Archive(tmp_path / "other").write(document)


# -- finding documents -----------------------------------------------------------------


def test_path_for_get_and_not_found(archive: Archive) -> None:
    assert archive.path_for("nope") == archive.documents_dir / "nope.md"
    assert "nope" not in archive
    assert 42 not in archive
    with pytest.raises(NotFound) as caught:
        archive.get("nope")
    assert caught.value.status_code == 404
    assert "'nope'" in str(caught.value)
    nested = write_file(archive, "a/b/t-es-002.md", serialize_document(make_document()))
    archive.refresh()
    assert archive.path_for("t-es-002") == nested
    assert "t-es-002" in archive
    assert archive.get("t-es-002").path == nested


def test_hidden_folders_are_not_part_of_the_archive(archive: Archive) -> None:
    text = serialize_document(make_document())
    write_file(archive, ".trash/t-es-002.md", text)
    write_file(archive, "old/.t-es-002.md", text)
    visible = write_file(archive, "t-es-002.md", text)
    assert archive.paths() == [visible]
    assert list(archive.file_states()) == ["t-es-002"]


def test_file_states_match_the_files(archive: Archive) -> None:
    text = serialize_document(make_document())
    write_file(archive, "2019/t-es-002.md", text)
    write_file(archive, "2020/mx/t-en-009.md", text)
    states = archive.file_states()
    assert list(states) == [path.stem for path in archive.paths()]
    for path in archive.paths():
        relative, state = states[path.stem]
        assert relative == path.relative_to(archive.root).as_posix()
        assert state == FileState.of(path)


def test_file_states_of_an_archive_given_as_a_relative_path(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(archive, "2019/t-es-002.md", serialize_document(make_document()))
    monkeypatch.chdir(archive.root)
    states = Archive(Path(".")).file_states()
    assert states["t-es-002"][0] == "documents/2019/t-es-002.md"
    monkeypatch.chdir(archive.root.parent)
    relative = Archive(Path(archive.root.name)).file_states()
    assert relative == states


def test_an_empty_or_missing_archive_has_no_documents(tmp_path: Path) -> None:
    missing = Archive(tmp_path / "missing")
    assert missing.paths() == []
    assert missing.file_states() == {}
    assert list(missing) == []
    assert "anything" not in missing
    with pytest.raises(NotFound):
        missing.get("anything")
    assert not (tmp_path / "missing").exists()  # reading creates nothing


# -- the write lock --------------------------------------------------------------------


def lock_is_free(archive: Archive) -> bool:
    with open(archive.root / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def test_write_lock_can_be_taken_twice_in_sequence(archive: Archive) -> None:
    with archive.write_lock():
        assert not lock_is_free(archive)
    assert lock_is_free(archive)
    with archive.write_lock():
        assert not lock_is_free(archive)
    assert lock_is_free(archive)


def test_write_lock_is_released_after_an_error(archive: Archive) -> None:
    with pytest.raises(RuntimeError), archive.write_lock():
        raise RuntimeError("boom")
    assert lock_is_free(archive)


def test_write_lock_serialises_writers(archive: Archive) -> None:
    events: list[str] = []

    def second_writer() -> None:
        with Archive(archive.root).write_lock():
            events.append("second in")

    with archive.write_lock():
        events.append("first in")
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.3)  # time enough for the second writer to get in, were it not locked out
        events.append("first out")
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert events == ["first in", "first out", "second in"]


TRY_LOCK = """
import fcntl, sys
with open(sys.argv[1], "a+b") as handle:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(3)
"""


def test_write_lock_blocks_another_process(archive: Archive) -> None:
    command = [sys.executable, "-c", TRY_LOCK, str(archive.root / ".lock")]
    with archive.write_lock():
        assert subprocess.run(command, timeout=30).returncode == 3
    assert subprocess.run(command, timeout=30).returncode == 0
