"""The phrase-pattern syntax of the tagging lexicons (tagging/patterns.py), on words
written for these tests: alternatives, joined slots, gaps, regular expressions, exact
words, capitals-only words and inflections, the same whether the per-word caches are
cold, warm or just emptied."""

from __future__ import annotations

import pytest

from testimony_archive.tagging import patterns
from testimony_archive.tagging.patterns import PatternSet, compile_pattern
from testimony_archive.tagging.tokens import tokenize

CASES = [
    # pattern, text, matched words (None: no match)
    ("forced|made|pressured to sign", "They were made to sign papers.", "made"),
    ("forced|made|pressured to sign", "He was pressured to sign.", "pressured to sign"),
    ("forced|made + to sign", "He was forced to sign.", "forced to sign"),
    ("forced|made + to sign", "He was forced, to sign.", None),  # "+" joins: no comma
    ("obligaron * firmar", "Lo obligaron a firmar.", "obligaron a firmar"),
    ("obligaron * firmar", "Lo obligaron a ir a casa y luego a firmar.", None),  # gap > 3
    # "*": the gap may cross a comma, as a list does
    (
        "cruel * degrading",
        "cruel, inhuman, and degrading treatment",
        "cruel, inhuman, and degrading",
    ),
    ("re:pat+[aeiy]?r+[ou]l+(er)?e?s", "The patterollers came.", "patterollers"),
    ("=arrest", "They arrest people.", "arrest"),
    ("=arrest", "They arrested people.", None),  # exact: no inflection
    ("beat", "Guards beat and kicked them.", "beat"),
    ("execution", "Three executions were reported.", "executions"),  # an inflection
    ("execution", "The executive summary.", None),  # a derivation is no inflection
    ("ICE agents", "ICE agents detained him.", "ICE agents"),
    ("ICE agents", "Ice agents are cold.", None),  # capitals only
    ("detention authorities", "in detention, authorities said", None),  # not across a comma
]


def matched(pattern: str, text: str, pattern_set: PatternSet) -> str | None:
    words = [token for token in tokenize(text) if token.is_word]
    found = pattern_set.find(words, ("en", "es"))
    if not found:
        return None
    first = found[0]
    return text[words[first.first].start : words[first.last].end]


@pytest.mark.parametrize(("pattern", "text", "expected"), CASES)
def test_the_syntax_with_cold_warm_and_emptied_caches(
    pattern: str, text: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    language = "es" if "obligaron" in pattern else "en"
    compiled = compile_pattern(pattern, "id", language)
    assert compiled is not None
    pattern_set = PatternSet()
    pattern_set.add(compiled)
    assert matched(pattern, text, pattern_set) == expected  # cold
    assert matched(pattern, text, pattern_set) == expected  # warm
    monkeypatch.setattr(patterns, "SLOT_CACHE_SIZE", 0)
    monkeypatch.setattr(patterns, "CANDIDATE_CACHE_SIZE", 0)
    for _ in range(2):  # each lookup now empties the caches first
        assert matched(pattern, text, pattern_set) == expected


def test_patterns_of_a_set_are_found_by_group_in_one_pass() -> None:
    pattern_set = PatternSet()
    for line, group in (("beat", ""), ("slave", "context"), ("beat * drum", "cancel")):
        compiled = compile_pattern(line, "id", "en", group)
        assert compiled is not None
        pattern_set.add(compiled)
    words = [t for t in tokenize("The slave heard them beat the drum.") if t.is_word]
    groups = pattern_set.scan(words, ("en",))
    assert {group: [m.pattern.source for m in found] for group, found in groups.items()} == {
        "": ["beat"],
        "context": ["slave"],
        "cancel": ["beat * drum"],
    }


@pytest.mark.parametrize("name", ["abuse-types", "perpetrators", "places", "scope"])
def test_no_key_of_the_tagging_data_is_written_twice(name: str) -> None:
    """YAML keeps the last of two equal keys without a word: a second `torture:` under
    `cancel:` would silently drop the first one's patterns."""
    import yaml

    from testimony_archive.tagging.lexicon import TAGGING_DATA

    repeated: list[str] = []

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> object:
        keys = [loader.construct_object(key) for key, _ in node.value]
        repeated.extend(f"{key} (line {node.start_mark.line + 1})" for key in set(keys)
                        if keys.count(key) > 1)  # fmt: skip
        return yaml.SafeLoader.construct_mapping(loader, node)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load((TAGGING_DATA / f"{name}.yaml").read_text(encoding="utf-8"), Loader=Loader)
    assert repeated == []


def test_the_indexed_matcher_finds_what_trying_every_pattern_everywhere_finds() -> None:
    """The index by first word, and the look at the next word before a joined second
    slot, only save work: every pattern tried at every word finds the same matches."""
    from testimony_archive.tagging.patterns import _match_from

    lines = [
        "the|an|de|a|big + open fire|open fires",
        "police|soldiers + =shot|fired at|opened fire on",
        "officer|officers * allegedly|reportedly + =shot",
        "ICE agents",
        "detained|arrested * for + protesting|criticizing",
        "sold|sell * away|off + from + her|his|their + children|mother",
        "re:pat+[aeiy]?r+[ou]l+(er)?e?s",
        "beat|beaten + to death",
        "forced|made + to sign",
    ]
    pattern_set = PatternSet()
    compiled = [compile_pattern(line, "x", "en") for line in lines]
    pattern_set.extend(compiled)
    texts = [
        "We cooked over the open fire while police shot at the crowd.",
        "An officer allegedly shot a driver; ICE agents detained him for protesting.",
        "They sold her away from her children. The patterollers beat him to death.",
        "Police fired at them. Soldiers opened fire on the march. He was forced to sign.",
        "the open, fire; police, shot; made to, sign; Ice agents; sold away from the farm",
    ]
    found = 0
    for text in texts:
        words = [token for token in tokenize(text) if token.is_word]
        everywhere = {
            (line, position, end - 1)
            for line, pattern in zip(lines, compiled, strict=True)
            if pattern is not None
            for position in range(len(words))
            for end in [_match_from(pattern.slots, 0, words, position, "en")]
            if end is not None
        }
        indexed = {
            (match.pattern.source, match.first, match.last)
            for match in pattern_set._matches(words, ("en",))
        }
        assert indexed == everywhere, text
        found += len(indexed)
    assert found >= 8  # the texts hold matches to find, and the last one near misses


def test_a_word_list_is_written_once_and_named_in_patterns() -> None:
    from testimony_archive.tagging.lexicon import with_lists

    lists = {"crimes": "robbery|rape|theft"}
    line = with_lists("accused * crimes + such as * {crimes} * {crimes}", lists)
    assert line == "accused * crimes + such as * robbery|rape|theft * robbery|rape|theft"
    pattern = compile_pattern(line, "x", "en")
    assert pattern is not None
    words = [t for t in tokenize("He was accused of crimes such as rape and theft.") if t.is_word]
    found = PatternSet()
    found.add(pattern)
    assert [(m.first, m.last) for m in found.find(words, ("en",))] == [(2, 9)]
    with pytest.raises(ValueError, match="no list named 'crime'"):
        with_lists("accused * {crime}", lists)
