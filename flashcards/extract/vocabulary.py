"""The vocabulary of the note conventions: what reads as a question, an answer prefix, a
definition, a Q&A or glossary heading, or export debris — and how to read those. The rules walk
the notes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from ..read.blocks import parse_inline, plain_text

_ASCII_WORD = r"(?<![A-Za-z])(?:{})(?![A-Za-z])"
QA_HEADING = re.compile(
    _ASCII_WORD.format(r"Q\s*&\s*A|Q\s*/\s*A|QnA|Questions?|FAQs?") + r"|질문|질의\s*응답|문답",
    re.IGNORECASE,
)
GLOSSARY_HEADING = re.compile(
    _ASCII_WORD.format(r"Glossary|Terms|Key\s*terms|Keywords?|Vocabulary") + r"|용어|키워드",
    re.IGNORECASE,
)
# What a file's table of contents, and a section of references, are called.
TOC_HEADING = re.compile(r"^\W*(?:목차|차례|table\s+of\s+contents|contents|toc)\W*$", re.IGNORECASE)
REFERENCES_HEADING = re.compile(
    r"^\W*(?:refs?|references?|참고(?:\s*(?:자료|문헌|링크|사이트|한\s*(?:글|자료|블로그)))?|출처|sources?|"
    r"see\s+also|further\s+reading|bibliography|links?|링크|citations?|reading\s+list)\W*$",
    re.IGNORECASE,
)
DEFINITION = (
    re.compile(
        r"^\s*(?:\*\*|__)(?P<term>[^*_]+?)(?:\*\*|__)\s*(?:—|–|::|:|-)\s*(?P<text>.+)$", re.S
    ),
    re.compile(r"^\s*(?P<term>[^:\n]+?)\s*::\s*(?P<text>.+)$", re.S),
    re.compile(r"^\s*(?P<term>[^:\n—–]+?)\s*(?:—|–)\s+(?P<text>.+)$", re.S),
    re.compile(r"^\s*(?P<term>[^:\n]+?)\s*:\s+(?P<text>.+)$", re.S),
)
# Lines web and Notion exports leave behind: never questions, never prose worth a card.
EXPORT_DEBRIS = re.compile(
    r"^(Select a repo|Skip to content|Copy link|Open in app|Sign in|Sign up|Share|"
    r"Made with Notion|Published with Notion|Back to top|Table of contents)$",
    re.IGNORECASE,
)


# What a heading opens. "qa-lists" is the file's title naming Q&A: its lists are questions, its
# sub-headings sections. A table of contents and references hold no notes.
Section = Literal["other", "qa", "qa-lists", "glossary", "toc", "references"]


def section_kind(title: str) -> Section:
    """What a heading opens: a Q&A section, a glossary, a table of contents, references, or
    anything else."""
    if TOC_HEADING.match(title):
        return "toc"
    if REFERENCES_HEADING.match(title):
        return "references"
    if QA_HEADING.search(title):
        return "qa"
    if GLOSSARY_HEADING.search(title):
        return "glossary"
    return "other"


def definition(raw: str) -> tuple[str, str] | None:
    for pattern in DEFINITION:
        match = pattern.match(raw)
        if match:
            term = plain(match.group("term"))
            if term and len(term) <= 80:
                return term, match.group("text")
    return None


@lru_cache(maxsize=1 << 14)  # the definition pass asks again of lines the rules have read
def plain(markdown: str) -> str:
    return plain_text(parse_inline(markdown.strip()))
