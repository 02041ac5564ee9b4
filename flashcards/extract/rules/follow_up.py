"""Follow-up questions inside an answer: a nested `(질문) …` or `(Q) …` item is a question of
its own, answered by its own nested items, with the outer question as its context.

    - Self-attention과 convolution의 차이는?
        - self-attention은 …
        - (질문) 그러면 작은 데이터셋에서는?
            - convolution의 inductive bias가 …
"""

from __future__ import annotations

import re

from ...read.blocks import Block
from ..items import item_parts, raw_text

FOLLOW_UP = re.compile(r"^\s*\((?:질문|Q)\)\s*", re.IGNORECASE)


def follow_ups(node: Block) -> list[Block]:
    """Outermost follow-up items under `node`; their own follow-ups are found when they are."""
    if node.type == "list_item":
        head, _ = item_parts(node)
        if head is not None and FOLLOW_UP.match(raw_text(head)):
            return [node]
    return [item for child in node.children for item in follow_ups(child)]
