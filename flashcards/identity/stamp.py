"""Stamping: every note's modification time, and what the build changes for a collection that
imported the previous build.

Anki updates an imported note only when the package's `mod` is newer than its own copy
(../shared/anki-import-facts.md). So a note keeps its old `mod` while its own content is
unchanged — re-importing it leaves it, and edits the user made to it inside Anki, alone — and
gets the build's time when its content changed. A note whose deck changed keeps its mod too (the
summary says how to move its cards: Anki never moves them on import).

Notes removed from the notes are written once more from their last content, tagged
`flashcards::removed`, and with no cards: in a collection that had them, the import tags them
(their cards and review history stay until the user deletes them); in one that never had them,
they make no card to study.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import orjson

from ..fingerprint import DIGEST_PREFIX, FIELDS_PREFIX, SOURCE_TAG, fields_digest, same_digest
from ..notes import AnyNote
from ..render import RenderedNote, render_note
from ..render.fields import source_html
from ..render.media import Media
from .match import Matching
from .store import REMOVED_TAG, Entry, revive


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
    removed: bool = False  # a note removed from the notes: written with no cards


@dataclass
class Changes:
    """What this build changes in a collection that imported the previous one."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: list[AnyNote] = field(default_factory=list)  # newly removed in this build
    removed_unknown: int = 0  # newly removed, known only from a package (identity/recover.py)
    still_removed: int = 0
    forgotten: int = 0
    matched_after_edit: int = 0
    moved: list[Moved] = field(default_factory=list)  # notes whose deck changed


@dataclass(frozen=True)
class Moved:
    """A note now in another deck: Anki keeps its cards where they were."""

    title: str
    was: str  # the deck it was in
    deck: str  # the deck it is in now
    source_tag: str  # its file's tag, to find it in Anki


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
        if gone is None:  # known only from a package (recover.py), or damaged
            _add_as_packaged(stamped, entry, now)
            continue
        row = render_note(gone, paths, media, [*gone.tags, REMOVED_TAG])
        # Known by its entry's key, whatever identity_key would say of it now; its line is gone.
        fields = {**row.fields, "Source": source_html(row.deck, f"{entry.file} (removed)")}
        row = replace(row, identity_key=entry.key, fields=fields)
        _add(stamped, row, entry.guid, entry, entry.file, now, gone)
    stamped.entries.extend(matching.kept)  # files this build did not read: left as they were
    return stamped


def _add_as_packaged(stamped: Stamped, entry: Entry, now: int) -> None:
    """A removed note whose content is not known: written with the fields it had, if known."""
    content = entry.content()
    fields, tags = content.get("fields"), content.get("tags", [])
    if isinstance(fields, dict):
        if entry.removed:
            stamped.changes.still_removed += 1
        else:
            stamped.changes.removed_unknown += 1
            entry = replace(entry, mod=max(now, entry.mod + 1), removed=True)
        tagged = [*tags, REMOVED_TAG]
        note = PackagedNote(entry.kind, entry.guid, entry.deck, fields, tagged, entry.mod, 0, True)
        stamped.notes.append(replace(note, due=len(stamped.notes)))
    stamped.entries.append(entry)


def same_content(previous: Entry, row: RenderedNote) -> bool:
    """Whether the note says what it said when the entry was written, however old the entry."""
    if previous.digest.startswith(DIGEST_PREFIX):
        return previous.digest == row.content_digest
    if previous.digest.startswith(FIELDS_PREFIX):  # known only from the package it was written in
        return previous.digest == fields_digest(row.kind, row.fields)
    return same_digest(previous.digest, row.content, row.deck, row.tags, row.images)


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
    if previous is not None and previous.deck != row.deck and not removed:
        tag = next((t for t in row.tags if t.startswith(SOURCE_TAG)), "")
        changes.moved.append(Moved(_title(row), previous.deck, row.deck, tag))
    if previous is not None and same_content(previous, row):
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
            mod=mod, due=len(stamped.notes), removed=removed,
        )
    )  # fmt: skip
    stamped.entries.append(
        Entry(
            guid=guid, kind=row.kind, deck=row.deck, file=file, key=row.identity_key,
            digest=row.content_digest, mod=mod, removed=removed, note=row.content,
        )
    )  # fmt: skip


def _title(row: RenderedNote) -> str:
    content = orjson.loads(row.content)
    return str(content.get("question") or content.get("term") or content.get("text") or "")


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
