"""Extract: find the questions, answers and glossary terms in one parsed note file.

The conventions (real notes mix them):
  a. nested bullets — a top-level bullet is the question, its nested items the answer; a nested
     `(질문)`/`(Q)` item is a follow-up question with its own card;
  b. numbered items — `N. question` with indented paragraphs as the answer;
  c. prefixed lines — `Q:`/`A:`, `질문:`/`답변:`, `문:`/`답:` (bold or not);
  d. headings — sub-headings of a Q&A section, or any heading ending in `?`;
  e. glossary sections — `**Term** — definition`, `Term: definition`, `Term :: definition`.
A list is a question list under a Q&A-style heading, or when most of its items read as questions.
A block used as an answer is never scanned again for questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from .conventions import (
    A_PREFIX,
    EXPORT_DEBRIS,
    FOLLOW_UP,
    Q_PREFIX,
    definition,
    is_question,
    plain,
    section_kind,
    unprefix,
)
from .markdown import (
    LIST_TYPES,
    Block,
    TextLine,
    block_markdown,
    clean_export_quirks,
    first_line,
    inline_lines,
    iter_inlines,
    parse,
    plain_text,
)
from .models import ClozeNote, Diagnostic, QANote, check_deck, check_tags, shorten, warning
from .sources import SourceFile

if TYPE_CHECKING:  # a later stage's result, carried with the file it was made from
    from .decks import Finished


@dataclass
class Found:
    """One candidate note, before validation: a Q&A or a glossary term."""

    kind: str
    line: int
    question: str  # the question, or the term
    answer: str  # Markdown answer, or the definition
    parent_question: str = ""


@dataclass
class Passage:
    """A line of text in the notes, and which found note (if any) it belongs to."""

    line: int
    text: str
    emphasis: list[str]
    owner: int | None  # index into FileNotes.found
    role: str  # "question" | "answer" | "prose" | "definition"


@dataclass
class FileNotes:
    source: SourceFile
    deck: str
    deck_line: int
    tags: list[str]
    found: list[Found] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[QANote | ClozeNote] = field(default_factory=list)  # validated (validate.py)
    html: dict[str, str] = field(default_factory=dict)  # their answers, rendered (validate.py)
    alone: Finished | None = None  # the file finished as a deck of its own, if usable
    key: str = ""  # content hash: the cache entry, and what key-term results are remembered by
    bytes_hash: str = ""  # of the file's bytes alone: unchanged when read again? (scan.load_full)
    complete: bool = True  # False for a cache entry whose notes and lines are not loaded

    @property
    def usable(self) -> bool:
        """False when the file's deck or tags are invalid (validate.py reports which)."""
        return check_deck(self.deck) is None and check_tags(self.tags) is None

    def note_origin(self, line: int) -> dict[str, Any]:
        """What every note made from this file says of where it comes from."""
        source = {"path": self.source.display, "line": line}
        return {"deck": self.deck, "tags": self.tags, "source": source}


def source_tag(rel: str) -> str:
    stem = str(PurePosixPath(rel).with_suffix(""))
    safe = re.sub(r"[\s\"]+", "_", stem).replace("/", "::")
    return f"source::{safe}"


def extract_file(source: SourceFile) -> FileNotes:
    text = clean_export_quirks(source.text)
    lines = text.split("\n")
    root = parse(text)
    title = next((n for n in root.children if n.type == "heading"), None)
    deck, deck_line = _deck_name(source, title)
    notes = FileNotes(
        source=source,
        deck=deck,
        deck_line=deck_line,
        tags=[*source.front.tags, source_tag(source.rel)],
        diagnostics=list(source.diagnostics),
    )
    _Extractor(notes, lines).run(root.children, title_line=first_line(title) if title else 0)
    notes.found.sort(key=lambda f: f.line)
    return notes


def _deck_name(source: SourceFile, title: Block | None) -> tuple[str, int]:
    """The front matter's deck, else the first heading, else the file's name."""
    if source.front.deck is not None:
        return source.front.deck, source.line_of("deck")
    name = plain_text(title) if title is not None else ""
    if title is not None and name:
        return name, first_line(title)
    return PurePosixPath(source.rel).stem, 1


class _Extractor:
    """Walks the top-level blocks once, keeping track of which kind of section it is in."""

    def __init__(self, notes: FileNotes, lines: list[str]) -> None:
        self.notes = notes
        self.lines = lines
        self.path = notes.source.display

    # --- output -------------------------------------------------------------------------------
    def add(self, found: Found) -> int:
        self.notes.found.append(found)
        return len(self.notes.found) - 1

    def passages(
        self, node: Block, owner: int | None, role: str, skip: Sequence[tuple[int, int]] = ()
    ) -> None:
        for inline in iter_inlines(node, skip):
            self.passage_lines(inline_lines(inline, first_line(inline)), owner, role)

    def passage_lines(self, pieces: list[TextLine], owner: int | None, role: str) -> None:
        for piece in pieces:
            if not EXPORT_DEBRIS.match(piece.text):
                self.notes.passages.append(
                    Passage(piece.line, piece.text, piece.emphasis, owner, role)
                )

    def warn(self, code: str, line: int, message: str) -> None:
        self.notes.diagnostics.append(warning(code, self.path, line, message))

    def markdown(self, blocks: list[Block], skip: Sequence[tuple[int, int]] = ()) -> str:
        """The blocks' source lines, dedented, minus the `skip` line ranges (follow-ups)."""
        spans = [b.map for b in blocks if b.map]
        if not spans:
            return ""
        return block_markdown(self.lines, spans[0][0], spans[-1][1], list(skip))

    # --- the walk -----------------------------------------------------------------------------
    def run(self, blocks: list[Block], title_line: int) -> None:
        section, section_level = "other", 0
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.type == "heading":
                level = int(block.tag[1:])
                title = plain_text(block)
                is_title = first_line(block) == title_line
                question_heading = (section == "qa" and level > section_level) or (
                    title.endswith(("?", "？")) and not is_title
                )
                if question_heading:
                    end = self._next_heading(blocks, i + 1)
                    self.answered(title, first_line(block), blocks[i + 1 : end], block)
                    i = end
                    continue
                section, section_level = section_kind(title), level
                if is_title and section == "qa":
                    # "# Week 9 Q&A": its lists are questions, its sub-headings are sections.
                    section = "qa-lists"
                i += 1
                continue
            if section == "glossary":
                self.glossary(block)
            elif block.type in LIST_TYPES and (
                section in ("qa", "qa-lists") or self._mostly_questions(block)
            ):
                self.question_list(block)
            elif block.type == "paragraph" and Q_PREFIX.match(self._raw(block)):
                i = self.prefixed(blocks, i)
                continue
            else:
                self.passages(block, None, "prose")
            i += 1

    @staticmethod
    def _next_heading(blocks: list[Block], start: int) -> int:
        return next(
            (j for j in range(start, len(blocks)) if blocks[j].type == "heading"), len(blocks)
        )

    def _raw(self, block: Block) -> str:
        inline = next(iter_inlines(block), None)
        return inline.content if inline is not None else ""

    # --- a question and its answer blocks -----------------------------------------------------
    def answered(
        self,
        question: str,
        line: int,
        answer_blocks: list[Block],
        question_node: Block | None,
        parent: str = "",
    ) -> None:
        """A question answered by `answer_blocks`; follow-ups in it get notes of their own."""
        follow_ups = [item for block in answer_blocks for item in self._follow_ups(block)]
        skip = [(item.map[0], item.map[1]) for item in follow_ups if item.map]
        answer = self.markdown(answer_blocks, skip)
        if not answer.strip():
            self.warn("no-answer", line, f"question has no answer, so no card: {shorten(question)}")
            return
        owner = self.add(Found("qa", line, question, answer, parent))
        if question_node is not None:
            self.passages(question_node, owner, "question")
        for block in answer_blocks:
            self.passages(block, owner, "answer", skip)
        for item in follow_ups:
            head, rest = self._item_parts(item)
            text = FOLLOW_UP.sub("", plain_text(head)) if head is not None else ""
            self.answered(text, first_line(item), rest, head, parent=question)

    def _follow_ups(self, node: Block) -> list[Block]:
        """Outermost `(질문)` items under `node`; their own follow-ups are found when they are."""
        if node.type == "list_item":
            head, _ = self._item_parts(node)
            if head is not None and FOLLOW_UP.match(self._raw(head)):
                return [node]
        return [item for child in node.children for item in self._follow_ups(child)]

    @staticmethod
    def _item_parts(item: Block) -> tuple[Block | None, list[Block]]:
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

    # --- conventions a/b: question lists --------------------------------------------------------
    def _mostly_questions(self, block: Block) -> bool:
        heads = [self._item_parts(item)[0] for item in block.children]
        asking = sum(1 for head in heads if head is not None and is_question(self._raw(head)))
        return asking * 2 > len(heads)

    def question_list(self, block: Block) -> None:
        for item in block.children:
            head, rest = self._item_parts(item)
            if head is None:
                continue
            raw = self._raw(head)
            if Q_PREFIX.match(raw):
                self._prefixed_item(head, rest)
                continue
            self.answered(plain_text(head), first_line(item), rest, head)

    # --- convention c: Q:/A: prefixes ------------------------------------------------------------
    # An answer is kept as parts, each with the line it starts on, so that every line of it (for
    # key terms and their context) knows where it stands in the file.
    def _prefixed_item(self, head: Block, rest: list[Block]) -> None:
        raw_lines = self._raw(head).split("\n")
        split = next((k for k, ln in enumerate(raw_lines) if A_PREFIX.match(ln)), len(raw_lines))
        question = plain(unprefix(Q_PREFIX, " ".join(raw_lines[:split])))
        answer_lines = raw_lines[split:]
        if answer_lines:
            answer_lines[0] = unprefix(A_PREFIX, answer_lines[0])
        parts = [(first_line(head) + split, "\n".join(answer_lines).strip())]
        parts += [(first_line(block), self.markdown([block])) for block in rest]
        self._emit_prefixed(question, first_line(head), parts)

    def prefixed(self, blocks: list[Block], start: int) -> int:
        """Q:/A: runs starting at blocks[start]; returns the index of the first block not used.

        An answer runs until the next question, heading, or list of questions."""
        question: list[str] = []
        answer: list[tuple[int, str]] = []
        q_line = 0
        i = start
        while i < len(blocks) and blocks[i].type != "heading":
            block = blocks[i]
            if block.type in LIST_TYPES and self._mostly_questions(block):
                break
            raw = self._raw(block) if block.type == "paragraph" else ""
            if block.type != "paragraph" or not (Q_PREFIX.match(raw) or A_PREFIX.match(raw)):
                if not question:
                    break
                answer.append((first_line(block), self.markdown([block])))
                i += 1
                continue
            base = first_line(block)
            in_answer = bool(answer)
            for k, text in enumerate(raw.split("\n")):
                if Q_PREFIX.match(text):
                    if question:
                        self._emit_prefixed(plain(" ".join(question)), q_line, answer)
                    question, answer, q_line = [unprefix(Q_PREFIX, text)], [], base + k
                    in_answer = False
                elif A_PREFIX.match(text):
                    in_answer = True
                    answer.append((base + k, unprefix(A_PREFIX, text)))
                elif in_answer:
                    answer[-1] = (answer[-1][0], answer[-1][1] + "\n" + text)
                else:
                    question.append(text)
            i += 1
        if question:
            self._emit_prefixed(plain(" ".join(question)), q_line, answer)
        return max(i, start + 1)

    def _emit_prefixed(self, question: str, line: int, parts: list[tuple[int, str]]) -> None:
        for marker in ("**", "__"):  # `**Q. a question\nover two lines**` closes on its last line
            if question.endswith(marker) and question.count(marker) % 2:
                question = question.removesuffix(marker).rstrip()
        parts = [(start, text) for start, text in parts if text.strip()]
        if not parts:
            self.warn("no-answer", line, f"question has no answer, so no card: {shorten(question)}")
            return
        answer = "\n\n".join(text for _, text in parts)
        owner = self.add(Found("qa", line, question, answer))
        self.notes.passages.append(Passage(line, question, [], owner, "question"))
        for start, text in parts:
            for k, piece in enumerate(text.split("\n")):
                if piece.strip():
                    passage = Passage(start + k, plain(piece), [], owner, "answer")
                    self.notes.passages.append(passage)

    # --- convention e: glossary ------------------------------------------------------------------
    def glossary(self, block: Block) -> None:
        entries: list[tuple[Block, list[Block], int]]
        if block.type in LIST_TYPES:
            entries = []
            for item in block.children:
                head, rest = self._item_parts(item)
                if head is not None:
                    entries.append((head, rest, first_line(item)))
        elif block.type == "paragraph":
            entries = [(block, [], first_line(block))]
        else:
            self.passages(block, None, "prose")
            return
        for head, rest, line in entries:
            raw_lines = self._raw(head).split("\n")
            # A paragraph may hold one definition per line.
            if not rest and len(raw_lines) > 1:
                per_line = []
                for raw in raw_lines:
                    if (found := definition(raw)) is None:
                        break
                    per_line.append(found)
                if len(per_line) == len(raw_lines):
                    for k, found in enumerate(per_line):
                        self._add_term(found, line + k, "")
                    continue
            match = definition(self._raw(head))
            if match is None:
                self.warn("not-a-definition", line, "glossary entry is not 'Term: definition'")
                continue
            self._add_term(match, line, self.markdown(rest))

    def _add_term(self, match: tuple[str, str], line: int, more: str) -> None:
        term, text = match
        definition = "\n\n".join(part for part in (text.strip(), more) if part.strip())
        owner = self.add(Found("term", line, term, definition))
        self.notes.passages.append(Passage(line, plain(definition), [], owner, "definition"))
