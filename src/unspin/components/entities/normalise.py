"""Matching keys that survive Arabic-to-Latin transliteration.

The same Arabic name reaches English text in many spellings: 'Dayr az-Zawr' and
'Deir ez-Zor', 'Jabhat al-Noussra' and 'Jabhat al-Nusra'.  ``key`` folds the variation that
transliteration schemes disagree on (the article's assimilated forms al-/el-/ad-/ash-/ez-…,
ou/u, e/i, ay/ei, aw/o, doubled letters, final h, hyphens, apostrophes, diacritics) so such
pairs meet on one exact key; ``skeleton`` drops the vowels too, for the fuzzy candidate set.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Sun-letter assimilations of the Arabic article, as the first part of a hyphenated word.
ARTICLES = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ud",
        "adh",
        "ath",
        "an",
        "en",
        "un",
        "ar",
        "er",
        "ur",
        "as",
        "es",
        "us",
        "ash",
        "esh",
        "ush",
        "at",
        "et",
        "ut",
        "az",
        "ez",
        "uz",
    }
)
# Forms that are also English or French words count as the article only when hyphenated.
_BARE_ARTICLES = ARTICLES - {"as", "at", "an", "en", "es", "et", "un", "us", "ur", "il", "ad"}
_DROP = str.maketrans("", "", "'`\u2019\u2018\u02bc\u02bb\u02bf\u02be\u00b4\u0313\u0314")
_PUNCT = re.compile(r"[^\w\s-]+")
_HYPHEN_ARTICLE = re.compile(r"\b([a-z]{2,3})-(?=\w)")
_LEADING_THE = re.compile(r"^the\s+")
# Order matters: long vowel spellings before the single-letter folds.
_FOLDS = (
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"ou|oo"), "u"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"e"), "i"),
    (re.compile(r"ai|ay|iy"), "i"),
    (re.compile(r"aw|au|ow"), "o"),
    (re.compile(r"(?<=[aiou])h\b"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
)
_VOWELS = re.compile(r"(?<=\w)[aeiouyw]")
# Consonants that English, French and German spellings of one name write differently
# ('Bashar', 'Bachar', 'Baschar'; 'Bakhmut', 'Bachmut'; 'Qasem', 'Kassem'; 'Hizbollah',
# 'Hisbollah'): merged in the skeleton only, so such names meet in one fuzzy block while the
# exact key keeps them apart.
_CONSONANT_FOLDS = (
    (re.compile(r"sch|sh|ch|kh"), "x"),
    (re.compile(r"q"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def _ascii_fold(text: str) -> str:
    """Lower case without diacritics or apostrophes (ʿayn and hamza marks included)."""
    text = text.translate(_DROP)
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("ß", "ss")


def _article(match: re.Match[str]) -> str:
    word = match.group(1)
    return "al " if word in ARTICLES else word + " "


@cache
def key(text: str) -> str:
    """The exact-match key: spelling variants of one transliterated name share it."""
    folded = _ascii_fold(text)
    folded = _HYPHEN_ARTICLE.sub(_article, _PUNCT.sub(" ", folded))
    words = folded.replace("-", " ").replace("_", " ").split()
    words = ["al" if w in _BARE_ARTICLES and i < len(words) - 1 else w for i, w in enumerate(words)]
    out = _LEADING_THE.sub("", " ".join(words))
    for pattern, repl in _FOLDS:
        out = pattern.sub(repl, out)
    return out


@cache
def plain(text: str) -> str:
    """The name as written, only without case, diacritics and punctuation: for checking that
    two names sharing a key also look alike."""
    return " ".join(_PUNCT.sub(" ", _ascii_fold(text)).replace("-", " ").split())


@lru_cache(maxsize=65536)
def skeleton(text_key: str) -> str:
    """Consonants of a key (first letters kept): where short-vowel spellings still differ."""
    out = text_key.replace(" al ", " ").removeprefix("al ")
    for pattern, repl in _CONSONANT_FOLDS:
        out = pattern.sub(repl, out)
    return _VOWELS.sub("", out)
