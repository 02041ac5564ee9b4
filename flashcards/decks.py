"""Decks: a deck's notes finished (duplicates merged, key terms given, source order) and rendered.

A deck of one file, the usual case, is finished beside the file's extraction (in a worker process
for big builds) and cached with it, so a rebuild takes its rendered notes as they are. A deck of
several files is finished in the build, once all its files are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field

import orjson

from . import identity
from .extract import FileNotes
from .markdown import has_images
from .media import Media, markdown_texts
from .merge import Decisions, merge_duplicates
from .models import AnyNote, Diagnostic, QANote, Rendered
from .render import fields_for
from .terms import TermResult

KIND_ORDER = {"qa": 0, "term": 1, "cloze": 2}


@dataclass
class Finished:
    rows: list[Rendered] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # key terms', then merges
    notes: list[AnyNote] = field(default_factory=list)  # the notes rendered as `rows`


def finish(
    files: list[FileNotes],
    terms: TermResult,
    paths: Mapping[str, str],
    merge: bool,
    memo: MutableMapping[str, Decisions] | None = None,
) -> Finished:
    """The deck of `files` with its key terms `terms`: with `merge`, a question asked twice (two
    note-takers) becomes one note; every Q&A lists the key terms it mentions. `paths` maps each
    displayed path to its path in the notes folder (see render.fields_for)."""
    notes: list[AnyNote] = [note for file_notes in files for note in file_notes.notes]
    notes.extend(terms.terms)
    diagnostics = list(terms.diagnostics)
    if merge:
        merged, problems = merge_duplicates([n for n in notes if isinstance(n, QANote)], memo)
        diagnostics.extend(problems)
        notes = [*merged, *(n for n in notes if not isinstance(n, QANote))]
    for note in notes:
        if isinstance(note, QANote):
            note.key_terms = _key_terms(note, terms.key_terms)
    order = {f.source.display: i for i, f in enumerate(files)}
    notes.sort(key=lambda n: (order.get(n.source.path, 0), n.source.line, KIND_ORDER[n.kind]))
    return Finished([prepare(note, paths) for note in notes], diagnostics, notes)


def _key_terms(note: QANote, key_terms: dict[tuple[str, int], list[str]]) -> list[str]:
    """The terms a Q&A mentions, in any of the write-ups merged into it."""
    places = [(note.source.path, note.source.line), *((m.path, m.line) for m in note.merged_from)]
    return list(dict.fromkeys(t for place in places for t in key_terms.get(place, [])))


def prepare(note: AnyNote, paths: Mapping[str, str], tags: list[str] | None = None) -> Rendered:
    """`note` rendered, or kept for `with_images` if it has images. `tags` replace its own."""
    content = identity.own_content(note)
    row = Rendered(
        kind=note.kind,
        deck=note.deck,
        path=note.source.path,
        line=note.source.line,
        key=identity.identity_key(note),
        tags=note.tags if tags is None else tags,
        content=orjson.dumps(content, option=orjson.OPT_SORT_KEYS),
        guid=note.guid,
    )
    if any(has_images(text) for text in markdown_texts(note)):
        row.note = note  # its fields and digest depend on the image files (media.py)
    else:
        row.fields = fields_for(note, paths)
        row.digest = identity.content_hash(content, row.tags, {})
    return row


def needing_images(rows: Iterable[Rendered]) -> list[AnyNote]:
    return [row.note for row in rows if row.note is not None]


def with_images(rows: Iterable[Rendered], media: Media, paths: Mapping[str, str]) -> None:
    """Render the rows `prepare` kept for their images, now that `media` has resolved them."""
    for row in rows:
        if row.note is None:
            continue
        row.images = media.for_note(row.note)
        row.fields = fields_for(row.note, paths, row.images)
        row.digest = identity.content_hash(identity.own_content(row.note), row.tags, row.images)
        row.note = None
