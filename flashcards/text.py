"""Text as questions are read and compared: whether a text asks, and its normalised form and
technical terms (Latin words and numbers). Shared by reading (a toggle that asks), the question
conventions, merging (enrich/merge.py) and identity matching (identity/match.py)."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[\W_]+")
_TERM = re.compile(r"[a-z0-9]+")

# Korean interrogative and request endings, tolerant of trailing punctuation and emoticons.
_KOREAN_ASKS = (
    r"나요|까요|인가요|[습입합됩갑봅십]니까|궁금합니다|궁금해요|궁금하다|궁금함|알고\s*싶습니다|"
    r"알고\s*싶어요|(?:알려|말해|설명해|소개해|정리해)\s*(?:주세요|줘|주시겠어요|주실\s*수\s*있나요)"
)
_ENDS_ASKING = re.compile(rf"(?:\?|？|{_KOREAN_ASKS})[\s.!~…)\]ㅎㅋㅠㅜ]*$")
_TRAILING_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）][\s.]*$")


# The words that say "the answer follows" (`A.`, `답변:`, a toggle named "정답"), and a label
# that says only that: "답변", "**Answer:**".
ANSWER_WORD = r"(?:A|(?i:answer|ans|solution)|답변|답|정답|해답|해설|풀이)"
ANSWER_LABEL = re.compile(rf"^(?:\*\*|__)?\s*{ANSWER_WORD}\s*[:.：]?\s*(?:\*\*|__)?$")


def asks(text: str) -> bool:
    """A question by its ending (a trailing aside such as "(Sigmoid, ReLU 등)" aside)."""
    text = text.strip().rstrip("\\")  # a hard break at the end says nothing
    return bool(_ENDS_ASKING.search(text) or _ENDS_ASKING.search(_TRAILING_ASIDE.sub("", text)))


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
