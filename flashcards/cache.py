"""A cache of each file's and each deck's results, so a rebuild re-reads only what changed.

Entries are keyed by what their caller names (a file's bytes, how it is read; a deck's files and
options: workers.py) and by the code that made them (this package's source, Python's version
and the libraries'): a stale entry is never used. A build deletes the
entries it did not use, and all but the latest caches other code made for the same notes.
The cache lives in the user's cache folder (`$XDG_CACHE_HOME/flashcards`, else
`~/.cache/flashcards`), one folder per notes folder and code — never beside the notes: its
pickles must not travel with notes that are shared. It is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__, atomic

# What the cached results depend on besides the package's own source and Python's version:
# the libraries that decode, parse, validate, render and match.
LIBRARIES = (
    "charset-normalizer", "PyYAML", "markdown-it-pyrs", "markdown-it-py", "pydantic", "nh3",
    "rapidfuzz", "orjson",
)  # fmt: skip
# Caches other code made for the same notes (another install, a checkout before an edit) that
# are kept, the most recently used first, so that two installs used in turn do not start cold.
KEEP_OTHER_CODE = 2


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # as the XDG spec says: a relative path is ignored
        base = str(Path.home() / ".cache")
    return Path(base) / "flashcards"


@cache
def code_version() -> str:
    return code_digest(Path(__file__).parent, LIBRARIES)


def code_digest(package: Path, libraries: tuple[str, ...]) -> str:
    """The package's version and a digest of its source, Python's version and the libraries':
    an edited checkout of the same version must not read what the code before the edit cached."""
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in libraries:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return f"{__version__}-{digest.hexdigest()[:12]}"


class Cache:
    def __init__(self, notes_folder: Path | None) -> None:
        self.folder: Path | None = None
        if notes_folder is not None:
            where = hashlib.sha256(str(notes_folder.resolve()).encode()).hexdigest()[:16]
            self.folder = cache_root() / code_version() / where
        self.used: set[str] = set()

    def __getstate__(self) -> dict[str, object]:
        """As a worker process gets it: what this build used is the main process's business."""
        return {"folder": self.folder, "used": set()}

    @staticmethod
    def key(data: bytes, *context: str) -> str:
        digest = hashlib.sha256()
        for part in (code_version(), *context):
            digest.update(part.encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{key}.pickle", "rb") as handle:
                value = pickle.load(handle)
        except Exception:  # a damaged or foreign cache file is only a cache miss
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> bool:
        """Keep `value` under `key`; False if it could not be written."""
        if self.folder is None:
            return False
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            # Not synced to disk (a build writes hundreds of entries, and a sync can cost
            # milliseconds each): an entry a crash cuts short fails to load, a cache miss.
            atomic.write_bytes(self.folder / f"{key}.pickle", data, durable=False)
            self.used.add(key)
            return True
        except OSError:
            return False  # a cache that cannot be written only costs time

    def has(self, key: str) -> bool:
        return self.folder is not None and (self.folder / f"{key}.pickle").is_file()

    def drop(self, key: str) -> None:
        """Delete an entry that turned out to be of no use."""
        self.used.discard(key)
        if self.folder is not None:
            with suppress(OSError):  # a cache that cannot be written holds nothing to delete
                (self.folder / f"{key}.pickle").unlink(missing_ok=True)

    def keep(self, key: str) -> None:
        """Count an entry as used without loading it, so `prune` leaves it."""
        self.used.add(key)

    def prune(self) -> None:
        """Forget entries this build did not use, so the folder does not grow without bound."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.pickle"):
            if entry.stem not in self.used:
                entry.unlink(missing_ok=True)
        os.utime(self.folder)  # used now: see KEEP_OTHER_CODE
        others = [
            other
            for other in self.folder.parent.parent.glob(f"*/{self.folder.name}")
            if other != self.folder and not other.parent.is_symlink() and not other.is_symlink()
        ]
        others.sort(key=_last_used, reverse=True)
        for other in others[KEEP_OTHER_CODE:]:
            shutil.rmtree(other, ignore_errors=True)
            with suppress(OSError):  # its code's folder too, if no other notes use it
                other.parent.rmdir()


def _last_used(folder: Path) -> float:
    try:
        return folder.stat().st_mtime
    except OSError:  # deleted meanwhile, by a build with other code
        return 0.0
