"""What a sync did (or, in a dry run, would do): `SyncResult`, and its summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..report import BuildResult
from .plan import Move, Removed


@dataclass
class SyncResult:
    target: str  # the collection's path, or AnkiConnect's URL
    dry_run: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    build: BuildResult | None = None  # the package built (None: the target was refused)
    synced: bool = False  # the package was imported (never in a dry run)
    added: list[str] = field(default_factory=list)  # titles of the notes
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    moved: list[Move] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)  # gone from the notes, still in Anki
    deleted: list[Removed] = field(default_factory=list)  # of those, deleted in Anki
    tags_kept: int = 0  # notes whose own tags (added in Anki) were put back after the update

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def kept(self) -> list[Removed]:
        gone = {r.nid for r in self.deleted}
        return [r for r in self.removed if r.nid not in gone]

    def summary(self) -> str:
        """One line of counts, then the removed notes kept in Anki, one a line."""
        verb = "would sync" if self.dry_run else "synced" if self.synced else "did not sync"
        if self.build is None:  # the target was refused: nothing was built or counted
            return f"did not sync {self.target}: nothing built (see the error above)"
        # In a dry run, "deleted" are those --delete-removed would delete.
        counts = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.moved)} moved, "
            f"{len(self.deleted)} deleted, {self.unchanged} unchanged, "
            f"{len(self.kept)} removed but kept"
        )
        lines = [f"{verb} {self.target}: {counts}"]
        for note in self.kept:
            why = "" if note.deletable else " (changed in Anki: delete it there if you wish)"
            lines.append(f"removed from the notes, kept in Anki: '{note.title}' [{note.deck}]{why}")
        if any(note.deletable for note in self.kept):
            lines.append("delete them with: flashcards sync --delete-removed")
        return "\n".join(lines)

    def details(self) -> list[str]:
        """Every note changed, one a line (`-v`)."""
        lines = [f"added: {t}" for t in self.added]
        lines += [f"updated: {t}" for t in self.updated]
        lines += [f"moved: {m.title}: '{m.was}' → '{m.deck}'" for m in self.moved]
        lines += [f"deleted: {r.title} [{r.deck}]" for r in self.deleted]
        if self.tags_kept:
            lines.append(f"your own tags put back on {self.tags_kept} updated notes")
        return lines
