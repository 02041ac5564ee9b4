"""The validated data model: everything extracted from the notes, and every problem found.

These models are the contract between the stages (extract → validate → render → package) and the
JSON that `flashcards extract --format json` prints. Validation failures never escape as
exceptions: `validate_note` turns them into `Diagnostic` values naming `path:line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)

Severity = Literal["error", "warning", "info"]


class Diagnostic(BaseModel):
    """One problem in the input, reported once at the end of a run."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    path: str
    line: int | None = None
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


def error(code: str, path: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(severity="error", code=code, path=path, line=line, message=message)


def warning(code: str, path: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(severity="warning", code=code, path=path, line=line, message=message)


def strictly(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning counts as an error."""
    return [
        d.model_copy(update={"severity": "error"}) if d.severity == "warning" else d
        for d in diagnostics
    ]


def shorten(text: str, width: int = 50) -> str:
    """Text for a one-line message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def info(code: str, path: str, line: int | None, message: str) -> Diagnostic:
    """Something the user should know (a merge, a fuzzy match) that is not a problem."""
    return Diagnostic(severity="info", code=code, path=path, line=line, message=message)


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
        return "::".join(part.strip() for part in value.split("::"))

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
        """What the note is known by (see identity.py), and how it is listed."""
        return self.question


class ContextLine(BaseModel):
    """A sentence of the notes that uses a term, with where it stands."""

    path: str
    line: int = Field(ge=1)
    text: NonEmpty


class TermNote(_NoteBase):
    kind: Literal["term"] = "term"
    term: StrippedNonEmpty
    definition: Stripped = ""
    aliases: list[str] = Field(default_factory=list)
    context: list[ContextLine] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)

    @property
    def title(self) -> str:
        return self.term


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


@dataclass(slots=True)
class Rendered:
    """A finished note as the package and the identity file take it: its Anki fields, its own
    content (identity.own_content, as JSON) and that content's digest. A deck of one file is
    rendered beside its extraction and cached with it, so a rebuild reads these as they are.

    A note with images keeps `note` until its images are resolved against the notes folder
    (decks.with_images): until then its `fields` and `digest` are empty."""

    kind: Literal["qa", "term", "cloze"]
    deck: str
    path: str  # the displayed source path
    line: int
    key: str  # what identity matching knows the note by (identity.identity_key)
    tags: list[str]
    content: bytes
    fields: dict[str, str] = field(default_factory=dict)
    digest: str = ""
    images: dict[str, str] = field(default_factory=dict)  # image reference → media name
    note: AnyNote | None = None
    guid: str = ""

    @property
    def body(self) -> str:
        """For fuzzy matching (rarely needed: parsed when asked)."""
        return content_body(orjson.loads(self.content))


def content_body(content: dict[str, Any]) -> str:
    """A note's answer or definition, from its content as the identity file keeps it."""
    return str(content.get("answer") or content.get("definition") or "")


class Extraction(BaseModel):
    """What `flashcards extract --format json` prints."""

    notes: list[Note] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)
