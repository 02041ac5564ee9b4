"""A deck finished: its files' candidates validated into notes, cloze notes and key terms added,
a question asked twice merged into one note, and every Q&A given the key terms it mentions.

`finish_deck` is the one place a deck's notes are made; `DeckNotes` is what it hands on to the
render stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..extract.parsed import FileHead, ParsedFile
from ..notes import AnyNote, ClozeNote, FoundTerm, QANote, validate_note
from .cloze import find_clozes
from .merge import merge_duplicates
from .terms import find_terms
from .terms.glossary import Glossary


@dataclass(frozen=True)
class DeckNotes:
    """Every note of one deck, validated and finished, and what was wrong or worth saying."""

    files: list[FileHead]  # the deck's files, in the order they were found
    notes: list[AnyNote]  # not in source order (render.in_source_order sorts them)
    diagnostics: list[Diagnostic]  # invalid notes, key-term problems, merges (in that order)
    glossary_used: set[str]  # glossary terms the deck has a note for
    terms: list[FoundTerm]  # every key term, defined or not (`flashcards terms`)


def finish_deck(files: list[ParsedFile], glossary: Glossary | None, merge: bool) -> DeckNotes:
    """The deck of `files` (usable files of one deck) with its key terms; with `merge`, a
    question asked twice (two note-takers) becomes one note."""
    notes: list[AnyNote] = []
    diagnostics: list[Diagnostic] = []
    for parsed in files:
        notes += _file_notes(parsed, diagnostics)
    terms = find_terms(files, glossary)
    notes += terms.terms
    diagnostics += terms.diagnostics
    if merge:
        sections = {
            (parsed.head.display, draft.line): draft.section
            for parsed in files
            for draft in parsed.drafts
        }
        qa = [n for n in notes if isinstance(n, QANote)]
        merged, merges = merge_duplicates(qa, sections)
        notes = [*merged, *(n for n in notes if not isinstance(n, QANote))]
        diagnostics += merges
    notes = [
        note.model_copy(update={"key_terms": _key_terms(note, terms.key_terms)})
        if isinstance(note, QANote)
        else note
        for note in notes
    ]
    heads = [parsed.head for parsed in files]
    return DeckNotes(heads, notes, diagnostics, terms.glossary_used, terms.found)


def _file_notes(parsed: ParsedFile, diagnostics: list[Diagnostic]) -> list[QANote | ClozeNote]:
    """The file's Q&A and cloze notes; what is invalid goes to `diagnostics`."""
    notes: list[QANote | ClozeNote] = []
    for item in parsed.drafts:
        if item.kind != "qa":
            continue  # glossary-section definitions become term notes with the other terms
        result = validate_note(
            {
                "kind": "qa",
                **parsed.head.note_origin(item.line),
                "question": item.question,
                "answer": item.answer,
                "parent_question": item.parent_question,
            }
        )
        if isinstance(result, Diagnostic):
            diagnostics.append(result)
        elif isinstance(result, QANote):
            notes.append(result)
    clozes, problems = find_clozes(parsed)
    diagnostics += problems
    return [*notes, *clozes]


def _key_terms(note: QANote, key_terms: dict[tuple[str, int], list[str]]) -> list[str]:
    """The terms a Q&A mentions, in any of the write-ups merged into it."""
    places = [(note.source.path, note.source.line), *((m.path, m.line) for m in note.merged_from)]
    return list(dict.fromkeys(t for place in places for t in key_terms.get(place, [])))
