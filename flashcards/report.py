"""What a build says it did: `BuildResult`, and its summary as the CLI prints it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .identity import REMOVED_TAG, Changes, Entry, Moved, PackagedNote


@dataclass
class BuildResult:
    out: Path
    written: bool
    dry_run: bool
    decks: int
    notes: int
    cards: int
    diagnostics: list[Diagnostic]
    changes: Changes
    # What the package holds (or would hold, in a dry run): `flashcards sync` compares it with
    # what a collection holds.
    packaged: list[PackagedNote] = field(default_factory=list)
    # What the identity file held before this build: the tags and decks the tool gave notes
    # last time, which `flashcards sync` tells from what the user gave them in Anki.
    earlier: list[Entry] = field(default_factory=list)
    # Refused before any note was read (an archive refused, no path there, an output not ours):
    # nothing was compared with the identity file, so there are no changes to speak of.
    refused: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def summary(self) -> str:
        verb = "wrote" if self.written else "would write" if self.dry_run else "did not write"
        counts = (
            f"{counted(self.decks, 'deck')}, {counted(self.notes, 'note')}, "
            f"{counted(self.cards, 'card')}, {counted(len(self.warnings), 'warning')}"
        )
        if self.errors:
            counts += f", {counted(len(self.errors), 'error')}"
        if self.refused:
            return f"did not write {self.out}: {counts}"
        return f"{verb} {self.out}: {counts}\n{changes_summary(self.changes)}"


def changes_summary(changes: Changes) -> str:
    removed = len(changes.removed) + changes.removed_unknown
    parts = [
        f"{changes.added} added",
        f"{changes.updated} updated",
        f"{changes.unchanged} unchanged",
        f"{removed} removed",
        f"{changes.matched_after_edit} matched after edit",
    ]
    if changes.forgotten:
        parts.append(f"{changes.forgotten} removed notes forgotten")
    text = "changes: " + ", ".join(parts)
    if removed or changes.still_removed:
        text += f" (find removed notes in Anki with: tag:{REMOVED_TAG})"
    if changes.added and removed:
        text += (
            "\nnote: a question rewritten together with its answer counts as a new note; "
            "its old note is the removed one"
        )
    return text + moved_summary(changes.moved)


def moved_summary(moved: list[Moved]) -> str:
    """Notes whose deck changed, and how to move their cards in Anki (an import never does)."""
    by_move: dict[tuple[str, str, str], list[str]] = {}
    for note in moved:
        by_move.setdefault((note.was, note.deck, note.source_tag), []).append(note.title)
    lines = []
    for (was, deck, tag), titles in by_move.items():
        search = f'"deck:{was}"' + (f" tag:{tag}" if tag else "")
        lines.append(
            f"\nmoved: {counted(len(titles), 'note')} from deck '{was}' to '{deck}' "
            f"(e.g. '{titles[0]}'); Anki keeps their cards where they were: in its browser, "
            f"search {search}, select all, Change Deck → '{deck}'"
        )
    return "".join(lines)


def counted(n: int, word: str) -> str:
    """`1 card`, `2 cards`: a count as the summaries say it."""
    return f"{n} {word}{'' if n == 1 else 's'}"
