"""Validate: turn one file's extracted candidates into pydantic notes, or diagnostics.

Runs per file, beside extraction (in a worker process for big builds, and cached with it), so a
rebuild re-validates only the files that changed.
"""

from __future__ import annotations

from typing import Any

from .cloze import find_clozes
from .extract import FileNotes
from .markdown import has_images
from .models import ClozeNote, Diagnostic, QANote, check_deck, check_tags, error, validate_note
from .render import render_markdown


def validate_file(file_notes: FileNotes) -> None:
    """Fill `file_notes.notes` (Q&A and cloze notes) and add what is invalid to its diagnostics.

    A file whose deck or tags are invalid gives no notes and one diagnostic, at the bad line."""
    problem = file_level_problem(file_notes)
    if problem is not None:
        file_notes.diagnostics.append(problem)
        return
    notes: list[QANote | ClozeNote] = []
    for item in file_notes.found:
        if item.kind != "qa":
            continue  # glossary-section definitions become term notes with the other terms
        result = validate_note(
            {
                "kind": "qa",
                **file_notes.note_origin(item.line),
                "question": item.question,
                "answer": item.answer,
                "parent_question": item.parent_question,
            }
        )
        _keep(result, notes, file_notes.diagnostics)
    clozes, problems = find_clozes(file_notes)
    notes.extend(clozes)
    file_notes.diagnostics.extend(problems)
    file_notes.notes = notes
    # Render the answers here: in a worker process for big builds, and cached with the file.
    file_notes.html = {
        n.answer: render_markdown(n.answer)
        for n in notes
        if isinstance(n, QANote) and not has_images(n.answer)
    }


def _keep(result: Any, notes: list[QANote | ClozeNote], diagnostics: list[Diagnostic]) -> None:
    if isinstance(result, Diagnostic):
        diagnostics.append(result)
    elif isinstance(result, QANote | ClozeNote):
        notes.append(result)


def file_level_problem(file_notes: FileNotes) -> Diagnostic | None:
    """Deck and tags are per file: report a bad one once, at its line, not once per note."""
    path = file_notes.source.display
    problem = check_deck(file_notes.deck)
    if problem:
        return error("invalid-deck", path, file_notes.deck_line, problem)
    problem = check_tags(file_notes.tags)
    if problem:
        return error("invalid-tag", path, file_notes.source.line_of("tags"), problem)
    return None
