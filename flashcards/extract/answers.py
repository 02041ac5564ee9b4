"""A question and the blocks that answer it: the one way every convention records a Q&A whose
answer is Markdown blocks (headings, list items).

Follow-up questions inside an answer — a nested `(질문) …` or `(Q) …` item — are cut out of it
and get notes of their own, answered by their own nested items, with the outer question as
their context:

    - Self-attention과 convolution의 차이는?
        - self-attention은 …
        - (질문) 그러면 작은 데이터셋에서는?
            - convolution의 inductive bias가 …
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..read.blocks import Block, first_line, plain_text
from .items import item_parts, raw_text
from .parsed import Draft
from .questions import ARROW
from .state import ExtractState

FOLLOW_UP = re.compile(r"^\s*\((?:질문|Q)\)\s*", re.IGNORECASE)
_QUOTE_MARK = re.compile(r"^[ \t]*> ?", re.MULTILINE)


def answered(
    state: ExtractState,
    question: str,
    line: int,
    answer_blocks: list[Block],
    question_node: Block | None,
    parent: str = "",
    skip: Sequence[tuple[int, int]] = (),
    lead: str = "",
    unquote: bool = False,
) -> None:
    """Record `question` (at `line`) answered by `answer_blocks` but the `skip` line ranges,
    after `lead` (answer text given on the question's own lines); without an answer, a
    warning. With `unquote`, the quote marks that set the answer apart are dropped."""
    inner = [item for block in answer_blocks for item in follow_ups(block)]
    skip = [*skip, *((item.map[0], item.map[1]) for item in inner if item.map)]
    markdown = state.markdown(answer_blocks, skip)
    if unquote:
        markdown = _QUOTE_MARK.sub("", markdown)
    answer = "\n\n".join(part for part in (lead, markdown) if part)
    answer = ARROW.sub("", answer.lstrip(), count=1)  # `→ …`: the marker is not the answer
    if not answer.strip():
        state.no_answer(line, question)
        if question_node is not None:  # its words still name key terms
            state.add_passages(question_node, None, "prose")
        return
    owner = state.add(Draft("qa", line, question, answer, parent))
    if question_node is not None:
        state.add_passages(question_node, owner, "question")
    if lead:
        state.add_text_lines([(line + 1, lead)], owner, "answer")
    for block in answer_blocks:
        state.add_passages(block, owner, "answer", skip)
    for item in inner:
        head, rest = item_parts(item)
        text = FOLLOW_UP.sub("", plain_text(head)) if head is not None else ""
        answered(state, text, first_line(item), rest, head, parent=question)


def follow_ups(node: Block) -> list[Block]:
    """Outermost follow-up items under `node`; their own follow-ups are found when they are."""
    if node.type == "list_item":
        head, _ = item_parts(node)
        if head is not None and FOLLOW_UP.match(raw_text(head)):
            return [node]
    return [item for child in node.children for item in follow_ups(child)]
