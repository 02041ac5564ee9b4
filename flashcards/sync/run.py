"""`sync`: build the package exactly as `flashcards build` does, import it into the target as
Anki's File → Import would, then do what an import never does — move the cards of notes whose
deck changed, put back the tags the user added in Anki, and (if asked) delete notes gone from
the notes. Never prints, never exits: problems are `Diagnostic`s in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import atomic, identity
from ..diagnostics import error
from ..identity import Entry, PackagedNote
from ..pipeline import build
from ..read.inputs import identity_folder
from .plan import Match, Removed, moves, own_tags, predict, removed, resolve, title
from .result import SyncResult
from .target import Target, TargetError, TargetNote

# Whether to delete the removed notes listed: a yes/no for all of them (the CLI asks the user).
Confirm = Callable[[list[Removed]], bool]


def sync(
    paths: list[Path],
    target: Target,
    *,
    now: int,
    delete_removed: bool | Confirm = False,
    dry_run: bool = False,
    out: Path | None = None,
    encoding: str | None = None,
    strict: bool = False,
    merge: bool = True,
) -> SyncResult:
    """Bring `target` up to date with the notes in `paths`; `now` (seconds) stamps changed notes.

    The target is opened first: one that is locked or unreachable is refused before anything is
    built or written. With `dry_run` nothing at all is written (no package, no identity file,
    nothing in the target); the result says what a sync would do. Removed notes are deleted only
    if `delete_removed` is True or, as a function, says yes to them."""
    result = SyncResult(target.description, dry_run)
    try:
        target.open()
    except TargetError as exc:
        target.close()
        result.diagnostics.append(error("sync-target", target.description, None, str(exc)))
        return result
    try:
        _sync(result, paths, target, now, delete_removed, out, encoding, strict, merge)
    except TargetError as exc:
        result.diagnostics.append(error("sync-target", target.description, None, str(exc)))
    finally:
        target.close()
    return result


def _sync(
    result: SyncResult,
    paths: list[Path],
    target: Target,
    now: int,
    delete_removed: bool | Confirm,
    out: Path | None,
    encoding: str | None,
    strict: bool,
    merge: bool,
) -> None:
    folder = identity_folder(paths)
    built = build(
        paths, out, now=now, encoding=encoding, strict=strict, dry_run=result.dry_run, merge=merge
    )
    result.build = built
    result.diagnostics += built.diagnostics
    if built.errors or not (built.written or result.dry_run):
        return
    packaged = built.packaged
    earlier, earlier_decks = _earlier(built.earlier)
    before = target.notes()
    if result.dry_run:
        _report_plan(result, packaged, before, delete_removed is True, earlier_decks)
        return
    target.import_package(built.out)
    result.synced = True
    after = target.notes()
    matches = resolve(packaged, after)
    _observe(result, packaged, before, after, matches)
    result.tags_kept = _put_back_tags(target, packaged, before, after, matches, earlier)
    for move in moves(after, matches, _managed(packaged, earlier_decks)):
        target.move_cards(move.cards, move.deck)
        result.moved.append(move)
    was_there = {note.nid for note in before}
    gone = removed(after, matches)
    # A removed note the target never had is added by the import with no cards: take it out.
    fresh = [r.nid for r in gone if r.nid not in was_there and r.deletable]
    if fresh:
        target.delete_notes(fresh)
    result.removed = [r for r in gone if r.nid in was_there]
    _delete(result, target, folder, delete_removed)


def _earlier(entries: list[Entry]) -> tuple[dict[str, set[str]], set[str]]:
    """GUID → the tags the last build gave the note (lower-case): the tool's, not the user's;
    and the decks it put notes in (lower-case)."""
    tags_of, decks = {}, set()
    for entry in entries:
        tags = entry.content().get("tags")
        tags_of[entry.guid] = {str(t).lower() for t in tags} if isinstance(tags, list) else set()
        decks.add(entry.deck.lower())
    return tags_of, decks


def _managed(packaged: list[PackagedNote], earlier_decks: set[str]) -> set[str]:
    """The decks the notes name now or named at the last build, lower-case (Anki's deck names
    ignore case): the decks whose cards a sync may move."""
    return earlier_decks | {note.deck.lower() for note in packaged}


def _report_plan(
    result: SyncResult,
    packaged: list[PackagedNote],
    before: list[TargetNote],
    delete: bool,
    earlier_decks: set[str],
) -> None:
    """A dry run: what importing would do, read from the target as it is (nothing asked)."""
    plan = predict(packaged, before, resolve(packaged, before), _managed(packaged, earlier_decks))
    result.added, result.updated, result.unchanged = plan.added, plan.updated, plan.unchanged
    result.moved, result.removed = plan.moved, plan.removed
    if delete:
        result.deleted = [r for r in plan.removed if r.deletable]


def _observe(
    result: SyncResult,
    packaged: list[PackagedNote],
    before: list[TargetNote],
    after: list[TargetNote],
    matches: dict[int, Match],
) -> None:
    """What the import did, read from the target: a note is updated if its fields or tags
    changed, added if the target did not have it."""
    earlier = {note.nid: note for note in before}
    for note in after:
        match = matches.get(note.nid)
        if match is None or match.note.removed:
            continue
        old = earlier.get(note.nid)
        if old is None:
            result.added.append(title(match.note))
        elif old.fields != note.fields or sorted(old.tags) != sorted(note.tags):
            result.updated.append(title(match.note))
        else:
            result.unchanged += 1


def _put_back_tags(
    target: Target,
    packaged: list[PackagedNote],
    before: list[TargetNote],
    after: list[TargetNote],
    matches: dict[int, Match],
    earlier: dict[str, set[str]],
) -> int:
    """An update replaces a note's tags with the package's: the tags the user had added to it
    inside Anki are added again. Returns how many notes got theirs back."""
    now_tags = {note.nid: {tag.lower() for tag in note.tags} for note in after}
    restored = 0
    for note in before:
        match = matches.get(note.nid)
        if match is None or note.nid not in now_tags:
            continue
        mine = match.note
        lost = [
            tag for tag in own_tags(note, mine, earlier.get(mine.guid, set()))
            if tag.lower() not in now_tags[note.nid]
        ]  # fmt: skip
        if lost:
            target.add_tags(note.nid, lost)
            restored += 1
    return restored


def _delete(
    result: SyncResult, target: Target, folder: Path, delete_removed: bool | Confirm
) -> None:
    """Delete the removed notes that are ours for sure, if the user said so; the identity file
    then forgets them (else the next import would bring them back, with no cards)."""
    deletable = [r for r in result.removed if r.deletable]
    if not deletable:
        return
    if not (delete_removed if isinstance(delete_removed, bool) else delete_removed(deletable)):
        return
    target.delete_notes([r.nid for r in deletable])
    result.deleted = deletable
    forget(folder, {r.guid for r in deletable})


def forget(folder: Path, guids: set[str]) -> None:
    """Drop these notes' entries from the identity file of the notes `folder`."""
    known, problems = identity.read(folder)
    if problems or known.path is None or known.legacy:
        return
    entries = [entry for entry in known.entries if entry.guid not in guids]
    with atomic.replacing(known.path) as path:
        identity.write(path, entries)
