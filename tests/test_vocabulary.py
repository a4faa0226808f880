"""Thesauri: the reference ids and labels, roll-up, and an archive's own additions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from testimony_archive.errors import ArchiveError
from testimony_archive.vocabulary import Vocabulary, load_vocabulary

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_VOCABULARY = SHARED / "vocabulary"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def reference_terms(name: str) -> list[tuple[str, dict[str, str], str | None, str | None]]:
    """(id, labels, parent, huridocs) of every entry of a shared vocabulary file."""
    path = SHARED_VOCABULARY / name
    if not path.exists():
        pytest.skip(f"the shared vocabulary {path} is not available")
    entries: list[Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms: list[tuple[str, dict[str, str], str | None, str | None]] = []
    for entry in entries:
        terms.append((entry["id"], entry["label"], None, entry.get("huridocs")))
        for child in entry.get("terms") or []:
            terms.append((child["id"], child["label"], entry["id"], child.get("huridocs")))
    return terms


@pytest.mark.parametrize(
    ("file_name", "field", "minimum"),
    [("abuse-types.yaml", "abuse_types", 40), ("perpetrators.yaml", "perpetrators", 12)],
)
def test_every_reference_id_is_present_with_its_labels(
    vocabulary: Vocabulary, file_name: str, field: str, minimum: int
) -> None:
    terms = reference_terms(file_name)
    assert len(terms) >= minimum  # the file was read, not skipped over
    thesaurus = vocabulary.thesaurus(field)
    for term_id, labels, parent, huridocs in terms:
        assert term_id in thesaurus, term_id
        term = thesaurus.terms[term_id]
        assert term.labels["en"] == labels["en"], term_id
        assert term.labels["es"] == labels["es"], term_id
        assert term.parent == parent, term_id
        assert term.huridocs == huridocs, term_id


def test_every_term_has_english_and_spanish_labels(vocabulary: Vocabulary) -> None:
    for thesaurus in (vocabulary.abuse_types, vocabulary.perpetrators):
        for term in thesaurus:
            assert term.labels.get("en"), term.id
            assert term.labels.get("es"), term.id


def test_categories_and_terms(vocabulary: Vocabulary) -> None:
    categories = [term.id for term in vocabulary.abuse_types.children(None)]
    assert {"life", "torture", "liberty", "expulsion", "family-separation"} <= set(categories)
    children = {term.id for term in vocabulary.abuse_types.children("torture")}
    assert {"torture.beating", "torture.electric-shock", "torture.asphyxiation"} <= children
    assert all(child.startswith("torture.") for child in children)
    assert vocabulary.abuse_types.children("torture.beating") == []


@pytest.mark.parametrize(
    ("field", "term_id", "chain"),
    [
        ("abuse_types", "torture.electric-shock", ["torture.electric-shock", "torture"]),
        ("abuse_types", "torture", ["torture"]),
        ("abuse_types", "family-separation", ["family-separation"]),
        ("abuse_types", "liberty.kidnapping", ["liberty.kidnapping", "liberty"]),
        ("abuse_types", "nosuch.term", ["nosuch.term"]),
        ("perpetrators", "police", ["police"]),
        ("perpetrators", "organized-crime", ["organized-crime"]),
    ],
)
def test_ancestors(vocabulary: Vocabulary, field: str, term_id: str, chain: list[str]) -> None:
    assert vocabulary.thesaurus(field).ancestors(term_id) == chain


@pytest.mark.parametrize(
    ("field", "values", "rolled"),
    [
        ("abuse_types", [], []),
        ("abuse_types", ["torture.beating"], ["torture.beating", "torture"]),
        (
            "abuse_types",
            ["torture.beating", "torture.electric-shock", "torture", "life"],
            ["torture.beating", "torture", "torture.electric-shock", "life"],
        ),
        (
            "abuse_types",
            ["expulsion.deportation", "liberty.arbitrary-detention"],
            ["expulsion.deportation", "expulsion", "liberty.arbitrary-detention", "liberty"],
        ),
        ("perpetrators", ["immigration", "police", "immigration"], ["immigration", "police"]),
        ("locations", ["geonames:3516266"], ["geonames:3516266", "MX-CHP", "MX"]),
        ("locations", ["MX-CHP", "GT-13"], ["MX-CHP", "MX", "GT-13", "GT"]),
        ("locations", ["MX-CHP/tapachula"], ["MX-CHP/tapachula", "MX-CHP", "MX"]),
    ],
)
def test_roll_up(vocabulary: Vocabulary, field: str, values: list[str], rolled: list[str]) -> None:
    assert vocabulary.roll_up(field, values) == rolled


def test_is_valid_and_labels(vocabulary: Vocabulary) -> None:
    assert vocabulary.is_valid("abuse_types", "torture.electric-shock")
    assert vocabulary.is_valid("abuse_types", "torture")
    assert not vocabulary.is_valid("abuse_types", "torture.tickling")
    assert not vocabulary.is_valid("abuse_types", "police")
    assert vocabulary.is_valid("perpetrators", "police")
    assert vocabulary.is_valid("locations", "MX-CHP")
    assert not vocabulary.is_valid("locations", "torture")
    assert vocabulary.label("abuse_types", "torture.electric-shock") == "Electric shocks"
    assert vocabulary.label("abuse_types", "torture.electric-shock", "es") == (
        "Descargas eléctricas"
    )
    assert vocabulary.label("perpetrators", "military", "es") == "Ejército o marina"
    assert vocabulary.label("locations", "MX", "es") == "México"
    assert vocabulary.label("abuse_types", "nosuch") == "nosuch"
    # a language without a label falls back to English
    assert vocabulary.label("perpetrators", "police", "tzh") == vocabulary.label(
        "perpetrators", "police", "en"
    )
    with pytest.raises(KeyError):
        vocabulary.thesaurus("locations")


def test_synonyms_reach_across_languages(vocabulary: Vocabulary) -> None:
    phrases = dict.fromkeys(vocabulary.abuse_types.terms["torture.electric-shock"].phrases())
    assert ("en", "Electric shocks") in phrases
    assert ("es", "Descargas eléctricas") in phrases
    assert ("es", "chicharra") in phrases
    assert ("en", "taser") in phrases


# -- an archive's own vocabulary folder ------------------------------------------------


def vocabulary_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "vocabulary"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_archive_files_add_synonyms_and_terms(tmp_path: Path, vocabulary: Vocabulary) -> None:
    folder = vocabulary_folder(
        tmp_path,
        **{
            "abuse-types": """
- {id: torture.beating, synonyms: {en: [thrashed, beaten], es: [madriza], tzh: [maj]}}
- {id: torture.noise, label: {en: Exposure to loud noise, es: Ruido ensordecedor}}
- id: liberty
  terms:
    - {id: liberty.forced-recruitment, label: {en: Forced recruitment, es: Reclutamiento forzado}}
""",
            "perpetrators-local": """
- {id: police, synonyms: {es: [los azules]}}
- {id: bus-company, label: {en: Bus company staff, es: Personal de la empresa de autobuses}}
""",
        },
    )
    merged = load_vocabulary(folder)
    beating = merged.abuse_types.terms["torture.beating"]
    builtin = vocabulary.abuse_types.terms["torture.beating"]
    assert beating.labels == builtin.labels
    assert beating.synonyms["en"][: len(builtin.synonyms["en"])] == builtin.synonyms["en"]
    assert "thrashed" in beating.synonyms["en"]
    assert beating.synonyms["en"].count("beaten") == 1  # an existing synonym is not repeated
    assert "madriza" in beating.synonyms["es"]
    assert beating.synonyms["tzh"] == ["maj"]

    noise = merged.abuse_types.terms["torture.noise"]
    assert noise.parent == "torture"
    assert noise.label("es") == "Ruido ensordecedor"
    assert merged.abuse_types.ancestors("torture.noise") == ["torture.noise", "torture"]
    assert merged.roll_up("abuse_types", ["liberty.forced-recruitment"]) == [
        "liberty.forced-recruitment",
        "liberty",
    ]
    assert merged.is_valid("abuse_types", "liberty.forced-recruitment")

    assert "los azules" in merged.perpetrators.terms["police"].synonyms["es"]
    assert merged.is_valid("perpetrators", "bus-company")
    assert not merged.is_valid("abuse_types", "bus-company")

    # every reference id is still there
    assert set(vocabulary.abuse_types.terms) < set(merged.abuse_types.terms)
    assert set(vocabulary.perpetrators.terms) < set(merged.perpetrators.terms)
    # and the built-in vocabulary was not changed by the merge
    assert "thrashed" not in load_vocabulary().abuse_types.terms["torture.beating"].synonyms["en"]


def test_archive_file_with_sections(tmp_path: Path) -> None:
    folder = vocabulary_folder(
        tmp_path,
        local="""
abuse_types:
  - {id: torture.noise, label: {en: Loud noise, es: Ruido}}
perpetrators:
  - {id: smuggler, synonyms: {es: [pasador]}}
""",
    )
    merged = load_vocabulary(folder)
    assert merged.is_valid("abuse_types", "torture.noise")
    assert "pasador" in merged.perpetrators.terms["smuggler"].synonyms["es"]


def test_an_empty_or_missing_folder_gives_the_builtin_vocabulary(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    empty = vocabulary_folder(tmp_path, empty="")
    for folder in (empty, tmp_path / "missing", None):
        loaded = load_vocabulary(folder)
        assert set(loaded.abuse_types.terms) == set(vocabulary.abuse_types.terms)
        assert set(loaded.perpetrators.terms) == set(vocabulary.perpetrators.terms)


REJECTED: list[tuple[str, str, str, str | None]] = [
    # name, file text, a fragment of the reason, the field named
    (
        "new term with only an English label",
        "- {id: torture.noise, label: {en: Loud noise}}\n",
        "needs a label in each of en, es",
        None,
    ),
    (
        "new term without labels",
        "- {id: torture.noise, synonyms: {en: [noise]}}\n",
        "needs a label",
        None,
    ),
    (
        "new term with an empty Spanish label",
        "- {id: torture.noise, label: {en: Loud noise, es: ''}}\n",
        "needs a label",
        None,
    ),
    (
        "duplicate id in one file",
        "- {id: torture.beating, synonyms: {en: [a]}}\n"
        "- {id: torture.beating, synonyms: {en: [b]}}\n",
        "duplicate id 'torture.beating'",
        "abuse_types",
    ),
    (
        "dangling parent",
        "- {id: nosuch.term, label: {en: Nothing, es: Nada}}\n",
        "parent 'nosuch'",
        "abuse_types",
    ),
    (
        "label used by two ids",
        "- {id: torture.noise, label: {en: Loud noise, es: Descargas eléctricas}}\n",
        "'Descargas eléctricas' is used by both",
        "abuse_types",
    ),
    (
        "label used by two ids, in other capitals",
        "- {id: torture.noise, label: {en: ELECTRIC SHOCKS, es: Ruido}}\n",
        "used by both",
        "abuse_types",
    ),
    ("entry without an id", "- {label: {en: Noise, es: Ruido}}\n", "needs an 'id'", None),
    ("entry that is text", "- torture.noise\n", "needs an 'id'", None),
    (
        "labels as a list",
        "- {id: torture.noise, label: [Loud noise, Ruido]}\n",
        "map a language to text",
        None,
    ),
    ("text instead of a list", "just some words\n", "holds a list or a mapping", None),
    (
        "unknown section",
        "abuse_types: []\nplaces: []\n",
        "unknown section 'places'",
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "reason", "field"),
    [case[1:] for case in REJECTED],
    ids=[case[0] for case in REJECTED],
)
def test_invalid_archive_vocabulary_is_rejected(
    tmp_path: Path, text: str, reason: str, field: str | None
) -> None:
    folder = vocabulary_folder(tmp_path, **{"abuse-types": text})
    with pytest.raises(ArchiveError) as caught:
        load_vocabulary(folder)
    assert reason in caught.value.reason
    assert caught.value.field == field
    if "used by both" not in reason:
        assert caught.value.path == str(folder / "abuse-types.yaml")


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    folder = vocabulary_folder(
        tmp_path, **{"abuse-types": "- {id: torture.noise}\n- {id: [unclosed\n- {id: x}\n"}
    )
    with pytest.raises(ArchiveError) as caught:
        load_vocabulary(folder)
    assert caught.value.path == str(folder / "abuse-types.yaml")
    assert caught.value.reason.startswith("invalid YAML")
    assert caught.value.line == 3


def test_duplicate_id_across_nesting_levels_is_rejected(tmp_path: Path) -> None:
    folder = vocabulary_folder(
        tmp_path,
        **{
            "abuse-types": """
- {id: torture.noise, label: {en: Loud noise, es: Ruido}}
- id: torture
  terms:
    - {id: torture.noise, label: {en: Deafening noise, es: Ruido ensordecedor}}
"""
        },
    )
    with pytest.raises(ArchiveError, match="duplicate id"):
        load_vocabulary(folder)
