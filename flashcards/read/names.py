"""Names as the user knows them: Notion's export ids taken off file and folder names.

Notion names every exported page and its folder `Title <32 hex digits>` (`Lecture 3
1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md`); the id is no part of the name the user gave the page.
"""

from __future__ import annotations

import re

_NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")


def shown_name(name: str) -> str:
    """`name` (a file's stem or a folder's name) without a Notion id at its end."""
    if len(name) < 33:  # most names: no id can fit
        return name
    return _NOTION_ID.sub("", name) or name


def shown_path(rel: str) -> str:
    """A '/'-separated path with every part's Notion id dropped (a file keeps its suffix)."""
    if len(rel) < 33:
        return rel
    parts = rel.split("/")
    *folders, last = parts
    stem, dot, suffix = last.rpartition(".")
    file = f"{shown_name(stem)}.{suffix}" if dot and stem else shown_name(last)
    return "/".join([*(shown_name(f) for f in folders), file])
