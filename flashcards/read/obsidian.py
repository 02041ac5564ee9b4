"""Obsidian's own syntax, written as the Markdown it stands for — line for line, so that every
`path:line` stays true.

* `![[image.png]]`, `![[image.png|300]]`: an image, `![image.png](<image.png>)`; the media stage
  finds it as Obsidian does (beside the note, from the vault's top, else by its name anywhere in
  the built folder: render/media.py). An embedded note (`![[Other note]]`) shows as its name.
* `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]`, `[[#Heading]]`: their text — the alias, else
  the note's name (`Note > Heading`, or the heading alone in the same note).
* `%%comments%%`, inline or over several lines: dropped (their lines kept, blank).

`#tags` in the text stay text: they are not Anki tags (see README, "Obsidian vaults").
Code (fenced, or in backticks) is left as it is: `[[1, 2]]` there is a Python list.
"""

from __future__ import annotations

import re
from collections.abc import Callable

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*?\1")
_EMBED = re.compile(r"!\[\[([^\[\]\n]+?)\]\]")
_LINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_COMMENT = "%%"
IMAGE_NAME = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|avif)$", re.IGNORECASE)


def has_obsidian(text: str) -> bool:
    """Whether `text` may hold any of it (most notes do not: nothing else to do)."""
    return "[[" in text or _COMMENT in text


def obsidian_to_markdown(text: str) -> str:
    """`text` with Obsidian's embeds, wiki links and comments as Markdown; the same lines."""
    if not has_obsidian(text):
        return text
    lines = text.split("\n")
    fenced, commented = "", False
    for number, line in enumerate(lines):
        fence = FENCE.match(line)
        if fenced:
            if fence and fence.group(1)[0] == fenced[0] and len(fence.group(1)) >= len(fenced):
                fenced = ""
            continue
        if fence and not commented:
            fenced = fence.group(1)
            continue
        if "%%" in line or commented:
            line, commented = _uncomment(line, commented)
        if "[[" in line:
            line = _outside_code(line, _links)
        lines[number] = line
    return "\n".join(lines)


def _uncomment(line: str, commented: bool) -> tuple[str, bool]:
    """The line without what stands in comments (a `%%` in a code span opens none), and whether
    a comment is still open at its end."""
    code = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(line)] if "`" in line else []
    kept: list[str] = []
    at = 0
    while at <= len(line):
        found = _next_mark(line, at, [] if commented else code)
        if not commented:
            kept.append(line[at : len(line) if found < 0 else found])
        if found < 0:
            break
        commented, at = not commented, found + len(_COMMENT)
    text = "".join(kept)
    return (text if text.strip() else ""), commented


def _next_mark(line: str, start: int, code: list[tuple[int, int]]) -> int:
    """Where the next `%%` outside the `code` spans is, from `start` (-1: none)."""
    found = line.find(_COMMENT, start)
    while found >= 0:
        inside = next((end for begin, end in code if begin <= found < end), None)
        if inside is None:
            return found
        found = line.find(_COMMENT, inside)
    return -1


def _outside_code(line: str, change: Callable[[str], str]) -> str:
    """`change` applied to the parts of `line` outside code spans."""
    parts: list[str] = []
    start = 0
    for span in _CODE_SPAN.finditer(line):
        parts += [change(line[start : span.start()]), span.group(0)]
        start = span.end()
    parts.append(change(line[start:]))
    return "".join(parts)


def _links(text: str) -> str:
    return _LINK.sub(_link, _EMBED.sub(_embed, text))


def _embed(match: re.Match[str]) -> str:
    target, _, _size = match.group(1).partition("|")
    target = target.strip()
    path = target.split("#", 1)[0].strip()
    if not IMAGE_NAME.search(path):
        return _shown(target, "")  # an embedded note, a PDF: its name
    alt = path.rsplit("/", 1)[-1].replace("[", "").replace("]", "")
    return f"![{alt}](<{path.replace('<', '%3C').replace('>', '%3E')}>)"


def _link(match: re.Match[str]) -> str:
    target, _, alias = match.group(1).partition("|")
    return _shown(target.strip(), alias.strip())


def _shown(target: str, alias: str) -> str:
    if alias:
        return alias
    note, _, heading = target.partition("#")
    note = note.strip().rsplit("/", 1)[-1]
    heading = "" if heading.strip().startswith("^") else heading.strip()  # a block: the note
    if note.lower().endswith(".md"):
        note = note[:-3]
    if note and heading:
        return f"{note} > {heading}"
    return note or heading
