"""Question headings: a heading that asks, answered by the blocks under it — its sub-headings
and theirs too, up to the next heading as high as it or as the section it stands in.

A heading asks when it ends in `?` or a Korean interrogative or request (`…알려주세요`), starts
with a question marker (`#### Q. …`, answered by a `#### A. …` heading after it), is a numbered
question ("#### 3. Define precision and recall"), or is a sub-heading of a Q&A section
(`## Q&A`, `## 질문`, `## FAQ`…). The file's title never asks, and neither do references.

    ### Cost Function과 Activation Function은 무엇인가요?
    #### 1) Cost Function
    …
    #### why use activation function?        ← a question of its own, carved out of the answer
    …
    ##### References                          ← left out of the answer
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...read.blocks import LIST_TYPES, Block, first_line, plain_text
from ...text import asks
from ..answers import answered
from ..items import mostly_questions
from ..questions import answer_text, question_text, reads_as_question
from ..state import ExtractState
from ..vocabulary import REFERENCES_HEADING, TOC_HEADING

_NUMBERED = re.compile(r"^\s*(?:\d{1,3}[.)]|#\d+\.?)\s+")


@dataclass
class _Section:
    """A question heading and what answers it."""

    heading: Block
    question: str
    blocks: list[Block] = field(default_factory=list)
    skip: list[tuple[int, int]] = field(default_factory=list)  # line ranges left out
    subs: list[_Section] = field(default_factory=list)  # questions under it


def rule(state: ExtractState) -> bool:
    block = state.block
    question = _asked(state, block, state.section, state.section_level)
    if question is None:
        return False
    level = int(block.tag[1:])
    section, state.pos = _answer(state, block, question, state.pos + 1, max(level, state.depth))
    _record(state, section)
    return True


def _asked(state: ExtractState, block: Block, section: str, section_level: int) -> str | None:
    """The question a heading asks, if it asks one."""
    if block.type != "heading" or first_line(block) == state.title_line:
        return None
    title = plain_text(block)
    if REFERENCES_HEADING.match(title) or TOC_HEADING.match(title):
        return None
    raw = state.lines[first_line(block) - 1]
    marked = question_text(raw)
    if marked:
        return marked
    level = int(block.tag[1:])
    unnumbered = _NUMBERED.sub("", title)
    under_qa = section == "qa" and level > section_level
    if unnumbered != title and reads_as_question(unnumbered):
        return unnumbered  # "#### 3. Define …": the number is the list's, not the question's
    if asks(title) or (under_qa and not _groups_questions(state, block, title)):
        return title
    return None


def _groups_questions(state: ExtractState, heading: Block, title: str) -> bool:
    """A heading of a Q&A section that names a group of questions ("General:", "Models"): a
    label, or nothing but lists of questions up to the next heading."""
    if title.rstrip().endswith((":", "：")):
        return True
    assert state.block is heading  # only the walk's own heading can be a Q&A sub-heading
    start = state.pos + 1
    below = state.blocks[start : state.next_heading(start)]
    return bool(below) and all(b.type in LIST_TYPES and mostly_questions(b) for b in below)


def _answer(
    state: ExtractState, heading: Block, question: str, start: int, stop: int
) -> tuple[_Section, int]:
    """The blocks from `start` that answer `heading`, up to a heading of level `stop` or
    higher; the index after them."""
    section = _Section(heading, question)
    blocks, i = state.blocks, start
    if i < len(blocks) and blocks[i].type == "heading" and answer_text(_raw(state, blocks[i])):
        section.blocks.append(blocks[i])  # `#### A. …` after `#### Q. …`
        i += 1
    while i < len(blocks):
        block = blocks[i]
        if _marked_questions(state, block):
            break  # toggles that ask (`+ Q. …`): cards of their own, not this answer
        if block.type != "heading":
            section.blocks.append(block)
            i += 1
            continue
        level = int(block.tag[1:])
        if level <= stop:
            break
        title = plain_text(block)
        sub_question = _asked(state, block, "other", level)
        if REFERENCES_HEADING.match(title):
            end = _section_end(blocks, i + 1, level)
            section.skip.append(_lines(blocks, i, end))
            i = end
        elif sub_question is not None:
            sub, end = _answer(state, block, sub_question, i + 1, level)
            section.subs.append(sub)
            section.skip.append(_lines(blocks, i, end))
            i = end
        else:
            section.blocks.append(block)
            i += 1
    return section, i


def _marked_questions(state: ExtractState, block: Block) -> bool:
    """A list whose every item is a `Q.`-marked question (how a toggle that asks reads)."""
    if block.type not in LIST_TYPES:
        return False
    return all(
        item.map is not None and question_text(state.lines[item.map[0]].lstrip(" \t-+*"))
        for item in block.children
    )


def _record(state: ExtractState, section: _Section) -> None:
    """The question and its answer, then the questions under it, in the order they stand. A
    leading `#### A. …` heading is the answer's first paragraph."""
    heading, blocks, lead = section.heading, section.blocks, ""
    if blocks and blocks[0].type == "heading":
        lead = answer_text(_raw(state, blocks[0])) or ""
        blocks = blocks[1:]
    line = first_line(heading)
    answered(state, section.question, line, blocks, heading, skip=section.skip, lead=lead)
    for sub in section.subs:
        _record(state, sub)


def _section_end(blocks: list[Block], start: int, level: int) -> int:
    return next(
        (j for j in range(start, len(blocks))
         if blocks[j].type == "heading" and int(blocks[j].tag[1:]) <= level),
        len(blocks),
    )  # fmt: skip


def _lines(blocks: list[Block], start: int, end: int) -> tuple[int, int]:
    first = blocks[start].map
    last = blocks[end - 1].map if end > start else None
    assert first is not None and last is not None  # headings and blocks have lines
    return first[0], last[1]


def _raw(state: ExtractState, block: Block) -> str:
    return state.lines[first_line(block) - 1]
