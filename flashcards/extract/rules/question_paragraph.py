"""Questions asked in a paragraph of their own, unmarked, answered by the block right after it —
a list, a paragraph (`→ …` or not), a quote, a table or code:

    What is cross-entropy?                    왜 두 분포가 중요했을까?
    - A loss for classification …             이는 생성 모델을 설명하기 위한 준비이다.

A paragraph whose first line asks and whose next lines do not is a question and its answer.
A question quoted with its sub-questions (`> Q?` then `> - sub-question?`) is answered the same
way. Items of the answering list that ask are follow-up questions: each answered by its own nested
items, or said to have no answer. The answer is one block, no more: without a marker, prose runs
on past what answers the question, and a second paragraph is as likely the notes moving on. A
paragraph that asks with nothing to answer it stays prose (checks.py says so at its line), as
does one whose question mark sits in an aside ("…가장 유명하니까(내 기준엔?)").
"""

from __future__ import annotations

from ...read.blocks import LIST_TYPES, Block, first_line, plain_text
from ...text import asks
from ..answers import answered
from ..items import asked_and_answered, item_asks, item_parts, raw_text
from ..parsed import Draft
from ..questions import ARROW, is_label
from ..state import ExtractState
from ..vocabulary import plain
from .question_list import only_questions

_ANSWER_BLOCKS = ("paragraph", "blockquote", "table", "code_block", "fence", *LIST_TYPES)
_LONGEST = 300  # characters: a longer paragraph is an essay that happens to end asking


def rule(state: ExtractState) -> bool:
    if _asked_then_answered(state):
        return True
    question = _asked(state.block)
    if question is None or state.pos + 1 >= len(state.blocks):
        return False
    answer = state.blocks[state.pos + 1]
    if not _answers(state, answer):
        return False
    line = first_line(state.block)
    follow_ups = _follow_ups(answer)
    skip = [item.map for item in follow_ups if item.map]
    answered(state, question, line, [answer], state.block, skip=skip)
    for item in follow_ups:
        head, rest = item_parts(item)
        if head is not None:
            answered(state, plain_text(head), first_line(item), rest, head, parent=question)
    state.pos += 2
    return True


def _asked_then_answered(state: ExtractState) -> bool:
    """A paragraph whose first line asks and whose next lines answer; taken."""
    block = state.block
    if block.type != "paragraph":
        return False
    question, answer = asked_and_answered(raw_text(block))
    if not answer or not _asks_alone(plain(question)):
        return False
    line = first_line(block)
    lead = "\n".join(answer).strip()
    owner = state.add(Draft("qa", line, plain(question), lead))
    state.add_text_lines([(line, question)], owner, "question")
    state.add_text_lines([(line + 1 + k, text) for k, text in enumerate(answer)], owner, "answer")
    state.pos += 1
    return True


def _asked(block: Block) -> str | None:
    """The question a paragraph (or a quote of questions) asks, if it asks one and no more."""
    if block.type == "blockquote":
        children = list(block.children)
        if not children or children[0].type != "paragraph":
            return None
        if children[1:] and not only_questions(children[1:]):
            return None
        block = children[0]
    if block.type != "paragraph":
        return None
    text = plain_text(block).strip()
    return text if _asks_alone(text) else None


def _asks_alone(text: str) -> bool:
    """Text that asks, not in an aside, not too long to be a question, with no answer of its own
    after an arrow."""
    if len(text) > _LONGEST or text.endswith((")", "）")) or not asks(text):
        return False
    return not (ARROW.search(text) or "=>" in text or is_label(text))


def _answers(state: ExtractState, block: Block) -> bool:
    """A block that can answer: text that does not itself ask, begin a question or a label."""
    if block.type not in _ANSWER_BLOCKS:
        return False
    if block.type in LIST_TYPES:
        return any(not item_asks(item) for item in block.children)
    if block.type == "paragraph":
        text = plain_text(block).strip()
        return not asks(text) and not is_label(text) and _asked(block) is None
    return True


def _follow_ups(block: Block) -> list[Block]:
    """The items of an answering list that ask: questions of their own."""
    if block.type not in LIST_TYPES:
        return []
    return [item for item in block.children if item_asks(item)]
