"""Tag suggestions: negation and scope, phrase patterns, places, evidence, context, and
the score on the development gold set (../shared/eval)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.errors import UsageError
from testimony_archive.importer import import_paths
from testimony_archive.tagging import Suggestion, TagContext, Tagger, suggest_batch
from testimony_archive.vocabulary import load_vocabulary

from .conftest import SHARED, cli_args

REPORT_ON_MEXICO = TagContext(kind="report_excerpt", language="en", locations=("MX",))
ALABAMA_NARRATIVE = TagContext(kind="testimony", language="en", locations=("US-AL",))


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_vocabulary())


def suggest(tagger: Tagger, text: str, context: TagContext | None = None) -> Suggestion:
    suggestion = tagger.suggest(text, context)
    for item in suggestion.evidence:  # every suggestion must point into the text
        assert text[item.start : item.end] == item.text
    return suggestion


# -- negation and scope ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "There were no reports of torture.",
        "The law prohibits torture.",
        "The constitution and law prohibit torture and other cruel treatment.",
        "NGOs reported no cases of torture during the year.",
        "The government did not receive any reports of torture.",
        "The ministry opened a torture prevention unit.",
        "Officials attended a training on torture prevention.",
        "No hubo denuncias de tortura.",
        "La ley prohíbe la tortura.",
        "They never did whip him.",
        "None of us ever got a whippin' in our life.",
    ],
)
def test_denied_or_legal_abuse_is_not_tagged(tagger: Tagger, text: str) -> None:
    suggestion = suggest(tagger, text, REPORT_ON_MEXICO)
    assert suggestion == Suggestion()  # no abuse: all three lists empty


@pytest.mark.parametrize(
    ("text", "abuse_type", "perpetrator"),
    [
        ("Police tortured detainees.", "torture", "police"),
        ("There were reports that police tortured detainees.", "torture", "police"),
        ("Soldiers beat the men with rifle butts.", "torture.beating", "military"),
        ("Los policías golpearon a los migrantes.", "torture.beating", "police"),
    ],
)
def test_reported_abuse_is_tagged(
    tagger: Tagger, text: str, abuse_type: str, perpetrator: str
) -> None:
    suggestion = suggest(tagger, text, REPORT_ON_MEXICO)
    assert abuse_type in suggestion.abuse_types
    assert perpetrator in suggestion.perpetrators


def test_a_law_clause_counts_when_a_violation_follows(tagger: Tagger) -> None:
    text = (
        "The law prohibits arbitrary arrest and detention, but authorities did not "
        "observe these prohibitions."
    )
    assert "liberty.arbitrary-arrest" in suggest(tagger, text, REPORT_ON_MEXICO).abuse_types


def test_victims_are_not_perpetrators(tagger: Tagger) -> None:
    text = "Gangs committed killings and intimidation of police, prosecutors and journalists."
    suggestion = suggest(tagger, text, REPORT_ON_MEXICO)
    assert suggestion.perpetrators == ("organized-crime",)


def test_who_reports_an_abuse_did_not_commit_it(tagger: Tagger) -> None:
    text = "The Public Ministry reported seven cases of arbitrary arrest."
    suggestion = suggest(tagger, text, REPORT_ON_MEXICO)
    assert suggestion.perpetrators == ("unknown",)


# -- phrase patterns -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "abuse_type"),
    [
        ("The agents forced him to sign papers he could not read.", "expulsion.coerced-return"),
        ("Los agentes nos obligaron a firmar la deportación.", "expulsion.coerced-return"),
        ("Migrants were kept in the icebox for three days.", "torture.extreme-temperature"),
        ("Nos encerraron en la hielera toda la noche.", "torture.extreme-temperature"),
        ("They tied him to a tree and whipped him.", "torture.forced-position"),
        ("Police officers demanded bribes at the checkpoint.", "property.extortion"),
        ("Prisons were severely overcrowded.", "psychological.isolation"),
        ("Detainees were held incommunicado for a week.", "liberty.incommunicado"),
    ],
)
def test_phrase_patterns(tagger: Tagger, text: str, abuse_type: str) -> None:
    assert abuse_type in suggest(tagger, text).abuse_types


def test_only_the_most_specific_term(tagger: Tagger) -> None:
    text = "Police tortured detainees and beat them with batons."
    assert suggest(tagger, text).abuse_types == ("torture.beating",)


def test_a_killed_hog_is_no_killing(tagger: Tagger) -> None:
    assert suggest(tagger, "In the fall we killed hogs and made sausage.") == Suggestion()


def test_a_sale_of_family_members_is_a_sale_and_a_separation(tagger: Tagger) -> None:
    text = "Old Master sold my mother away from us when I was a baby."
    suggestion = suggest(tagger, text, ALABAMA_NARRATIVE)
    assert {"exploitation.trafficking", "family-separation"} <= set(suggestion.abuse_types)
    assert suggestion.perpetrators == ("private-individual",)


def test_patrollers_are_militia(tagger: Tagger) -> None:
    text = "If de patterollers cotch you widout a pass dey whupped you."
    assert suggest(tagger, text, ALABAMA_NARRATIVE).perpetrators == ("militia",)


# -- places ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Police beat migrants in Comitán.", None, ("MX-CHP", "MX")),
        ("Police beat migrants in Comitan.", None, ("MX-CHP", "MX")),
        ("Police beat migrants in the D.F. last year.", None, ("MX-CMX", "MX")),
        ("Police beat migrants in Edomex.", None, ("MX-MEX", "MX")),
        ("Police beat migrants in Ciudad de México.", None, ("MX-CMX", "MX")),
        ("Soldiers tortured detainees in Tapachula.", None, ("MX-CHP", "MX")),
        ("Nos secuestraron cerca de Huehuetenango.", None, ("GT-13", "GT")),
        ("The patrollers whipped him in Georgia.", ALABAMA_NARRATIVE, ("US-GA", "US")),
        ("He was whipped in Cuba, Alabama.", ALABAMA_NARRATIVE, ("US-AL", "US")),
    ],
)
def test_places(
    tagger: Tagger, text: str, context: TagContext | None, expected: tuple[str, ...]
) -> None:
    assert set(suggest(tagger, text, context).locations) == set(expected)


def test_georgia_in_a_report_about_europe_is_the_country(tagger: Tagger) -> None:
    context = TagContext(kind="report_excerpt", language="en", locations=("RU",))
    text = "Soldiers detained and tortured civilians in Georgia."
    assert "GE" in suggest(tagger, text, context).locations


@pytest.mark.parametrize(
    "text",
    [
        "Police beat migrants on a Cubana flight.",  # a word boundary: not Cuba
        "Mr. Jackson whipped him.",  # a person, not Jackson, Mississippi
        "Police beat Georgia Smith.",
    ],
)
def test_names_that_are_not_places(tagger: Tagger, text: str) -> None:
    assert suggest(tagger, text).locations == ()


def test_a_place_inside_a_state_gives_the_state_and_country(tagger: Tagger) -> None:
    suggestion = suggest(tagger, "Police beat migrants in Tapachula, Chiapas.")
    assert set(suggestion.locations) == {"MX-CHP", "MX"}
    places = {item.text: item.value for item in suggestion.evidence if item.field == "locations"}
    assert places == {"Tapachula": "MX-CHP", "Chiapas": "MX-CHP"}


# -- evidence and context --------------------------------------------------------------


def test_evidence_points_at_the_words(tagger: Tagger) -> None:
    text = "In March, soldiers tortured two men in Tapachula."
    suggestion = suggest(tagger, text, REPORT_ON_MEXICO)
    found = {(item.field, item.value, item.text) for item in suggestion.evidence}
    assert ("abuse_types", "torture", "tortured") in found
    assert ("perpetrators", "military", "soldiers") in found
    assert ("locations", "MX-CHP", "Tapachula") in found


def test_a_report_paragraph_gets_the_report_country(tagger: Tagger) -> None:
    suggestion = suggest(tagger, "Police tortured three detainees.", REPORT_ON_MEXICO)
    assert suggestion.locations == ("MX",)


def test_a_paragraph_without_abuse_gets_no_place(tagger: Tagger) -> None:
    text = "Federal police have primary responsibility for law enforcement in Chiapas."
    assert suggest(tagger, text, REPORT_ON_MEXICO) == Suggestion()


def test_a_narrative_collection_place_is_not_where_events_happened(tagger: Tagger) -> None:
    text = "The overseer whipped my mammy."
    assert suggest(tagger, text, ALABAMA_NARRATIVE).locations == ("US",)
    enslaved_in_georgia = TagContext("testimony", "en", ("US-AL",), event_locations=("US-GA",))
    assert set(suggest(tagger, text, enslaved_in_georgia).locations) == {"US-GA", "US"}


def test_headings_name_topics_not_abuses(tagger: Tagger) -> None:
    heading = "Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment"
    assert suggest(tagger, heading, REPORT_ON_MEXICO) == Suggestion()


def test_suggest_batch_uses_the_document_as_context(tmp_path: Path, tagger: Tagger) -> None:
    records = [
        {"id": "rep-1", "kind": "report_excerpt", "title": "Report", "language": "en",
         "text": "Intro.\n\nPolice tortured detainees.", "locations": ["MX"]},
        {"id": "wpa-1", "kind": "testimony", "title": "Narrative", "language": "en",
         "text": "I was a slave on a plantation in Georgia.\n\nDe overseer whupped us.",
         "place": "Mobile, Alabama"},
    ]  # fmt: skip
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    archive = Archive(tmp_path / "archive")
    assert not import_paths(archive, [source]).failed
    lines = [
        json.dumps({"doc": "rep-1", "para": 2, "text": "Police tortured detainees."}),
        json.dumps({"doc": "wpa-1", "para": 2, "text": "De overseer whupped us."}),
        json.dumps({"doc": "missing", "para": 1, "text": "Police tortured detainees."}),
    ]
    rows = {row["doc"]: row for row in suggest_batch(tagger, archive.get, lines)}
    assert rows["rep-1"]["locations"] == ["MX"]
    assert rows["rep-1"]["para"] == 2 and rows["rep-1"]["text"] == "Police tortured detainees."
    assert set(rows["wpa-1"]["locations"]) == {"US-GA", "US"}
    assert rows["wpa-1"]["perpetrators"] == ["private-individual"]
    assert rows["missing"]["locations"] == []  # no document, no context
    assert rows["missing"]["abuse_types"] == ["torture"]


@pytest.mark.parametrize("line", ["not json", "[1, 2]", '{"doc": "x", "text": 3}'])
def test_suggest_batch_names_a_bad_line(tmp_path: Path, tagger: Tagger, line: str) -> None:
    lines = [json.dumps({"doc": "x", "para": 1, "text": "Police beat him."}), line]
    with pytest.raises(UsageError, match="line 2"):
        list(suggest_batch(tagger, Archive(tmp_path / "archive").get, lines))


@pytest.mark.parametrize("text", ["", "   ", "...", "ÀÉÎ ÕÜ 123", "a" * 5000])
def test_odd_text_gives_no_tags(tagger: Tagger, text: str) -> None:
    assert suggest(tagger, text, REPORT_ON_MEXICO) == Suggestion()


# -- the development gold sets ---------------------------------------------------------

EVAL = SHARED / "eval"
CORPUS = SHARED / "corpus"
GOLD_SETS = ("dev", "dev2")
# The figures reached on DEV when this test was written, less a small margin: a drop
# below them is a regression. DEV2 is read as figures only (printed, and given in the
# notes): it validates, it is not tuned on. (field: (precision, F1))
DEV_FLOORS = {
    "locations": (0.90, 0.87),
    "abuse_types": (0.90, 0.87),
    "perpetrators": (0.81, 0.74),
}


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.corpus
@pytest.mark.slow
def test_suggest_batch_is_scored_on_both_gold_sets(
    tmp_path: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    """`testimony tag suggest --batch` over DEV and DEV2, each paragraph's document in the
    archive as context, scored by the evaluation's own scorer."""
    golds = {name: EVAL / f"tagging.{name}.jsonl" for name in GOLD_SETS}
    corpora = sorted(CORPUS.glob("*.jsonl"))
    if not all(path.exists() for path in golds.values()) or not corpora:
        pytest.skip(f"needs the gold sets and corpora in {SHARED} (eval/, corpus/)")
    settings = Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var")
    assert not import_paths(Archive(settings.archive_dir), corpora).failed
    scorer = _load_scorer()
    for name, gold_path in golds.items():
        gold = [json.loads(line) for line in gold_path.read_text("utf-8").splitlines() if line]
        batch = tmp_path / f"{name}.jsonl"
        batch.write_text(
            "".join(
                json.dumps({key: item[key] for key in ("doc", "para", "text")}) + "\n"
                for item in gold
            ),
            encoding="utf-8",
        )
        result = runner.invoke(cli, cli_args(settings, "tag", "suggest", "--batch", str(batch)))
        assert result.exit_code == 0, result.output
        predictions = [json.loads(line) for line in result.stdout.splitlines()]
        assert [(p["doc"], p["para"]) for p in predictions] == [(g["doc"], g["para"]) for g in gold]
        report, missing, _dropped, mean_f1 = scorer.score_tagging(predictions, gold)
        assert missing == 0
        with capsys.disabled():
            print(f"\n{name}: mean F1 {mean_f1:.3f}", end="")
            for field in DEV_FLOORS:
                scores = report["all"][field]
                print(f"; {field} P {scores['precision']:.2f} F1 {scores['f1']:.3f}", end="")
        if name == "dev":
            for field, (precision, f1) in DEV_FLOORS.items():
                scores = report["all"][field]
                assert scores["precision"] >= precision, (field, scores)
                assert scores["f1"] >= f1, (field, scores)
