"""Scan: read and extract every note file — from the cache when unchanged, in parallel when big.

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

from .cache import Cache
from .extract import FileNotes, extract_file
from .glossary import Glossary
from .merge import decisions_for
from .models import Diagnostic, QANote, error
from .sources import display_path, read_bytes, read_source
from .terms import find_terms
from .validate import validate_file

Progress = Callable[[int, int], None]
# Below this much uncached text, starting worker processes costs more than it saves.
PARALLEL_BYTES = 2_000_000

Outcome = FileNotes | list[Diagnostic]
Job = tuple[Path, Path, str, str | None, bytes, "Glossary | None", Cache, str]


def _process(job: Job) -> Outcome:
    """One file in a worker (or in this process): the work, the cache entry, and the result.
    With a cache, the result leaves its lines of text there: only a deck of several files needs
    them again (load_detail)."""
    path, root, display, encoding, data, glossary, cache, key = job
    outcome = _extract(path, root, display, encoding, data, glossary)
    if isinstance(outcome, FileNotes):
        outcome.key = key
        if cache.folder is not None:
            _store(cache, outcome)
    return outcome


def _extract(
    path: Path,
    root: Path,
    display: str,
    encoding: str | None,
    data: bytes,
    glossary: Glossary | None = None,
) -> Outcome:
    """Read, extract and validate one file, find its key terms and decide its merges: everything
    that depends on that file alone (and the glossary). A deck of one file — the usual case —
    needs no more."""
    source = read_source(path, root, encoding, data, display)
    if isinstance(source, list):
        return source
    try:
        file_notes = extract_file(source)
    except RecursionError:  # the parser's tree builder recurses once per nesting level
        message = "nested too deeply to read (emphasis, lists or quotes thousands of levels deep)"
        return [error("too-deep", source.display, None, message)]
    validate_file(file_notes)
    if file_notes.usable:
        file_notes.terms = find_terms([file_notes], glossary)
        file_notes.merges = decisions_for([n for n in file_notes.notes if isinstance(n, QANote)])
    return file_notes


def scan(
    found: list[tuple[Path, Path]],
    encoding: str | None,
    cache: Cache,
    progress: Progress | None = None,
    glossary: Glossary | None = None,
) -> tuple[list[FileNotes], list[Diagnostic]]:
    glossary_key = hashlib.sha256(pickle.dumps(glossary)).hexdigest()
    outcomes: list[Outcome | None] = [None] * len(found)
    todo: list[tuple[int, str, bytes, str]] = []
    resolved: dict[Path, str] = {}  # every file's root is usually the same folder
    for index, (path, root) in enumerate(found):
        display = display_path(path)
        data = read_bytes(path, display)
        if isinstance(data, Diagnostic):
            outcomes[index] = [data]
            continue
        if root not in resolved:
            resolved[root] = str(root.resolve())
        key = Cache.key(data, display, resolved[root], encoding or "", glossary_key)
        cached = cache.get(key) if cache.has(_detail(key)) else None
        if isinstance(cached, FileNotes):
            cache.keep(_detail(key))
            cached.source.path = path  # the same bytes, possibly reached another way
            outcomes[index] = cached
        else:
            todo.append((index, display, data, key))

    done = len(found) - len(todo)
    big = sum(len(data) for _, _, data, _ in todo) >= PARALLEL_BYTES
    workers = min(os.cpu_count() or 1, len(todo)) if big else 1
    jobs: list[Job] = [
        (found[i][0], found[i][1], display, encoding, data, glossary, cache, key)
        for i, display, data, key in todo
    ]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_process, jobs, chunksize=4)
            fresh = _track(results, done, len(found), progress)
    else:
        fresh = _track((_process(job) for job in jobs), done, len(found), progress)
    for (index, _, _, key), outcome in zip(todo, fresh, strict=True):
        outcomes[index] = outcome
        cache.keep(key)  # written by the worker: this build used it
        cache.keep(_detail(key))

    files: list[FileNotes] = []
    diagnostics: list[Diagnostic] = []
    for result in outcomes:
        if isinstance(result, FileNotes):
            files.append(result)
            diagnostics.extend(result.diagnostics)
        elif result is not None:
            diagnostics.extend(result)
    cache.prune()
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


# A cached file is stored in two parts: what every build needs (its validated notes and
# diagnostics), and the detail only key-term discovery reads (every line of text), which is loaded
# only for decks whose terms must be found again.


def _detail(key: str) -> str:
    return f"{key}-detail"


def _store(cache: Cache, file_notes: FileNotes) -> None:
    """Cache the file in its two parts; the file keeps only the first."""
    detail = (file_notes.found, file_notes.passages, file_notes.source.text)
    cache.put(_detail(file_notes.key), detail)
    _drop_detail(file_notes)
    cache.put(file_notes.key, file_notes)


def _drop_detail(file_notes: FileNotes) -> None:
    file_notes.found, file_notes.passages = [], []
    file_notes.source = replace(file_notes.source, text="")
    file_notes.detailed = False


def load_detail(cache: Cache, file_notes: FileNotes, encoding: str | None) -> None:
    """Bring back a cached file's lines of text, for key-term discovery."""
    if file_notes.detailed:
        return
    detail = cache.get(_detail(file_notes.key))
    if detail is None:  # the cache folder was deleted during the build: read the file again
        source = read_source(file_notes.source.path, file_notes.source.path.parent, encoding)
        again = extract_file(source) if not isinstance(source, list) else None
        detail = (again.found, again.passages, again.source.text) if again else ([], [], "")
    file_notes.found, file_notes.passages, file_notes.source.text = detail
    file_notes.detailed = True
