"""Words with their offsets, and the sentences and clauses that bound the scope of cues.

Matching works on folded words (lower case, no accents) but every match must point back
into the original text, so each token keeps its character span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text_folding import fold, stemmer

# A word, keeping inner apostrophes ("didn't", "b'longed"), or a punctuation mark that
# bounds a sentence or clause. "D.F." is the words "d" "f": phrases match on words.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.;:!?,()\"“”]")
_SENTENCE_END = frozenset(".!?")
# Clause boundaries inside a sentence: a cue's scope (a negation, "the law prohibits")
# rarely crosses them.
_CLAUSE_WORDS = frozenset(
    "but although though however whereas while yet instead despite pero aunque".split()
)
# Abbreviations after which a full stop does not end the sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen col capt lt sgt gov rev jr sr no vs u s d f ga ala tenn ky va "
    "fla miss tex ark okla la mo nc sc n c s c co ft mt".split()
)


@dataclass(slots=True)  # not frozen: a paragraph makes hundreds, and frozen ones are slower to make
class Token:
    text: str  # as written
    folded: str  # lower case, no accents, straight apostrophes
    start: int
    end: int
    index: int
    sentence: int
    clause: int
    joined: bool = False  # follows the previous word with no punctuation between

    @property
    def is_word(self) -> bool:
        return self.folded[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str) -> list[Token]:
    """Tokens with their sentence and clause numbers."""
    raw = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens: list[Token] = []
    append = tokens.append
    sentence = clause = 0
    joined = False  # no punctuation since the last word ("D.F." counts as joined)
    previous_length = 0  # of the previous token as written
    for index, (word, start, end) in enumerate(raw):
        folded = _fold_token(word)
        if folded[0].isalnum():  # a word
            if folded in _CLAUSE_WORDS and index:
                clause += 1
            append(Token(word, folded, start, end, index, sentence, clause, joined))
            joined = True
        else:
            append(Token(word, folded, start, end, index, sentence, clause, False))
            if not (word == "." and previous_length == 1):
                joined = False
            if word in _SENTENCE_END and _ends_sentence(raw, index):
                sentence += 1
                clause += 1
            elif word in _CLAUSE_MARKS:
                clause += 1
        previous_length = len(word)
    return tokens


_CLAUSE_MARKS = frozenset(";:()")


def _ends_sentence(raw: list[tuple[str, int, int]], index: int) -> bool:
    if raw[index][0] != ".":
        return True
    previous = raw[index - 1][0] if index else ""
    following = raw[index + 1][0] if index + 1 < len(raw) else ""
    if following and raw[index + 1][1] == raw[index][2]:
        return False  # "D.F.", "U.S.": the dot is inside an abbreviation
    if len(previous) == 1 and previous.isupper() and previous != "I" and following[:1].isupper():
        return False  # a middle initial: "the plantation of John B. Overtree, in Georgia"
    if fold(previous) in _ABBREVIATIONS and len(previous) <= 4:
        # "Forsyth, Ga., on the plantation" continues; "in Georgia. Then" ends.
        return bool(following) and following[0].isupper() and fold(previous) not in _TITLES
    return True


_TITLES = frozenset("mr mrs ms dr st gen col capt lt sgt gov rev".split())


def fold_word(word: str) -> str:
    """How a word is compared: folded, with a possessive dropped ("Master's" is
    "master"). Patterns and text go through the same function."""
    return _fold_token(word)


@lru_cache(maxsize=200_000)
def _fold_token(word: str) -> str:
    """Folded, with a possessive dropped: "Master's" is "master"."""
    folded = fold(word).replace("’", "'")
    return folded[:-2] if folded.endswith("'s") and len(folded) > 3 else folded


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word; a trailing apostrophe form ("whippin'") is
    kept whole, as the dialect spelling is the word."""
    return str(stemmer("spanish" if language == "es" else "english")(word))


_ENGLISH_SUFFIXES = ("", "s", "es", "ed", "d", "ing", "ings", "er", "ers", "ion", "ions", "e")
_SPANISH_SUFFIXES = (
    "", "o", "a", "os", "as", "e", "es", "ado", "ada", "ados", "adas", "ido", "ida", "idos",
    "idas", "ar", "er", "ir", "aron", "ieron", "o", "io", "aba", "aban", "an", "en", "ando",
    "iendo", "cion", "ciones", "ron",
)  # fmt: skip


def inflects(word: str, root: str, language: str) -> bool:
    """Whether `word` is an inflection of the stem `root` ("executions" of "execut") and
    not a derivation ("executive"): stems alone would make "executive summary" a killing."""
    suffixes = _SPANISH_SUFFIXES if language == "es" else _ENGLISH_SUFFIXES
    if word.startswith(root):
        return word[len(root) :] in suffixes
    # Snowball rewrites some endings: "denied" -> "deni", "using" -> "use".
    base = root[:-1]
    return bool(base) and word.startswith(base) and word[len(base) :] in _REWRITTEN


_REWRITTEN = frozenset("y ies ied ying ing ed es s".split())
