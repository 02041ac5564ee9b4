"""A table of contents — a list of links to the file's own headings, or any list under a
`목차`/`Table of Contents` heading — repeats the questions the file asks: it is skipped, so they
are asked once, where they are answered."""

from __future__ import annotations

from ...read.blocks import LIST_TYPES
from ..items import contents_list
from ..state import ExtractState


def rule(state: ExtractState) -> bool:
    block = state.block
    if not (contents_list(block) or (state.section == "toc" and block.type in LIST_TYPES)):
        return False
    state.pos += 1
    return True
