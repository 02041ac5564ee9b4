"""Question lists: nested bullets and numbered items. Each item is a question, its nested blocks
the answer. A list is read this way under a Q&A-style heading, or anywhere when most of its
items read as questions.

    - Self-attention과 convolution의 차이는 무엇인가요?      3. 질문은 무엇인가요?
        - self-attention은 모든 위치를 …                         들여 쓴 답 …

An item written `Q: … / A: …` is read as prefixed lines (prefixed.py).
"""

from __future__ import annotations

from ...read.blocks import LIST_TYPES, first_line, plain_text
from ..answers import answered
from ..items import item_parts, mostly_questions, raw_text
from ..state import ExtractState
from ..vocabulary import Q_PREFIX
from .prefixed import prefixed_item


def rule(state: ExtractState) -> bool:
    block = state.block
    if block.type not in LIST_TYPES:
        return False
    if state.section not in ("qa", "qa-lists") and not mostly_questions(block):
        return False
    for item in block.children:
        head, rest = item_parts(item)
        if head is None:
            continue
        if Q_PREFIX.match(raw_text(head)):
            prefixed_item(state, head, rest)
        else:
            answered(state, plain_text(head), first_line(item), rest, head)
    state.pos += 1
    return True
