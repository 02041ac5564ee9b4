"""Definitions the notes give wherever they stand — in an answer, a quote, a list, a table, a
glossary or prose — found after the rule chain has run, as term drafts beside the Q&As:

    | Word  | Definition      |     `Epoch`: one pass over the training data
    |-------|-----------------|     **Stride** — how far the filter moves
    | Epoch | One pass over … |     > focal loss : 쉬운 예제의 loss를 줄이는 loss
    경사하강법이란 기울기를 따라 …     Dropout is a regularization method that …
    # Glossary / ## Epoch / One pass …     Q. What is an epoch? A. One pass over …

A table defines when its header names a term column and a meaning column. A line defines when
it reads `Term: definition` (defining.py has the shapes); a run of such items is a definition
list, and so is `Term:` with its meaning nested under it or on the next line after `: `. Under
a glossary heading, each sub-heading is a term and the text under it its meaning. A question
that asks what a term is ("What is X?", "X란 무엇인가요?") defines it by its answer. Whether
the defined words are a term at all is the enrich stage's call (enrich/terms/naming.py): here
only the shape is read. Lines a glossary section already defined are not read again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..read.blocks import LIST_TYPES, Block, first_line, plain_text
from .defining import (
    SEPARATOR as _SEPARATOR,
)
from .defining import (
    asks_what,
    defining_sentences,
    definition_line,
    may_define,
    named,
    open_term,
    says,
    sentences,
)
from .items import item_parts, raw_text
from .parsed import DefinedBy, Draft
from .state import ExtractState
from .vocabulary import GLOSSARY_HEADING, plain

_TERM_HEADER = re.compile(
    r"^\W*(?:terms?|words?|keywords?|concepts?|names?|vocabulary|용어|개념|단어|키워드)\W*$",
    re.IGNORECASE,
)
_MEANING_HEADER = re.compile(
    r"^\W*(?:definitions?|meanings?|descriptions?|explanations?|뜻|설명|의미|정의|내용)\W*$",
    re.IGNORECASE,
)
_MARKED = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__|`)")
_GLOSSARY_ITEMS = 4  # definitions in one list that make it a glossary
_ITEM_MARK = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
_LONGEST_ANSWER = 400  # characters of an answer kept as a definition: its first sentences


def find_definitions(state: ExtractState, blocks: list[Block]) -> None:
    """Record every definition under `blocks` as a term draft (see the module's docstring)."""
    taken = {draft.line for draft in state.drafts if draft.kind == "term"}
    _answers(state)
    _glossary_headings(state, blocks, taken)
    for block in _walk(blocks):
        if not _may_hold_one(state, block):
            continue
        if block.type == "table":
            _table(state, block, taken)
        elif block.type in LIST_TYPES:
            _list(state, block, taken)
        elif block.type == "paragraph":
            _paragraph(state, block, [], taken, "line")


def _may_hold_one(state: ExtractState, block: Block) -> bool:
    """A cheap look at the block's source first: most blocks have no separator and no defining
    word on any of their lines, and need no closer reading."""
    if block.type == "table" or block.map is None:
        return True
    text = "\n".join(state.lines[block.map[0] : block.map[1]])
    return may_define(text) or _SEPARATOR.search(text) is not None


def _walk(blocks: list[Block]) -> Iterator[Block]:
    """Tables, lists and paragraphs not inside a list (a list reads its own items' paragraphs)."""
    for block in blocks:
        if block.type in ("table", "paragraph", *LIST_TYPES):
            yield block
        if block.type in LIST_TYPES:
            for item in block.children:
                _, rest = item_parts(item)
                yield from _walk(rest)
        elif block.type not in ("table", "paragraph", "code_block", "fence"):
            yield from _walk(block.children)


def _answers(state: ExtractState) -> None:
    """A question that asks what a term is: its answer's first paragraph defines it."""
    for draft in list(state.drafts):
        term = asks_what(draft.question) if draft.kind == "qa" else None
        if term is not None:
            first = draft.answer.strip().split("\n\n")[0].strip()
            if "\n" not in first:
                first = _ITEM_MARK.sub("", first)  # an answer of one item is its text
            first = _opening(first)
            if first and says(plain(first)):
                state.add(Draft("term", draft.line, term, first, defined_by="answer"))


def _opening(text: str) -> str:
    """A long paragraph's first sentences, up to `_LONGEST_ANSWER` characters; a short one
    whole. Nothing when even its first sentence is longer (an essay, not a definition)."""
    if len(text) <= _LONGEST_ANSWER:
        return text
    kept: list[str] = []
    for sentence in sentences(text):
        if len(" ".join([*kept, sentence])) > _LONGEST_ANSWER:
            break
        kept.append(sentence)
    return " ".join(kept)


def _glossary_headings(state: ExtractState, blocks: list[Block], taken: set[int]) -> None:
    """Under a Glossary/Terms/용어 heading, each deeper heading names a term defined by the
    paragraph (or list) right after it."""
    level = 0  # the glossary heading's level; 0: not under one
    for index, block in enumerate(blocks):
        if block.type != "heading":
            continue
        depth, title = int(block.tag[1:]), plain_text(block)
        if level and depth <= level:
            level = 0
        if not level and GLOSSARY_HEADING.fullmatch(title.strip(" #:")):
            level = depth
        elif level and index + 1 < len(blocks) and named(title) and not title.endswith("?"):
            after = blocks[index + 1]
            line = first_line(block)
            if after.type in ("paragraph", *LIST_TYPES) and line not in taken:
                text = state.markdown([after])
                state.add(Draft("term", line, title, text, defined_by="glossary", marked=True))
                taken.add(line)


def _table(state: ExtractState, table: Block, taken: set[int]) -> None:
    head = next((c for c in table.children if c.type == "thead"), None)
    body = next((c for c in table.children if c.type == "tbody"), None)
    if head is None or body is None or not head.children:
        return
    header = [plain_text(cell) for cell in head.children[0].children]
    term = next((i for i, text in enumerate(header) if _TERM_HEADER.match(text)), None)
    meaning = next((i for i, text in enumerate(header) if _MEANING_HEADER.match(text)), None)
    if term is None or meaning is None:
        return
    for row in body.children:
        cells = row.children
        if max(term, meaning) >= len(cells):
            continue
        name, text = plain_text(cells[term]), raw_text(cells[meaning]).strip()
        line = first_line(row)
        if name and text and line not in taken:
            state.add(Draft("term", line, name, text, defined_by="table", marked=True))


def _list(state: ExtractState, block: Block, taken: set[int]) -> None:
    parts = [(head, rest) for head, rest in map(item_parts, block.children) if head is not None]
    defining = sum(1 for head, rest in parts if _defines(head, rest))
    how: DefinedBy = "list" if defining >= 2 and defining * 2 >= len(parts) else "line"
    if defining >= _GLOSSARY_ITEMS and defining * 3 >= len(parts) * 2:
        how = "glossary"  # a long list of definitions is a glossary, whatever its heading
    for head, rest in parts:
        _paragraph(state, head, rest, taken, how)


def _defines(head: Block, rest: list[Block]) -> bool:
    lines = raw_text(head).split("\n")
    if definition_line(lines[0]) is not None:
        return True
    if len(lines) > 1 and lines[1].lstrip().startswith((":", "：")):
        return True  # `term` then `: meaning`
    return open_term(lines[0]) is not None and (bool(rest) or len(lines) > 1)


def _paragraph(
    state: ExtractState, block: Block, nested: list[Block], taken: set[int], how: DefinedBy
) -> None:
    """Each line that defines, by its shape or as a sentence; a `Term:` line is defined by the
    line after it or by the blocks nested under it."""
    start = first_line(block)
    lines = raw_text(block).split("\n")
    found = [definition_line(raw) for raw in lines]
    if how == "line" and sum(1 for f in found if f is not None) >= 2:
        how = "list"  # a paragraph of `Term: definition` lines
    for k, raw in enumerate(lines):
        line, marked = start + k, bool(_MARKED.match(raw))
        if line in taken:
            continue
        meaning = found[k] or _opened(raw, lines[k + 1 :] if k + 1 < len(lines) else [], nested,
                                     state)  # fmt: skip
        if meaning is not None:
            state.add(Draft("term", line, meaning[0], meaning[1], defined_by=how, marked=marked))
        elif may_define(raw) and (k == 0 or not lines[k - 1].rstrip().endswith(",")):
            for term, sentence in defining_sentences(plain(raw)):
                state.add(Draft("term", line, term, sentence, defined_by="sentence"))


def _opened(
    raw: str, after: list[str], nested: list[Block], state: ExtractState
) -> tuple[str, str] | None:
    """`Term:` whose meaning is the next line (`: meaning`, a definition list) or the first
    block nested under it."""
    term = open_term(raw)
    if term is None and after and after[0].lstrip().startswith((":", "：")):
        term = plain(raw).strip()  # `term` then `: meaning` on the next line
        term = term if named(term) else None
    if term is None:
        return None
    if after:
        meaning = after[0].lstrip().lstrip(":：").strip()
    elif nested:
        first = nested[0].children[0] if nested[0].type in LIST_TYPES else nested[0]
        meaning = state.markdown([first]).strip().lstrip("-*+ ").strip()  # its first line
    else:
        return None
    return (term, meaning) if says(plain(meaning)) else None
