"""Identity: give every note a GUID that survives edits to its text.

Anki matches imported notes only by GUID, so a GUID must never be derived from field text
(genanki's default): a typo fix would duplicate the note. A new note's GUID is derived from its
deck, kind and normalised question or term (plus an occurrence number for repeats).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Protocol

import genanki


class _Identifiable(Protocol):
    kind: str
    deck: str
    guid: str


def identity_key(note: object) -> str:
    """The text a note is known by: its question, term or cloze text, normalised."""
    text = str(getattr(note, "question", None) or getattr(note, "term", None) or getattr(note, "text", ""))
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def assign_guids(notes: list[_Identifiable], roots: list[str]) -> None:
    seen: Counter[tuple[str, str, str]] = Counter()
    for note in notes:
        key = (note.deck, note.kind, identity_key(note))
        seen[key] += 1
        note.guid = genanki.guid_for("flashcards", *key, seen[key])
