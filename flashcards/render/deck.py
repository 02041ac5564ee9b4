"""A deck rendered: every note of `DeckNotes` as the identity stage and the package take it.

`RenderedNote` holds a note's Anki fields, what it is known by, its own content and that
content's digest (fingerprint.py), all computed here once: a deck rendered in a worker, or read
from the cache, needs no more work than matching identities and writing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import orjson

from ..diagnostics import Diagnostic
from ..enrich import DeckNotes
from ..fingerprint import content_body, content_digest, identity_key, own_content
from ..notes import AnyNote, FoundTerm
from .fields import fields_for
from .html import has_images
from .media import Media, collect_media, markdown_texts

KIND_ORDER = {"qa": 0, "term": 1, "cloze": 2}


@dataclass(frozen=True, slots=True)
class RenderedNote:
    kind: Literal["qa", "term", "cloze"]
    deck: str
    path: str  # the displayed source path
    line: int
    identity_key: str  # what identity matching knows it by (fingerprint.identity_key)
    tags: list[str]
    content: bytes  # its own content as JSON (fingerprint.own_content), keys sorted
    fields: dict[str, str]  # field name → safe HTML
    content_digest: str  # of its own content, tags and images (fingerprint.content_digest)
    images: dict[str, str]  # its image references → packaged media names

    def body(self) -> str:
        """Its answer or definition, for fuzzy matching (rarely needed: parsed when asked)."""
        return content_body(orjson.loads(self.content))


@dataclass(frozen=True)
class RenderedDeck:
    rows: list[RenderedNote]  # not in source order (see in_source_order)
    diagnostics: list[Diagnostic]  # the deck's (DeckNotes), then its images'
    glossary_used: set[str]
    media: Media  # the images its notes package
    terms: list[FoundTerm]  # every key term, defined or not (`flashcards terms`)


def render_deck(deck: DeckNotes, folder: Path) -> RenderedDeck:
    """Every note of `deck`, its images resolved against the notes `folder`."""
    paths = {head.display: head.rel for head in deck.files}
    with_images = [n for n in deck.notes if any(has_images(t) for t in markdown_texts(n))]
    media, problems = collect_media(with_images, folder, paths)
    rows = [render_note(note, paths, media) for note in deck.notes]
    diagnostics = [*deck.diagnostics, *problems]
    return RenderedDeck(rows, diagnostics, deck.glossary_used, media, deck.terms)


def render_note(
    note: AnyNote, paths: Mapping[str, str], media: Media, tags: list[str] | None = None
) -> RenderedNote:
    """`note` rendered, its `tags` replacing its own if given. `paths` maps each displayed path
    to its path in the notes folder (what a card shows)."""
    content = own_content(note)
    tags = note.tags if tags is None else tags
    images = media.for_note(note)
    return RenderedNote(
        kind=note.kind,
        deck=note.deck,
        path=note.source.path,
        line=note.source.line,
        identity_key=identity_key(note),
        tags=tags,
        content=orjson.dumps(content, option=orjson.OPT_SORT_KEYS),
        fields=fields_for(note, paths, images),
        content_digest=content_digest(content, tags, images),
        images=images,
    )


def in_source_order(rows: list[RenderedNote], files: Sequence[str]) -> list[int]:
    """The positions of `rows` in source order: by file (`files`, as displayed), line, kind."""
    order = {path: index for index, path in enumerate(files)}
    return sorted(
        range(len(rows)),
        key=lambda i: (order.get(rows[i].path, 0), rows[i].line, KIND_ORDER[rows[i].kind]),
    )
