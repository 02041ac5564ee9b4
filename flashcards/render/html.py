"""Safe HTML from the notes: Markdown rendered with raw HTML disabled (HTML in the notes shows as
text), then every fragment passed through nh3's allow-list, so no field can carry a live script,
event handler, style or dangerous link, whatever the notes hold."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import nh3

from ..read.parsers import block_parser, may_hold_math, new_python_parser, python_parser, with_rust
from .callouts import add_callouts, may_hold_callout
from .code import add_highlighting
from .marks import add_marks, may_hold_highlight
from .math import add_math_rendering

ALLOWED_TAGS = {
    "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i", "u", "s", "del", "mark", "code",
    "pre", "blockquote", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
    "tr", "th", "td", "span", "div", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "span": {"class"},  # Pygments' token classes, the source line
    "div": {"class"},  # callouts, display math
    "pre": {"data-lang"},  # the language of highlighted code (render/code.py)
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize(fragment: str) -> str:
    clean = _cleaner().clean(fragment)
    return _ANCHOR.sub(_unlink_relative, clean) if "<a " in clean else clean


# A link the sanitizer kept: its HTML as nh3 writes it, attributes quoted and their `<` `>`
# escaped, and never one link inside another.
_ANCHOR = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.DOTALL)
_LIVE_HREF = re.compile(r'\bhref="(?:https?|mailto):', re.IGNORECASE)


def _unlink_relative(link: re.Match[str]) -> str:
    """Only http(s) and mailto links stay links: a relative one (`Sub%20page.md`, a Notion
    sub-page or another note) leads nowhere from a card, and shows as its text."""
    return link.group(0) if _LIVE_HREF.search(link.group(1)) else link.group(2)


@cache  # built once: nh3.clean builds the same sanitizer again on every call, at 3.5× the cost
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
        allowed_classes={"pre": {"highlight"}},
        strip_comments=True,
    )


def text_html(text: str) -> str:
    """Plain text as HTML: shown as written."""
    return html.escape(text, quote=False)


def markdown_html(markdown: str, images: Mapping[str, str]) -> str:
    """Markdown → safe HTML; `images` maps image references to packaged media names (an image
    not in it shows as its alt text)."""
    if not needs_rich(markdown):
        return sanitize(to_html(markdown).strip())
    rendered = _rich_renderer().render(markdown, {"images": dict(images)})
    return sanitize(str(rendered).strip())


def to_html(markdown: str) -> str:
    """Markdown without images → HTML, not yet sanitised."""
    rendered = with_rust(block_parser().render, markdown)
    return str(rendered if rendered is not None else python_parser().render(markdown))


def has_images(markdown: str) -> bool:
    return "![" in markdown


def needs_rich(markdown: str) -> bool:
    """Whether the text may hold images, math, fenced code, callouts or highlights: only such
    text needs `_rich_renderer`; the rest keeps markdown-it-pyrs's fast path."""
    return (
        has_images(markdown)
        or may_hold_math(markdown)
        or "```" in markdown
        or "~~~" in markdown
        or may_hold_callout(markdown)
        or may_hold_highlight(markdown)
    )


@cache  # building one costs more than rendering a short answer with it
def _rich_renderer() -> Any:
    """markdown-it-py with render rules markdown-it-pyrs cannot take: each image swapped for its
    packaged media name (`_render_image`), math for MathJax, code highlighted, callouts boxed,
    `==highlights==` marked."""
    md = new_python_parser()
    md.add_render_rule("image", _render_image)
    add_math_rendering(md)
    add_highlighting(md)
    add_callouts(md)
    add_marks(md)
    return md


# Alt texts that name nothing: what editors and exports fill in ("image0", "Untitled 3.png").
_GENERIC_ALT = re.compile(
    r"^(?:(?:image|img|untitled|screenshot|screen\s*shot|pasted\s*image)[\s_-]*\d*|"
    r"[^\s/]+\.(?:png|jpe?g|gif|webp|svg|bmp))$",
    re.IGNORECASE,
)


def _render_image(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """Images render only when packaged (env["images"]: src → media name); else their alt text."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    name = (env or {}).get("images", {}).get(str(token.attrGet("src") or ""))
    if name is None:  # its alt text says what it showed, unless that is only a file's name
        return f"[{escapeHtml(alt)}]" if alt and not _GENERIC_ALT.match(alt) else ""
    return f'<img src="{escapeHtml(name)}" alt="{escapeHtml(alt)}">'
