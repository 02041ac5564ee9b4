r"""Math for Anki's MathJax: `$…$` and `\(…\)` become `\(…\)`, `$$…$$` and `\[…\]` become `\[…\]`
(display). The parser finds the math (read/parsers.add_math), so Markdown never touches it:
`$a_1 * b_2$` keeps its stars, `\(x^2\)` its backslashes. The LaTeX is HTML-escaped like any
text, which MathJax reads back as written."""

from __future__ import annotations

from functools import cache
from html import escape as escape_html
from typing import Any

from ..read.parsers import MATH_CLOSERS, add_math
from .marks import add_marks


def add_math_rendering(md: Any) -> None:
    """Math parsed (`add_math`) and rendered as Anki writes it. With `env["cloze"]` set, a `}}`
    inside math is written `} }` (the same LaTeX): Anki ends a cloze at the first `}}`."""
    add_math(md)
    md.add_render_rule("math_inline", _inline)
    md.add_render_rule("math_inline_double", _display)
    md.add_render_rule("math_block", _block)


def latex(content: str, display: bool, env: Any) -> str:
    body = content.strip()
    if env and env.get("cloze"):
        while "}}" in body:
            body = body.replace("}}", "} }")
    opener, closer = ("\\[", "\\]") if display else ("\\(", "\\)")
    return f"{opener}{escape_html(body)}{closer}"


def _inline(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    return latex(tokens[idx].content, False, env)


def _display(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    return latex(tokens[idx].content, True, env)


def _block(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    return f'<div class="math">{latex(tokens[idx].content, True, env)}</div>\n'


def text_math_html(text: str, cloze: bool = False) -> str:
    """Plain text (a cloze sentence, a quoted line) as HTML, shown as written but for its math,
    rendered as in `add_math_rendering`, and its `==highlights==` (render/marks.py)."""
    return str(_text_renderer().renderInline(text, {"cloze": cloze}))


@cache  # built once: a parser costs more than the text it renders
def _text_renderer() -> Any:
    """A parser that reads nothing but math, `==highlights==` and text: the text is plain, not
    Markdown."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False})
    add_math_rendering(md)
    add_marks(md)
    return md


__all__ = ["MATH_CLOSERS", "add_math_rendering", "latex", "text_math_html"]
