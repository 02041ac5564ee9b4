"""The pipeline: read sources → extract → validate → (terms, cloze, merge) → identity → render → write.

This is the core the CLI calls. It never prints and never exits: it returns values, and every
problem in the input comes back as a `Diagnostic`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .extract import FileNotes, extract_file
from .identity import assign_guids
from .models import ClozeNote, Diagnostic, Extraction, QANote, TermNote, error, validate_note
from .package import PackagedNote, card_count, write_package
from .render import fields_for
from .sources import discover, read_source

AnyNote = QANote | TermNote | ClozeNote


@dataclass
class Collected:
    extraction: Extraction
    files: list[FileNotes] = field(default_factory=list)


def collect(paths: list[Path], encoding: str | None = None) -> Collected:
    """Everything the notes hold, validated, with stable GUIDs, in source order."""
    found, diagnostics = discover(paths)
    files: list[FileNotes] = []
    for path, root in found:
        source = read_source(path, root, encoding)
        if isinstance(source, list):
            diagnostics.extend(source)
            continue
        file_notes = extract_file(source)
        diagnostics.extend(file_notes.diagnostics)
        files.append(file_notes)

    notes: list[AnyNote] = []
    for file_notes in files:
        problem = _check_file_level(file_notes)
        if problem is not None:
            diagnostics.append(problem)
            continue
        for item in file_notes.found:
            data = {
                "kind": item.kind,
                "deck": file_notes.deck,
                "tags": file_notes.tags,
                "source": {"path": file_notes.source.display, "line": item.line},
            }
            if item.kind == "qa":
                data |= {
                    "question": item.question,
                    "answer": item.answer,
                    "parent_question": item.parent_question,
                }
            else:
                data |= {"term": item.question, "definition": item.answer}
            result = validate_note(data)
            if isinstance(result, Diagnostic):
                diagnostics.append(result)
            else:
                notes.append(result)

    assign_guids(notes, [f.source.rel for f in files])
    diagnostics.sort(key=lambda d: (d.path, d.line or 0))
    return Collected(Extraction(notes=notes, diagnostics=diagnostics), files)


def _check_file_level(file_notes: FileNotes) -> Diagnostic | None:
    """Deck and tags are per file: report a bad one once, at its line, not once per note."""
    from .models import _check_deck, _check_tags

    path = file_notes.source.display
    try:
        _check_deck(file_notes.deck)
    except ValueError as exc:
        return error("invalid-deck", path, file_notes.deck_line, str(exc))
    try:
        _check_tags(file_notes.tags)
    except ValueError as exc:
        return error("invalid-tag", path, file_notes.source.front_line, str(exc))
    return None


@dataclass
class BuildResult:
    out: Path
    written: bool
    decks: int
    notes: int
    cards: int
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def summary(self) -> str:
        verb = "wrote" if self.written else "would write" if not self.errors else "did not write"
        return (
            f"{verb} {self.out}: {_count(self.decks, 'deck')}, {_count(self.notes, 'note')}, "
            f"{_count(self.cards, 'card')}, {_count(len(self.warnings), 'warning')}"
            + (f", {_count(len(self.errors), 'error')}" if self.errors else "")
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def default_output(paths: list[Path], collected: Collected) -> Path:
    if len(paths) == 1 and paths[0].is_file() and collected.files:
        name = collected.files[0].deck
    elif len(paths) == 1:
        name = paths[0].resolve().name
    else:
        name = "flashcards"
    slug = re.sub(r"[^\w.-]+", "-", name.replace("::", "-")).strip("-.") or "deck"
    return Path("build") / f"{slug}.apkg"


def packaged(notes: list[AnyNote], mod: int) -> list[PackagedNote]:
    return [
        PackagedNote(
            kind=note.kind,
            guid=note.guid,
            deck=note.deck,
            fields=fields_for(note),
            tags=note.tags,
            mod=mod,
            due=position,
        )
        for position, note in enumerate(notes)
    ]


def build(
    paths: list[Path],
    out: Path | None = None,
    *,
    encoding: str | None = None,
    strict: bool = False,
    keep_going: bool = False,
    dry_run: bool = False,
    mod: int,
) -> BuildResult:
    """Build one .apkg from `paths`. Nothing is written when there are errors (unless
    `keep_going`), so the previous deck stays as it was."""
    collected = collect(paths, encoding)
    diagnostics = collected.extraction.diagnostics
    if strict:
        diagnostics = [d.model_copy(update={"severity": "error"}) for d in diagnostics]
    notes = list(collected.extraction.notes)
    target = out or default_output(paths, collected)
    items = packaged(notes, mod)
    result = BuildResult(
        out=target,
        written=False,
        decks=len({n.deck for n in notes}),
        notes=len(notes),
        cards=sum(card_count(item) for item in items),
        diagnostics=diagnostics,
    )
    blocked = any(d.severity == "error" for d in diagnostics) and not keep_going
    if not blocked and not dry_run and notes:
        write_package(items, target)
        result.written = True
    return result
