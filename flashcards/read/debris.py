"""Layout HTML and export debris, written as the Markdown it stands for — line for line, so that
every `path:line` stays true.

Notes pasted from blogs, Notion, Jekyll sites or GitHub READMEs carry HTML for layout: `<br>`,
`<img>`, `<div>`/`<p>`/`<center>` wrappers, `<h1>` titles, `<details>` toggles. Raw HTML is never
live on a card (the parsers treat it as text), so without this it would show as escaped tags.
Here each becomes its Markdown equivalent: a line break, an image, nothing, a heading, a
question and its answer. Code (fenced, indented or in backticks) and math are left as they are
(verbatim.py): `$a<b$ and $b>c$` holds no `<b>` tag.
"""

from __future__ import annotations

import html
import re

from ..text import ANSWER_LABEL, asks
from .verbatim import shield, shielded

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# A tag is its name, then a space, `>` or `/>`: `<b.` `<p-` `<img/` are not tags but the text
# of a file name (`![[img.png]]`, `<b/c.png>`, `<P%20vs%20NP>`), an inequality or a path.
_END = r"(?=\s|/?>)"
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TRAILING_BREAKS = re.compile(r"(?:\s*<br\s*/?>)+\s*$", re.IGNORECASE)
_IMAGE = re.compile(rf"<(?:img|image){_END}([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_WRAPPER = re.compile(
    r"</?(?:div|p|center|span|font|section|article|figure|figcaption|small|big|html|body)"
    rf"{_END}[^>]*>",
    re.IGNORECASE,
)
_STRONG = re.compile(rf"</?(?:strong|b){_END}[^>]*>", re.IGNORECASE)
_EMPHASIS = re.compile(rf"</?(?:em|i){_END}[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"<a\s[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.IGNORECASE)
_HEADING = re.compile(rf"^\s*<h([1-6]){_END}[^>]*>(.*?)</h\1>\s*$", re.IGNORECASE)
_SUMMARY = re.compile(
    rf"^\s*(?:<details{_END}[^>]*>\s*)?<summary{_END}[^>]*>(.*?)</summary>\s*$", re.IGNORECASE
)
_DETAILS_OPEN = re.compile(rf"^\s*<details{_END}[^>]*>\s*$", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"^\s*</details>\s*$", re.IGNORECASE)
# A Markdown link's bracketed destination (`](<p 1.png>)`, written by obsidian.py and below) is
# a path, whatever tag it looks like.
_DESTINATION = re.compile(r"\]\(<[^<>\n]*>")
_ASIDE = re.compile(rf"^\s*<(/?)aside{_END}[^>]*>\s*$", re.IGNORECASE)
# Notion's Markdown export indents what stands inside a callout (`<aside>`) or toggle by a tab:
# content, not an indented code block.
_CALLOUT_INDENT = re.compile(r"^(?:\t| {4})")
_CODE_INDENT = re.compile(r"^(?: {0,3}\t| {4})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_COMMENT = re.compile(r"<!--.*?-->")
_NEW_BLOCK = re.compile(r"^(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>|```|~~~|\|)")
_LIQUID_TAG = re.compile(r"^\s*\{%.*%\}\s*$")
_LIQUID_IN_LINK = re.compile(r"(\]\()\s*\{\{[^}]*\}\}/*")
# An image path with spaces (Notion's `Untitled 1.png`) is no link in Markdown until bracketed.
_SPACED_IMAGE = re.compile(r"(!\[[^\]]*\]\()([^()<>\n]*\s[^()<>\n]*)(\))")


# Notion exports escape the last star of a closing `***`: `***text\***`.
_NOTION_STRAY_BACKSLASH = re.compile(r"(\*{2,3})(?=\S)([^*\n]+?)\\(\*+)")


def as_markdown(text: str) -> str:
    """`text` with layout HTML written as Markdown and export quirks undone; the same number of
    lines."""
    return _NOTION_STRAY_BACKSLASH.sub(_unescape_closer, html_to_markdown(text))


def _may_hold_debris(text: str) -> bool:
    """Whether `_line` may change anything in the text (most notes hold no HTML)."""
    return "<" in text or "{" in text or "](" in text


def _unescape_closer(match: re.Match[str]) -> str:
    opener, body, closer = match.groups()
    if len(closer) + 1 != len(opener) and len(closer) != len(opener):
        return match.group(0)
    return f"{opener}{body}{opener}"


def html_to_markdown(text: str) -> str:
    """`text` with layout HTML written as Markdown; the same number of lines. A toggle whose
    summary asks (`<details><summary>Q?</summary> A </details>`) becomes a list item asking
    `Q. Q?`, its content indented under it as the answer; one named "답변" or "Answer" becomes a
    quote (the answer to the question before it); any other toggle is a section of the notes
    (diaries fold each part away): its summary a bold label line, its content as it is."""
    return shielded(text, _lines_to_markdown) if _may_hold_debris(text) else text


def _lines_to_markdown(text: str) -> str:
    lines = text.split("\n")
    fenced, toggle = False, ""  # toggle: how the open toggle's lines are marked
    aside, indented = False, _IndentedCode()
    for number, line in enumerate(lines):
        if aside and not fenced and line[:1] in ("\t", " "):
            line = lines[number] = _CALLOUT_INDENT.sub("", line)
        if not fenced and "aside" in line and (mark := _ASIDE.match(line)):
            aside, lines[number] = not mark.group(1), ""
            continue
        # A toggle's content is indented under its question (`_summary`): never code.
        if indented.holds(line) and not fenced and not toggle:
            continue
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _DETAILS_CLOSE.match(line):
            toggle, lines[number] = "", ""
            continue
        elif not fenced and (summary := _SUMMARY.match(line)):
            lines[number], toggle = _summary(_inline(summary.group(1)).strip())
            continue
        elif not fenced and ("<" in line or "{" in line or "](" in line):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            line = lines[number] = _line(line, following)
        if toggle and (line.strip() or toggle == "> "):
            lines[number] = toggle + lines[number]
    return "\n".join(lines)


class _IndentedCode:
    """Which lines are an indented code block: indented by four columns after a blank line (or
    more code), and not inside a list, whose items' content is indented as much."""

    def __init__(self) -> None:
        self.code = self.listed = False
        self.blank = True

    def holds(self, line: str) -> bool:
        if not line.strip():
            self.blank = True
            return self.code
        indented = bool(_CODE_INDENT.match(line))
        self.code = indented and (self.code or (self.blank and not self.listed))
        if _LIST_ITEM.match(line):
            self.listed = True
        elif not line[:1].isspace() and self.blank:
            self.listed = False  # a paragraph after a blank line ends the list
        self.blank = False
        return self.code


def _summary(label: str) -> tuple[str, str]:
    """A toggle's summary line, and the mark its content lines get: a question with its answer
    indented under it; an answer ("답변", "Answer") quoted, so that it answers the question
    before it; else a bold label over content as it is."""
    if asks(label):
        # `+`: a list of its own, never merged into a `-` list of questions after it
        return f"+ Q. {label}", "  "
    if ANSWER_LABEL.match(label):
        return "", "> "
    return (f"**{label}**" if label else ""), ""


def _line(line: str, following: str) -> str:
    if _LIQUID_TAG.match(line):
        return ""
    line = _LIQUID_IN_LINK.sub(r"\1", line)
    line = _SPACED_IMAGE.sub(lambda m: f"{m.group(1)}{shield(f'<{m.group(2).strip()}>')})", line)
    if "<" not in line:
        return line
    line = _COMMENT.sub("", line)
    if _DETAILS_OPEN.match(line):
        return ""
    heading = _HEADING.match(line)
    if heading:
        return "#" * int(heading.group(1)) + " " + _inline(heading.group(2)).strip()
    # A break that ends a line is a hard break when the paragraph goes on, else nothing.
    ending = "\\" if _TRAILING_BREAKS.search(line) and _goes_on(following) else ""
    line = _TRAILING_BREAKS.sub("", line)
    return _inline(line) + ending if line.strip() else ""


def _goes_on(following: str) -> bool:
    """Whether the next line continues the paragraph (not blank, not a new block)."""
    text = _inline(_TRAILING_BREAKS.sub("", following)).strip()
    return bool(text) and not _NEW_BLOCK.match(text)


def _inline(text: str) -> str:
    if "](<" in text:
        text = _DESTINATION.sub(lambda m: shield(m.group()), text)
    text = _BREAK.sub(" ", text)
    text = _IMAGE.sub(_image, text)
    text = _WRAPPER.sub("", text)
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1).strip()})", text)
    text = _STRONG.sub("**", text)
    return _EMPHASIS.sub("*", text)


def _image(match: re.Match[str]) -> str:
    attributes = {
        name.lower(): html.unescape(double or single or bare)
        for name, double, single, bare in _ATTRIBUTE.findall(match.group(1))
    }
    src = attributes.get("src", "").strip()
    if not src:
        return ""
    alt = attributes.get("alt", "").replace("[", "").replace("]", "")
    destination = shield(f"<{src}>") if re.search(r"[\s()<>]", src) else src
    return f"![{alt}]({destination})"
