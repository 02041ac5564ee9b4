"""The state of one file's walk through the rule chain (chain.py): the top-level blocks, the
position, the section the walk is in, and what it has found so far.

A rule reads `state.block`, and when it takes it, records what it found and moves `state.pos`
past the blocks it used. The state is the extract stage's own scratch: `extract_file` turns
what it found into a complete `ParsedFile` at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic, shorten, warning
from ..read.blocks import (
    Block,
    TextLine,
    block_markdown,
    first_line,
    inline_lines,
    iter_inlines,
    parse_inline,
)
from .parsed import Draft, Passage, Role
from .vocabulary import EXPORT_DEBRIS, Section


class ExtractState:
    def __init__(self, path: str, lines: list[str], blocks: list[Block], title_line: int) -> None:
        self.path = path  # as displayed, for diagnostics
        self.lines = lines  # the file's source lines
        self.blocks = blocks  # the top-level blocks
        self.pos = 0  # the block the next rule reads
        self.title_line = title_line  # the line of the file's title heading, else 0
        # The heading the walk is under: what kind of section it opens, and its level.
        self.section: Section = "other"
        self.section_level = 0
        # The level of the last heading that is not the title (0: none yet). A question's answer
        # runs past deeper headings (its parts), and ends at one as high as this.
        self.depth = 0
        self.drafts: list[Draft] = []
        self.passages: list[Passage] = []
        self.diagnostics: list[Diagnostic] = []

    @property
    def block(self) -> Block:
        return self.blocks[self.pos]

    def ends_answer(self, block: Block) -> bool:
        """A heading that ends an answer begun under the current section."""
        return block.type == "heading" and int(block.tag[1:]) <= (self.depth or 6)

    def next_heading(self, start: int) -> int:
        """The index of the first heading at or after `start`, else the number of blocks."""
        blocks = self.blocks
        return next(
            (j for j in range(start, len(blocks)) if blocks[j].type == "heading"), len(blocks)
        )

    # --- what the rules record ------------------------------------------------------------------
    def add(self, draft: Draft) -> int:
        """Record a candidate note; its index is what its passages name as their owner."""
        self.drafts.append(draft)
        return len(self.drafts) - 1

    def add_passages(
        self, node: Block, owner: int | None, role: Role, skip: Sequence[tuple[int, int]] = ()
    ) -> None:
        """Every line of text under `node` (but the `skip` line ranges)."""
        for inline in iter_inlines(node, skip):
            self.add_lines(inline_lines(inline, first_line(inline)), owner, role)

    def add_lines(self, pieces: list[TextLine], owner: int | None, role: Role) -> None:
        for piece in pieces:
            if not EXPORT_DEBRIS.match(piece.text):
                self.passages.append(Passage(piece.line, piece.text, piece.emphasis, owner, role))

    def add_passage(self, line: int, text: str, owner: int | None, role: Role) -> None:
        """One line of text given as plain text (no emphasis known)."""
        self.passages.append(Passage(line, text, [], owner, role))

    def warn(self, code: str, line: int, message: str) -> None:
        self.diagnostics.append(warning(code, self.path, line, message))

    def no_answer(self, line: int, question: str) -> None:
        """A question that makes no card, said at its line."""
        self.warn("no-answer", line, f"question has no answer, so no card: {shorten(question)}")

    def markdown(self, blocks: list[Block], skip: Sequence[tuple[int, int]] = ()) -> str:
        """The blocks' source lines, dedented, minus the `skip` line ranges (follow-ups)."""
        spans = [b.map for b in blocks if b.map]
        if not spans:
            return ""
        return block_markdown(self.lines, spans[0][0], spans[-1][1], list(skip))

    def add_text_lines(
        self, numbered: list[tuple[int, str]], owner: int | None, role: Role
    ) -> None:
        """Lines of Markdown given as text, each with its 1-based line: their plain text and
        emphasis, as passages."""
        for line, text in numbered:
            if text.strip():
                for inline in iter_inlines(parse_inline(text.strip())):
                    self.add_lines(inline_lines(inline, line), owner, role)
