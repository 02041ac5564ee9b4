"""`==highlight==` (Obsidian, Typora, Notion's exports) as `<mark>`: the note-taker marked a
key phrase, and a card shows it marked, not between literal `==`. CommonMark has no such
syntax, so a core rule finds it in the text the parser left (never in code or math, which are
tokens of their own); a highlight that spans other markup (`==a **b**==`) stays as written."""

from __future__ import annotations

import re
from typing import Any

HIGHLIGHT = re.compile(r"==(?=[^\s=])(.+?)(?<=[^\s=])==")


def may_hold_highlight(text: str) -> bool:
    return "==" in text


def add_marks(md: Any) -> None:
    md.core.ruler.push("highlight_marks", _marks)


def _marks(state: Any) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children or "==" not in token.content:
            continue
        children: list[Any] = []
        for child in token.children:
            if child.type == "text" and "==" in child.content:
                children += _split(child)
            else:
                children.append(child)
        token.children = children


def _split(text: Any) -> list[Any]:
    """A text token as text, `<mark>`, text…"""
    from markdown_it.token import Token

    parts: list[Any] = []
    at = 0
    for found in HIGHLIGHT.finditer(text.content):
        parts += [
            Token("text", "", 0, content=text.content[at : found.start()]),
            Token("mark_open", "mark", 1, markup="=="),
            Token("text", "", 0, content=found.group(1)),
            Token("mark_close", "mark", -1, markup="=="),
        ]
        at = found.end()
    if not parts:
        return [text]
    parts.append(Token("text", "", 0, content=text.content[at:]))
    return [part for part in parts if part.type != "text" or part.content]
