"""The pipeline: the order of the stages, and nothing else.

    read → extract (per file) → enrich → render (per deck) → identity → package

`collect` runs the stages up to identity (workers.py runs the per-file and per-deck ones, with
the cache and a process pool); `build` stamps and writes. This is the core the CLI calls: it
never prints and never exits; every problem in the input comes back as a `Diagnostic`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import atomic, identity
from .cache import Cache
from .diagnostics import Diagnostic, error, has_errors, info, strictly, warning
from .enrich.terms.glossary import load_glossary, unused_terms
from .extract import FileHead
from .notes import AnyNote, Extraction, FoundTerm
from .package import card_count, replace_refusal, write_package
from .read.archive import is_archive
from .read.inputs import Inputs, opened
from .read.names import shown_name
from .read.sources import Folders, discover, display_path
from .render import RenderedDeck, RenderedNote, in_source_order
from .render.media import Media
from .report import BuildResult
from .settings import Settings
from .workers import FinishedDeck, Progress, Work

# Problems with the identity file stop a build even with --keep-going: building without it
# would give every note a new identity (duplicates in Anki), and replace a file that could be
# repaired.
# Nor does a refused archive.
_IDENTITY_PROBLEMS = {"identity-file", "identity-lost", "archive"}


@dataclass
class Collected:
    rows: list[RenderedNote]  # every note, rendered, in source order
    files: list[FileHead]  # every file read, in the order found
    folder: Path  # the notes folder, where the identity file lives
    paths: dict[str, str]  # displayed path → path inside the notes folder (stable)
    media: Media  # the images the notes package
    identities: identity.Identities  # as read (or recovered)
    matching: identity.Matching
    notes: list[AnyNote]  # the validated notes in source order, if asked for (else empty)
    diagnostics: list[Diagnostic]  # sorted by path and line
    terms: list[FoundTerm]  # every key term of every deck, most mentioned first

    @property
    def extraction(self) -> Extraction:
        """What `flashcards extract --format json` prints."""
        return Extraction(notes=self.notes, diagnostics=self.diagnostics)


def collect(
    paths: list[Path],
    encoding: str | None = None,
    *,
    merge: bool = True,
    progress: Progress | None = None,
    use_cache: bool = False,
    with_notes: bool = True,
    recover_from: Path | None = None,
    recover: bool = False,
    inputs: Inputs | None = None,
) -> Collected:
    """Everything the notes hold, validated and rendered, with stable GUIDs, in source order.

    With `merge`, a question asked twice in one deck (two note-takers) becomes one note.
    `progress(done, total)` is called after each file is read; `use_cache` keeps each file's and
    deck's results in the user's cache folder (cache.py), so the next run re-reads only what
    changed. `with_notes` keeps the validated notes too (`extract` prints them). With `recover`,
    identities are recovered from the last build of these notes (`recover_from`, else where
    it goes by default) if the identity file is lost. `inputs`: the paths opened already (an
    archive unpacked), else they are opened here, for as long as this takes."""
    if inputs is None:
        with opened(paths) as inputs:
            return collect(
                paths, encoding, merge=merge, progress=progress, use_cache=use_cache,
                with_notes=with_notes, recover_from=recover_from, recover=recover, inputs=inputs,
            )  # fmt: skip
    settings, found, folders, diagnostics = _settings(inputs, encoding, merge, use_cache)
    glossary, folder = settings.glossary, inputs.folder
    work = Work(settings)
    files, problems = work.scan(found, progress, single_decks=not with_notes, folders=folders)
    diagnostics += problems
    diagnostics += [d for file in files for d in file.head.diagnostics]
    usable = [file for file in files if file.head.usable]
    finished, problems, unread = work.decks(usable, keep_notes=with_notes)
    diagnostics += problems
    decks = [deck.rendered for deck in finished]
    diagnostics += [d for deck in decks for d in deck.diagnostics]
    if glossary is not None and decks:
        diagnostics += unused_terms(glossary, set().union(*(d.glossary_used for d in decks)))
    work.cache.prune()  # every entry this build used is known now

    rows = [row for deck in decks for row in deck.rows]
    order = in_source_order(rows, [file.head.display for file in files])
    rows = [rows[i] for i in order]
    heads = [file.head for file in files]
    package = (recover_from or _ours(default_output(paths, heads))) if recover else None
    known, problems = _identities(folder, package, {head.rel for head in heads})
    diagnostics += problems
    in_folder = {file.head.display: file.head.rel for file in files}
    # Matched: the files read, and those gone from the folder (renamed, moved or deleted) that
    # this build did not find either.
    scope = {file.head.rel for file in usable} - unread
    scope |= identity.gone_files(known.entries, folder) - {head.rel for head in heads}
    matching = identity.match(rows, known.entries, in_folder, scope)
    diagnostics += matching.diagnostics
    # One problem seen from two notes (an image in an answer a Q&A and a term note share) is
    # one diagnostic.
    diagnostics = sorted(dict.fromkeys(diagnostics), key=lambda d: (d.path, d.line or 0))
    notes = _notes_in_order(finished, order, matching.guids)
    media = _media(decks)
    terms = sorted((t for deck in decks for t in deck.terms), key=lambda t: -t.count)
    return Collected(
        rows, heads, folder, in_folder, media, known, matching, notes, diagnostics, terms
    )


def _settings(
    inputs: Inputs, encoding: str | None, merge: bool, use_cache: bool
) -> tuple[Settings, list[Path], Folders, list[Diagnostic]]:
    """The build's settings, the note files found, their sub-folders, and the problems so far."""
    found, diagnostics, folders = discover(inputs.paths)
    glossary, problems = load_glossary(inputs.folder)
    # Every file is known by its path in the notes folder, however it was named on the command
    # line: its source tag and identity entries must not depend on that.
    cache = Cache(inputs.folder if use_cache else None)
    settings = Settings(inputs.root, encoding, glossary, merge, cache, inputs.shown_at)
    return settings, found, folders, [*inputs.problems, *diagnostics, *problems]


def _identities(
    folder: Path, package: Path | None, files: set[str]
) -> tuple[identity.Identities, list[Diagnostic]]:
    """The identity file, or — when it is missing and `package` holds an earlier build of
    these notes (of one of the `files` at least) — the identities recovered from that package."""
    known, problems = identity.read(folder)
    if known.path is not None or problems or package is None or not package.is_file():
        return known, problems
    entries, said = identity.recover(package, folder / identity.IDENTITY_FILE)
    if entries and not any(entry.file in files for entry in entries):
        return known, []  # a package of other notes: nothing to recover
    return identity.Identities(entries), [said]


def _notes_in_order(
    finished: list[FinishedDeck], order: list[int], guids: list[str]
) -> list[AnyNote]:
    every = [note for deck in finished if deck.notes for note in deck.notes.notes]
    if not every:
        return []
    return [every[i].model_copy(update={"guid": guids[n]}) for n, i in enumerate(order)]


def _media(decks: list[RenderedDeck]) -> Media:
    media = Media()
    for deck in decks:
        media.add(deck.media)
    return media


def default_output(paths: list[Path], files: list[FileHead]) -> Path:
    if len(paths) == 1 and is_archive(paths[0]):
        name = shown_name(paths[0].stem)
    elif len(paths) == 1 and paths[0].is_file() and files:
        name = files[0].deck
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
    recover_from: Path | None = None,
) -> BuildResult:
    """Build one .apkg from `paths` and update the identity file beside the notes.

    `now` (seconds) becomes the mod of notes whose content changed. Nothing is written when there
    are errors (unless `keep_going`; never when the identity file is damaged, nor when no note
    could be read: the result is then `refused`), so the previous deck and identity file stay
    byte-identical. If the identity file is lost, it is recovered from `recover_from`, else from
    the output, if either is an earlier build of these notes."""
    # An output not ours is said before reading: the notes could not be written anywhere anyway.
    if out is not None and (refused := replace_refusal(out)):
        return _refused(out, dry_run, [error("not-ours", out.as_posix(), None, refused)])
    with opened(paths) as inputs:  # an archive's files are needed until the package is written
        collected = collect(
            paths, encoding, merge=merge, progress=progress, use_cache=not dry_run,
            with_notes=False, recover_from=recover_from or (out and _ours(out)), recover=True,
            inputs=inputs,
        )  # fmt: skip
        return _built(collected, paths, out, now, strict, keep_going, dry_run, forget_removed)


def _built(
    collected: Collected,
    paths: list[Path],
    out: Path | None,
    now: int,
    strict: bool,
    keep_going: bool,
    dry_run: bool,
    forget_removed: bool,
) -> BuildResult:
    out = out or default_output(paths, collected.files)
    diagnostics = strictly(collected.diagnostics) if strict else collected.diagnostics
    refused = replace_refusal(out)
    if refused:  # checked again just before writing: it may appear while the notes are read
        diagnostics.append(error("not-ours", out.as_posix(), None, refused))
    if not collected.files and has_errors(diagnostics):
        # Nothing read (an archive refused, the paths missing or unreadable): nothing to build,
        # even with --keep-going, and no changes to claim (every note would count as removed).
        return _refused(out, dry_run, diagnostics)
    rows = collected.rows
    if not rows and not has_errors(diagnostics):
        where = ", ".join(p.as_posix() for p in paths)
        diagnostics.append(error("no-cards", where, None, "no questions or terms found"))
    stamped = identity.stamp(
        rows, collected.matching, collected.paths, collected.media, now, forget_removed
    )
    items = stamped.notes
    result = BuildResult(
        out=out,
        written=False,
        dry_run=dry_run,
        decks=len({row.deck for row in rows}),
        notes=len(rows),
        cards=sum(card_count(item) for item in items),
        diagnostics=diagnostics,
        changes=stamped.changes,
        packaged=items,
        earlier=collected.identities.entries,
    )
    fatal = any(d.code in _IDENTITY_PROBLEMS for d in result.errors)
    if (result.errors and (fatal or not keep_going)) or dry_run or not items:
        return result
    late = identity.wait_until_past(max(item.mod for item in items))
    if late:
        result.diagnostics.append(warning("clock", collected.folder.as_posix(), None, late))
    return _write(result, collected, stamped)


def _refused(out: Path, dry_run: bool, diagnostics: list[Diagnostic]) -> BuildResult:
    """A build refused before any note was read: nothing written, nothing changed."""
    return BuildResult(out, False, dry_run, 0, 0, 0, diagnostics, identity.Changes(), refused=True)


def _ours(package: Path) -> Path | None:
    """The package at `package`, if it is one this tool wrote: the only kind of file identities
    are recovered from without being asked (anything else there is the user's, left alone)."""
    return package if package.is_file() and replace_refusal(package) is None else None


def _write(result: BuildResult, collected: Collected, stamped: identity.Stamped) -> BuildResult:
    ids_path = collected.folder / identity.IDENTITY_FILE
    refused = replace_refusal(result.out)
    if refused:
        result.diagnostics.append(error("not-ours", result.out.as_posix(), None, refused))
        return result
    atomic.remove_stale(result.out)  # what builds killed while writing left behind
    atomic.remove_stale(ids_path)
    try:
        # Both files are complete before either is renamed into place.
        with atomic.replacing(result.out) as deck, atomic.replacing(ids_path) as ids:
            write_package(stamped.notes, deck, collected.media.files)
            identity.write(ids, stamped.entries)
    except OSError as exc:
        target = ids_path if identity.IDENTITY_FILE in str(exc.filename) else result.out
        reason = exc.strerror or str(exc)
        result.diagnostics.append(error("cannot-write", target.as_posix(), None, reason))
        return result
    old = collected.identities
    if old.legacy and old.path is not None:
        old.path.unlink(missing_ok=True)  # its entries are in the new file
        message = f"now {identity.IDENTITY_FILE}, one note a line (merges cleanly): commit both"
        result.diagnostics.append(info("identity-format", display_path(old.path), None, message))
    return replace(result, written=True)
