"""Cloze notes from the key phrases a note-taker emphasised inside a sentence (bold, italics,
or `==highlight==`): the sentence is the card, the emphasised phrase its deletion.

    항상 ***인생은 trade off***인데, 어느 것을 …  →  항상 인생은 {{c1::trade off}}인데, 어느 것을 …
    We use **dropout** to reduce overfitting.     →  We use {{c1::dropout}} to reduce overfitting.
    ***Transformer는 ⌜진흙⌟이다.***               →  Transformer는 ⌜{{c1::진흙}}⌟이다.

The front must show at least `MIN_CONTEXT` letters outside the deletion, or there is nothing
to recall it from. So a wholly emphasised sentence, a bold question or a bold label never
becomes a cloze — unless it quotes a key word inside it (the last example): the quote is the
deletion, the rest of the sentence its context. A label (`**Note:** …`) and a defined term
(`**Stride**: …`, a term card's job) are not key phrases.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..extract.parsed import ParsedFile, Passage
from ..notes import ClozeNote, validate_note

MIN_CONTEXT = 8  # letters on the front outside the deletion
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_QUOTED = re.compile(r"[⌜「『“\"'‘](.+?)[⌟」』”\"'’]")
# "X은/는/이/가 Y": a topic or subject, then what is said about it.
_TOPIC = re.compile(
    r"^(?P<topic>\S+?(?:은|는|이|가|란|이란))\s+(?P<comment>.+?)(?P<end>(?:이다|다|요)?[.!]?)$"
)
_SENTENCE = re.compile(r"[^.!?。]*[.!?。]?")
_ASIDE = re.compile(r"^\s*[(（\[][^)）\]]*[)）\]]\s*")  # "(오늘의 명언) …"
_LABEL_AFTER = re.compile(r"^\s*(?:[:：—–]|-\s)")


def letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def deletion(span: str, whole: bool) -> tuple[int, int] | None:
    """Where the deletion goes in an emphasised span: a quoted key word; else, for a phrase
    inside a sentence, the comment after its topic or the whole phrase. A whole emphasised
    sentence without a quoted word has none."""
    quoted = _QUOTED.search(span)
    if quoted:
        return quoted.span(1)
    if whole:
        return None
    topic = _TOPIC.match(span)
    if topic and topic.group("comment").strip():
        return topic.start("comment"), topic.end("comment")
    return 0, len(span)


def cloze_for(sentence: str, span: str) -> str | None:
    """`sentence` with the key phrase of its emphasised `span` deleted, if the front keeps
    enough context."""
    at = sentence.find(span)
    if at < 0 or len(span.strip()) < 2 or span.rstrip().endswith((":", "：")):
        return None  # "**Weight decay :** …" is a label
    rest = (sentence[:at] + sentence[at + len(span) :]).strip()
    whole = letters(_ASIDE.sub("", rest)) == 0
    if not whole and _LABEL_AFTER.match(sentence[at + len(span) :]) and not sentence[:at].strip():
        return None  # "**Note:** …", "**Stride**: …": a label or a defined term
    where = deletion(span, whole)
    if where is None:
        return None
    start, end = at + where[0], at + where[1]
    if _stressed(sentence[start:end]):
        return None  # "This is **important** because …": stress, not a key phrase
    text = _ASIDE.sub("", sentence) if whole else sentence
    shift = len(sentence) - len(text)
    start, end = start - shift, end - shift
    cloze = f"{text[:start]}{{{{c1::{text[start:end]}}}}}{text[end:]}".strip()
    outside = text[:start] + text[end:]
    return cloze if letters(outside) >= MIN_CONTEXT else None


# Words emphasised for stress, not as what the lecture taught: a card asking for one tests
# grammar. A closed list, as frequency cannot tell them from key words ("local", "mean" are as
# common as "important").
_STRESS = (
    "important importantly crucial crucially critical essential necessary key main always never "
    "must mustn't should shouldn't not no none only all every very really much more most less "
    "least cannot can't don't doesn't isn't same different first last also especially "
    "반드시 항상 절대 절대로 꼭 중요 중요한 중요합니다 매우 가장 정말 특히 무조건 안 못 다"
)
_STRESS_WORDS = frozenset(_STRESS.split())


def _stressed(deleted: str) -> bool:
    return deleted.strip().lower() in _STRESS_WORDS


def _sentence_of(text: str, span: str) -> str:
    found = next((s for s in _SENTENCE.findall(text) if span in s), "")
    return (found or text).strip()


def find_clozes(parsed: ParsedFile) -> tuple[list[ClozeNote], list[Diagnostic]]:
    notes: list[ClozeNote] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for passage in parsed.passages:
        if passage.role in ("question", "definition"):
            continue
        highlights = _HIGHLIGHT.findall(passage.text)
        for span in [*passage.emphasis, *highlights]:
            sentence = _sentence_of(passage.text, span)
            if span in highlights:  # its `==` marks are markup: the deletion marks it now
                sentence = sentence.replace(f"=={span}==", span, 1)
            text = cloze_for(sentence, span) if span not in seen else None
            if text is None or sentence.rstrip().endswith(("?", "？")):
                continue
            seen.add(span)
            origin = parsed.head.note_origin(passage.line)
            context = _context(passage, parsed)
            result = validate_note({"kind": "cloze", **origin, "text": text, "context": context})
            if isinstance(result, Diagnostic):
                problems.append(result)
            else:
                assert isinstance(result, ClozeNote)
                notes.append(result)
    return notes, problems


def _context(passage: Passage, parsed: ParsedFile) -> str:
    """The question the sentence answers, if it answers one."""
    if passage.owner is None:
        return ""
    draft = parsed.drafts[passage.owner]
    return draft.question if draft.kind == "qa" else ""
