"""Glossary sections: under a Glossary/Terms/Key terms/용어/키워드 heading, a list whose items
are mostly definitions, or a paragraph that is one, defines terms: `**Term** — definition`,
`Term: definition` or `Term :: definition`; a paragraph may hold one per line. The terms become
term notes (enrich/terms/). Prose under such a heading is prose: the heading alone does not make
it a glossary."""

from __future__ import annotations

from ...read.blocks import LIST_TYPES, Block, first_line
from ..items import item_parts, raw_text
from ..parsed import Draft
from ..state import ExtractState
from ..vocabulary import definition, plain


def rule(state: ExtractState) -> bool:
    if state.section != "glossary":
        return False
    block = state.block
    entries: list[tuple[Block, list[Block], int]]
    if block.type in LIST_TYPES:
        entries = []
        for item in block.children:
            head, rest = item_parts(item)
            if head is not None:
                entries.append((head, rest, first_line(item)))
    elif block.type == "paragraph":
        entries = [(block, [], first_line(block))]
    else:
        return False
    defining = sum(1 for head, _, _ in entries if _defines(head))
    if not entries or defining * 2 < len(entries):
        return False
    state.pos += 1
    for head, rest, line in entries:
        _entry(state, head, rest, line)
    return True


def _defines(head: Block) -> bool:
    """An entry whose first line (or every line) is a definition."""
    lines = raw_text(head).split("\n")
    return definition(raw_text(head)) is not None or all(definition(line) for line in lines)


def _entry(state: ExtractState, head: Block, rest: list[Block], line: int) -> None:
    raw_lines = raw_text(head).split("\n")
    if not rest and len(raw_lines) > 1:  # a paragraph may hold one definition per line
        per_line = []
        for raw in raw_lines:
            if (found := definition(raw)) is None:
                break
            per_line.append(found)
        if len(per_line) == len(raw_lines):
            for k, found in enumerate(per_line):
                _add_term(state, found, line + k, "")
            return
    match = definition(raw_text(head))
    if match is None:
        state.warn("not-a-definition", line, "glossary entry is not 'Term: definition'")
        return
    _add_term(state, match, line, state.markdown(rest))


def _add_term(state: ExtractState, match: tuple[str, str], line: int, more: str) -> None:
    term, text = match
    meaning = "\n\n".join(part for part in (text.strip(), more) if part.strip())
    owner = state.add(Draft("term", line, term, meaning, defined_by="glossary", marked=True))
    state.add_passage(line, plain(meaning), owner, "definition")
