"""Question headings: a heading that asks, answered by the blocks up to the next heading.

A heading asks when it ends in `?` (the file's title never does), or when it is a sub-heading of
a Q&A section (`## Q&A`, `## 질문`, `## FAQ`…):

    ## Q&A
    ### Transformer는 왜 CNN보다 데이터가 많이 필요한가요
    inductive bias가 적어서 …
"""

from __future__ import annotations

from ...read.blocks import first_line, plain_text
from ..answers import answered
from ..state import ExtractState


def rule(state: ExtractState) -> bool:
    block = state.block
    if block.type != "heading":
        return False
    level = int(block.tag[1:])
    title = plain_text(block)
    under_qa = state.section == "qa" and level > state.section_level
    asking = title.endswith(("?", "？")) and first_line(block) != state.title_line
    if not (under_qa or asking):
        return False
    end = state.next_heading(state.pos + 1)
    answered(state, title, first_line(block), state.blocks[state.pos + 1 : end], block)
    state.pos = end
    return True
