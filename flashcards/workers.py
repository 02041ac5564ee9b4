"""The work of a build, file by file and deck by deck: every note file read and extracted
(`Work.scan`), and every deck finished and rendered (`Work.decks`) — from the cache when
unchanged, in worker processes when big.

A deck is known by its files' cache keys, the glossary and the merge option (`Settings.deck_key`),
and kept in the cache under that key. A deck of one file, the usual case, is finished in the
worker that read the file (it cannot yet know whether other files share its deck); a deck of
several files is finished here once all its files are read.

The result is the same whichever way a file was handled: cached entries are keyed by the file's
bytes and the code, and the process pool returns files in the order they were found.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from .cache import Cache
from .diagnostics import Diagnostic
from .enrich import DeckNotes, finish_deck
from .extract import FileHead, ParsedFile, extract_file
from .read.sources import Folders, read_bytes, read_source
from .render import RenderedDeck, render_deck
from .settings import Settings

Progress = Callable[[int, int], None]
# Below this much uncached text, starting worker processes costs more than it saves.
PARALLEL_BYTES = 2_000_000


class ScannedFile(NamedTuple):
    """A note file this build read, or found unchanged in the cache."""

    path: Path  # as found
    cache_key: str  # what its results are cached under: its bytes, how it is read, the code
    source_digest: str  # of its bytes alone: unchanged when read again?
    head: FileHead
    folders: tuple[str, ...] = ()  # its sub-folders in the folder built


class FinishedDeck(NamedTuple):
    rendered: RenderedDeck
    notes: DeckNotes | None  # its notes, when asked for (`extract` prints them)


class Decks(NamedTuple):
    finished: list[FinishedDeck]
    problems: list[Diagnostic]  # files that could not be read again
    unread: set[str]  # their paths in the notes folder: not part of this build


class _Job(NamedTuple):
    path: Path
    display: str
    data: bytes
    source_digest: str
    cache_key: str
    single_deck_key: str  # the key of the deck of this file alone; "" to leave decks to Work
    in_process: bool  # run here, not in a worker: its results need not be put aside
    settings: Settings
    folders: tuple[str, ...]


class _WorkerResult(NamedTuple):
    head: FileHead
    parsed: ParsedFile | None  # None: left in the cache
    own_deck: RenderedDeck | None  # the file finished as a deck of its own, if asked and usable


class Work:
    """One build's per-file and per-deck work, and the results it keeps at hand meanwhile."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = settings.cache
        self.parsed: dict[str, ParsedFile] = {}  # by cache key: files read in this process
        self.own_decks: dict[str, RenderedDeck] = {}  # by deck key: decks of one file, finished

    # --- files ---------------------------------------------------------------------------------
    def scan(
        self,
        paths: list[Path],
        progress: Progress | None,
        single_decks: bool,
        folders: Folders | None = None,
    ) -> tuple[list[ScannedFile], list[Diagnostic]]:
        """Every file of `paths`, with what is wrong with those that cannot be read. With
        `single_decks`, each file is also finished as a deck of its own where it is read.
        `folders`: each file's sub-folders in the folder built (the parents of its deck)."""
        outcomes: list[ScannedFile | list[Diagnostic] | None] = [None] * len(paths)
        todo: list[tuple[int, _Job]] = []
        settings = self.settings
        for index, path in enumerate(paths):
            display = settings.display(path)
            data = read_bytes(path, display)
            if isinstance(data, Diagnostic):
                outcomes[index] = [data]
                continue
            digest = hashlib.sha256(data).hexdigest()
            sub = (folders or {}).get(path, ())
            key = Cache.key(
                digest.encode(), display, settings.place, settings.encoding or "", *sub
            )
            head = self.cache.get(_head(key)) if self.cache.has(_parsed(key)) else None
            if isinstance(head, FileHead):
                self.cache.keep(_parsed(key))
                outcomes[index] = ScannedFile(path, key, digest, head, sub)
                continue
            single = settings.deck_key([key]) if single_decks else ""
            job = _Job(path, display, data, digest, key, single, True, settings, sub)
            todo.append((index, job))
        done = len(paths) - len(todo)
        for (index, job), result in zip(todo, self._run(todo, done, progress), strict=True):
            if isinstance(result, list):
                outcomes[index] = result
                continue
            outcomes[index] = ScannedFile(
                job.path, job.cache_key, job.source_digest, result.head, job.folders
            )
            self.cache.keep(_head(job.cache_key))  # written by the worker: this build used it
            self.cache.keep(_parsed(job.cache_key))
            if result.parsed is not None:
                self.parsed[job.cache_key] = result.parsed
            if result.own_deck is not None:
                self.own_decks[job.single_deck_key] = result.own_deck
        files = [o for o in outcomes if isinstance(o, ScannedFile)]
        problems = [d for o in outcomes if isinstance(o, list) for d in o]
        return files, problems

    def _run(
        self, todo: list[tuple[int, _Job]], done: int, progress: Progress | None
    ) -> list[_WorkerResult | list[Diagnostic]]:
        jobs = [job for _, job in todo]
        total = done + len(jobs)
        big = sum(len(job.data) for job in jobs) >= PARALLEL_BYTES
        workers = min(_cores(), len(jobs)) if big else 1
        if workers > 1:
            jobs = [job._replace(in_process=False) for job in jobs]
            with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_ctrl_c) as pool:
                return _track(pool.map(_process, jobs, chunksize=4), done, total, progress)
        return _track((_process(job) for job in jobs), done, total, progress)

    # --- decks ---------------------------------------------------------------------------------
    def decks(self, files: list[ScannedFile], keep_notes: bool) -> Decks:
        """Every deck of the usable `files`, finished and rendered (and, with `keep_notes`, its
        notes). A file that cannot be read again leaves its deck to the others."""
        by_deck: dict[str, list[ScannedFile]] = {}
        for file in files:
            by_deck.setdefault(file.head.deck, []).append(file)
        result = Decks([], [], set())
        for deck_files in by_deck.values():
            if len(deck_files) > 1:
                self._forget_single_decks(deck_files)
            key = self.settings.deck_key([file.cache_key for file in deck_files])
            known = None if keep_notes else self._remembered(key)
            if known is not None:
                result.finished.append(FinishedDeck(known, None))
            else:
                self._finish(deck_files, key, keep_notes, result)
            for file in deck_files:
                self.parsed.pop(file.cache_key, None)  # done with: free it
        return result

    def _finish(self, files: list[ScannedFile], key: str, keep_notes: bool, result: Decks) -> None:
        """Finish the deck of `files` from the files that can be read."""
        loaded = [(file, self._load(file)) for file in files]
        parsed = [got for _, got in loaded if isinstance(got, _Loaded)]
        for file, got in loaded:
            if isinstance(got, list):
                result.problems.extend(got)
                result.unread.add(file.head.rel)
        if not parsed:
            return
        settings = self.settings
        notes = finish_deck([p.parsed for p in parsed], settings.glossary, settings.merge)
        rendered = render_deck(notes, settings.root)
        result.finished.append(FinishedDeck(rendered, notes if keep_notes else None))
        if len(parsed) == len(loaded) and all(p.as_scanned for p in parsed):
            self.cache.put(_deck(key), rendered)  # else not the deck of the files scanned

    def _forget_single_decks(self, files: list[ScannedFile]) -> None:
        """Files of a deck of several, finished as decks of their own where they were read:
        in vain, so not kept."""
        for file in files:
            single = self.settings.deck_key([file.cache_key])
            if self.own_decks.pop(single, None) is not None:
                self.cache.drop(_deck(single))

    def _remembered(self, key: str) -> RenderedDeck | None:
        if key in self.own_decks:
            self.cache.keep(_deck(key))
            return self.own_decks.pop(key)
        known = self.cache.get(_deck(key))
        if not isinstance(known, RenderedDeck):
            return None
        media = known.media.again(self.settings.root)
        return None if media is None else dataclasses.replace(known, media=media)

    def _load(self, file: ScannedFile) -> _Loaded | list[Diagnostic]:
        """The file's notes as extracted: at hand, from the cache, or — if the cache lost them
        since the file was scanned — read again."""
        if file.cache_key in self.parsed:
            return _Loaded(self.parsed[file.cache_key], True)
        parsed = self.cache.get(_parsed(file.cache_key))
        if isinstance(parsed, ParsedFile):
            return _Loaded(parsed, True)
        settings, display = self.settings, file.head.display
        data = read_bytes(file.path, display)
        if isinstance(data, Diagnostic):
            return [data]
        source = read_source(
            file.path, settings.root, settings.encoding, data, display, file.folders
        )
        again = extract_file(source) if not isinstance(source, list) else source
        if not isinstance(again, ParsedFile):
            return again if isinstance(again, list) else [again]
        if hashlib.sha256(data).hexdigest() != file.source_digest:
            return _Loaded(again, False)  # changed since it was scanned
        self.cache.put(_parsed(file.cache_key), again)  # mended for the next build
        return _Loaded(again, True)


class _Loaded(NamedTuple):
    parsed: ParsedFile
    as_scanned: bool  # of the bytes the file had when it was scanned


def _process(job: _Job) -> _WorkerResult | list[Diagnostic]:
    """One file in a worker (or in this process): read, extracted, and finished as a deck of its
    own if asked; put in the cache. From a worker, its notes as extracted stay in the cache: only
    a deck of several files needs them again."""
    settings = job.settings
    source = read_source(
        job.path, settings.root, settings.encoding, job.data, job.display, job.folders
    )
    if isinstance(source, list):
        return source
    parsed = extract_file(source)
    if isinstance(parsed, Diagnostic):
        return [parsed]
    own_deck = None
    if job.single_deck_key and parsed.head.usable:
        deck = finish_deck([parsed], settings.glossary, settings.merge)
        own_deck = render_deck(deck, settings.root)
        settings.cache.put(_deck(job.single_deck_key), own_deck)
    cache = settings.cache
    stored = cache.put(_parsed(job.cache_key), parsed) and cache.put(
        _head(job.cache_key), parsed.head
    )
    keep = job.in_process or not stored
    return _WorkerResult(parsed.head, parsed if keep else None, own_deck)


def _track(
    results: Iterable[_WorkerResult | list[Diagnostic]],
    done: int,
    total: int,
    progress: Progress | None,
) -> list[_WorkerResult | list[Diagnostic]]:
    collected: list[_WorkerResult | list[Diagnostic]] = []
    for outcome in results:
        collected.append(outcome)
        if progress is not None:
            progress(done + len(collected), total)
    return collected


def _cores() -> int:
    """The cores this process may use (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# The cache's entries: per file, its head (what every build needs) and its notes as extracted
# (what only a deck of several files needs again); per deck, the deck rendered.
def _head(key: str) -> str:
    return f"{key}-head"


def _parsed(key: str) -> str:
    return f"{key}-parsed"


def _deck(key: str) -> str:
    return f"{key}-deck"


def _ignore_ctrl_c() -> None:
    """Ctrl-C is the main process's to handle (`watch` stops cleanly); a worker that took it
    too would print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
