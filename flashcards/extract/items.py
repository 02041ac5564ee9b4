"""Reading blocks as the conventions see them: a block's raw first line of text, a list item's
question part and the rest, whether a list is mostly questions, and a table of contents."""

from __future__ import annotations

import re

from ..read.blocks import LIST_TYPES, Block, inline_lines, iter_inlines
from ..text import asks
from .questions import answer_text, reads_as_question
from .vocabulary import definition

_ANCHOR_LINK = re.compile(r"^\W*\[.*\]\(#[^)]*\)\W*$")


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


def item_asks(item: Block) -> bool:
    """A list item whose own text asks (by its ending)."""
    head, _ = item_parts(item)
    return head is not None and asks(raw_text(head))


def asked_and_answered(raw: str) -> tuple[str, list[str]]:
    """A list item's text split where a marked answer starts (`-> …`, `A: …`), after a first
    line that asks when the lines after it do not, or after the questions of a line that goes on
    to answer them: the question part and the answer's lines (their markers dropped)."""
    lines = [line.rstrip("\\") for line in raw.split("\n")]  # no hard breaks: lines apart
    split = next((k for k, line in enumerate(lines) if k and answer_text(line) is not None), None)
    if split is not None:
        return "\n".join(lines[:split]), [answer_text(lines[split]) or "", *lines[split + 1 :]]
    if len(lines) > 1 and asks(lines[0]) and not asks(lines[-1]):
        return lines[0], lines[1:]  # the question's line, then its answer on the lines after
    inline = _ANSWERED_INLINE.match(lines[0])
    if inline and _answers_itself(inline["q"], inline["a"]):
        return inline["q"], [inline["a"], *lines[1:]]  # "Slow convergence? Plot the cost …"
    return raw, []


def _answers_itself(question: str, answer: str) -> bool:
    """Questions, then sentences that answer them — not more asking ("Write down the loss"), not
    a link's text cut in two, not a term whose definition opens with a question."""
    if len(question.split()) < 3 or len(answer.split()) < 3:
        return False
    if asks(answer) or reads_as_question(answer) or re.match(r"(?i)write\s+(?:down|out)\b", answer):
        return False
    return question.count("[") == question.count("]") and definition(question) is None


# A line that asks, then answers in sentences of its own: the last `?` with words after it.
_ANSWERED_INLINE = re.compile(r"^(?P<q>.*[?？])\s+(?P<a>[^?？(（\s][^?？]*[^?？\s])$")


def mostly_questions(block: Block) -> bool:
    """A list whose items are more often questions than not."""
    heads = [item_parts(item)[0] for item in block.children]
    asking = sum(
        1 for head in heads if head is not None and asks(asked_and_answered(raw_text(head))[0])
    )
    return asking * 2 > len(heads)


def contents_list(block: Block) -> bool:
    """A list of links to the file's own headings: a table of contents."""
    if block.type not in LIST_TYPES or not block.children:
        return False
    return all(_ANCHOR_LINK.match(raw_text(item)) for item in block.children)


def asked_by(block: Block) -> str | None:
    """The question a paragraph asks with its wholly emphasised first line, if it does."""
    if block.type != "paragraph":
        return None
    inline = next(iter_inlines(block), None)
    pieces = inline_lines(inline, 1) if inline is not None else []
    if not pieces or len(pieces[0].emphasis) != 1:
        return None
    text = pieces[0].text.strip()
    emphasised = pieces[0].emphasis[0].strip()
    if emphasised != text or not reads_as_question(text):
        return None
    return text
