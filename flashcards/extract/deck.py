"""A file's deck and tags: what every note made from it says of where it belongs."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..diagnostics import Diagnostic, error
from ..notes import check_deck, check_tags
from ..read.blocks import Block, first_line, plain_text
from ..read.sources import SourceFile


def deck_name(source: SourceFile, title: Block | None) -> tuple[str, int]:
    """The front matter's deck, else the first heading, else the file's name; and its line."""
    if source.front.deck is not None:
        return source.front.deck, source.line_of("deck")
    name = plain_text(title) if title is not None else ""
    if title is not None and name:
        return name, first_line(title)
    return PurePosixPath(source.rel).stem, 1


def source_tag(rel: str) -> str:
    stem = str(PurePosixPath(rel).with_suffix(""))
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
