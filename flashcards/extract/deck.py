"""A file's deck and tags: what every note made from it says of where it belongs."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from ..diagnostics import Diagnostic, error
from ..notes import check_deck, check_tags
from ..read.blocks import Block, first_line, plain_text
from ..read.names import shown_name, shown_path
from ..read.sources import SourceFile
from ..text import asks
from .vocabulary import TOC_HEADING

_CAPTION = re.compile(r"^(?:figure|fig\.?|table|그림|표)\s*\d+", re.IGNORECASE)


def title_of(blocks: list[Block]) -> Block | None:
    """The file's title: a heading that comes first and stands alone at the highest level of the
    file's headings — never a table of contents or a caption. A `#` title that asks is a
    title still (never a question), but names no deck; a lower heading that asks, alone in its
    file, is the file's one question."""
    if not blocks or blocks[0].type != "heading":
        return None
    first = blocks[0]
    levels = [int(b.tag[1:]) for b in blocks if b.type == "heading"]
    text = plain_text(first)
    if int(first.tag[1:]) != min(levels) or levels.count(min(levels)) > 1:
        return None
    if TOC_HEADING.match(text) or _CAPTION.match(text) or not _named(text):
        return None
    if first.tag != "h1" and asks(text):
        return None  # `## What is X?` alone in a file is its one question, not its title
    return first


def deck_name(source: SourceFile, title: Block | None) -> tuple[str, int]:
    """The front matter's deck (exactly), else under the file's sub-folders in the folder built
    (`Sub::Subsub::…`): the front matter's title, else the file's title heading, else the file's
    name (Notion's ids dropped); and its line."""
    front = source.front
    if front.deck is not None:
        return front.deck, source.line_of("deck")
    if front.title is not None and _named(front.title):
        name, line = _named(front.title), source.line_of("title")
    elif title is not None and not asks(plain_text(title)):
        name, line = _named(plain_text(title)), first_line(title)
    else:
        name, line = shown_name(PurePosixPath(source.rel).stem), 1
    parents = [_part(shown_name(folder)) for folder in source.folders]
    return "::".join([*parents, name]), line


def _part(folder: str) -> str:
    """A folder's name as a deck's part: no `::` in it (that would nest it further)."""
    return folder.replace("::", ":").strip() or "_"


def _named(text: str) -> str:
    """A name without the emoji and symbols that decorate its ends."""
    chars = list(text.strip())
    while chars and _decoration(chars[0]):
        chars.pop(0)
    while chars and _decoration(chars[-1]):
        chars.pop()
    return "".join(chars).strip() or text.strip()


def _decoration(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] == "S" or char in "\u200d\ufe0f"


def source_tag(rel: str) -> str:
    stem = str(PurePosixPath(shown_path(rel)).with_suffix(""))
    safe = re.sub(r"[\s\"]+", "_", stem).replace("/", "::")
    return f"source::{safe}"


def deck_problem(
    source: SourceFile, deck: str, deck_line: int, tags: list[str]
) -> Diagnostic | None:
    """Deck and tags are per file: a bad one is reported once, at its line, not once per note."""
    problem = check_deck(deck)
    if problem:
        return error("invalid-deck", source.display, deck_line, problem)
    problem = check_tags(tags)
    if problem:
        return error("invalid-tag", source.display, source.line_of("tags"), problem)
    return None
