"""Reading blocks as the conventions see them: a block's raw first line of text, a list item's
question part and the rest, and whether a list is mostly questions."""

from __future__ import annotations

from ..read.blocks import LIST_TYPES, Block, iter_inlines
from .vocabulary import is_question


def raw_text(block: Block) -> str:
    """The raw Markdown of the first run of text under `block`."""
    inline = next(iter_inlines(block), None)
    return inline.content if inline is not None else ""


def item_parts(item: Block) -> tuple[Block | None, list[Block]]:
    """Split a list item into its question block and the blocks after it.

    `- 1. question` (a one-item ordered list as the question) is unwrapped.
    """
    children = list(item.children)
    if not children:
        return None, []
    first = children[0]
    if first.type in LIST_TYPES and len(first.children) == 1:
        inner = first.children[0]
        inner_children = list(inner.children)
        if inner_children and inner_children[0].type == "paragraph":
            return inner_children[0], inner_children[1:] + children[1:]
    if first.type == "paragraph":
        return first, children[1:]
    return None, children


def mostly_questions(block: Block) -> bool:
    """A list whose items are more often questions than not."""
    heads = [item_parts(item)[0] for item in block.children]
    asking = sum(1 for head in heads if head is not None and is_question(raw_text(head)))
    return asking * 2 > len(heads)
