"""The Markdown parsers, configured once for reading and rendering the notes.

CommonMark via markdown-it-pyrs (markdown-it in Rust: several times faster than markdown-it-py,
which dominated build time), raw HTML off, so HTML in the notes is text; GFM tables and
strikethrough on. markdown-it-py, configured the same way, reads the rare text markdown-it-pyrs
cannot take (`with_rust`) and renders answers with images (render/html.py).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import markdown_it_pyrs

# CommonMark without raw HTML, plus GFM tables and strikethrough.
_BLOCK_RULES: list[Any] = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
]  # fmt: skip
_INLINE_RULES: list[Any] = [
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    "strikethrough",
]  # fmt: skip


@cache
def block_parser() -> markdown_it_pyrs.MarkdownIt:
    md = markdown_it_pyrs.MarkdownIt("zero")
    md.enable_many([*_BLOCK_RULES, "reference", "table", *_INLINE_RULES])
    return md


@cache
def inline_parser() -> markdown_it_pyrs.MarkdownIt:
    """Text read as one run of inline Markdown: no headings, lists or code blocks."""
    md = markdown_it_pyrs.MarkdownIt("zero")
    md.enable_many(["paragraph", *_INLINE_RULES])
    return md


# markdown-it-pyrs has two gaps, and the text that hits them goes to markdown-it-py instead:
# - it panics on an unmatched backtick after `[` (markdown-it-rust/markdown-it#40), and Rust
#   prints the panic on stderr, so that is silenced around text that has both;
# - it has no nesting limit, and Python crashes freeing a tree tens of thousands of levels deep.
#   Depth is bounded by a line's leading indentation and markers, and by the emphasis and link
#   delimiters in a paragraph (a chunk between blank lines); past these limits the text is hostile
#   or at least unusual, and markdown-it-py caps its nesting.
_DEEP_PREFIX = re.compile(r"(?m)^[ \t>*+\-0-9.)]{120}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MAX_DELIMITERS = 400
_DELIMITERS = "*_~[!"


def with_rust(method: Any, text: str) -> Any:
    """`method(text)` of markdown-it-pyrs, or None when the text must go to markdown-it-py."""
    if may_hold_math(text) or _DEEP_PREFIX.search(text) or not _shallow_inlines(text):
        return None
    try:
        if "[" in text and "`" in text:
            with _stderr_silenced():
                return method(text)
        return method(text)
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return None


def deep_line(text: str) -> int | None:
    """Where `text` nests past the limits above (1-based), for a diagnostic: in the chunk between
    blank lines with the most delimiters past the limit, its line with the most; else the first
    line whose prefix nests too deep (quotes or indented markers: a rule or digits nest nothing)."""
    lines = text.split("\n")
    chunks: list[tuple[int, int]] = []  # (delimiters, its line with the most) per chunk
    total, most, line = 0, -1, 0
    for number, content in enumerate([*lines, ""], 1):
        if not content.strip(" \t"):
            if total:
                chunks.append((total, line))
            total, most = 0, -1
            continue
        count = _delimiters(content)
        total += count
        if count > most:
            most, line = count, number
    total, line = max(chunks, key=lambda chunk: chunk[0], default=(0, 0))
    if total >= _MAX_DELIMITERS:
        return line
    for number, content in enumerate(lines, 1):
        prefix = _DEEP_PREFIX.match(content)
        if prefix and any(c in prefix.group() for c in "> \t"):
            return number
    return None


def _shallow_inlines(text: str) -> bool:
    if _delimiters(text) < _MAX_DELIMITERS:
        return True
    return all(_delimiters(chunk) < _MAX_DELIMITERS for chunk in _BLANK_LINE.split(text))


def _delimiters(text: str) -> int:
    return sum(text.count(c) for c in _DELIMITERS)


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@cache  # building one costs more than parsing a short text with it
def python_parser() -> Any:
    """markdown-it-py, configured as `block_parser()` is: the parser of the text
    markdown-it-pyrs cannot take, and of text that may hold math (`may_hold_math`), whose math
    it reads as text written as it stands: `$a*b*c$` emphasises nothing, `\\(x\\)` keeps its
    backslashes, a `$$` formula stays one piece."""
    md = new_python_parser()
    add_math(md)
    md.core.ruler.after("inline", "math_as_text", _math_as_text)
    return md


def may_hold_math(text: str) -> bool:
    """Whether the text may hold math: only such text needs a parser with `add_math`
    (markdown-it-pyrs has no math plugin)."""
    return "$" in text or "\\(" in text or "\\[" in text


def add_math(md: Any) -> None:
    """Math as markdown-it-py tokens: `$…$` (math_inline), `$$…$$` (math_inline_double inside a
    paragraph, math_block on lines of its own) by mdit-py-plugins' dollarmath, and the
    Anki-style `\\(…\\)` and `\\[…\\]` by `_backslash_math`. Not `$ x $` nor a `$` beside a
    digit: "costs $5 and $10" is currency."""
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    dollarmath_plugin(
        md, allow_labels=False, allow_space=False, allow_digits=False,
        allow_blank_lines=False, double_inline=True,
    )  # fmt: skip
    md.inline.ruler.before("escape", "math_backslash", _backslash_math)


# The closing delimiter of each math token, by its opening one.
MATH_CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}


def _backslash_math(state: Any, silent: bool) -> bool:
    """`\\(…\\)` inline and `\\[…\\]` display math, before the escape rule would eat their
    backslashes."""
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in "([":
        return False
    opener = src[pos : pos + 2]
    # Once no closer follows some point, none follows any later opener up to the same end (a
    # link's text ends earlier): remembering that in the state's cache, under a negative key no
    # link position uses, keeps a run of openers linear.
    unclosed = -1 - 2 * state.posMax - (opener == "\\[")
    if pos >= state.cache.get(unclosed, state.posMax + 1):
        return False
    end = src.find(MATH_CLOSERS[opener], pos + 2, state.posMax)
    if end < 0:
        state.cache[unclosed] = pos
        return False
    if not src[pos + 2 : end].strip():
        return False
    if not silent:
        token = state.push("math_inline" if opener == "\\(" else "math_inline_double", "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = opener
    state.pos = end + 2
    return True


def _math_as_text(state: Any) -> None:
    """For reading, math is text as written (a `$$` block a paragraph of it): the rules find
    no emphasis, question or term inside it, and the passages quote it whole."""
    from markdown_it.token import Token

    tokens: list[Any] = []
    for token in state.tokens:
        if token.type == "math_block":
            text = Token("text", "", 0, content=f"$${token.content}$$")
            inline = Token("inline", "", 0, map=token.map, content=text.content, children=[text])
            tokens += [Token("paragraph_open", "p", 1, map=token.map, block=True), inline,
                       Token("paragraph_close", "p", -1, block=True)]  # fmt: skip
            continue
        for child in token.children or ():
            if child.type in ("math_inline", "math_inline_double"):
                opener = child.markup
                child.type, child.tag = "text", ""
                child.content = f"{opener}{child.content}{MATH_CLOSERS[opener]}"
        tokens.append(token)
    state.tokens = tokens


def new_python_parser() -> Any:
    """A markdown-it-py parser configured as `block_parser()` is, for a caller to extend (its
    render rules: render/html.py).

    Imported here, not at the top: most builds never need it and never pay for the import."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["strikethrough", "table"])
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _safe_link(url: str) -> bool:
    scheme = url.strip().lower().split(":", 1)[0] if ":" in url else ""
    return scheme in {"", "http", "https", "mailto"}
