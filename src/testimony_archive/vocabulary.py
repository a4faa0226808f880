"""Thesauri of abuse types and perpetrators: ids, labels (en/es), synonyms, hierarchy.

The vocabulary built into the package (`data/vocabulary/`) carries the reference ids. An
archive's own `vocabulary/*.yaml` files may add terms, labels and synonyms to it; they
cannot remove a reference id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import DATA_DIR
from .errors import ArchiveError
from .places import Places

BUILTIN_DIR = DATA_DIR / "vocabulary"
LANGUAGES = ("en", "es")
MAX_LABELS_KEPT = 200_000


@dataclass
class Term:
    id: str
    labels: dict[str, str]
    parent: str | None = None
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    huridocs: str | None = None

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id

    def phrases(self) -> Iterator[tuple[str, str]]:
        """(language, phrase) for every label and synonym."""
        for language, label in self.labels.items():
            yield language, label
        for language, synonyms in self.synonyms.items():
            for synonym in synonyms:
                yield language, synonym


@dataclass
class Thesaurus:
    """One vocabulary property (abuse types or perpetrators)."""

    name: str
    terms: dict[str, Term] = field(default_factory=dict)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.terms

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def ancestors(self, term_id: str) -> list[str]:
        """The id and its parents, most specific first: roll-up for filters and facets."""
        chain = [term_id]
        term = self.terms.get(term_id)
        while term is not None and term.parent is not None:
            chain.append(term.parent)
            term = self.terms.get(term.parent)
        return chain

    def children(self, term_id: str | None) -> list[Term]:
        return [term for term in self.terms.values() if term.parent == term_id]

    def label(self, term_id: str, language: str = "en") -> str:
        term = self.terms.get(term_id)
        return term.label(language) if term else term_id


@dataclass
class Vocabulary:
    abuse_types: Thesaurus
    perpetrators: Thesaurus
    places: Places = field(default_factory=Places)
    _labels: dict[tuple[str, str, str], str] = field(
        default_factory=dict, repr=False, compare=False
    )

    def thesaurus(self, tag_field: str) -> Thesaurus:
        if tag_field == "abuse_types":
            return self.abuse_types
        if tag_field == "perpetrators":
            return self.perpetrators
        raise KeyError(tag_field)

    def is_valid(self, tag_field: str, value: str) -> bool:
        if tag_field == "locations":
            return self.places.is_valid(value)
        return value in self.thesaurus(tag_field)

    def roll_up(self, tag_field: str, values: Iterable[str]) -> list[str]:
        """Each value with its ancestors, without repeats."""
        rolled: dict[str, None] = {}
        for value in values:
            chain = (
                self.places.ancestors(value)
                if tag_field == "locations"
                else self.thesaurus(tag_field).ancestors(value)
            )
            rolled.update(dict.fromkeys(chain))
        return list(rolled)

    def label(self, tag_field: str, value: str, language: str = "en") -> str:
        """A tag's label in a language (kept: every results page shows a few hundred)."""
        key = (tag_field, value, language)
        label = self._labels.get(key)
        if label is None:
            if tag_field == "locations":
                label = self.places.label(value, language)
            else:
                label = self.thesaurus(tag_field).label(value, language)
            if len(self._labels) < MAX_LABELS_KEPT:
                self._labels[key] = label
        return label


def load_vocabulary(
    archive_vocabulary_dir: Path | None = None, cache_dir: Path | None = None
) -> Vocabulary:
    """The built-in vocabulary, extended by an archive's `vocabulary/*.yaml` files; the
    place registry keeps its compact tables in `cache_dir` (see `Places`)."""
    abuse_types = Thesaurus("abuse_types")
    perpetrators = Thesaurus("perpetrators")
    for thesaurus, name in ((abuse_types, "abuse-types.yaml"), (perpetrators, "perpetrators.yaml")):
        _merge_entries(thesaurus, _read_list(BUILTIN_DIR / name), BUILTIN_DIR / name)
    if archive_vocabulary_dir is not None and archive_vocabulary_dir.is_dir():
        for path in sorted(archive_vocabulary_dir.glob("*.yaml")):
            data = _read_yaml(path)
            if isinstance(data, list):
                target = perpetrators if path.stem.startswith("perpetrator") else abuse_types
                _merge_entries(target, data, path)
            elif isinstance(data, dict):
                unknown = set(data) - {"abuse_types", "perpetrators"}
                if unknown:
                    raise ArchiveError(
                        f"unknown section {sorted(unknown)[0]!r}; use abuse_types and perpetrators",
                        path=path,
                    )
                _merge_entries(abuse_types, data.get("abuse_types") or [], path)
                _merge_entries(perpetrators, data.get("perpetrators") or [], path)
            elif data is not None:
                raise ArchiveError("a vocabulary file holds a list or a mapping", path=path)
    for thesaurus in (abuse_types, perpetrators):
        _check_labels(thesaurus)
    return Vocabulary(abuse_types, perpetrators, Places(cache_dir))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ArchiveError(
            f"invalid YAML: {getattr(error, 'problem', error)}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
        ) from error


def _read_list(path: Path) -> list[Any]:
    data = _read_yaml(path)
    if not isinstance(data, list):
        raise ArchiveError("expected a list of vocabulary entries", path=path)
    return data


def _merge_entries(
    thesaurus: Thesaurus,
    entries: list[Any],
    path: Path,
    parent: str | None = None,
    seen: set[str] | None = None,
) -> None:
    """Merge one file's entries; `seen` holds the ids met so far in the file, at any depth."""
    seen = set() if seen is None else seen
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ArchiveError(f"each {thesaurus.name} entry needs an 'id'", path=path)
        term_id = entry["id"]
        if term_id in seen:
            raise ArchiveError(f"duplicate id {term_id!r}", path=path, field=thesaurus.name)
        seen.add(term_id)
        term_parent = parent
        if parent is None and "." in term_id:
            term_parent = term_id.rsplit(".", 1)[0]
        if term_parent is not None and term_parent not in thesaurus:
            raise ArchiveError(
                f"{term_id!r} names the parent {term_parent!r}, which is not in the vocabulary",
                path=path,
                field=thesaurus.name,
            )
        labels = entry.get("label") or {}
        synonyms = entry.get("synonyms") or {}
        if not isinstance(labels, dict) or not isinstance(synonyms, dict):
            raise ArchiveError(
                f"{term_id!r}: label and synonyms map a language to text, "
                "e.g. {en: ..., es: ...}",
                path=path,
            )
        term = thesaurus.terms.get(term_id)
        if term is None:
            if not all(labels.get(language) for language in LANGUAGES):
                raise ArchiveError(
                    f"new term {term_id!r} needs a label in each of {', '.join(LANGUAGES)}",
                    path=path,
                )
            term = Term(term_id, {}, term_parent, {}, entry.get("huridocs"))
            thesaurus.terms[term_id] = term
        term.labels.update({str(k): str(v) for k, v in labels.items()})
        for language, words in synonyms.items():
            known = term.synonyms.setdefault(str(language), [])
            known.extend(str(word) for word in words or [] if str(word) not in known)
        children = entry.get("terms") or []
        if children:
            _merge_entries(thesaurus, children, path, parent=term_id, seen=seen)


def _check_labels(thesaurus: Thesaurus) -> None:
    owners: dict[tuple[str, str], str] = {}
    for term in thesaurus:
        for language, label in term.labels.items():
            key = (language, label.casefold())
            if key in owners and owners[key] != term.id:
                raise ArchiveError(
                    f"the {language} label {label!r} is used by both {owners[key]!r} "
                    f"and {term.id!r}; labels must tell terms apart",
                    field=thesaurus.name,
                )
            owners[key] = term.id
