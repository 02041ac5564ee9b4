"""Watch: run an action (a build, later a build and a sync) once, then again after each burst
of saves to the notes.

The core knows nothing of what the action does: it yields each action's result with the files
whose change caused it, and the command prints. A burst — an editor's save (temporary file,
rename, chmod), a `git checkout`, several files written at once — is one run: changes are
gathered until none has come for `step_ms` (watchfiles' debounce). Only notes, images and the
glossary count; the output folder, the identity file, hidden files and editors' temporary files
never do, so a build never triggers the next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from .diagnostics import Diagnostic, error
from .enrich.terms.glossary import GLOSSARY_NAMES
from .identity import IDENTITY_FILE, LEGACY_FILE
from .read.sources import NOTE_SUFFIXES, display_path
from .render.media import IMAGE_SUFFIXES

R = TypeVar("R")

# Editors' scratch files: vim's swap files and its write test, emacs' locks and autosaves,
# backups, JetBrains' safe-write files, partial downloads.
_TEMPORARY = re.compile(
    r"^(?:\.#.*|#.*#|4913|.*~|.*\.sw[a-p]|.*\.tmp|.*\.bak|.*___jb_\w+___|.*\.(?:part|crdownload))$",
    re.IGNORECASE,
)
_WATCHED_SUFFIXES = set(NOTE_SUFFIXES) | IMAGE_SUFFIXES


class StopEvent(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class Run(Generic[R]):
    """One run of the action: the files whose change caused it (none for the first run)."""

    changed: list[Path]
    result: R


@dataclass(frozen=True)
class Relevant:
    """Which changed paths call for a new run (a watchfiles filter)."""

    files: frozenset[Path]  # note files named on the command line (resolved)
    folders: tuple[Path, ...]  # folders named on the command line (resolved)
    ignored: tuple[Path, ...]  # output files and folders (resolved): never a reason to run

    def __call__(self, change: Any, path: str) -> bool:
        return self.counts(Path(path))

    def counts(self, path: Path) -> bool:
        path = path.absolute()
        name = path.name
        if name in (IDENTITY_FILE, LEGACY_FILE) or _TEMPORARY.match(name):
            return False
        if any(path == out or path.is_relative_to(out) for out in self.ignored):
            return False
        if path in self.files or name in GLOSSARY_NAMES:
            return True
        for folder in self.folders:
            if path.is_relative_to(folder):
                inside = path.relative_to(folder).parts
                hidden = any(part.startswith(".") for part in inside)
                return not hidden and path.suffix.lower() in _WATCHED_SUFFIXES
        return False


def relevant(paths: Sequence[Path], ignored: Sequence[Path]) -> Relevant:
    files = frozenset(p.resolve() for p in paths if not p.is_dir())
    folders = tuple(p.resolve() for p in paths if p.is_dir())
    return Relevant(files, folders, tuple(p.resolve() for p in ignored))


def roots(paths: Sequence[Path]) -> list[Path]:
    """The folders to watch: each folder named, and the folder of each file named (an editor
    may save a file by replacing it, which a watch on the file itself would lose)."""
    found = {(p if p.is_dir() else p.parent).resolve() for p in paths}
    return sorted(p for p in found if p.is_dir())


def watch(
    paths: Sequence[Path],
    action: Callable[[list[Path]], R],
    *,
    ignored: Sequence[Path] = (),
    stop_event: StopEvent | None = None,
    step_ms: int = 300,
) -> Iterator[Run[R]]:
    """Run `action([])`, then `action(changed files)` after each burst of relevant changes,
    until `stop_event` is set (or the generator is closed). Ctrl-C raises KeyboardInterrupt."""
    from watchfiles import watch as changes_in

    yield Run([], action([]))
    bursts = changes_in(
        *roots(paths),
        watch_filter=relevant(paths, ignored),
        debounce=1600,
        step=step_ms,
        stop_event=stop_event,
        rust_timeout=500,  # how often a stop_event is looked at
    )
    for burst in bursts:
        changed = sorted({Path(path) for _, path in burst})
        yield Run(changed, action(changed))


def unwatchable(paths: Sequence[Path], out: Path | None) -> list[Diagnostic]:
    """What makes a watch pointless from the start, so it stops at once instead of failing at
    every save: a path that is not there, an output it would never be allowed to write."""
    from .package import replace_refusal

    problems = [
        error("not-found", display_path(path), None, "no such file or folder")
        for path in paths
        if not path.exists()
    ]
    refused = replace_refusal(out) if out is not None else None
    if out is not None and refused:
        problems.append(error("not-ours", out.as_posix(), None, refused))
    return problems
