"""Section headings: every other heading opens a section, and what kind of section it is (a Q&A
section, a glossary, anything else) decides how the rules read the blocks under it.

The file's title is its own case: under `# Week 9 Q&A`, lists are questions but sub-headings
open sections of their own.
"""

from __future__ import annotations

from ...read.blocks import first_line, plain_text
from ..state import ExtractState
from ..vocabulary import section_kind


def rule(state: ExtractState) -> bool:
    block = state.block
    if block.type != "heading":
        return False
    section = section_kind(plain_text(block))
    level = int(block.tag[1:])
    if first_line(block) == state.title_line:
        section = "qa-lists" if section == "qa" else section
    else:
        state.depth = level
    state.section, state.section_level = section, level
    state.pos += 1
    return True
