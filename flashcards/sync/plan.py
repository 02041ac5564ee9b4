"""What a sync changes: the notes the package holds matched with those a target holds, and from
them what is added, updated, moved, removed and whose tags the user added.

A target that names its notes' GUIDs (a collection file) is matched by GUID, as Anki's importer
matches. AnkiConnect does not expose GUIDs, so its notes are matched by their fields: all of
them, else the first (question, term or cloze text), else the Source field (deck and line),
each only where it points at one note on both sides. Only a match by GUID or by every field
is `exact`, and only an exact match of a removed note may be deleted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from ..diagnostics import shorten
from ..fingerprint import SOURCE_TAG
from ..identity import REMOVED_TAG, PackagedNote
from ..notetypes import FIELDS
from .target import TargetNote

_T = TypeVar("_T", PackagedNote, TargetNote)

# Tags in these namespaces are always the tool's: the package sets them.
TOOL_PREFIXES = (SOURCE_TAG, REMOVED_TAG.split("::")[0] + "::")


@dataclass(frozen=True)
class Match:
    note: PackagedNote
    exact: bool  # by GUID, or by every field


@dataclass(frozen=True)
class Move:
    nid: int
    title: str
    cards: list[int]
    was: str  # the deck (or one of the decks) its cards were in
    deck: str


@dataclass(frozen=True)
class Removed:
    """A note gone from the notes that the target still holds."""

    nid: int
    guid: str
    title: str
    deck: str
    deletable: bool  # ours for sure: matched by GUID (or every field) and tagged removed


@dataclass
class Plan:
    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    moved: list[Move] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)


def title(note: PackagedNote | TargetNote) -> str:
    first = note.fields.get(FIELDS[note.kind][0], "")
    return shorten(" ".join(html.unescape(re.sub(r"<[^>]*>", " ", first)).split()), 60)


def resolve(packaged: list[PackagedNote], notes: list[TargetNote]) -> dict[int, Match]:
    """Note id → the packaged note it is, for the target's notes that are ours."""
    by_guid = {note.guid: note for note in packaged}
    found: dict[int, Match] = {}
    loose = []
    for note in notes:
        if note.guid is None:
            loose.append(note)
        elif (mine := by_guid.get(note.guid)) is not None and mine.kind == note.kind:
            found[note.nid] = Match(mine, exact=True)
    if loose:
        claimed = {match.note.guid for match in found.values()}
        found.update(_by_fields([n for n in packaged if n.guid not in claimed], loose))
    return found


def _all_fields(note: PackagedNote | TargetNote) -> tuple[str, ...]:
    return (note.kind, *(note.fields.get(name, "") for name in FIELDS[note.kind]))


def _first_field(note: PackagedNote | TargetNote) -> tuple[str, ...]:
    return note.kind, note.fields.get(FIELDS[note.kind][0], "")


def _source_field(note: PackagedNote | TargetNote) -> tuple[str, ...]:
    return note.kind, note.fields.get("Source", "")


_KEYS: list[tuple[Callable[[PackagedNote | TargetNote], tuple[str, ...]], bool]] = [
    (_all_fields, True), (_first_field, False), (_source_field, False),
]  # fmt: skip


def _by_fields(packaged: list[PackagedNote], notes: list[TargetNote]) -> dict[int, Match]:
    found: dict[int, Match] = {}
    for key, exact in _KEYS:
        mine = _index(packaged, key)
        theirs = _index(notes, key)
        for value, candidates in theirs.items():
            if len(candidates) == 1 and len(mine.get(value, [])) == 1:
                found[candidates[0].nid] = Match(mine[value][0], exact)
        taken = {match.note.guid for match in found.values()}
        packaged = [note for note in packaged if note.guid not in taken]
        notes = [note for note in notes if note.nid not in found]
    return found


def _index(
    notes: Iterable[_T], key: Callable[[PackagedNote | TargetNote], tuple[str, ...]]
) -> dict[tuple[str, ...], list[_T]]:
    index: dict[tuple[str, ...], list[_T]] = {}
    for note in notes:
        index.setdefault(key(note), []).append(note)
    return index


def predict(
    packaged: list[PackagedNote],
    notes: list[TargetNote],
    matches: dict[int, Match],
    managed: set[str],
) -> Plan:
    """What importing the package would do: Anki updates a note only when the package's copy is
    newer (if the target does not say when its copy changed: when their fields differ)."""
    plan = Plan()
    held = {match.note.guid: nid for nid, match in matches.items()}
    by_nid = {note.nid: note for note in notes}
    for note in packaged:
        nid = held.get(note.guid)
        if note.removed:
            continue
        if nid is None:
            plan.added.append(title(note))
            continue
        theirs = by_nid[nid]
        newer = note.mod > theirs.mod if theirs.mod is not None else theirs.fields != note.fields
        if newer:
            plan.updated.append(title(note))
        else:
            plan.unchanged += 1
    plan.moved = moves(notes, matches, managed)
    plan.removed = removed(notes, matches, imported=False)
    return plan


def moves(
    notes: list[TargetNote], matches: dict[int, Match], managed: set[str]
) -> list[Move]:
    """Cards of our notes that are not in their note's deck (as the notes say), but in a deck
    the notes name or named before (`managed`, lower-case): a card the user moved to a deck of
    their own stays there, as an import leaves it."""
    found = []
    for note in notes:
        match = matches.get(note.nid)
        if match is None or match.note.removed:
            continue
        stray = {
            cid: deck for cid, deck in note.cards.items()
            if deck != match.note.deck and deck.lower() in managed
        }  # fmt: skip
        if stray:
            was = sorted(set(stray.values()))[0]
            found.append(Move(note.nid, title(note), sorted(stray), was, match.note.deck))
    return found


def removed(
    notes: list[TargetNote], matches: dict[int, Match], imported: bool = True
) -> list[Removed]:
    """The notes gone from the notes that the target holds. Without GUIDs, a note is ours to
    delete only if it matches by every field and — once the package is `imported` — carries
    the removed tag the package gave it."""
    found = []
    for note in notes:
        match = matches.get(note.nid)
        if match is None or not match.note.removed:
            continue
        tagged = REMOVED_TAG.lower() in {tag.lower() for tag in note.tags}
        # Before the import (a dry run), a match without GUIDs is as close as it gets.
        deletable = not imported or (match.exact and (note.guid is not None or tagged))
        found.append(Removed(note.nid, match.note.guid, title(note), match.note.deck, deletable))
    return found


def own_tags(note: TargetNote, mine: PackagedNote, before: set[str]) -> list[str]:
    """The tags the user added to `note` inside Anki: not the package's (`mine`), not those an
    earlier build gave it (`before`, lower-case), not in the tool's namespaces."""
    tool = {tag.lower() for tag in mine.tags} | before
    return [
        tag for tag in note.tags
        if tag.lower() not in tool and not tag.lower().startswith(TOOL_PREFIXES)
    ]  # fmt: skip
