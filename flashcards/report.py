"""What a build says it did: `BuildResult`, and its summary as the CLI prints it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .identity import REMOVED_TAG, Changes


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

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def summary(self) -> str:
        verb = "wrote" if self.written else "would write" if self.dry_run else "did not write"
        counts = (
            f"{_count(self.decks, 'deck')}, {_count(self.notes, 'note')}, "
            f"{_count(self.cards, 'card')}, {_count(len(self.warnings), 'warning')}"
        )
        if self.errors:
            counts += f", {_count(len(self.errors), 'error')}"
        return f"{verb} {self.out}: {counts}\n{changes_summary(self.changes)}"


def changes_summary(changes: Changes) -> str:
    parts = [
        f"{changes.added} added",
        f"{changes.updated} updated",
        f"{changes.unchanged} unchanged",
        f"{len(changes.removed)} removed",
        f"{changes.matched_after_edit} matched after edit",
    ]
    if changes.forgotten:
        parts.append(f"{changes.forgotten} removed notes forgotten")
    text = "changes: " + ", ".join(parts)
    if changes.removed or changes.still_removed:
        text += f" (find removed notes in Anki with: tag:{REMOVED_TAG})"
    if changes.added and changes.removed:
        text += (
            "\nnote: a question rewritten together with its answer counts as a new note; "
            "its old note is the removed one"
        )
    return text


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
