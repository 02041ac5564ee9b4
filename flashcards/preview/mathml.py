"""Math typeset offline: `\\(…\\)` and `\\[…\\]` in card HTML become MathML, which browsers
render natively (no MathJax, no network).

latex2mathml converts; its output is then read as XML and written again through an allow-list
of MathML elements and attributes, because it passes some input through unescaped
(`\\text{<b>}`) and turns `\\href` into a link. A formula that does not convert cleanly (bad
TeX, an unknown command, anything outside the allow-list) stays as its source, escaped.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from .fragments import Piece, split_html

_MATH = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<block>.+?)\\\]", re.DOTALL)
# Text inside these elements is shown as written: code is never typeset.
_VERBATIM = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}

ELEMENTS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts",
    "none", "semantics", "annotation",
}  # fmt: skip
ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "width",
    "height", "depth", "columnalign", "rowalign", "rowspacing", "columnspacing", "columnlines",
    "rowlines", "frame", "accent", "accentunder", "movablelimits", "linethickness", "minsize",
    "maxsize", "symmetric", "largeop", "form", "scriptlevel", "displaystyle", "notation",
    "mathcolor", "mathbackground", "encoding",
}  # fmt: skip
_NAMESPACE = re.compile(r"^\{[^}]*\}")


def typeset(fragment: str) -> str:
    """`fragment` with the math in its text (not in code, not in attributes) as MathML."""
    out: list[str] = []
    verbatim = 0
    for piece in split_html(fragment):
        if piece.tag is not None:
            if piece.tag in _VERBATIM:
                verbatim += -1 if piece.closing else 0 if piece.self_closing else 1
                verbatim = max(verbatim, 0)
            out.append(piece.text)
        else:
            out.append(piece.text if verbatim else _typeset_text(piece))
    return "".join(out)


def _typeset_text(piece: Piece) -> str:
    text = piece.text
    if "\\(" not in text and "\\[" not in text:
        return text
    return _MATH.sub(_replace, text)


def _replace(found: re.Match[str]) -> str:
    block = found.group("block") is not None
    tex = html.unescape(found.group("block") if block else found.group("inline"))
    return to_mathml(tex, block) or found.group(0)


@lru_cache(maxsize=4096)
def to_mathml(tex: str, block: bool = False) -> str | None:
    """The formula as safe MathML, or None when it does not convert cleanly."""
    from latex2mathml.converter import convert

    if not tex.strip() or not _balanced(tex):
        return None
    try:
        converted = convert(tex, display="block" if block else "inline")
        root = ET.fromstring(converted)
    except Exception:  # latex2mathml raises many kinds on bad input; the source then stays
        return None
    return _write(root)


def _balanced(tex: str) -> bool:
    """Whether the braces pair up (latex2mathml converts `\\frac{1` without complaint)."""
    depth = 0
    for char in re.sub(r"\\[{}\\]", "", tex):
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def _write(element: ET.Element) -> str | None:
    """The element as MathML text, or None if anything in it is outside the allow-list (or
    still holds a TeX command: latex2mathml leaves unknown ones as text)."""
    tag = _NAMESPACE.sub("", element.tag)
    if tag not in ELEMENTS:
        return None
    attributes = ""
    for name, value in element.attrib.items():
        if name not in ATTRIBUTES:
            return None
        attributes += f' {name}="{html.escape(value)}"'
    inner = [html.escape(element.text or "", quote=False)]
    for child in element:
        written = _write(child)
        if written is None:
            return None
        inner.append(written)
        inner.append(html.escape(child.tail or "", quote=False))
    if tag in {"mi", "mo", "mtext", "mn"} and "\\" in (element.text or ""):
        return None
    return f"<{tag}{attributes}>{''.join(inner)}</{tag}>"
