"""A question and the blocks that answer it: the one way every convention records a Q&A whose
answer is Markdown blocks (headings, list items). Follow-up questions inside the answer
(rules/follow_up.py) are cut out of it and get notes of their own."""

from __future__ import annotations

from ..diagnostics import shorten
from ..read.blocks import Block, first_line, plain_text
from .items import item_parts
from .parsed import Draft
from .rules.follow_up import FOLLOW_UP, follow_ups
from .state import ExtractState


def answered(
    state: ExtractState,
    question: str,
    line: int,
    answer_blocks: list[Block],
    question_node: Block | None,
    parent: str = "",
) -> None:
    """Record `question` (at `line`) answered by `answer_blocks`; without an answer, a warning."""
    inner = [item for block in answer_blocks for item in follow_ups(block)]
    skip = [(item.map[0], item.map[1]) for item in inner if item.map]
    answer = state.markdown(answer_blocks, skip)
    if not answer.strip():
        state.warn("no-answer", line, f"question has no answer, so no card: {shorten(question)}")
        return
    owner = state.add(Draft("qa", line, question, answer, parent))
    if question_node is not None:
        state.add_passages(question_node, owner, "question")
    for block in answer_blocks:
        state.add_passages(block, owner, "answer", skip)
    for item in inner:
        head, rest = item_parts(item)
        text = FOLLOW_UP.sub("", plain_text(head)) if head is not None else ""
        answered(state, text, first_line(item), rest, head, parent=question)
