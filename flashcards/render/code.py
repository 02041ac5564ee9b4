"""Fenced code highlighted by Pygments at build time: token classes only (`<span class="k">`),
no inline styles, so the note types' stylesheet colours them in light and night mode
(templates.py, `code_css`). The language shows as the block's `data-lang` label. A fence
without a language, or with one Pygments does not know, is plain escaped text."""

from __future__ import annotations

import re
from functools import cache
from html import escape as escape_html
from typing import Any

# What a language label may be ("c++", "objective-c", "py3"): anything else is no label.
_LANGUAGE = re.compile(r"[A-Za-z0-9][\w+#.-]{0,29}")


def add_highlighting(md: Any) -> None:
    md.add_render_rule("fence", _fence)


def _fence(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    words = token.info.split(maxsplit=1)
    language = words[0].lower() if words and _LANGUAGE.fullmatch(words[0]) else ""
    lexer = _lexer(language) if language else None
    if lexer is None:
        return f"<pre><code>{escape_html(token.content)}</code></pre>\n"
    from pygments import highlight

    body = highlight(token.content, lexer, _formatter()).rstrip("\n")
    return f'<pre class="highlight" data-lang="{escape_html(language)}"><code>{body}</code></pre>\n'


@cache  # looking a lexer up scans Pygments' registry
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@cache
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def code_css(light_scope: list[str], night_scope: list[str]) -> str:
    """Pygments' token colours: a light palette, and a dark one in night mode."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="default").get_style_defs(light_scope)
    night = HtmlFormatter(style="github-dark").get_style_defs(night_scope)
    return "\n".join(_token_rules(light) + _token_rules(night)) + "\n"


def _token_rules(defs: str) -> list[str]:
    """Only the rules for token classes: Pygments' own `pre`, line-number and background rules
    would fight the stylesheet's block styling."""
    return [_COMMENT.sub("", line) for line in defs.splitlines() if _TOKEN_RULE.search(line)]


_TOKEN_RULE = re.compile(r"\.highlight \.[\w-]+ \{")
_COMMENT = re.compile(r"\s*/\*.*?\*/")
