"""Obsidian callouts: a quote that opens with `[!type]` (then an optional fold marker `-`/`+`
and a title) renders as a box, `<div class="callout callout-type">`, its first line the title:

    > [!warning]- Watch out        <div class="callout callout-warning">
    > The rate must be small.  →    <div class="callout-title">Watch out</div>
                                   <p>The rate must be small.</p></div>

Cards cannot fold (no JavaScript), so a foldable callout shows open."""

from __future__ import annotations

import re
from typing import Any

_MARKER = re.compile(r"\[!([A-Za-z][\w-]{0,29})\][-+]?[ \t]*")


def may_hold_callout(markdown: str) -> bool:
    return "[!" in markdown


def add_callouts(md: Any) -> None:
    md.core.ruler.after("inline", "callouts", _callouts)


def _callouts(state: Any) -> None:
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        if tokens[i].type == "blockquote_open" and _is_callout(tokens, i):
            _rewrite(state, tokens, i)
        i += 1


def _is_callout(tokens: list[Any], i: int) -> bool:
    if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
        return False
    children = tokens[i + 2].children or []
    return (
        bool(children) and children[0].type == "text" and bool(_MARKER.match(children[0].content))
    )


def _rewrite(state: Any, tokens: list[Any], i: int) -> None:
    """The quote at `i` as a box: its marker line a title, the rest of its first paragraph (if
    any) and its other blocks the body."""
    from markdown_it.token import Token

    inline = tokens[i + 2]
    first = inline.children[0]
    marker = _MARKER.match(first.content)
    assert marker is not None  # _is_callout
    kind = marker.group(1).lower()
    first.content = first.content[marker.end() :]
    children = inline.children
    cut = next((n for n, c in enumerate(children) if c.type in ("softbreak", "hardbreak")), None)
    title, body = (children, []) if cut is None else (children[:cut], children[cut + 1 :])
    if not any(c.content.strip() or c.type != "text" for c in title):
        title = [Token("text", "", 0, content=kind.replace("-", " ").capitalize())]
    opening = tokens[i]
    closing = _closing(tokens, i)
    opening.type, opening.tag = "callout_open", "div"
    opening.attrs = {"class": f"callout callout-{kind}"}
    closing.type, closing.tag = "callout_close", "div"
    heading = [
        Token("callout_title_open", "div", 1, attrs={"class": "callout-title"}, block=True),
        Token("inline", "", 0, children=title, content=""),
        Token("callout_title_close", "div", -1, block=True),
    ]
    if body:
        inline.children = body
        tokens[i + 1 : i + 1] = heading
    else:  # the title was the paragraph's only line
        tokens[i + 1 : i + 4] = heading
    state.tokens = tokens


def _closing(tokens: list[Any], i: int) -> Any:
    depth = 0
    for token in tokens[i:]:
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                return token
    raise ValueError("a blockquote without its end")  # markdown-it always closes what it opens
