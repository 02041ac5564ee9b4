"""Web pages (`.html`: Notion's HTML export, a saved page) read as the Markdown they stand for.

Notion writes a page's whole body on one line, so a page is rewritten block by block: headings,
paragraphs, lists (nested), quotes, code, images, tables as rows of text, and toggles as the
`<details>` lines debris.py reads (a toggle whose summary asks is a question, its content the
answer). Head, styles and scripts are left out; nothing in the page is ever live. Line numbers
of a page are those of this Markdown (one block a line or more), not of the HTML.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_SKIPPED = {"head", "style", "script", "title", "noscript", "template", "svg", "nav"}
_HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####", "h5": "#####", "h6": "######"}
_BLOCKS = {"p", "div", "figure", "figcaption", "tr", "header", "article", "section", "aside"}
_INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`", "mark": "=="}


def is_webpage(name: str) -> bool:
    return name.lower().endswith((".html", ".htm"))


def webpage_to_markdown(text: str) -> str:
    page = _Page()
    page.feed(text)
    page.close()
    page.end_line()
    return "\n".join(page.lines).strip("\n") + "\n"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.skipping = 0
        self.lists: list[str] = []  # "-" or "1." per open list
        self.quote = 0
        self.pre = False
        self.link: list[str] = []
        self.outer_lists: list[list[str]] = []  # the lists a toggle stands in

    # --- output -----------------------------------------------------------------------------
    def prefix(self) -> str:
        indent = "".join("  " if m == "-" else "   " for m in self.lists[:-1])
        return "> " * self.quote + indent + ("  " if self.lists else "")

    def end_line(self) -> None:
        if self.line.strip():
            self.lines.append(self.line.rstrip())
        self.line = ""

    def block(self, text: str = "") -> None:
        """End the line being written; start a block (`text` on a line of its own, if any)."""
        self.end_line()
        if text:
            self.lines.append(text)
        if self.lines and self.lines[-1] and not self.lists and not self.quote:
            self.lines.append("")

    def write(self, text: str) -> None:
        if not self.line:
            text = text.lstrip()
            if not text:
                return
            self.line = self.prefix()
        self.line += text

    # --- parsing ----------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED or self.skipping:
            self.skipping += tag in _SKIPPED
            return
        found = dict(attrs)
        if tag in _HEADINGS:
            self.block()
            self.line = _HEADINGS[tag] + " "
        elif tag in ("ul", "ol"):
            self.end_line()
            self.lists.append("-" if tag == "ul" else "1.")
        elif tag == "li":
            self.end_line()
            marker = self.lists[-1] if self.lists else "-"
            indent = "".join("  " if m == "-" else "   " for m in self.lists[:-1])
            self.line = "> " * self.quote + indent + marker + " "
        elif tag == "blockquote":
            self.block()
            self.quote += 1
        elif tag == "details":  # Notion puts each toggle in a list of its own: not a list item
            if self.line.strip() in ("-", "1."):
                self.line = ""
            self.outer_lists.append(self.lists)
            self.lists, quote, self.quote = [], self.quote, 0
            self.block("<details>")
            self.quote = quote
        elif tag == "summary":
            self.end_line()
            self.line = "<summary>"
        elif tag == "pre":
            self.block()
            self.lines.append(self.prefix() + "```")
            self.pre = True
        elif tag == "br":
            self.end_line()
        elif tag == "img":
            alt = (found.get("alt") or "").replace("[", "").replace("]", "")
            self.write(f"![{alt}](<{found.get('src') or ''}>)")
        elif tag == "a":
            href = found.get("href") or ""
            self.link.append(href if href.startswith(("http:", "https:")) else "")
            if self.link[-1]:
                self.write("[")
        elif tag in ("td", "th"):
            self.write(" | " if self.line.strip() else "")
        elif tag in _INLINE and not self.pre:
            self.write(_INLINE[tag])
        elif tag in _BLOCKS or tag == "hr":
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag in _SKIPPED
            return
        if tag in _HEADINGS or tag in ("p", "figure", "header"):
            self.block()
        elif tag in ("ul", "ol"):
            self.end_line()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self.block()
        elif tag == "blockquote":
            self.end_line()
            self.quote = max(0, self.quote - 1)
            self.block()
        elif tag == "summary":
            self.line += "</summary>"
            self.end_line()
        elif tag == "details":
            self.block("</details>")
            self.lists = self.outer_lists.pop() if self.outer_lists else []
        elif tag == "pre":
            self.end_line()
            self.lines.append(self.prefix() + "```")
            self.pre = False
            self.block()
        elif tag == "a" and self.link:
            href = self.link.pop()
            if href:
                self.write(f"]({href})")
        elif tag in _INLINE and not self.pre:
            self.line += _INLINE[tag]
        elif tag in _BLOCKS or tag == "li":
            self.end_line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            for number, part in enumerate(data.split("\n")):
                if number:
                    self.lines.append(self.line)
                    self.line = ""
                self.line += part
            return
        text = " ".join(data.split())
        if data[:1].isspace() and self.line and not self.line.endswith(" "):
            text = " " + text
        if data[-1:].isspace() and text and not text.endswith(" "):
            text += " "
        if text.strip():
            self.write(html.escape(text, quote=False) if "<" in text else text)
