"""The pipeline: the order of the stages, and nothing else.

    read → extract (per file) → enrich → render (per deck) → identity → package

`collect` runs the stages up to identity (workers.py runs the per-file and per-deck ones, with
the cache and a process pool); `build` stamps and writes. This is the core the CLI calls: it
never prints and never exits; every problem in the input comes back as a `Diagnostic`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import atomic, identity
from .cache import Cache
from .diagnostics import Diagnostic, error, has_errors, strictly, warning
from .enrich.terms.glossary import load_glossary, unused_terms
from .extract import FileHead
from .notes import AnyNote, Extraction
from .package import card_count, write_package
from .read.sources import discover
from .render import RenderedNote, in_source_order
from .render.media import Media
from .report import BuildResult
from .workers import Progress, Settings, Work


@dataclass
class Collected:
    rows: list[RenderedNote]  # every note, rendered, in source order
    files: list[FileHead]  # every file read, in the order found
    folder: Path  # the notes folder, where the identity file lives
    paths: dict[str, str]  # displayed path → path inside the notes folder (stable)
    media: Media  # the images the notes package
    matching: identity.Matching
    notes: list[AnyNote]  # the validated notes in source order, if asked for (else empty)
    diagnostics: list[Diagnostic]  # sorted by path and line

    @property
    def extraction(self) -> Extraction:
        """What `flashcards extract --format json` prints."""
        return Extraction(notes=self.notes, diagnostics=self.diagnostics)


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
    with_notes: bool = True,
) -> Collected:
    """Everything the notes hold, validated and rendered, with stable GUIDs, in source order.

    With `merge`, a question asked twice in one deck (two note-takers) becomes one note.
    `progress(done, total)` is called after each file is read; `use_cache` keeps each file's and
    deck's results in the user's cache folder (cache.py), so the next run re-reads only what
    changed. `with_notes` keeps the validated notes too (`extract` prints them)."""
    found, diagnostics = discover(paths)
    folder = identity_folder(paths)
    glossary, problems = load_glossary(folder)
    diagnostics += problems
    # Every file is known by its path in the notes folder, however it was named on the command
    # line: its source tag and identity entries must not depend on that.
    settings = Settings(folder, encoding, glossary, merge, Cache(folder if use_cache else None))
    work = Work(settings)
    files, problems = work.scan(found, progress, single_decks=not with_notes)
    diagnostics += problems
    diagnostics += [d for file in files for d in file.head.diagnostics]
    usable = [file for file in files if file.head.usable]
    finished, problems, unread = work.decks(usable, keep_notes=with_notes)
    diagnostics += problems
    decks = [deck.rendered for deck in finished]
    diagnostics += [d for deck in decks for d in deck.diagnostics]
    if glossary is not None and decks:
        diagnostics += unused_terms(glossary, set().union(*(d.glossary_used for d in decks)))

    rows = [row for deck in decks for row in deck.rows]
    order = in_source_order(rows, [file.head.display for file in files])
    rows = [rows[i] for i in order]
    media = Media()
    for deck in decks:
        media.add(deck.media)
    paths_in_folder = {file.head.display: file.head.rel for file in files}
    known, problems = identity.load(folder)
    diagnostics += problems
    scope = {file.head.rel for file in usable} - unread
    matching = identity.match(rows, known, paths_in_folder, scope)
    diagnostics += matching.diagnostics
    work.cache.prune()  # every entry this build used is known now
    every = [note for deck in finished if deck.notes for note in deck.notes.notes]
    notes = [_with_guid(every[i], matching.guids[n]) for n, i in enumerate(order)] if every else []
    diagnostics.sort(key=lambda d: (d.path, d.line or 0))
    heads = [file.head for file in files]
    return Collected(rows, heads, folder, paths_in_folder, media, matching, notes, diagnostics)


def _with_guid(note: AnyNote, guid: str) -> AnyNote:
    return note.model_copy(update={"guid": guid})


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
    collected = collect(
        paths, encoding, merge=merge, progress=progress, use_cache=not dry_run, with_notes=False
    )
    diagnostics = strictly(collected.diagnostics) if strict else collected.diagnostics
    rows = collected.rows
    if not rows and not has_errors(diagnostics):
        where = ", ".join(p.as_posix() for p in paths)
        diagnostics.append(error("no-cards", where, None, "no questions or terms found"))
    stamped = identity.stamp(
        rows, collected.matching, collected.paths, collected.media, now, forget_removed
    )
    items = stamped.notes
    result = BuildResult(
        out=out or default_output(paths, collected),
        written=False,
        dry_run=dry_run,
        decks=len({row.deck for row in rows}),
        notes=len(rows),
        cards=sum(card_count(item) for item in items if not item.suspended),
        diagnostics=diagnostics,
        changes=stamped.changes,
    )
    if (result.errors and not keep_going) or dry_run or not items:
        return result
    late = identity.wait_until_past(max(item.mod for item in items))
    if late:
        result.diagnostics.append(warning("clock", collected.folder.as_posix(), None, late))
    return _write(result, collected.folder, stamped, collected.media)


def _write(
    result: BuildResult, folder: Path, stamped: identity.Stamped, media: Media
) -> BuildResult:
    ids_path = folder / identity.IDENTITY_FILE
    try:
        # Both files are complete before either is renamed into place.
        with atomic.replacing(result.out) as deck, atomic.replacing(ids_path) as ids:
            write_package(stamped.notes, deck, media.files)
            identity.write(ids, identity.IdentityFile(notes=stamped.entries))
    except OSError as exc:
        target = ids_path if identity.IDENTITY_FILE in str(exc.filename) else result.out
        reason = exc.strerror or str(exc)
        result.diagnostics.append(error("cannot-write", target.as_posix(), None, reason))
        return result
    return replace(result, written=True)
