"""Extract: the questions, answers, glossary entries and lines of text of one note file.

`extract_file` parses the file (read/), names its deck, and walks its top-level blocks through
the rule chain (chain.py: one module per note convention in rules/). What it finds comes out as
one complete `ParsedFile` (parsed.py), the handover to the enrich stage.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from ..diagnostics import Diagnostic, error
from ..notes import normal_deck
from ..read.blocks import Block, first_line, parse, plain_text
from ..read.parsers import deep_line
from ..read.sources import SourceFile
from .chain import walk
from .checks import drop_checklists, keep_answered, tell_uncarded
from .deck import deck_name, deck_problem, source_tag, title_of
from .definitions import find_definitions
from .parsed import Draft, FileHead, ParsedFile
from .state import ExtractState

__all__ = ["FileHead", "ParsedFile", "extract_file"]


def extract_file(source: SourceFile) -> ParsedFile | Diagnostic:
    """One file's candidate notes and lines of text, or why it cannot be read."""
    try:
        return _extract(source)
    except RecursionError:  # the parser's tree builder recurses once per nesting level
        message = "nested too deeply to read (emphasis, lists or quotes thousands of levels deep)"
        return error("too-deep", source.display, deep_line(source.text), message)


def _extract(source: SourceFile) -> ParsedFile:
    text = source.text
    root = parse(text)
    title = title_of(root.children)
    deck, deck_line = deck_name(source, title)
    tags = [*source.front.tags, source_tag(source.rel)]
    title_line = first_line(title) if title else 0
    state = ExtractState(source.display, text.split("\n"), root.children, title_line)
    walk(state)
    keep_answered(state)
    tell_uncarded(state, told=drop_checklists(state))
    find_definitions(state, root.children)
    drafts = _with_sections(state.drafts, root.children)
    problem = deck_problem(source, deck, deck_line, tags)
    head = FileHead(
        display=source.display,
        rel=source.rel,
        deck=deck if problem else normal_deck(deck),
        tags=tags,
        usable=problem is None,
        diagnostics=[*source.diagnostics, *state.diagnostics, *([problem] if problem else [])],
    )
    return ParsedFile(head, drafts, state.passages)


def _with_sections(drafts: list[Draft], blocks: list[Block]) -> list[Draft]:
    """Each draft with the heading it stands under (the last heading before its line)."""
    headings = [(first_line(b), plain_text(b)) for b in blocks if b.type == "heading"]
    lines = [line for line, _ in headings]
    placed = []
    for draft in drafts:
        at = bisect_left(lines, draft.line)
        placed.append(replace(draft, section=headings[at - 1][1] if at else ""))
    return placed
