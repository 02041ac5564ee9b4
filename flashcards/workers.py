"""The work of a build, file by file and deck by deck: every note file read and extracted
(`Work.scan`), and every deck finished and rendered (`Work.decks`) — from the cache when
unchanged, in worker processes when big.

A deck of one file, the usual case, is finished in the worker that read the file, and kept in
the cache with it; a deck of several files is finished here once all its files are read. Either
way a deck is known by its files' keys, the glossary and the merge option: one memo, the cache.

The result is the same whichever way a file was handled: cached entries are keyed by the file's
bytes and the code, and the process pool returns files in the order they were found.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .cache import Cache
from .diagnostics import Diagnostic
from .enrich import DeckNotes, finish_deck
from .enrich.terms.glossary import Glossary
from .extract import FileHead, ParsedFile, extract_file
from .read.sources import display_path, read_bytes, read_source
from .render import RenderedDeck, render_deck

Progress = Callable[[int, int], None]
# Below this much uncached text, starting worker processes costs more than it saves.
PARALLEL_BYTES = 2_000_000


class ScannedFile(NamedTuple):
    """A note file this build read, or found unchanged in the cache."""

    path: Path  # as found
    cache_key: str  # what its results are cached under: its bytes, how it is read, the code
    source_digest: str  # of its bytes alone: unchanged when read again?
    head: FileHead


class _Job(NamedTuple):
    path: Path
    display: str
    data: bytes
    cache_key: str
    alone_key: str  # the key of the deck of this file alone; "" to leave decks to the build
    work: Work


class _Scanned(NamedTuple):
    """What a worker hands back."""

    head: FileHead
    parsed: ParsedFile | None  # None: left in the cache
    alone: RenderedDeck | None  # the file finished as a deck of its own, if asked and usable


@dataclass
class Work:
    root: Path  # the notes folder: a file's path there is its stable name
    encoding: str | None
    glossary: Glossary | None
    merge: bool
    cache: Cache
    parsed: dict[str, ParsedFile] = field(default_factory=dict)  # by file key, those at hand
    finished: dict[str, RenderedDeck] = field(default_factory=dict)  # by deck key, this build's
    options: str = field(init=False)  # what a deck depends on besides its files

    def __post_init__(self) -> None:
        glossary = hashlib.sha256(pickle.dumps(self.glossary)).hexdigest()
        self.options = f"{glossary}-{'merge' if self.merge else 'no-merge'}"

    def __getstate__(self) -> dict[str, object]:  # a worker needs none of the results
        return {**self.__dict__, "parsed": {}, "finished": {}}

    # --- files ---------------------------------------------------------------------------------
    def scan(
        self, paths: list[Path], progress: Progress | None, alone: bool
    ) -> tuple[list[ScannedFile], list[Diagnostic]]:
        """Every file of `paths`, with what is wrong with those that cannot be read. With
        `alone`, each file is also finished as a deck of its own where it is read."""
        outcomes: list[ScannedFile | list[Diagnostic] | None] = [None] * len(paths)
        todo: list[tuple[int, _Job]] = []
        for index, path in enumerate(paths):
            display = display_path(path)
            data = read_bytes(path, display)
            if isinstance(data, Diagnostic):
                outcomes[index] = [data]
                continue
            digest = _digest(data)
            key = Cache.key(digest.encode(), display, str(self.root), self.encoding or "")
            head = self.cache.get(_head(key)) if self.cache.has(_parsed(key)) else None
            if isinstance(head, FileHead):
                self.cache.keep(_parsed(key))
                outcomes[index] = ScannedFile(path, key, digest, head)
            else:
                alone_key = self.deck_key([key]) if alone else ""
                todo.append((index, _Job(path, display, data, key, alone_key, self)))
        done = len(paths) - len(todo)
        for (index, job), result in zip(
            todo, self._run(todo, done, len(paths), progress), strict=True
        ):
            if isinstance(result, list):
                outcomes[index] = result
                continue
            outcomes[index] = ScannedFile(job.path, job.cache_key, _digest(job.data), result.head)
            self.cache.keep(_head(job.cache_key))  # written by the worker: this build used it
            self.cache.keep(_parsed(job.cache_key))
            if result.parsed is not None:
                self.parsed[job.cache_key] = result.parsed
            if result.alone is not None:
                self.finished[job.alone_key] = result.alone
        files = [o for o in outcomes if isinstance(o, ScannedFile)]
        problems = [d for o in outcomes if isinstance(o, list) for d in o]
        return files, problems

    def _run(
        self, todo: list[tuple[int, _Job]], done: int, total: int, progress: Progress | None
    ) -> list[_Scanned | list[Diagnostic]]:
        jobs = [job for _, job in todo]
        big = sum(len(job.data) for job in jobs) >= PARALLEL_BYTES
        workers = min(os.cpu_count() or 1, len(jobs)) if big else 1
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                return _track(pool.map(_process, jobs, chunksize=4), done, total, progress)
        return _track((_process(job) for job in jobs), done, total, progress)

    # --- decks ---------------------------------------------------------------------------------
    def deck_key(self, file_keys: list[str]) -> str:
        return Cache.key(b"", "deck", self.options, *file_keys)

    def decks(
        self, files: list[ScannedFile], keep_notes: bool
    ) -> tuple[list[RenderedDeck], list[DeckNotes], list[Diagnostic]]:
        """Every deck of the usable `files`, finished and rendered (and, with `keep_notes`, its
        notes); with what is wrong with files that could not be read again."""
        by_deck: dict[str, list[ScannedFile]] = {}
        for file in files:
            by_deck.setdefault(file.head.deck, []).append(file)
        rendered: list[RenderedDeck] = []
        kept: list[DeckNotes] = []
        problems: list[Diagnostic] = []
        for deck_files in by_deck.values():
            if len(deck_files) > 1:
                self._forget_alone(deck_files)
            key = self.deck_key([file.cache_key for file in deck_files])
            known = None if keep_notes else self._remembered(key)
            if known is not None:
                rendered.append(known)
                continue
            loaded = [self._parsed_file(file) for file in deck_files]
            problems += [d for item in loaded if isinstance(item, list) for d in item]
            parsed = [item for item in loaded if isinstance(item, tuple)]
            if len(parsed) < len(loaded):
                continue
            notes = finish_deck([p for p, _ in parsed], self.glossary, self.merge)
            rendered.append(render_deck(notes, self.root))
            if keep_notes:
                kept.append(notes)
            if all(same for _, same in parsed):  # else a file changed since it was scanned
                self.cache.put(_deck(key), rendered[-1])
        return rendered, kept, problems

    def _forget_alone(self, files: list[ScannedFile]) -> None:
        """Files of a deck of several, finished as decks of their own where they were read:
        in vain, so not kept."""
        for file in files:
            alone = self.deck_key([file.cache_key])
            if self.finished.pop(alone, None) is not None:
                self.cache.drop(_deck(alone))

    def _remembered(self, key: str) -> RenderedDeck | None:
        if key in self.finished:
            self.cache.keep(_deck(key))
            return self.finished[key]
        known = self.cache.get(_deck(key))
        if isinstance(known, RenderedDeck) and known.media.unchanged(self.root):
            return known
        return None

    def _parsed_file(self, file: ScannedFile) -> tuple[ParsedFile, bool] | list[Diagnostic]:
        """The file's notes as extracted — at hand, from the cache, or, if the cache lost them
        since the file was scanned, read again — and whether they are of the bytes scanned."""
        if file.cache_key in self.parsed:
            return self.parsed[file.cache_key], True
        parsed = self.cache.get(_parsed(file.cache_key))
        if isinstance(parsed, ParsedFile):
            return parsed, True
        data = read_bytes(file.path, file.head.display)
        if isinstance(data, Diagnostic):
            return [data]
        source = read_source(file.path, self.root, self.encoding, data, file.head.display)
        again = extract_file(source) if not isinstance(source, list) else source
        if not isinstance(again, ParsedFile):
            return again if isinstance(again, list) else [again]
        if _digest(data) != file.source_digest:  # changed since it was scanned
            return again, False
        self.cache.put(_parsed(file.cache_key), again)  # mended for the next build
        return again, True


def _process(job: _Job) -> _Scanned | list[Diagnostic]:
    """One file in a worker (or in this process): read, extracted, and finished as a deck of its
    own if asked; put in the cache. With a cache, its notes as extracted stay there: only a deck
    of several files needs them again."""
    work = job.work
    source = read_source(job.path, work.root, work.encoding, job.data, job.display)
    if isinstance(source, list):
        return source
    parsed = extract_file(source)
    if isinstance(parsed, Diagnostic):
        return [parsed]
    alone = None
    if job.alone_key and parsed.head.usable:
        alone = render_deck(finish_deck([parsed], work.glossary, work.merge), work.root)
        work.cache.put(_deck(job.alone_key), alone)
    stored = work.cache.put(_parsed(job.cache_key), parsed) and work.cache.put(
        _head(job.cache_key), parsed.head
    )
    return _Scanned(parsed.head, None if stored else parsed, alone)


def _track(
    results: Iterable[_Scanned | list[Diagnostic]], done: int, total: int, progress: Progress | None
) -> list[_Scanned | list[Diagnostic]]:
    collected: list[_Scanned | list[Diagnostic]] = []
    for outcome in results:
        collected.append(outcome)
        if progress is not None:
            progress(done + len(collected), total)
    return collected


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The cache's entries: per file, its head (what every build needs) and its notes as extracted
# (what only a deck of several files needs again); per deck, the deck rendered.
def _head(key: str) -> str:
    return f"{key}-head"


def _parsed(key: str) -> str:
    return f"{key}-parsed"


def _deck(key: str) -> str:
    return f"{key}-deck"
