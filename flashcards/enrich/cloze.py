"""Cloze notes from emphasis the note-taker added to a statement worth remembering (bold
italics, or `==highlight==`).

`***Transformer는 ⌜진흙⌟이다.***` → `Transformer는 ⌜{{c1::진흙}}⌟이다.`
`***인생은 trade off***`        → `인생은 {{c1::trade off}}`
A bold *term* ("**Mask R-CNN**") is not a statement: it becomes a term note, not a cloze.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..extract.parsed import ParsedFile, Passage
from ..notes import ClozeNote, validate_note

_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_QUOTED = re.compile(r"[⌜「『“\"'‘](.+?)[⌟」』”\"'’]")
# "X은/는/이/가 Y": a topic or subject, then what is said about it.
_TOPIC = re.compile(
    r"^(?P<topic>\S+?(?:은|는|이|가|란|이란))\s+(?P<comment>.+?)(?P<end>(?:이다|다|요)?[.!]?)$"
)
_PREDICATE_END = re.compile(r"(다|요|죠|니다|음|함)[.!]?$")
_SENTENCE = re.compile(r"[^.!?。]*[.!?。]?")


def is_statement(span: str) -> bool:
    """A span worth a cloze says something: a Korean predicate, a topic particle, or 4+ words."""
    span = span.strip()
    if len(span) < 4 or " " not in span:
        return False
    return bool(_PREDICATE_END.search(span) or _TOPIC.match(span) or len(span.split()) >= 4)


def cloze_text(span: str) -> str:
    """Mark the part to recall: a quoted key word, else the comment after the topic, else all."""
    span = span.strip()
    quoted = _QUOTED.search(span)
    if quoted:
        start, end = quoted.span(1)
        return f"{span[:start]}{{{{c1::{span[start:end]}}}}}{span[end:]}"
    topic = _TOPIC.match(span)
    if topic and topic.group("comment").strip():
        return f"{topic.group('topic')} {{{{c1::{topic.group('comment')}}}}}{topic.group('end')}"
    return f"{{{{c1::{span}}}}}"


def _context(passage: Passage, span: str, parsed: ParsedFile) -> str:
    """The sentence around the span, and the question it answers, if any."""
    sentence = next(
        (s.strip() for s in _SENTENCE.findall(passage.text) if span in s), passage.text
    ).strip()
    if sentence == span.strip() and passage.owner is not None:
        return parsed.drafts[passage.owner].question
    return sentence


def find_clozes(parsed: ParsedFile) -> tuple[list[ClozeNote], list[Diagnostic]]:
    notes: list[ClozeNote] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for passage in parsed.passages:
        spans = [*passage.emphasis, *_HIGHLIGHT.findall(passage.text)]
        for span in spans:
            if not is_statement(span) or span in seen:
                continue
            seen.add(span)
            result = validate_note(
                {
                    "kind": "cloze",
                    **parsed.head.note_origin(passage.line),
                    "text": cloze_text(span),
                    "context": _context(passage, span, parsed),
                }
            )
            if isinstance(result, Diagnostic):
                problems.append(result)
            else:
                assert isinstance(result, ClozeNote)
                notes.append(result)
    return notes, problems
