"""The one Markdown parser configuration, and helpers to read its syntax tree.

CommonMark via markdown-it-py: every block token carries a line map, which is how every card
and every diagnostic knows its `path:line`. Raw HTML is off, so HTML in the notes is text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

# Notion exports escape the last star of a closing `***`: `***text\***`. Undo that before parsing.
_NOTION_STRAY_BACKSLASH = re.compile(r"(\*{2,3})(?=\S)([^*\n]+?)\\(\*+)")


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["strikethrough", "table"])
    md.validateLink = _safe_link  # type: ignore[method-assign]
    md.add_render_rule("image", _render_image)
    return md


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Images render only when packaged (env["images"]: src → media name); else their alt text."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    name = (env or {}).get("images", {}).get(str(token.attrGet("src") or ""))
    if name is None:
        return f"[{escapeHtml(alt)}]" if alt else ""
    return f'<img src="{escapeHtml(name)}" alt="{escapeHtml(alt)}">'


def _safe_link(url: str) -> bool:
    scheme = url.strip().lower().split(":", 1)[0] if ":" in url else ""
    return scheme in {"", "http", "https", "mailto"}


def clean_export_quirks(text: str) -> str:
    return _NOTION_STRAY_BACKSLASH.sub(_unescape_closer, text)


def _unescape_closer(match: re.Match[str]) -> str:
    opener, body, closer = match.groups()
    if len(closer) + 1 != len(opener) and len(closer) != len(opener):
        return match.group(0)
    return f"{opener}{body}{opener}"


def parse(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(parser().parse(text))


def first_line(node: SyntaxTreeNode) -> int:
    """1-based first source line of a block node."""
    return (node.map[0] + 1) if node.map else 1


@dataclass
class TextLine:
    """Plain text of one source line of an inline run, with the emphasised spans on it."""

    line: int
    text: str
    emphasis: list[str]


def inline_lines(inline: SyntaxTreeNode, start_line: int) -> list[TextLine]:
    """Plain text of an inline node, split at its soft/hard breaks, each piece with its line."""
    # Pieces are collected in lists and joined once: `+=` on long lines would be quadratic.
    lines: list[tuple[int, list[str], list[str]]] = [(start_line, [], [])]

    def walk(node: SyntaxTreeNode, emphasised: bool) -> None:
        for child in node.children:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                lines.append((lines[-1][0] + 1, [], []))
            elif kind in ("text", "code_inline", "html_inline"):
                lines[-1][1].append(child.content)
            elif kind in ("strong", "em") and not emphasised:
                before = len(lines)
                start = len(lines[-1][1])
                walk(child, True)
                if len(lines) == before:
                    span = "".join(lines[-1][1][start:]).strip()
                    if span:
                        lines[-1][2].append(span)
            else:
                walk(child, emphasised)

    walk(inline, False)
    result = [TextLine(line, "".join(parts).strip(), spans) for line, parts, spans in lines]
    return [item for item in result if item.text]


def plain_text(node: SyntaxTreeNode) -> str:
    """All text of a block node as one plain string (emphasis and code markers dropped)."""
    parts: list[str] = []
    for inline in iter_inlines(node):
        parts.extend(piece.text for piece in inline_lines(inline, 1))
    return " ".join(parts).strip()


def iter_inlines(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    if node.type == "inline":
        yield node
        return
    for child in node.children:
        yield from iter_inlines(child)


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
