"""The evidence bundle: a valid BagIt bag (checked by bagit itself) with the excerpts
JSON, the cited files byte for byte, every export and a record of the export; read back
as a folder or a zip, each changed, missing or added file named; hostile zips refused."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import bagit
import pytest

from testimony_archive.errors import UsageError
from testimony_archive.excerpts import parse_document
from testimony_archive.export import ExportRequest, filename, render
from testimony_archive.export.bundle import (
    bag_name,
    bundle_filename,
    bundle_zip,
    read_excerpts,
    write_bundle,
)
from testimony_archive.service import CitedFile

from .test_exports import REPO, make_request

EXPORTS = ("docx", "pdf", "csv", "md")


@pytest.fixture(scope="module")
def request_es() -> ExportRequest:
    return make_request("es")


@pytest.fixture(scope="module")
def cited() -> list[CitedFile]:
    archived = REPO / "archive" / "documents" / "testimonies" / "mx-chis-2016-0007.md"
    shown = "---\nid: t-rtl-001\n---\nPos nomás… «قال الشاهد» “העד”\n".encode()
    return [
        CitedFile("mx-chis-2016-0007", "mx-chis-2016-0007.md", archived.read_bytes(), True),
        CitedFile("t-rtl-001", "t-rtl-001.as-shown.md", shown, False),
    ]


@pytest.fixture(scope="module")
def bag(tmp_path_factory: pytest.TempPathFactory, request_es: ExportRequest,
        cited: list[CitedFile]) -> Path:  # fmt: skip
    return write_bundle(request_es, cited, tmp_path_factory.mktemp("bundles") / "evidence")


@pytest.fixture(scope="module")
def zipped(tmp_path_factory: pytest.TempPathFactory, request_es: ExportRequest,
           cited: list[CitedFile]) -> Path:  # fmt: skip
    path = tmp_path_factory.mktemp("zips") / bundle_filename(request_es)
    path.write_bytes(bundle_zip(request_es, cited))
    return path


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }  # fmt: skip


def test_the_bundle_is_a_valid_bag(bag: Path, request_es: ExportRequest,
                                   cited: list[CitedFile]) -> None:  # fmt: skip
    checked = bagit.Bag(str(bag))
    assert checked.validate()
    assert checked.algorithms == ["sha256"]
    assert checked.info["Source-Organization"] == "Sample Archive"
    assert checked.info["Bagging-Date"] == "2026-12-06"
    assert checked.info["Bag-Software-Agent"] == "testimony-archive 0.1.0"
    assert request_es.title in checked.info["External-Description"]
    assert request_es.description in checked.info["External-Description"]
    expected = {"data/excerpts.json", "data/export-record.json"}
    expected |= {f"data/documents/{item.name}" for item in cited}
    expected |= {f"data/exports/{filename(request_es, format)}" for format in EXPORTS}
    assert set(checked.payload_files()) == expected


def test_the_bag_holds_the_excerpts_the_files_and_the_exports(
    bag: Path, request_es: ExportRequest, cited: list[CitedFile]
) -> None:
    data = bag / "data"
    excerpts = parse_document(json.loads((data / "excerpts.json").read_bytes()))
    assert excerpts == request_es.excerpts
    assert (data / "excerpts.json").read_bytes() == render(request_es, "json")
    for item in cited:
        assert (data / "documents" / item.name).read_bytes() == item.data
    for format in EXPORTS:  # the PDF and the Word file too: the same request, the same bytes
        assert (data / "exports" / filename(request_es, format)).read_bytes() == render(
            request_es, format
        )


def test_the_export_record_says_who_when_what_and_from_where(
    bag: Path, request_es: ExportRequest, cited: list[CitedFile]
) -> None:
    record = json.loads((bag / "data" / "export-record.json").read_text(encoding="utf-8"))
    assert record["exported_by"] == "ana"
    assert record["exported_at"] == request_es.exported_at
    assert record["archive"] == "Sample Archive"
    assert record["software"] == "testimony-archive 0.1.0"
    assert record["title"] == request_es.title
    assert record["description"] == request_es.description
    assert record["excerpts"] == len(request_es.excerpts)
    assert [(f["doc"], f["exact"]) for f in record["cited_files"]] == [
        ("mx-chis-2016-0007", True), ("t-rtl-001", False)
    ]  # fmt: skip
    lines = (bag / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    manifest = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    for export in record["exports"]:
        assert manifest[export["file"]] == export["sha256"]
    assert [export["format"] for export in record["exports"]] == list(EXPORTS)


def test_the_same_request_gives_the_same_bag(
    tmp_path: Path, bag: Path, request_es: ExportRequest, cited: list[CitedFile]
) -> None:
    again = write_bundle(request_es, cited, tmp_path / "again")
    assert files_in(again) == files_in(bag)
    assert bundle_zip(request_es, cited) == bundle_zip(request_es, cited)


def test_the_zip_holds_the_bag_in_one_folder_with_fixed_times(
    zipped: Path, bag: Path, request_es: ExportRequest
) -> None:
    with zipfile.ZipFile(zipped) as archive:
        infos = archive.infolist()
        folder = bag_name(request_es)
        assert folder == "evidence-asylum-case-lopez-ahorita-2026-12-06"
        assert {info.filename.split("/")[0] for info in infos} == {folder}
        assert {info.date_time for info in infos} == {(2026, 12, 6, 10, 0, 0)}
        inside = {info.filename[len(folder) + 1 :]: archive.read(info) for info in infos}
    assert inside == files_in(bag)


def test_write_bundle_wants_a_new_folder(tmp_path: Path, request_es: ExportRequest) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(UsageError, match="already exists"):
        write_bundle(request_es, [], tmp_path / "taken")
    with pytest.raises(UsageError, match="cannot be a file name"):
        write_bundle(request_es, [CitedFile("x", "../x.md", b"", True)], tmp_path / "new")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]


# -- reading back -------------------------------------------------------------------------


def test_read_excerpts_from_a_bag_a_zip_and_a_json_file(
    tmp_path: Path, bag: Path, zipped: Path, request_es: ExportRequest
) -> None:
    from_bag = read_excerpts(bag)
    assert (from_bag.kind, from_bag.problems) == ("bag", [])
    assert from_bag.excerpts == request_es.excerpts
    assert from_bag.sha256 == _sha256((bag / "manifest-sha256.txt").read_bytes())

    from_zip = read_excerpts(zipped)
    assert (from_zip.kind, from_zip.problems) == ("zipped bag", [])
    assert from_zip.excerpts == request_es.excerpts
    assert from_zip.sha256 == _sha256(zipped.read_bytes())

    json_file = tmp_path / "excerpts.json"
    json_file.write_bytes(render(request_es, "json"))
    from_json = read_excerpts(json_file)
    assert (from_json.kind, from_json.problems, from_json.excerpts) == (
        "json", [], request_es.excerpts
    )  # fmt: skip


def change_a_byte(path: Path, after: bytes = b"") -> None:
    """One letter changed (after `after`), keeping the file's length and its syntax."""
    data = bytearray(path.read_bytes())
    at = data.index(after) + len(after) if after else len(data) // 2
    while not chr(data[at]).isalpha():
        at += 1
    data[at] = ord("x") if data[at] != ord("x") else ord("y")
    path.write_bytes(bytes(data))


TAMPERINGS = {
    "a quote in the excerpts JSON": (
        "data/excerpts.json", lambda f: change_a_byte(f, b'"text": "'), "SHA-256"),
    "a cited file": (
        "data/documents/mx-chis-2016-0007.md", change_a_byte, "SHA-256"),
    "the PDF export": (
        "data/exports/excerpts-asylum-case-lopez-ahorita-2026-12-06.pdf", change_a_byte,
        "SHA-256"),
    "a deleted export": (
        "data/exports/excerpts-asylum-case-lopez-ahorita-2026-12-06.csv", Path.unlink,
        "missing"),
    "an added file": (
        "data/documents/planted.md", lambda f: f.write_text("planted"), "not in the manifest"),
    "the bag's description": ("bag-info.txt", change_a_byte, "SHA-256"),
}  # fmt: skip


@pytest.mark.parametrize("how", TAMPERINGS)
@pytest.mark.parametrize("zipped_up", [False, True], ids=["folder", "zip"])
def test_a_tampered_bag_names_the_file(tmp_path: Path, bag: Path, how: str,
                                       zipped_up: bool) -> None:  # fmt: skip
    name, tamper, complaint = TAMPERINGS[how]
    copy = tmp_path / "evidence-copy"
    shutil.copytree(bag, copy)
    tamper(copy / name)
    path = zip_folder(copy, tmp_path / "copy.zip") if zipped_up else copy
    found = read_excerpts(path)
    assert any(problem.startswith(name) and complaint in problem for problem in found.problems), (
        found.problems
    )
    # An export changed, or the excerpts it was made from, is also remade and compared.
    remade = [problem for problem in found.problems if "does not say what" in problem]
    if how == "the PDF export":
        assert [problem.split(":")[0] for problem in remade] == [name]
    elif how == "a quote in the excerpts JSON":
        assert len(remade) == 4  # Word, PDF, CSV, Markdown no longer say what it says
    assert len(found.problems) - len(remade) == 1, found.problems
    if how != "a quote in the excerpts JSON":
        assert len(found.excerpts) == len(make_request("es").excerpts)


def test_an_export_changed_and_its_manifest_made_anew_is_still_named(
    tmp_path: Path, bag: Path
) -> None:
    """A new manifest hides a changed file from the bag's own check, but not from the
    comparison of each export with the excerpts it was made from."""
    import bagit  # type: ignore[import-untyped]

    copy = tmp_path / "forged"
    shutil.copytree(bag, copy)
    [csv_file] = (copy / "data" / "exports").glob("*.csv")
    text = csv_file.read_text(encoding="utf-8")
    first_quote = make_request("es").excerpts[0].text
    csv_file.write_text(text.replace(first_quote[:20], first_quote[:19] + "X", 1), "utf-8")
    forged = bagit.Bag(str(copy))
    forged.save(manifests=True)  # the manifest made anew over the forged file
    found = read_excerpts(copy)
    assert found.problems == [
        f"data/exports/{csv_file.name}: does not say what data/excerpts.json says "
        "(changed after it was exported)"
    ]


def test_a_bag_without_its_excerpts_says_so(tmp_path: Path, bag: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bag, copy)
    (copy / "data" / "excerpts.json").unlink()
    found = read_excerpts(copy)
    assert found.excerpts == []
    assert found.problems == ["data/excerpts.json: in the manifest but missing"]


def zip_folder(folder: Path, target: Path, top: str = "bag") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files_in(folder).items():
            archive.writestr(f"{top}/{name}", data)
    return target


# -- refusals -----------------------------------------------------------------------------


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "name",
    ["bag/../../escaped.txt", "/etc/escaped.txt", "bag/data/..\\..\\escaped.txt",
     "C:/escaped.txt", "escaped.txt", "../escaped.txt"],
)  # fmt: skip
def test_zips_reaching_outside_their_folder_are_refused(tmp_path: Path, name: str) -> None:
    hostile = make_zip(tmp_path / "hostile.zip", {"bag/bagit.txt": b"BagIt-Version: 0.97\n",
                                                  name: b"gotcha"})  # fmt: skip
    with pytest.raises(UsageError, match="outside the bag's folder") as raised:
        read_excerpts(hostile)
    assert "\n" not in str(raised.value)
    assert not list(tmp_path.parent.rglob("escaped.txt"))


def test_a_zip_of_two_folders_is_not_a_bag(tmp_path: Path) -> None:
    two = make_zip(tmp_path / "two.zip", {"a/bagit.txt": b"x", "b/bagit.txt": b"x"})
    with pytest.raises(UsageError, match="one folder"):
        read_excerpts(two)


def test_oversize_zips_and_files_are_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = make_zip(tmp_path / "bomb.zip", {"bag/data/zeros": bytes(3_000_000)})
    assert bomb.stat().st_size < 10_000
    with pytest.raises(UsageError, match="too large when unpacked"):
        read_excerpts(bomb, max_bytes=1_000_000)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2_000)
    with pytest.raises(UsageError, match="too large"):
        read_excerpts(big, max_bytes=1_000)


def test_what_is_not_excerpts_is_refused_in_one_line(tmp_path: Path) -> None:
    cases = {
        "notes.txt": (b"just some notes\n", "neither an excerpts JSON file"),
        "other.json": (b'{"format": "something else"}', "not an excerpts document"),
        "binary.json": (b"\xff\xfe\x00", "neither an excerpts JSON file"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(UsageError, match=message) as raised:
            read_excerpts(tmp_path / name)
        assert "\n" not in str(raised.value) and name in str(raised.value)
    (tmp_path / "folder").mkdir()
    with pytest.raises(UsageError, match="not an evidence bundle"):
        read_excerpts(tmp_path / "folder")
    with pytest.raises(UsageError, match="no such file"):
        read_excerpts(tmp_path / "absent.json")
    not_a_bag = make_zip(tmp_path / "plain.zip", {"photos/a.jpg": b"\xff\xd8"})
    with pytest.raises(UsageError, match="not an evidence bundle"):
        read_excerpts(not_a_bag)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
