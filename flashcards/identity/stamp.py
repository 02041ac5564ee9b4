"""Stamping: every note's modification time, and what the build changes for a collection that
imported the previous build.

Anki updates an imported note only when the package's `mod` is newer than its own copy
(../shared/anki-import-facts.md). So a note keeps its old `mod` while its own content is
unchanged — re-importing it leaves it, and edits the user made to it inside Anki, alone — and
gets the build's time when its content changed. Notes removed from the notes are written once
more from their last content, tagged `flashcards::removed`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..notes import AnyNote
from ..render import RenderedNote, render_note
from ..render.media import Media
from .match import Matching
from .store import REMOVED_TAG, Entry, revive, same_content


@dataclass
class PackagedNote:
    """A note as the package writes it."""

    kind: str
    guid: str
    deck: str
    fields: dict[str, str]
    tags: list[str]
    mod: int  # seconds; the time this note's content last changed (never in the future)
    due: int  # position among new cards: source order
    suspended: bool = False  # removed notes arrive suspended in a collection that never had them


@dataclass
class Changes:
    """What this build changes in a collection that imported the previous one."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: list[AnyNote] = field(default_factory=list)  # newly removed in this build
    still_removed: int = 0
    forgotten: int = 0
    matched_after_edit: int = 0


@dataclass
class Stamped:
    notes: list[PackagedNote]  # what the package holds
    entries: list[Entry]  # what the identity file holds
    changes: Changes


def stamp(
    rows: list[RenderedNote],
    matching: Matching,
    paths: Mapping[str, str],
    media: Media,
    now: int,
    forget_removed: bool = False,
) -> Stamped:
    """Give every note (`rows`, in source order) its mod: the old one if its content is
    unchanged, else `now`. `paths` maps displayed paths to paths in the notes folder.

    With `forget_removed`, notes already written once as removed are dropped for good."""
    stamped = Stamped([], [], Changes(matched_after_edit=len(matching.fuzzy)))
    for index, row in enumerate(rows):
        file = paths.get(row.path, row.path)
        _add(stamped, row, matching.guids[index], matching.entry_of.get(index), file, now)
    for entry in matching.removed:
        if forget_removed and entry.removed:
            stamped.changes.forgotten += 1
            continue
        gone = revive(entry)
        if gone is not None:
            tags = [*gone.tags, REMOVED_TAG]
            # Known by its entry's key, whatever identity_key would say of it now.
            row = replace(render_note(gone, paths, media, tags), identity_key=entry.key)
            _add(stamped, row, entry.guid, entry, entry.file, now, gone)
    stamped.entries.extend(matching.kept)  # files this build did not read: left as they were
    return stamped


def _add(
    stamped: Stamped,
    row: RenderedNote,
    guid: str,
    previous: Entry | None,
    file: str,
    now: int,
    gone: AnyNote | None = None,
) -> None:
    """One note stamped. `gone`: the note, if it is one removed from the notes (revived from
    its entry)."""
    changes = stamped.changes
    removed = gone is not None
    content = (row.content_digest, row.content, row.tags, row.images)
    if previous is not None and same_content(previous.hash, *content):
        mod = previous.mod
        if removed:
            changes.still_removed += 1
        else:
            changes.unchanged += 1
    else:
        # Anki takes an update only when it is newer than what it has. A clock behind the
        # identity file's (or two builds in one second) gets one second more; the build waits
        # for it to pass before writing (wait_until_past), so no mod is ever in the future.
        mod = max(now, previous.mod + 1) if previous is not None else now
        if gone is not None:  # removed: the list takes the note itself
            changes.removed.append(gone)
        elif previous is None:
            changes.added += 1
        else:
            changes.updated += 1
    stamped.notes.append(
        PackagedNote(
            kind=row.kind, guid=guid, deck=row.deck, fields=row.fields, tags=row.tags,
            mod=mod, due=len(stamped.notes), suspended=removed,
        )
    )  # fmt: skip
    stamped.entries.append(
        Entry(
            guid=guid, kind=row.kind, deck=row.deck, file=file, key=row.identity_key,
            hash=row.content_digest, mod=mod, removed=removed, note=row.content,
        )
    )  # fmt: skip


def wait_until_past(mod: int) -> str:
    """Never write a mod in the future (Anki would then refuse later updates of that note): a
    build within a second of the last one waits that second out. Returns what is wrong if the
    identity file was written by a clock far ahead of this one."""
    ahead = mod - time.time()
    if 0 < ahead <= 2:
        time.sleep(ahead)
    elif ahead > 2:
        return (
            f"this computer's clock is {int(ahead)} s behind the identity file's; changed notes "
            "carry that later time, and Anki ignores edits you make to them until it has passed"
        )
    return ""
