"""The vocabulary of the note conventions: what reads as a question, an answer prefix, a
definition, a Q&A or glossary heading, or export debris — and how to read those. The rules walk
the notes.
"""

from __future__ import annotations

import re
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
# Korean interrogative endings, tolerant of trailing punctuation and emoticons.
INTERROGATIVE = re.compile(
    r"(\?|？|나요|까요|인가요|[습입합됩갑봅십]니까|궁금합니다|궁금해요|궁금하다|알고\s*싶습니다|알고\s*싶어요)"
    r"[\s.!~…)\]ㅎㅋㅠㅜ]*$"
)
Q_PREFIX = re.compile(r"^\s*(?:\*\*|__)?\s*(?:Q|질문|문)\s*[:.：]\s*(?:\*\*|__)?\s*", re.IGNORECASE)
A_PREFIX = re.compile(r"^\s*(?:\*\*|__)?\s*(?:A|답변|답)\s*[:.：]\s*(?:\*\*|__)?\s*", re.IGNORECASE)
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


def is_question(text: str) -> bool:
    return bool(INTERROGATIVE.search(text.strip())) or bool(Q_PREFIX.match(text))


# What a heading opens. "qa-lists" is the file's title naming Q&A: its lists are questions, its
# sub-headings sections.
Section = Literal["other", "qa", "qa-lists", "glossary"]


def section_kind(title: str) -> Section:
    """What a heading opens: a Q&A section, a glossary, or anything else."""
    if QA_HEADING.search(title):
        return "qa"
    if GLOSSARY_HEADING.search(title):
        return "glossary"
    return "other"


def unprefix(prefix: re.Pattern[str], text: str) -> str:
    """Drop a `Q:`/`A:` prefix; `**Q. whole question**` loses its closing `**` as well."""
    match = prefix.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    marker = match.group(0).strip()
    if marker[:2] in ("**", "__") and marker[-2:] not in ("**", "__"):
        rest = rest.rstrip().removesuffix(marker[:2])
    return rest


def definition(raw: str) -> tuple[str, str] | None:
    for pattern in DEFINITION:
        match = pattern.match(raw)
        if match:
            term = plain(match.group("term"))
            if term and len(term) <= 80:
                return term, match.group("text")
    return None


def plain(markdown: str) -> str:
    return plain_text(parse_inline(markdown.strip()))
