"""Emphasised questions: a paragraph whose first line is wholly bold or italic and reads as a
question — by its ending, by its first word ("What …", "Explain …") or by its number ("Q3 …") —
asks; the rest of the paragraph and the blocks after it answer, sub-headings and all, until the
next question, a label line, or a heading of the section's level.

    **Q2 How is KNN different from k-means clustering?**

    ##### KNN
    KNN stands for K nearest neighbors. …

A wholly emphasised statement is not a question: it may be a cloze (enrich/cloze.py).
"""

from __future__ import annotations

from ...read.blocks import Block, dedent, first_line, inline_lines, iter_inlines
from ..items import asked_by
from ..parsed import Draft
from ..questions import is_label
from ..state import ExtractState
from .prefixed import asks_in


def rule(state: ExtractState) -> bool:
    block = state.block
    question = asked_by(block)
    if question is None:
        return False
    blocks, end = state.blocks, state.pos + 1
    while end < len(blocks) and not _ends(state, blocks[end]):
        end += 1
    line = first_line(block)
    after = blocks[end].map if end < len(blocks) else None
    answer_end = after[0] if after else len(state.lines)
    markdown = "\n".join(state.lines[line:answer_end]).strip("\n")
    if not markdown.strip():
        state.no_answer(line, question)
    else:
        owner = state.add(Draft("qa", line, question, dedent(markdown.split("\n"))))
        state.add_text_lines([(line, question)], owner, "question")
        inline = next(iter_inlines(block), None)
        if inline is not None:
            state.add_lines(inline_lines(inline, line)[1:], owner, "answer")
        for answer_block in blocks[state.pos + 1 : end]:
            state.add_passages(answer_block, owner, "answer")
    state.pos = end
    return True


def _ends(state: ExtractState, block: Block) -> bool:
    if state.ends_answer(block) or asks_in(state, block) or asked_by(block) is not None:
        return True
    return block.type == "paragraph" and is_label(state.markdown([block]))
