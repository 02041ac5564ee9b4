"""The lexicon: what a term looks like in Korean notes.

* `term_key` — what all spellings of a term share (case, spaces, hyphens, plural folded);
* built-in word lists: English function words, everyday words never worth a card, and the
  head nouns that make a phrase technical;
* `shape` and `worth` — acronym, CamelCase, compound, phrase: when a term earns a card;
* `candidates` — the terms one line writes in Latin script (junk.py has blanked out what never
  is one). A run of Latin words ends where Hangul starts, so particles never stick ("FID를" →
  FID). Cue phrases ("키워드 :", "…로 검색해보시면", "X란") and bold spans mark a term as named
  on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from wordfreq import zipf_frequency

from ...extract.parsed import Passage

SPLIT = re.compile(r"[\s\-_./·]+")
L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters, accented ones too
TOKEN = re.compile(rf"[{L}0-9]+(?:-[{L}0-9]+)*")
RUN = rf"{TOKEN.pattern}(?:[ \t]+{TOKEN.pattern})*"
LETTER = re.compile(rf"[{L}]")
HANGUL = re.compile(r"[가-힣]")
EMPHASIS = re.compile(rf"\s*({RUN})\s*[가-힣]{{0,3}}[\s.,!?:;]*")  # "**FID**를": a bold term
CALLED = r"(?:이)?란[\s,]|(?:이)?라는\s*(?:것|건)"  # "pretext task란", "… 라는 것"
NAMED = (  # "… 라고 한다", "… 이라고 함"
    r"\s*(?:이)?라고\s*(?:한다|합니다|해요|함|부른다|부릅니다|부름|불린다|불립니다|칭한다|칭함)"
)
CUE_AFTER = re.compile(  # "Frustum을 검색", "pose transfer로 찾아보시면", "pretext task란"
    rf"(?:을|를|으로|로|이라고|라고)?\s*(?:검색|찾아\s*보|구글링)|{CALLED}|{NAMED}"
)
CUE_BEFORE = re.compile(  # "키워드 : A, B", "(ex. A, B", "this is called the dataset shift"
    r"(?:키워드|검색어|keywords?|ex\.|e\.g\.)\s*(?:로는|으로는|는|은)?\s*(?:참고)?\s*[:：.]?\s*|"
    r"\b(?:called|known\s+as|referred\s+to\s+as|termed)\s+(?:the\s+|an?\s+)?",
    re.IGNORECASE,
)
JOIN = re.compile(r"\s*(?:,|，|、|/|및|와|과|이랑|랑|하고)\s*")  # "A, B", "A이랑 B"
Run = list[re.Match[str]]


@lru_cache(maxsize=1 << 16)  # notes repeat the same few thousand words
def term_key(text: str) -> str:
    """What all spellings of a term share: no case, spaces, hyphens, or plural ending."""
    parts = [part for part in SPLIT.split(unicodedata.normalize("NFKC", text)) if part]
    if not parts:
        return ""
    parts[-1] = _singular(parts[-1])
    return "".join(parts).casefold()


def _singular(word: str) -> str:
    if len(word) >= 3 and word.endswith("s") and word[:-1].isupper():
        return word[:-1]  # GANs
    if len(word) < 4 or word.isupper() or not (word.isascii() and word.isalpha()):
        return word
    low = word.casefold()
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes")):
        return low[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is", "as")):
        return low[:-1]
    return word


def _keys(text: str) -> frozenset[str]:
    return frozenset(term_key(word) for word in text.split())


# English function words: a Latin phrase is split at them, so prose never becomes one term.
STOP = _keys("""a an the of to in on at by for from with without into onto over under about as
is are was were be been being am it its this that these those there here and or but nor not no so
such than then too very also just only even i me my we us our you your he him his she her they
them their who what which when where why how all any some each every both either other another
more most less few many much can could will would shall should may might must do does did done
have has had get got make made use used using like via per vs etc ex eg ie cf ok yes keyword""")
# Words too common in notes to be worth a card, unless the glossary lists them.
EVERYDAY = _keys("""task data model bar job role topic text score history interaction challenge
box line map size color shape object item list table page word term set group unit
python target student teacher sharing application code coding paper test time idea point case
type way thing part project process problem issue result output input error example question
answer value system service image video file user team goal plan step level simple simplify
fundamental sparse sharp catch sensitive efficient trade-off state-of-the-art real-time good bad
new old big small high low best better fast slow easy hard review study research researcher
engineer engineering developer design structure method approach feedback skill career tool
framework library pattern trend performance speed quality accuracy cost version update
support information knowledge context content field domain area lecture course class homework
assignment exam quiz interview company startup business market product customer hardware
software internet web app mobile server cloud computer machine device memory game member mentor
meeting presentation slide network layer feature label loss baseline ai it pc sw hw pdf url ui
ux faq qa id java javascript""")
# Last words that make a phrase a technical term: strong ones even when it is used once.
STRONG_HEADS = _keys("""learning transfer distillation descent detection segmentation
classification regression recognition estimation training tuning fitting normalization attention
convolution layer network loss function embedding encoding encoder decoder pooling propagation
optimization augmentation generation synthesis inference retrieval tracking clustering sampling
regularization dropout activation distance divergence entropy transform transformer captioning
translation""")
WEAK_HEADS = _keys("""task score model block module method algorithm architecture metric dataset
benchmark space map vector matrix backbone prediction mechanism policy rate""")
FILLER_TAIL = _keys("problem issue stuff thing")  # "overfitting problem" is overfitting
NAME_TAIL = _keys("model network architecture")  # "Dall-E model" is DALL-E


# --- shapes: what a written term looks like, and when that earns it a card ---------------------
def acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def mixed(word: str) -> bool:
    """An uppercase letter right after a letter: GAN, ViT, CycleGAN, R-CNN (not Transformer)."""
    return any(c.isupper() and i > 0 and word[i - 1].isalpha() for i, c in enumerate(word))


@lru_cache(maxsize=1 << 16)
def shape(surface: str) -> str:
    words = surface.split()
    named = [w for w in words if not w[0].isdigit()]
    if len(words) == 1:
        if acronym(surface):
            return "acronym"
        return "name" if mixed(surface) else "compound" if "-" in surface else "word"
    if any(mixed(w) for w in named):
        return "name"
    return "title" if named and all(w[0].isupper() for w in named) else "phrase"


def worth(surface: str, lines: int, questions: int, foreign: bool = False) -> bool:
    """Whether a term nobody named on purpose is worth listing: by shape, then by how rare its
    words are in everyday English and how often the notes use it. `foreign`: written in Latin
    letters inside Korean text, where an English word is a term more often than not."""
    kind, words = shape(surface), surface.split()
    head = term_key(words[-1])
    if kind == "acronym":  # never an everyday word in capitals ("OK", "TV")
        return lines >= 2 or zipf(surface.lower()) < EVERYDAY_ZIPF
    if kind == "compound":
        return lines >= 2 or not any(c.isdigit() for c in surface)
    if len(words) > 4 or all(everyday(w) for w in words if not w[0].isdigit()):
        return kind == "name" and lines >= 2  # a sentence fragment, or everyday words
    if kind == "word":
        frequency = zipf(surface)
        if frequency >= RARE_ZIPF and NOT_A_NOUN.search(surface.casefold()):
            return False  # "normalized", "visualize", "robustly": not a thing to define
        rare = frequency < RARE_ZIPF
        return len(surface) >= 3 and (foreign or rare or (lines >= 2 and questions >= 2))
    if kind in ("name", "title"):
        return lines >= 2 or foreign or head in STRONG_HEADS
    if head in STRONG_HEADS:
        return True
    # In Korean text a short English phrase is a term ("pose transfer"); a longer one is
    # English prose ("validation loss rises").
    return (head in WEAK_HEADS and lines >= 2) or (foreign and len(words) <= 2)


# Zipf frequencies (log10 of uses per billion words, wordfreq's English model): a word at or
# above EVERYDAY_ZIPF is everyday English ("input" 4.4, "weekly" 4.6; "accuracy" 4.2 is not);
# one below RARE_ZIPF ("hyperplane" 1.9, "dropout" 3.1) is a term even when used once.
EVERYDAY_ZIPF, RARE_ZIPF = 4.3, 3.3
# English endings of verbs, participles, adverbs and adjectives (not "-ing": "padding" and
# "boosting" are things): a word so ending, and not rare, is not a term on its own.
NOT_A_NOUN = re.compile(r"(?:ize|ise|ify|ate|ed|ly|ous|ive|able|ible|ful|less)$")


@lru_cache(maxsize=1 << 16)
def zipf(word: str) -> float:
    """How common an English word is (wordfreq's small list: the words used at least once per
    million; rarer ones are 0, rare enough for every threshold here, at a quarter of the
    memory of its full list in every worker)."""
    return float(zipf_frequency(word, "en", wordlist="small"))


@lru_cache(maxsize=1 << 14)
def everyday(word: str) -> bool:
    """An English word in everyday use, in its own spelling or its singular (names and
    acronyms are never everyday)."""
    if not word.isascii() or acronym(word) or mixed(word):
        return False
    single = _singular(word)
    return max(zipf(word), zipf(single)) >= EVERYDAY_ZIPF


def split_name(name: str) -> tuple[str, list[str]]:
    """`FID (Fréchet Inception Distance)` → the name and its spelled-out alias."""
    match = re.fullmatch(r"\s*(.+?)\s*[(（]\s*(.+?)\s*[)）]\s*", name)
    return (match.group(1), [match.group(2)]) if match else (name.strip(), [])


# --- the terms one line writes ------------------------------------------------------------------
def runs(text: str, emphasis: Sequence[str] = ()) -> list[Run]:
    """Latin words separated only by spaces; a number or any other character ends a run, and so
    does the edge of an `emphasis` span ("**Softmax Regression** Softmax regression is …")."""
    cuts = {at for span in emphasis for at in _edges(text, span.strip())}
    found: list[Run] = []
    for match in TOKEN.finditer(text):
        if not LETTER.search(match.group()):
            found.append([])
        elif (
            found and found[-1] and match.start() not in cuts
            and not text[found[-1][-1].end() : match.start()].strip(" \t")
        ):  # fmt: skip
            found[-1].append(match)
        else:
            found.append([match])
    return [run for run in found if run]


def _edges(text: str, span: str) -> Iterator[int]:
    """Where each occurrence of `span` starts, and where the next word after it starts."""
    if not span:
        return
    at = text.find(span)
    while at != -1:
        yield at
        end = at + len(span)
        yield end + len(text[end:]) - len(text[end:].lstrip())
        at = text.find(span, end)


@dataclass(frozen=True)
class Candidate:
    start: int
    surface: str
    hidden: str  # key of the spelling a generic tail was cut from ("Dall-E-model"), or ""
    named: bool  # by a cue phrase or in bold
    foreign: bool  # Latin letters on a line of Korean


def candidates(passage: Passage, all_runs: list[Run]) -> list[Candidate]:
    """The terms a line may name; `all_runs` are its `runs`."""
    text = passage.text
    foreign = HANGUL.search(text) is not None
    cued = _cued(text, all_runs)
    bold = {term_key(m.group(1)) for m in map(EMPHASIS.fullmatch, passage.emphasis) if m}
    found = []
    for index, run in enumerate(all_runs):
        for start, end, main in _pieces(run):
            surface, hidden = _cut_name_tail(text[start:end])
            key = term_key(surface)
            if len(key) >= 2 and not (" " not in surface and surface[0].isdigit()):  # not "3D"
                # A cue names what follows it, but not an everyday word it happens to list
                # ("e.g. the number of favorites"); bold names anything.
                cue = index in cued and not (" " not in surface and everyday(surface))
                named = main and (cue or key in bold)
                found.append(Candidate(start, surface, hidden, named, foreign))
    return found


def _cued(text: str, all_runs: list[Run]) -> set[int]:
    """The runs a cue phrase names, and the runs listed together with them ("A, B를 검색")."""
    cued: set[int] = set()
    gaps = [text[a[-1].end() : b[0].start()] for a, b in pairwise(all_runs)]
    for i, run in enumerate(all_runs):
        if CUE_AFTER.match(text, run[-1].end()):
            cued.add(i)
            while i > 0 and JOIN.fullmatch(gaps[i - 1]):
                i -= 1
                cued.add(i)
    for cue in CUE_BEFORE.finditer(text):
        after = (k for k, run in enumerate(all_runs) if run[0].start() >= cue.end())
        i = next(after, len(all_runs))
        if i == len(all_runs) or text[cue.end() : all_runs[i][0].start()].strip():
            continue
        cued.add(i)
        while i + 1 < len(all_runs) and JOIN.fullmatch(gaps[i]):
            i += 1
            cued.add(i)
    return cued


def _pieces(run: Run) -> list[tuple[int, int, bool]]:
    """Phrases between function words, and the names inside phrases ("GAN" in "teacher GAN")."""
    pieces: list[tuple[int, int, bool]] = []
    segment: Run = []
    for match in [*run, None]:
        if match is not None and term_key(match.group()) not in STOP:
            segment.append(match)
            continue
        while len(segment) > 1 and term_key(segment[-1].group()) in FILLER_TAIL:
            segment.pop()
        if 0 < len(segment) <= 4:
            pieces.append((segment[0].start(), segment[-1].end(), True))
        if len(segment) > 1:
            long = len(segment) > 4
            names = ("acronym", "name", "compound") if long else ("acronym", "name")
            pieces += [(w.start(), w.end(), long) for w in segment if shape(w.group()) in names]
        segment = []
    return pieces


def _cut_name_tail(surface: str) -> tuple[str, str]:
    parts = list(re.finditer(r"[^\s-]+", surface))
    if len(parts) > 1 and term_key(parts[-1].group()) in NAME_TAIL:
        rest = surface[: parts[-2].end()]
        if not rest[0].isdigit() and any(c.isupper() for c in rest[1:]):
            return rest, term_key(surface)
    return surface, ""
