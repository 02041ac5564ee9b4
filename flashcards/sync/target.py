"""What `flashcards sync` needs from a place that holds notes (a collection file, a running
Anki through AnkiConnect): one small protocol, and the notes of our note types as it holds them.

A target raises `TargetError` with a one-line reason (Anki running, AnkiConnect down or
answering an error); the sync turns it into a `Diagnostic`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class TargetError(Exception):
    """The target cannot be read or changed; `str(error)` is the one-line reason."""


@dataclass
class TargetNote:
    """A note of one of our note types, as the target holds it."""

    nid: int
    kind: str  # "qa", "term" or "cloze" (notetypes.KIND_OF_MODEL)
    fields: dict[str, str]
    tags: list[str]
    guid: str | None = None  # None: the target does not say (AnkiConnect)
    mod: int | None = None  # seconds; None: the target does not say
    cards: dict[int, str] = field(default_factory=dict)  # card id → the deck it belongs to


class Target(Protocol):
    """A collection to bring up to date. `open` checks it can be changed (a collection open in
    Anki, AnkiConnect not answering: TargetError) and changes nothing; so does `notes`."""

    description: str  # for messages: the collection's path, AnkiConnect's URL

    def open(self) -> None: ...

    def notes(self) -> list[TargetNote]:
        """Every note of our note types (their model ids)."""
        ...

    def import_package(self, package: Path) -> None:
        """Import like Anki's File → Import with its default options (update if newer)."""
        ...

    def add_tags(self, nid: int, tags: list[str]) -> None: ...

    def move_cards(self, cids: list[int], deck: str) -> None: ...

    def delete_notes(self, nids: list[int]) -> None: ...

    def close(self) -> None: ...
