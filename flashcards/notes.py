"""The notes: the pydantic schema every card is validated against.

A note is made from what the extract stage found (enrich/deck.py) and is what the render stage
turns into Anki fields; the same models are the JSON `flashcards extract --format json` prints.
Validation failures never escape as exceptions: `validate_note` turns them into `Diagnostic`
values naming `path:line`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from .diagnostics import Diagnostic, error, has_errors


class SourceRef(BaseModel):
    """Where something came from: the file as the user named it and a 1-based line."""

    model_config = ConfigDict(frozen=True)

    path: str = Field(min_length=1)
    line: int = Field(ge=1)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


_TAG = re.compile(r"^[^\s\"]+$")


def check_deck(value: str) -> str | None:
    """What is wrong with a deck name, if anything."""
    parts = [part.strip() for part in value.split("::")]
    if not value.strip() or any(not part for part in parts):
        return "deck name must not be empty (nor have an empty '::' part)"
    return None


def check_tags(tags: list[str]) -> str | None:
    """What is wrong with a list of tags, if anything."""
    for tag in tags:
        if not _TAG.match(tag):
            return f"tag {tag!r} must be one word: no spaces or quotes"
    return None


def normal_deck(value: str) -> str:
    """A valid deck name as Anki shows it: no spaces around its `::` parts."""
    return "::".join(part.strip() for part in value.split("::"))


def _raise_if(problem: str | None) -> None:
    if problem:
        raise ValueError(problem)


class _NoteBase(BaseModel):
    guid: str = ""
    deck: str
    tags: list[str] = Field(default_factory=list)
    source: SourceRef

    @field_validator("deck")
    @classmethod
    def _valid_deck(cls, value: str) -> str:
        _raise_if(check_deck(value))
        return normal_deck(value)

    @field_validator("tags")
    @classmethod
    def _valid_tags(cls, value: list[str]) -> list[str]:
        _raise_if(check_tags(value))
        return value


NonEmpty = Annotated[str, Field(min_length=1)]
# Text as extracted, surrounding whitespace dropped (then checked for being empty).
Stripped = Annotated[str, StringConstraints(strip_whitespace=True)]
StrippedNonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class MergedAnswer(BaseModel):
    """Another write-up of the same question, folded into one note (two note-takers)."""

    path: str
    line: int = Field(ge=1)
    question: NonEmpty
    answer: NonEmpty


class QANote(_NoteBase):
    kind: Literal["qa"] = "qa"
    question: StrippedNonEmpty
    answer: StrippedNonEmpty
    parent_question: str = ""
    key_terms: list[str] = Field(default_factory=list)
    merged_from: list[MergedAnswer] = Field(default_factory=list)

    @property
    def title(self) -> str:
        """What the note is known by (fingerprint.identity_key), and how it is listed."""
        return self.question


class ContextLine(BaseModel):
    """A sentence of the notes that uses a term, with where it stands."""

    path: str
    line: int = Field(ge=1)
    text: NonEmpty


class TermNote(_NoteBase):
    """A key term's note: made only for a term with a definition (no card without a back)."""

    kind: Literal["term"] = "term"
    term: StrippedNonEmpty
    definition: StrippedNonEmpty
    aliases: list[str] = Field(default_factory=list)
    context: list[ContextLine] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)

    @property
    def title(self) -> str:
        return self.term


DefinitionSource = Literal["glossary", "notes"]


class FoundTerm(BaseModel):
    """A key term the notes use, with or without a definition: what `flashcards terms` lists."""

    term: StrippedNonEmpty
    aliases: list[str] = Field(default_factory=list)
    definition: str | None = None
    definition_source: DefinitionSource | None = None  # glossary.yaml, or the notes themselves
    count: int = Field(ge=0)  # how many times the notes mention it
    source: SourceRef  # where it is defined, else where it is first mentioned


class TermList(BaseModel):
    """What `flashcards terms --format json` prints: most mentioned first."""

    terms: list[FoundTerm] = Field(default_factory=list)


class ClozeNote(_NoteBase):
    kind: Literal["cloze"] = "cloze"
    text: NonEmpty
    context: str = ""

    @property
    def title(self) -> str:
        return self.text

    @field_validator("text")
    @classmethod
    def _has_cloze(cls, value: str) -> str:
        if "{{c1::" not in value:
            raise ValueError("cloze text must contain a {{c1::…}} deletion")
        return value


AnyNote = QANote | TermNote | ClozeNote
Note = Annotated[AnyNote, Field(discriminator="kind")]
_NOTE = TypeAdapter(Note)


def validate_note(data: dict[str, Any]) -> QANote | TermNote | ClozeNote | Diagnostic:
    """Build a note from extracted data, or say at which `path:line` it is invalid."""
    try:
        return _NOTE.validate_python(data)
    except ValidationError as exc:
        source = data.get("source") or {}
        path = str(source.get("path", "?"))
        line = source.get("line") if isinstance(source.get("line"), int) else None
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'note'}: {err['msg']}"
            for err in exc.errors()
        )
        return error("invalid-note", path, line, f"invalid {data.get('kind', 'note')}: {problems}")


class Extraction(BaseModel):
    """What `flashcards extract --format json` prints."""

    notes: list[Note] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return has_errors(self.diagnostics)
