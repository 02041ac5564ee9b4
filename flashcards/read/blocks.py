"""The block tree of a parsed note file, with the line map every card and every diagnostic needs
for its `path:line`, and helpers to read it.

markdown-it-pyrs's tree gives each node a byte range of the source; `parse` turns those into line
ranges. Text markdown-it-pyrs cannot take (parsers.with_rust) is parsed by markdown-it-py into
the same Blocks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .parsers import block_parser, inline_parser, python_parser, with_rust

# Node names that are inline content; every other name is a block.
_INLINE_NODES = frozenset(
    {"text", "text_special", "softbreak", "hardbreak", "code_inline", "em", "strong", "link",
     "image", "autolink", "strikethrough"}
)  # fmt: skip


class Block:
    """One block of a parsed file, as the extract stage reads it: `type`, `tag` (`h1`…`h6` for a
    heading), `map` (first line, line after the last; 0-based) and `children`. An `inline` block
    is one run of inline nodes (`inlines`, markdown-it-pyrs nodes) with its raw text (`content`).
    A tight list item's text is wrapped in a paragraph, as in a loose one."""

    __slots__ = ("children", "content", "inlines", "map", "tag", "type")

    def __init__(self, type_: str, map_: tuple[int, int] | None, tag: str = "") -> None:
        self.type = type_
        self.map = map_
        self.tag = tag
        self.children: list[Block] = []
        self.content = ""
        self.inlines: list[Any] = []


# Blocks whose children are inline nodes (every other block wraps a run of them in a paragraph).
_TEXT_BLOCKS = frozenset({"paragraph", "heading", "lheading", "tcell"})
LIST_TYPES = ("bullet_list", "ordered_list")


class _TreeBuilder:
    """markdown-it-pyrs nodes (byte ranges) → Blocks (line maps)."""

    def __init__(self, text: str) -> None:
        self.data = text.encode()
        # Byte offset where each line starts, to turn byte ranges into line numbers.
        self.starts = [0]
        find, at = self.data.find, self.data.find(b"\n")
        while at != -1:
            self.starts.append(at + 1)
            at = find(b"\n", at + 1)

    def lines(self, span: tuple[int, int] | None) -> tuple[int, int] | None:
        if not span:
            return None
        start, end = span
        return bisect_right(self.starts, start) - 1, bisect_right(self.starts, max(end - 1, start))

    def block(self, node: Any) -> Block:
        name = node.name
        if name in ("heading", "lheading"):
            block = Block("heading", self.lines(node.srcmap), f"h{node.meta['level']}")
        else:
            block = Block(name, self.lines(node.srcmap))
        children = node.children
        if name in _TEXT_BLOCKS:
            if children:
                block.children.append(self.inline(children))
            return block
        run: list[Any] = []
        for child in children:
            if child.name in _INLINE_NODES:
                run.append(child)
                continue
            if run:
                block.children.append(self.paragraph(run))
                run = []
            block.children.append(self.block(child))
        if run:
            block.children.append(self.paragraph(run))
        if name in LIST_TYPES:
            # As markdown-it-py maps them, an item runs to the next one, blank lines included:
            # an item cut out of an answer (a follow-up) must take its blank lines with it.
            items = block.children
            for item, after in pairwise(items):
                if item.map and after.map:
                    item.map = (item.map[0], after.map[0])
        return block

    def paragraph(self, nodes: list[Any]) -> Block:
        inline = self.inline(nodes)
        paragraph = Block("paragraph", inline.map)
        paragraph.children.append(inline)
        return paragraph

    def inline(self, nodes: list[Any]) -> Block:
        first, last = nodes[0].srcmap, nodes[-1].srcmap
        span = (first[0], last[1]) if first and last else None
        inline = Block("inline", self.lines(span))
        inline.inlines = nodes
        if span:
            raw = self.data[span[0] : span[1]].decode("utf-8", "replace")
            inline.content = "\n".join(line.lstrip() for line in raw.split("\n")).strip()
        return inline


def parse(text: str) -> Block:
    text = _PREFIX_WITH_TAB.sub(_expand_tabs, text)
    tree = with_rust(block_parser().tree, text)
    return _TreeBuilder(text).block(tree) if tree is not None else _parse_slowly(text)


# After a tab that a line's indentation or list marker uses only in part (`1.` then a tab),
# markdown-it-pyrs places the line's inline nodes a column or more too far. CommonMark reads
# such tabs as spaces to the next multiple of 4 columns, so writing them so changes nothing else.
_PREFIX_WITH_TAB = re.compile(r"(?m)^[ >*+.)0-9-]*\t[ \t>*+.)0-9-]*")


def _expand_tabs(match: re.Match[str]) -> str:
    return match.group().expandtabs(4)


def parse_inline(text: str) -> Block:
    """`text` as inline Markdown only: `# x` or `1. x` stay text, as they would inside a line."""
    tree = with_rust(inline_parser().tree, text)
    return _TreeBuilder(text).block(tree) if tree is not None else _parse_slowly(text, True)


def _parse_slowly(text: str, inline_only: bool = False) -> Block:
    """The same Blocks from markdown-it-py, for the text markdown-it-pyrs cannot take."""
    from markdown_it.tree import SyntaxTreeNode

    md = python_parser()
    tokens = md.parseInline(text) if inline_only else md.parse(text)
    return _from_python(SyntaxTreeNode(tokens))


def _from_python(node: Any) -> Block:
    map_ = (node.map[0], node.map[1]) if not node.is_root and node.map else None
    if node.type == "inline":
        inline = Block("inline", map_)
        inline.content = node.content
        inline.inlines = [_PythonInline(child) for child in node.children]
        return inline
    block = Block(node.type, map_, node.tag if node.type == "heading" else "")
    block.children = [_from_python(child) for child in node.children]
    return block


class _PythonInline:
    """A markdown-it-py inline node in markdown-it-pyrs's shape: name, meta, children."""

    __slots__ = ("children", "meta", "name")

    def __init__(self, node: Any) -> None:
        leaf = node.type in ("text", "code_inline")
        self.name = "text" if leaf else node.type
        self.meta = {"content": node.content}
        self.children = [] if leaf else [_PythonInline(child) for child in node.children]


def first_line(node: Block) -> int:
    """1-based first source line of a block node."""
    return (node.map[0] + 1) if node.map else 1


@dataclass
class TextLine:
    """Plain text of one source line of an inline run, with the emphasised spans on it."""

    line: int
    text: str
    emphasis: list[str]


def inline_lines(inline: Block, start_line: int) -> list[TextLine]:
    """Plain text of an inline block, split at its soft/hard breaks, each piece with its line."""
    # Pieces are collected in lists and joined once: `+=` on long lines would be quadratic.
    lines: list[tuple[int, list[str], list[str]]] = [(start_line, [], [])]

    def walk(nodes: list[Any], emphasised: bool) -> None:
        for child in nodes:
            kind = child.name
            if kind == "text" or kind == "text_special":
                lines[-1][1].append(child.meta["content"])
            elif kind == "softbreak" or kind == "hardbreak":
                lines.append((lines[-1][0] + 1, [], []))
            elif (kind == "strong" or kind == "em") and not emphasised:
                before = len(lines)
                start = len(lines[-1][1])
                walk(child.children, True)
                if len(lines) == before:
                    span = "".join(lines[-1][1][start:]).strip()
                    if span:
                        lines[-1][2].append(span)
            else:
                walk(child.children, emphasised)

    walk(inline.inlines, False)
    result = [TextLine(line, _unmarked("".join(p).strip()), spans) for line, p, spans in lines]
    return [item for item in result if item.text]


# An Obsidian callout's `[!note]` (or `[!tip]-`): markup for the renderer, not words of the text.
_CALLOUT_MARK = re.compile(r"^\[![\w-]+\][-+]?\s*")


def _unmarked(text: str) -> str:
    return _CALLOUT_MARK.sub("", text, count=1) if text.startswith("[!") else text


def plain_text(node: Block) -> str:
    """All text of a block node as one plain string (emphasis and code markers dropped)."""
    parts: list[str] = []
    for inline in iter_inlines(node):
        parts.extend(piece.text for piece in inline_lines(inline, 1))
    return " ".join(parts).strip()


def iter_inlines(node: Block, skip: Sequence[tuple[int, int]] = ()) -> Iterator[Block]:
    """The inline runs under `node`, in order, leaving out blocks that start in a `skip` range."""
    if skip and node.map and any(a <= node.map[0] < b for a, b in skip):
        return
    if node.type == "inline":
        yield node
        return
    for child in node.children:
        yield from iter_inlines(child, skip)


def block_markdown(lines: list[str], start: int, end: int, skip: list[tuple[int, int]]) -> str:
    """Source lines [start, end) minus the skipped ranges, with common indentation removed."""
    kept = [
        lines[i] for i in range(start, min(end, len(lines))) if not any(a <= i < b for a, b in skip)
    ]
    return dedent(kept)


def dedent(lines: list[str]) -> str:
    expanded = [_expand_indent(line) for line in lines]
    indents = [len(line) - len(line.lstrip(" ")) for line in expanded if line.strip()]
    cut = min(indents, default=0)
    text = "\n".join(line[cut:] if line.strip() else "" for line in expanded)
    return text.strip("\n")


def _expand_indent(line: str) -> str:
    """Expand tabs in leading whitespace to CommonMark's 4-column tab stops."""
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    return indent.expandtabs(4) + body
