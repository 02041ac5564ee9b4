"""Text as questions are compared: normalised, and their technical terms (Latin words and
numbers). Shared by merging (enrich/merge.py) and identity matching (identity/match.py)."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[\W_]+")
_TERM = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Compatibility forms folded, case folded, punctuation dropped, whitespace collapsed."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def technical_terms(normalised: str) -> set[str]:
    """The Latin words and numbers of a normalised text."""
    return set(_TERM.findall(normalised))


def same_technical_terms(a: str, b: str, typos: bool = False) -> bool:
    """The Latin words and numbers of one (normalised) question are all in the other: two
    questions that differ in exactly the word that matters (CNN/RNN, 2D/3D) are not the same.
    With `typos`, a long word may be misspelt ("Transfomer" = "Transformer"); short ones not."""
    return same_terms(technical_terms(a), technical_terms(b), typos)


def same_terms(terms_a: set[str], terms_b: set[str], typos: bool) -> bool:
    if terms_a <= terms_b or terms_b <= terms_a:
        return True
    if not typos:
        return False
    fewer, more = sorted((terms_a, terms_b), key=len)
    return all(
        word in more or (len(word) >= 5 and any(fuzz.ratio(word, w) >= 80 for w in more))
        for word in fewer
    )
