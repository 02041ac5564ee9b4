"""What a definition names, and other spellings the notes give of a term.

* `defined_name` — the term a definition in the notes (extract/definitions.py) names, with its
  other spellings, or None when the defined words are not a term: a glossary or a table is
  trusted; a line or a sentence only when its subject looks like a term (not "It", not "Input
  data", not "데이터의 양이 적을 때").
* `expansions` — spellings written side by side: "FID(Fréchet Inception Distance)",
  "과적합(overfitting)", "Gaussian or Normal Distribution".
"""

from __future__ import annotations

import re

from ...extract.defining import WORD, named
from ...extract.parsed import Draft
from . import lexicon as lex

# A Korean word that ends in a particle or a verb ending is part of a sentence, not a name.
_PARTICLE_END = re.compile(
    r"(?:의|을|를|에|에서|으로|로|와|과|도|만|이|가|은|는|고|며|서|게|지|면|때|함|음|요|다|적인)$"
)
# Inside a name a word may end in 지, 도 or 서 as many nouns do ("이미지 스프라이트", "유사도
# 함수", "센서 융합"): only a case particle or a clause ending joins it to the rest of a sentence.
_INNER_PARTICLE_END = re.compile(
    r"(?:의|을|를|에|에서|으로|로|와|과|이|가|은|는|고|며|면|때|적인)$"
)
_CONNECTORS = lex._keys("of and or for in on")
_NOT_OPENING = lex.STOP | lex._keys("one another first example more here there such")
_TRUSTED = ("glossary", "table")
# How an English definition opens: an article, or the verb after the term in "X is a …".
_DEFINING_OPENING = re.compile(
    r"(?i)(?:an?|the|one|any|used|refers?|means|is|are|stands)\b|\w+\s+(?:is|are)\s+(?:an?|the)\b"
)
_CALLED = re.compile(r"\w\([A-Za-z]{1,2}\)$")  # swish(x): a function written out
_PAIR = re.compile(
    r"(?P<a>[^\s()（）,.:;]+(?:[ \t][^\s()（）,.:;]+){0,4}?)\s*[(（](?P<b>[^()（）]{2,60})[)）]"
)
_OR = re.compile(r"^(?P<a>.+?)\s+(?:or|aka|a\.k\.a\.|또는|혹은)\s+(?P<b>.+)$", re.IGNORECASE)
_LEADING_OR = re.compile(r"^(?:or|aka|a\.k\.a\.|i\.e\.|e\.g\.|또는|혹은)\s+", re.IGNORECASE)
# An English name and the Korean word for what kind of thing it is: the name is the English one.
_KIND = re.compile(
    r"^(?P<name>[A-Za-z0-9][\w\-' ]*[A-Za-z0-9])\s*"
    r"(?:연산|알고리즘|기법|방법|방식|모델|기술|개념|현상|구조)$"
)
_INNER = re.compile(r"\s*[(（]([^()（）]{1,20})[)）]\s*")


def defined_name(draft: Draft) -> tuple[str, list[str]] | None:
    """The term a definition draft names, and its other spellings; None if it names no term."""
    if not named(draft.question):
        return None  # markup, math or code: never a term's name, even in a glossary
    name, aliases = split_spellings(draft.question)
    if "/" in name and not one_by_slash(name):
        return None  # "Text classification/ Spam Filtering": several things, not one term
    if expands(draft):
        return None  # "CE: Cross Entropy" spells the name out; it does not define it
    trusted = draft.defined_by in _TRUSTED
    if trusted or term_like(name, draft.marked, draft.defined_by, draft.answer):
        return name, [alias for alias in aliases if named(alias)]
    return None


def one_by_slash(name: str) -> bool:
    """Words a slash joins name one thing or its other spellings: `batch/minibatch`,
    `Training/Fitting Data`, `Model / Architecture` stay one name. Phrases a slash joins
    ("Text classification/ Spam Filtering") are several things, not one term."""
    *single, last = [part.strip() for part in name.split("/")]
    if any(not part or " " in part for part in single):
        return False
    return " " not in last or re.search(r"\s/|/\s", name) is None


def expands(draft: Draft) -> bool:
    """A definition that is only the term's long form (or its short form)."""
    name, meaning = draft.question.strip(), draft.answer.strip().rstrip(".")
    return _expands(name, meaning) or _expands(meaning, name)


def split_spellings(text: str) -> tuple[str, list[str]]:
    """`FID (Fréchet Inception Distance)` → FID and its long form; `Gaussian or Normal
    Distribution` → two names of one term; `Kullback-Leibler (KL) divergence` → the name
    without its inner short form, and the short form's spelling as an alias."""
    name, aliases = lex.split_name(text)
    inner = _INNER.search(name)
    if inner and inner.end() < len(name):
        before, after = name[: inner.start()].split(), name[inner.end() :].split()
        short = [*before[:-1], inner.group(1), *after]
        name = _INNER.sub(" ", name, count=1).strip()
        aliases.append(" ".join(short))
    if match := _KIND.match(name):
        name, aliases = match.group("name"), [name, *aliases]  # "2D Convolution 연산"
    if match := _OR.match(name):
        name, aliases = match.group("a"), [match.group("b"), *aliases]
    return name, [_LEADING_OR.sub("", alias) for alias in aliases]


def term_like(name: str, marked: bool, how: str = "line", meaning: str = "") -> bool:
    """Words that read as a term's name, not as the start of a sentence. An everyday word
    ("instance", "model") is a term when written in bold or as code, or given a meaning of a
    sentence's length ("Input: CT scans" is a field of a form, not a definition)."""
    words = name.split()
    # A word in capitals is an acronym or a keyword (GET, NOT), never a function word.
    keys = [lex.term_key(word) for word in words if not lex.acronym(word)]
    if not words or len(words) > 5 or _CALLED.search(name):
        return False
    if lex.HANGUL.search(name):
        return _korean_name(words, marked or how in ("list", "sentence"))
    if (keys and keys[0] in _NOT_OPENING) or any(k in lex.STOP - _CONNECTORS for k in keys):
        return False
    if re.fullmatch(r"[A-Za-z]+ \d+", name):
        return False  # "fold 3": one of a numbered series
    said = WORD.findall(meaning)
    if how == "line" and len(said) < 3:
        return False  # "Learning: training", "Deterministically: always": a note, not a meaning
    if how == "sentence" and len(words) == 1 and lex.everyday(name) and not marked:
        # "An instance is a row …" names a thing; "Below are the questions …" does not.
        return re.match(r"(?i)(?:an?|the)\s", meaning) is not None
    if marked or (len(words) > 1 and keys[-1] in lex.STRONG_HEADS) or _defines_well(meaning, said):
        return True
    return not all(lex.everyday(word) for word in re.split(r"[\s\-]+", name) if word)


def _defines_well(meaning: str, said: list[str]) -> bool:
    """A meaning that reads as a definition: "A measure of …", a long sentence, or Korean of a
    few words ("…을 의미한다") — not a field filled in ("Input: CT scans (3D)")."""
    if lex.HANGUL.search(meaning):
        return len(meaning.split()) >= 3
    opening = _DEFINING_OPENING.match(re.sub(r"^[\s\-*+•]+", "", meaning))
    return (opening is not None and len(said) >= 4) or len(said) >= 8


def _korean_name(words: list[str], trusted: bool) -> bool:
    """At most two words (three when `trusted`), none ending in a particle; a name only in
    Hangul is taken from a definition list, a defining sentence or emphasis, not from a lone
    `X : …` line (where it is as often a topic: "동기부여 : …")."""
    if len(words) > (3 if trusted else 2):
        return False
    *inner, last = words
    if any(_INNER_PARTICLE_END.search(w) for w in inner) or (
        lex.HANGUL.search(last[-1]) and _PARTICLE_END.search(last)
    ):
        return False
    return trusted or any(not lex.HANGUL.search(word) for word in words)


def expansions(text: str) -> list[tuple[str, str]]:
    """Pairs of spellings of one term written side by side: an acronym and its long form, or a
    Korean word and its English one."""
    pairs: list[tuple[str, str]] = []
    if "(" not in text and "（" not in text:
        return pairs
    for match in _PAIR.finditer(text):
        words, b = match.group("a").split(), match.group("b").strip()
        if not _may_pair(words[-1], b):
            continue
        for n in range(1, len(words) + 1):  # the fewest words before the bracket it spells out
            a = " ".join(words[-n:])
            if _expands(a, b) or _expands(b, a):
                pairs.append((a, b))
                break
        else:
            for n in range(min(len(words), len(b.split())), 0, -1):  # "He 초기화(He init…)"
                a = " ".join(words[-n:])
                if _translates(a, b):
                    pairs.append((a, b))
                    break
    return pairs


def _may_pair(before: str, inside: str) -> bool:
    """A cheap look first: one side a short word with capitals (an acronym), or Hangul on one
    side and Latin letters on the other."""
    if any(" " not in side and len(side) <= 10 and sum(map(str.isupper, side)) >= 2
           for side in (before, inside)):  # fmt: skip
        return True
    korean = (lex.HANGUL.search(before) is None) != (lex.HANGUL.search(inside) is None)
    return korean and lex.LETTER.search(before + inside) is not None


def _expands(short: str, long: str) -> bool:
    """An acronym whose letters start the long form's words in order (FID ← Fréchet Inception
    Distance; ViT ← Vision Transformer)."""
    letters = [c.lower() for c in short if c.isalpha()]
    words = [w.lower() for w in re.split(r"[\s\-]+", long) if w and w[0].isalpha()]
    capitals = sum(1 for c in short if c.isupper())
    if " " in short or not 2 <= len(letters) <= 8 or capitals * 2 <= len(letters):
        return False  # not an acronym ("ViT" is one; "mask-R-CNN" is a name)
    if lex.HANGUL.search(long):
        return False
    if len(words) < 2 or len(words) > len(letters) or words[0][0] != letters[0]:
        return False
    return _subsequence(letters, "".join(words))


def _subsequence(letters: list[str], text: str) -> bool:
    position = 0
    for letter in letters:
        position = text.find(letter, position) + 1
        if not position:
            return False
    return True


def _translates(a: str, b: str) -> bool:
    """A Korean word and an English one, either way round: 과적합(overfitting)."""
    korean, english = (a, b) if lex.HANGUL.search(a) else (b, a)
    latin = re.match(r"([A-Za-z]+) ", korean)  # the Latin word of "He 초기화" is the English one's
    return (
        bool(lex.HANGUL.search(korean)) and not lex.HANGUL.search(english)
        and re.fullmatch(r"(?:[A-Za-z]+ )?[가-힣]{2,12}", korean) is not None
        and (latin is None or english.split()[0] == latin.group(1))
        and re.fullmatch(r"[A-Za-z][A-Za-z\- ]{1,40}", english) is not None
        and len(english.split()) >= len(korean.split())
    )  # fmt: skip
