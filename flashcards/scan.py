"""Scan: read, extract and validate every note file, and finish each as a deck of its own (key
terms, merges, rendered fields: decks.py) — from the cache when unchanged, in parallel when big.

The result is the same whichever way a file was handled: cached entries are keyed by the file's
bytes, and the process pool returns files in the order they were found.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from .cache import Cache
from .decks import finish
from .extract import FileNotes, Found, Passage, extract_file
from .glossary import Glossary
from .markdown import deep_line
from .models import ClozeNote, Diagnostic, QANote, error
from .sources import display_path, read_bytes, read_source
from .terms import find_terms
from .validate import validate_file

Progress = Callable[[int, int], None]
# Below this much uncached text, starting worker processes costs more than it saves.
PARALLEL_BYTES = 2_000_000

Outcome = FileNotes | list[Diagnostic]


class Job(NamedTuple):
    path: Path
    root: Path  # the folder the file is read from: its path there is its stable name
    display: str
    encoding: str | None
    data: bytes
    bytes_hash: str  # of `data`
    glossary: Glossary | None
    merge: bool
    cache: Cache
    key: str


def _process(job: Job) -> Outcome:
    """One file in a worker (or in this process): the work, the cache entry, and the result.
    With a cache, the result leaves its notes and lines of text there: only a deck of several
    files needs them again (load_full)."""
    outcome = _read(job.path, job.root, job.display, job.encoding, job.data)
    if isinstance(outcome, FileNotes):
        outcome.key, outcome.bytes_hash = job.key, job.bytes_hash
        if outcome.usable:
            # Everything that depends on this file alone (and the glossary): a deck of one
            # file, the usual case, needs no more.
            terms = find_terms([outcome], job.glossary)
            paths = {outcome.source.display: outcome.source.rel}
            outcome.alone = finish([outcome], terms, paths, job.merge)
        if job.cache.folder is not None:
            _store(job.cache, outcome)
    return outcome


def _read(path: Path, root: Path, display: str, encoding: str | None, data: bytes) -> Outcome:
    """Read, extract and validate one file."""
    source = read_source(path, root, encoding, data, display)
    if isinstance(source, list):
        return source
    try:
        file_notes = extract_file(source)
    except RecursionError:  # the parser's tree builder recurses once per nesting level
        message = "nested too deeply to read (emphasis, lists or quotes thousands of levels deep)"
        return [error("too-deep", source.display, deep_line(source.text), message)]
    validate_file(file_notes)
    return file_notes


def scan(
    found: list[Path],
    root: Path,
    encoding: str | None,
    cache: Cache,
    progress: Progress | None = None,
    glossary: Glossary | None = None,
    merge: bool = True,
) -> tuple[list[FileNotes], list[Diagnostic]]:
    """Every file of `found`, read from `root` (resolved: a file's path there is its stable
    name), with what is wrong with the files that cannot be read."""
    glossary_key = hashlib.sha256(pickle.dumps(glossary)).hexdigest()
    merging = "merge" if merge else "no-merge"
    outcomes: list[Outcome | None] = [None] * len(found)
    todo: list[tuple[int, Job]] = []
    for index, path in enumerate(found):
        display = display_path(path)
        data = read_bytes(path, display)
        if isinstance(data, Diagnostic):
            outcomes[index] = [data]
            continue
        digest = _bytes_hash(data)
        context = (display, str(root), encoding or "", glossary_key, merging)
        key = Cache.key(digest.encode(), *context)
        cached = cache.get(key) if cache.has(_full(key)) else None
        if isinstance(cached, FileNotes):
            cache.keep(_full(key))
            cached.source.path = path  # the same bytes, possibly reached another way
            outcomes[index] = cached
        else:
            job = Job(path, root, display, encoding, data, digest, glossary, merge, cache, key)
            todo.append((index, job))

    done = len(found) - len(todo)
    big = sum(len(job.data) for _, job in todo) >= PARALLEL_BYTES
    workers = min(os.cpu_count() or 1, len(todo)) if big else 1
    jobs = [job for _, job in todo]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_process, jobs, chunksize=4)
            fresh = _track(results, done, len(found), progress)
    else:
        fresh = _track((_process(job) for job in jobs), done, len(found), progress)
    for (index, job), outcome in zip(todo, fresh, strict=True):
        outcomes[index] = outcome
        cache.keep(job.key)  # written by the worker: this build used it
        cache.keep(_full(job.key))

    files: list[FileNotes] = []
    diagnostics: list[Diagnostic] = []
    for result in outcomes:
        if isinstance(result, FileNotes):
            files.append(result)
            diagnostics.extend(result.diagnostics)
        elif result is not None:
            diagnostics.extend(result)
    return files, diagnostics


def _track(
    results: Iterable[Outcome], done: int, total: int, progress: Progress | None
) -> list[Outcome]:
    collected: list[Outcome] = []
    for outcome in results:
        collected.append(outcome)
        if progress is not None:
            progress(done + len(collected), total)
    return collected


# A cached file is stored in two parts: what every build needs (its diagnostics and its notes
# finished and rendered as a deck of its own), and what only a deck of several files needs again
# (its notes as extracted, their rendered answers, and every line of text for key terms).


def _bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _full(key: str) -> str:
    return f"{key}-full"


_FullPart = tuple[list[Found], list[Passage], str, list[QANote | ClozeNote], dict[str, str]]


def _store(cache: Cache, file_notes: FileNotes) -> None:
    """Cache the file in its two parts; the file keeps only the first."""
    if not cache.put(_full(file_notes.key), _full_part(file_notes)):
        return  # the file keeps everything: nothing would bring it back
    file_notes.found, file_notes.passages, file_notes.notes, file_notes.html = [], [], [], {}
    file_notes.source = replace(file_notes.source, text="")
    if file_notes.alone is not None:
        file_notes.alone = replace(file_notes.alone, notes=[])
    file_notes.complete = False
    cache.put(file_notes.key, file_notes)


def _full_part(file_notes: FileNotes) -> _FullPart:
    return (
        file_notes.found,
        file_notes.passages,
        file_notes.source.text,
        list(file_notes.notes),
        file_notes.html,
    )


def load_full(
    cache: Cache, file_notes: FileNotes, root: Path, encoding: str | None
) -> list[Diagnostic]:
    """Bring back what a cached file left in the cache: its notes and its lines of text.
    `root` is the folder the file was read from (see scan). Returns why the file could not be
    read again, if the cache no longer had them."""
    if file_notes.complete:
        return []
    full = cache.get(_full(file_notes.key))
    if full is None:  # deleted or damaged since the file was scanned: read the file again
        was, key = file_notes.source, file_notes.key
        # Until it is read again as it was scanned, nothing may be remembered by its key.
        file_notes.key = ""
        data = read_bytes(was.path, was.display)
        if isinstance(data, Diagnostic):
            return [data]
        again = _read(was.path, root, was.display, encoding, data)
        if not isinstance(again, FileNotes):
            return again
        full = _full_part(again)
        if _bytes_hash(data) == file_notes.bytes_hash:
            file_notes.key = key
            cache.put(_full(key), full)  # mended for the next build
    found, passages, text, notes, html = full
    file_notes.found, file_notes.passages, file_notes.source.text = found, passages, text
    file_notes.notes, file_notes.html = notes, html
    file_notes.complete = True
    return []
