"""What the extract stage hands on: one `ParsedFile` per note file.

Everything in it is complete when it is made, and nothing changes it later: the cache keeps it
as it is, and the enrich stage (enrich/deck.py) makes the notes from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..diagnostics import Diagnostic

# How the notes define a term: in a glossary section, a table of terms and meanings, a list of
# `Term: definition` items, one such line, the answer to "What is X?", or a sentence ("X란 …",
# "X is a …"). The enrich stage trusts the first two always, the others when what they define
# looks like a term.
DefinedBy = Literal["", "glossary", "table", "list", "line", "answer", "sentence"]


@dataclass(frozen=True, slots=True)
class Draft:
    """One candidate note, before validation: a Q&A, or a term and its definition."""

    kind: Literal["qa", "term"]
    line: int
    question: str  # the question, or the term
    answer: str  # Markdown answer, or the definition
    parent_question: str = ""
    section: str = ""  # the heading it stands under: where it is asked (enrich/merge.py)
    defined_by: DefinedBy = ""  # a term's: how the notes define it
    marked: bool = False  # a term's: written in bold or as code, so named on purpose


Role = Literal["question", "answer", "prose", "definition"]


@dataclass(frozen=True, slots=True)
class Passage:
    """A line of text in the notes, and which draft note (if any) it belongs to: what key terms
    and clozes are found in."""

    line: int
    text: str
    emphasis: list[str]  # the emphasised spans on the line
    owner: int | None  # index into ParsedFile.drafts
    role: Role


@dataclass(frozen=True, slots=True)
class FileHead:
    """What every build needs to know of a note file without its notes: how it is shown, its
    stable path, its deck and tags, and what is wrong with it."""

    display: str  # the path as shown to the user in diagnostics and on cards
    rel: str  # the path inside the notes folder, '/'-separated: stable across machines
    deck: str
    tags: list[str]
    usable: bool  # False when the deck or the tags are invalid (a diagnostic says which)
    diagnostics: list[Diagnostic]

    def note_origin(self, line: int) -> dict[str, Any]:
        """What every note made from this file says of where it comes from."""
        source = {"path": self.display, "line": line}
        return {"deck": self.deck, "tags": self.tags, "source": source}


@dataclass(frozen=True, slots=True)
class ParsedFile:
    head: FileHead
    drafts: list[Draft]  # what the rules found in source order, then the definitions
    passages: list[Passage]  # in source order
