r"""Where the notes hold text that is written as it stands — code spans and math — so that the
export-debris cleanup (debris.py) never rewrites it: `$a<b$ and $b>c$` is a formula, not a
`<b …>` tag, and `` `<img>` `` in code is code.

The spans are found as the parsers find them (read/parsers.add_math, CommonMark's code spans):
a backtick run closed by a run of the same length; `$$…$$`; `$…$` with no space inside its
dollars and no digit outside them ("costs $5 and $10" is currency); `\(…\)` and `\[…\]`; a
backslash escapes what follows it. None crosses a blank line (a paragraph's end). Each search
for a closer that fails is remembered, so a run of unclosed openers stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .obsidian import FENCE

# Characters the cleanup acts on (`<` opens a tag, `{` Liquid markup, `!` an image), and the
# stand-ins they wear while it runs: control characters, which notes never hold (the reader
# removes them all, sources.py; `shielded` too).
_SHIELD = str.maketrans({"<": "\x0e", "{": "\x0f", "!": "\x10"})
_UNSHIELD = str.maketrans({"\x0e": "<", "\x0f": "{", "\x10": "!"})
_STAND_INS = re.compile("[\x0e\x0f\x10]")
_OPENER = re.compile(r"\\[(\[]|\\.|`+|\$\$?", re.DOTALL)
_BACKSLASH_CLOSERS = {"\\(": "\\)", "\\[": "\\]"}


def shield(text: str) -> str:
    """`text` with the characters the cleanup acts on hidden (`shielded` shows them again)."""
    return text.translate(_SHIELD)


def shielded(text: str, cleanup: Callable[[str], str]) -> str:
    """`cleanup(text)`, with the characters it acts on hidden inside code spans and math while
    it runs. `cleanup` may hide more (`shield`)."""
    text = _STAND_INS.sub("", text)
    parts, at = [], 0
    for start, end in verbatim_spans(text):
        parts += [text[at:start], shield(text[start:end])]
        at = end
    parts.append(text[at:])
    return cleanup("".join(parts)).translate(_UNSHIELD)


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span and math span in `text`, in order, outside fenced code
    (a fence's backticks open no span)."""
    if "`" not in text and "$" not in text and "\\" not in text:
        return []
    spans: list[tuple[int, int]] = []
    start = at = 0  # start: of the run of lines that may hold spans
    fenced = ""
    for line in text.split("\n"):
        fence = FENCE.match(line)
        if fenced or fence or not line.strip():
            spans += _spans_in(text, start, max(start, at - 1))
            start = at + len(line) + 1
            if fence and (not fenced or _closes(fence.group(1), fenced)):
                fenced = "" if fenced else fence.group(1)
        at += len(line) + 1
    return spans + _spans_in(text, start, len(text))


def _closes(fence: str, fenced: str) -> bool:
    return fence[0] == fenced[0] and len(fence) >= len(fenced)


def _spans_in(text: str, pos: int, stop: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()  # openers with no closer after some point, hence none later
    while (opener := _OPENER.search(text, pos, stop)) is not None:
        mark, pos = opener.group(), opener.end()
        if mark in unclosed or (mark[0] == "\\" and mark not in _BACKSLASH_CLOSERS):
            continue  # an escaped character
        end = _closer(text, opener, stop)
        if end is None:
            unclosed.add(mark)
        elif end > 0:
            spans.append((opener.start(), end))
            pos = end
    return spans


def _closer(text: str, opener: re.Match[str], stop: int) -> int | None:
    """The end of the span `opener` opens: None if no closer follows (nor can for a later
    opener of the same kind), 0 if this opener opens nothing."""
    mark, start, end = opener.group(), opener.start(), opener.end()
    if mark[0] == "`":
        closer = re.compile(rf"(?<!`){mark}(?!`)")
        found = closer.search(text, end, stop)
        return found.end() if found else None
    if mark[0] == "\\":
        at = text.find(_BACKSLASH_CLOSERS[mark], end, stop)
        if at < 0:
            return None
        return at + 2 if text[end:at].strip() else 0
    if start > 0 and text[start - 1].isdigit():
        return 0  # "costs 5$": currency
    if mark == "$$":
        at = _unescaped(text, "$$", end, stop)
        if at < 0:
            return None
        return 0 if at == end or _digit_at(text, at + 2) else at + 2
    at = _unescaped(text, "$", end, stop)
    if at < 0:
        return None
    inner = text[end:at]
    if not inner or inner[0].isspace() or inner[-1].isspace() or _digit_at(text, at + 1):
        return 0  # "$ x $", "$5 and $10": not math
    return at + 1


def _unescaped(text: str, mark: str, start: int, stop: int) -> int:
    """Where the next `mark` after `start` is that no odd run of backslashes escapes (-1: none)."""
    at = text.find(mark, start, stop)
    while at > 0 and _escaped(text, at):
        at = text.find(mark, at + 1, stop)
    return at


def _escaped(text: str, at: int) -> bool:
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _digit_at(text: str, at: int) -> bool:
    return at < len(text) and text[at].isdigit()
