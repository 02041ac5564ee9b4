"""Decks: a deck's notes finished (duplicates merged, key terms given) and rendered.

A deck of one file, the usual case, is finished beside the file's extraction (in a worker process
for big builds) and cached with it, so a rebuild takes its rendered notes as they are. A deck of
several files is finished in the build, once all its files are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
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
    merges: list[Diagnostic] = field(default_factory=list)  # one `info` per merged question
    term_problems: list[Diagnostic] = field(default_factory=list)  # the key terms' (TermResult)
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
    displayed path to its path in the notes folder (see render.fields_for).

    The files' notes are left as they are (a deck of several files finishes them again). The
    finished notes are not in source order: the build sorts all decks' at once
    (`in_source_order`)."""
    notes: list[AnyNote] = [note for file_notes in files for note in file_notes.notes]
    notes.extend(terms.terms)
    merges: list[Diagnostic] = []
    if merge:
        qa = [n for n in notes if isinstance(n, QANote)]
        merged, merges = merge_duplicates(qa, memo)
        notes = [*merged, *(n for n in notes if not isinstance(n, QANote))]
    notes = [
        note.model_copy(update={"key_terms": _key_terms(note, terms.key_terms)})
        if isinstance(note, QANote)
        else note
        for note in notes
    ]
    rows = [prepare(note, paths) for note in notes]
    return Finished(rows, merges, list(terms.diagnostics), notes)


def in_source_order(rows: list[Rendered], files: Sequence[str]) -> list[int]:
    """The positions of `rows` in source order: by file (`files`, as displayed), line, kind."""
    order = {path: index for index, path in enumerate(files)}
    return sorted(
        range(len(rows)),
        key=lambda i: (order.get(rows[i].path, 0), rows[i].line, KIND_ORDER[rows[i].kind]),
    )


def _key_terms(note: QANote, key_terms: dict[tuple[str, int], list[str]]) -> list[str]:
    """The terms a Q&A mentions, in any of the write-ups merged into it."""
    places = [(note.source.path, note.source.line), *((m.path, m.line) for m in note.merged_from)]
    return list(dict.fromkeys(t for place in places for t in key_terms.get(place, [])))


def prepare(
    note: AnyNote,
    paths: Mapping[str, str],
    tags: list[str] | None = None,
    media: Media | None = None,
) -> Rendered:
    """`note` rendered, its `tags` replacing its own if given. Without `media` (images not yet
    resolved), a note with images is kept in the row for `with_images`."""
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
    if media is None and any(has_images(text) for text in markdown_texts(note)):
        row.note = note  # its fields and digest depend on the image files (media.py)
        return row
    row.images = media.for_note(note) if media is not None else {}
    row.fields = fields_for(note, paths, row.images)
    row.digest = identity.content_hash(content, row.tags, row.images)
    return row


def needing_images(rows: Iterable[Rendered]) -> list[AnyNote]:
    return [row.note for row in rows if row.note is not None]


def with_images(rows: list[Rendered], media: Media, paths: Mapping[str, str]) -> None:
    """Render the rows `prepare` kept for their images, now that `media` has resolved them."""
    for index, row in enumerate(rows):
        if row.note is not None:
            rows[index] = prepare(row.note, paths, row.tags, media)
