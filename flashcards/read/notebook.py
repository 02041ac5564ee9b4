"""Jupyter notebooks (`.ipynb`) read as notes: Markdown cells as Markdown, code cells as fenced
code in the notebook's language (an answer owns the code under its question), outputs left out.

Line numbers are the notebook file's own: Jupyter writes each line of a cell's source on a line
of its own in the JSON, and each cell's lines are put at those lines (its fences on the lines of
`"source": [` and `]`), so `notebook.ipynb:42` is the line an editor shows. A notebook written
otherwise (all on one line) has its cells one after another instead, a blank line between.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

_SOURCE_KEY = re.compile(r'^\s*"source": \[\s*$')


def is_notebook(name: str) -> bool:
    return name.lower().endswith(".ipynb")


class NotANotebook(NamedTuple):
    """Why a `.ipynb` file cannot be read, and at which line (None: the whole file)."""

    line: int | None
    message: str


def notebook_to_markdown(text: str) -> str | NotANotebook:
    """The notebook's cells as Markdown, or why it is no notebook (broken JSON, no cells)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:  # a notebook cut short, a merge left in it
        return NotANotebook(exc.lineno, f"not a Jupyter notebook: broken JSON ({exc.msg})")
    except (ValueError, RecursionError):
        return NotANotebook(None, "not a Jupyter notebook: broken JSON")
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return NotANotebook(None, "not a Jupyter notebook (no cells)")
    language = _language(data.get("metadata"))
    cells = [cell for cell in cells if isinstance(cell, dict)]
    blocks = [_block(cell, language) for cell in cells]
    keyed = [isinstance(c.get("source"), list) and bool(c.get("source")) for c in cells]
    placed = _in_place(text, blocks, keyed)
    if placed is not None:
        return placed
    return "\n".join("\n".join(block) for block in blocks if block)


def _language(metadata: Any) -> str:
    if isinstance(metadata, dict):
        for key in ("kernelspec", "language_info"):
            info = metadata.get(key)
            name = info.get("language" if key == "kernelspec" else "name") if info else None
            if isinstance(name, str) and re.fullmatch(r"[\w+#.-]{1,30}", name):
                return name
    return "python"


def _block(cell: dict[str, Any], language: str) -> list[str]:
    """A cell's lines as Markdown: for a code cell its fence, the code, and the closing fence."""
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    lines = text.removesuffix("\n").split("\n") if text.strip() else []
    if cell.get("cell_type") == "markdown" and lines:
        return ["", *lines, ""]
    if cell.get("cell_type") == "code" and text.strip():
        fence = "~" * max(3, *(len(line) - len(line.lstrip("~")) + 1 for line in lines))
        return [f"{fence}{language}", *lines, fence]
    return []


def _in_place(text: str, blocks: list[list[str]], keyed: list[bool]) -> str | None:
    """Each block at its lines of the file (see the module's doc), or None if they do not fit:
    `keyed` says which cells have a `"source": [` line."""
    raw = text.split("\n")
    keys = [number for number, line in enumerate(raw) if _SOURCE_KEY.match(line)]
    if len(keys) != sum(keyed):
        return None
    out = [""] * len(raw)
    key_iter = iter(keys)
    for block, has_key in zip(blocks, keyed, strict=True):
        start = next(key_iter) if has_key else -1
        if not block:
            continue
        end = start + len(block) - 1
        if start < 0 or end >= len(raw) or raw[end].strip() not in ("]", "],"):
            return None
        out[start : end + 1] = block
    return "\n".join(out)
