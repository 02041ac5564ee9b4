"""Card HTML as Anki renders it, split into tags and text, and its images made self-contained.

The HTML is the sanitised card fields inside our own templates, so a tag is always well formed
(quoted attribute values may hold `>`); the split needs no full parser.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from dataclasses import dataclass

_TAG = re.compile(
    r"<!--.*?-->|<(?P<closing>/)?(?P<name>[A-Za-z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")
_ALT = re.compile(r"""\salt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "wbr"}


@dataclass(frozen=True)
class Piece:
    """A tag (`tag` its lower-case name; None for text or a comment) or a run of text."""

    text: str
    tag: str | None = None
    closing: bool = False
    self_closing: bool = False


def split_html(fragment: str) -> list[Piece]:
    pieces: list[Piece] = []
    at = 0
    for found in _TAG.finditer(fragment):
        if found.start() > at:
            pieces.append(Piece(fragment[at : found.start()]))
        name = found.group("name")
        if name is None:  # a comment: kept, never typeset
            pieces.append(Piece(found.group(0), tag="!--", self_closing=True))
        else:
            tag = name.lower()
            void = tag in _VOID or found.group("attrs").rstrip().endswith("/")
            closing = found.group("closing") is not None
            pieces.append(Piece(found.group(0), tag, closing, void and not closing))
        at = found.end()
    if at < len(fragment):
        pieces.append(Piece(fragment[at:]))
    return pieces


def embed_images(fragment: str, media: dict[str, bytes]) -> str:
    """Every `<img>` with its media file inlined as a data: URI; one whose file is not in
    `media` (nothing the notes packaged) shows its alt text: the page never fetches anything."""
    if "<img" not in fragment.lower():
        return fragment
    return "".join(
        _embedded(piece.text, media) if piece.tag == "img" and not piece.closing else piece.text
        for piece in split_html(fragment)
    )


def _embedded(tag: str, media: dict[str, bytes]) -> str:
    src = _value(_SRC.search(tag))
    data = media.get(src) if src is not None else None
    if data is None:
        alt = _value(_ALT.search(tag)) or "image"
        return f'<span class="fc-missing-image">[{html.escape(alt)}]</span>'
    mime = mimetypes.guess_type(src or "")[0] or "application/octet-stream"
    uri = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    found = _SRC.search(tag)
    assert found is not None
    return f'{tag[: found.start()]} src="{uri}"{tag[found.end() :]}'


def _value(found: re.Match[str] | None) -> str | None:
    if found is None:
        return None
    raw = found.group("dq") or found.group("sq") or found.group("bare") or ""
    return html.unescape(raw)
