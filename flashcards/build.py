"""The pipeline: read → extract → validate → finish decks (rendered) → images → identity → write.

This is the core the CLI calls. It never prints and never exits: it returns values, and every
problem in the input comes back as a `Diagnostic`.
"""

from __future__ import annotations

import os
import pickle
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import atomic, identity
from .cache import Cache
from .decks import Finished, finish, in_source_order, needing_images, prepare, with_images
from .extract import FileNotes
from .glossary import Glossary, load_glossary
from .identity import Matching
from .media import Media, collect_media
from .models import AnyNote, Diagnostic, Extraction, Rendered, error, strictly, warning
from .package import PackagedNote, card_count, write_package
from .render import remember
from .scan import Progress, load_full, scan
from .sources import discover
from .terms import TermResult, find_terms


@dataclass
class Collected:
    extraction: Extraction  # its notes only when collected without the cache (see collect)
    rows: list[Rendered]  # every note, rendered, in source order
    files: list[FileNotes]
    folder: Path  # where the identity file lives
    matching: Matching
    paths: dict[str, str]  # displayed path → path inside the notes folder (stable)
    media: Media


def identity_folder(paths: list[Path]) -> Path:
    folders = [p if p.is_dir() else p.parent for p in paths] or [Path(".")]
    return Path(os.path.commonpath([f.resolve() for f in folders]))


def collect(
    paths: list[Path],
    encoding: str | None = None,
    *,
    merge: bool = True,
    progress: Progress | None = None,
    use_cache: bool = False,
) -> Collected:
    """Everything the notes hold, validated and rendered, with stable GUIDs, in source order.

    With `merge`, a question asked twice in one deck (two note-takers) becomes one note.
    `progress(done, total)` is called after each file is read; `use_cache` keeps each file's
    results in the user's cache folder (cache.py), so the next run re-reads only what changed.
    The notes of unchanged files then stay in the cache, already rendered: `rows` has every
    note, and `extraction.notes` is empty. Without the cache, it has every note too."""
    found, diagnostics = discover(paths)
    folder = identity_folder(paths)
    cache = Cache(folder if use_cache else None)
    glossary, problems = load_glossary(folder)
    diagnostics.extend(problems)
    # Every file is known by its path in the identity folder, however it was named on the
    # command line: its source tag and identity entries must not depend on that.
    paths_found = [path for path, _ in found]
    files, problems = scan(paths_found, folder, encoding, cache, progress, glossary, merge)
    diagnostics.extend(problems)
    stable = {f.source.display: f.source.rel for f in files}

    usable = [f for f in files if f.usable]
    decks, problems = _finish_decks(usable, glossary, cache, folder, encoding, merge, stable)
    diagnostics.extend(problems)
    term_problems = [d for deck in decks for d in deck.term_problems]
    diagnostics.extend(_once_per_glossary(term_problems, len(decks)))
    diagnostics.extend(d for deck in decks for d in deck.merges)
    rows = [row for deck in decks for row in deck.rows]
    order = in_source_order(rows, [f.source.display for f in files])
    rows = [rows[i] for i in order]
    notes: list[AnyNote] = []
    if not use_cache:  # every note is at hand: the cache holds none of them
        every = [note for deck in decks for note in deck.notes]
        notes = [every[i] for i in order]

    scope = {f.source.rel for f in usable}
    media, problems = collect_media(needing_images(rows), folder)
    diagnostics.extend(problems)
    with_images(rows, media, stable)
    known, problems = identity.load(folder)
    diagnostics.extend(problems)
    matching = identity.match(rows, known, stable, scope)
    diagnostics.extend(matching.diagnostics)
    cache.prune()  # after the memos are saved: every entry this build used is known
    for note, row in zip(notes, rows, strict=False):  # in the same order, if at hand
        note.guid = row.guid
    diagnostics.sort(key=lambda d: (d.path, d.line or 0))
    extraction = Extraction(notes=notes, diagnostics=diagnostics)
    return Collected(extraction, rows, files, folder, matching, stable, media)


def _finish_decks(
    files: list[FileNotes],
    glossary: Glossary | None,
    cache: Cache,
    folder: Path,
    encoding: str | None,
    merge: bool,
    paths: dict[str, str],
) -> tuple[list[Finished], list[Diagnostic]]:
    """Every deck finished. A deck of one file was finished with the file (scan.py); a deck of
    several is finished here, its key terms and merges remembered until one of its files (or
    the glossary) changes."""
    by_deck: dict[str, list[FileNotes]] = {}
    for file_notes in files:
        by_deck.setdefault(file_notes.deck, []).append(file_notes)
    terms_memo, merge_memo = cache.memo("terms"), cache.memo("merge")
    decks: list[Finished] = []
    problems: list[Diagnostic] = []
    for deck_files in by_deck.values():
        if len(deck_files) == 1 and isinstance(deck_files[0].alone, Finished):
            decks.append(deck_files[0].alone)
            continue
        for file_notes in deck_files:
            problems.extend(load_full(cache, file_notes, folder, encoding))
            remember(file_notes.html)
        terms = _deck_terms(deck_files, glossary, terms_memo)
        decks.append(finish(deck_files, terms, paths, merge, merge_memo))
    cache.save_memo("terms", terms_memo)
    cache.save_memo("merge", merge_memo)
    return decks, problems


def _deck_terms(
    deck_files: list[FileNotes], glossary: Glossary | None, memo: dict[str, Any]
) -> TermResult:
    """Remembered by the files' content hashes (FileNotes.key) and the glossary."""
    keys = [f.key for f in deck_files]
    if not all(keys):  # a file changed while the build read it: remember nothing by it
        return find_terms(deck_files, glossary)
    key = Cache.key(pickle.dumps(glossary), "terms", *keys)
    remembered = memo.get(key)
    if isinstance(remembered, TermResult):
        return remembered
    found = memo[key] = find_terms(deck_files, glossary)
    return found


def _once_per_glossary(diagnostics: list[Diagnostic], decks: int) -> list[Diagnostic]:
    """Terms are found deck by deck, but the glossary is one: report each of its problems once,
    and a glossary term as unused only when no deck uses it."""
    seen: dict[Diagnostic, int] = {}
    for diagnostic in diagnostics:
        seen[diagnostic] = seen.get(diagnostic, 0) + 1
    return [d for d, count in seen.items() if d.code != "term-unused" or count == decks]


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

    def summary(self) -> str:
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{len(self.removed)} removed",
            f"{self.matched_after_edit} matched after edit",
        ]
        if self.forgotten:
            parts.append(f"{self.forgotten} removed notes forgotten")
        text = "changes: " + ", ".join(parts)
        if self.removed or self.still_removed:
            text += f" (find removed notes in Anki with: tag:{identity.REMOVED_TAG})"
        if self.added and self.removed:
            text += (
                "\nnote: a question rewritten together with its answer counts as a new note; "
                "its old note is the removed one"
            )
        return text


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
        return f"{verb} {self.out}: {counts}\n{self.changes.summary()}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def default_output(paths: list[Path], collected: Collected) -> Path:
    if len(paths) == 1 and paths[0].is_file() and collected.files:
        name = collected.files[0].deck
    elif len(paths) == 1:
        name = paths[0].resolve().name
    else:
        name = "flashcards"
    slug = re.sub(r"[^\w.-]+", "-", name.replace("::", "-")).strip("-.") or "deck"
    return Path("build") / f"{slug}.apkg"


def build(
    paths: list[Path],
    out: Path | None = None,
    *,
    now: int,
    encoding: str | None = None,
    strict: bool = False,
    keep_going: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    merge: bool = True,
    forget_removed: bool = False,
) -> BuildResult:
    """Build one .apkg from `paths` and update the identity file beside the notes.

    `now` (seconds) becomes the mod of notes whose content changed. Nothing is written when there
    are errors (unless `keep_going`), so the previous deck stays byte-identical."""
    collected = collect(paths, encoding, merge=merge, progress=progress, use_cache=not dry_run)
    diagnostics = collected.extraction.diagnostics
    if strict:
        diagnostics = strictly(diagnostics)
    rows = collected.rows
    if not rows and not any(d.severity == "error" for d in diagnostics):
        where = ", ".join(p.as_posix() for p in paths)
        diagnostics.append(error("no-cards", where, None, "no questions or terms found"))
    items, entries, changes = stamp(collected, now, forget_removed)
    result = BuildResult(
        out=out or default_output(paths, collected),
        written=False,
        dry_run=dry_run,
        decks=len({row.deck for row in rows}),
        notes=len(rows),
        cards=sum(card_count(item) for item in items if not item.suspended),
        diagnostics=diagnostics,
        changes=changes,
    )
    blocked = bool(result.errors) and not keep_going
    if blocked or dry_run or not items:
        return result
    late = _wait_for(max(item.mod for item in items))
    if late:
        result.diagnostics.append(warning("clock", collected.folder.as_posix(), None, late))
    ids_path = collected.folder / identity.IDENTITY_FILE
    try:
        # Both files are complete before either is renamed into place.
        with atomic.replacing(result.out) as deck, atomic.replacing(ids_path) as ids:
            write_package(items, deck, collected.media.files)
            identity.write(ids, identity.IdentityFile(notes=entries))
    except OSError as exc:
        target = ids_path if identity.IDENTITY_FILE in str(exc.filename) else result.out
        reason = exc.strerror or str(exc)
        result.diagnostics.append(error("cannot-write", target.as_posix(), None, reason))
        return result
    result.written = True
    return result


def _wait_for(mod: int) -> str:
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


def stamp(
    collected: Collected, now: int, forget_removed: bool = False
) -> tuple[list[PackagedNote], list[identity.Entry], Changes]:
    """Give every note (`collected.rows`) its mod: the old one if its content is unchanged.

    With `forget_removed`, notes already written once as removed are dropped for good."""
    changes = Changes(matched_after_edit=len(collected.matching.fuzzy))
    items: list[PackagedNote] = []
    entries: list[identity.Entry] = []

    def add(
        row: Rendered, previous: identity.Entry | None, file: str, gone: AnyNote | None
    ) -> None:
        """`gone`: the note, if it is one removed from the notes (revived from its entry)."""
        removed = gone is not None
        same = previous is not None and identity.same_content(
            previous.hash, row.digest, row.content, row.tags, row.images
        )
        if previous is not None and same:
            mod = previous.mod
            if not removed:
                changes.unchanged += 1
        else:
            # Anki takes an update only when it is newer than what it has. A clock behind the
            # identity file's (or two builds in one second) gets one second more; build() waits
            # for it to pass before writing, so no mod is ever in the future.
            mod = max(now, previous.mod + 1) if previous is not None else now
            if gone is not None:  # removed (the list takes the note itself)
                changes.removed.append(gone)
            elif previous is None:
                changes.added += 1
            else:
                changes.updated += 1
        if removed and same:
            changes.still_removed += 1
        items.append(
            PackagedNote(
                kind=row.kind, guid=row.guid, deck=row.deck, fields=row.fields, tags=row.tags,
                mod=mod, due=len(items), suspended=removed,
            )
        )  # fmt: skip
        entries.append(
            identity.Entry(
                guid=row.guid, kind=row.kind, deck=row.deck, file=file, key=row.key,
                hash=row.digest, mod=mod, removed=removed, note=row.content,
            )
        )  # fmt: skip

    for index, row in enumerate(collected.rows):
        file = collected.paths.get(row.path, row.path)
        add(row, collected.matching.entry_of.get(index), file, gone=None)
    for entry in collected.matching.removed:
        if forget_removed and entry.removed:
            changes.forgotten += 1
            continue
        gone = identity.revive(entry)
        if gone is not None:
            gone.guid = entry.guid
            tags = [*gone.tags, identity.REMOVED_TAG]
            row = prepare(gone, collected.paths, tags, collected.media)
            row.key = entry.key  # as the entry knows it, whatever identity_key says now
            add(row, entry, entry.file, gone)
    entries.extend(collected.matching.kept)  # files this build did not read: left as they were
    return items, entries, changes
