"""A per-file cache of each file's results, so a rebuild re-reads only the files that changed.

Entries are keyed by the file's bytes, how it is shown, the folder it is read from, the
`--encoding` and merge options, the glossary, and the code that made them (this package's source
and the versions of the libraries that parse, render and match): a stale entry is never used, and
a build deletes the entries it did not use, and the caches older code made for the same notes.
The cache lives in the user's cache folder (`$XDG_CACHE_HOME/flashcards`, else
`~/.cache/flashcards`), one folder per notes folder and code — never beside the notes: its
pickles must not travel with notes that are shared. It is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Mapping
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__, atomic

# What the cached results depend on besides the package's own source.
LIBRARIES = ("markdown-it-pyrs", "markdown-it-py", "nh3", "pydantic", "rapidfuzz", "orjson")


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "flashcards"


@cache
def code_version() -> str:
    """The package's version and a digest of its source and libraries: an edited checkout of the
    same version must not read what the code before the edit cached."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
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
            self.folder.mkdir(parents=True, exist_ok=True)
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

    def keep(self, key: str) -> None:
        """Count an entry as used without loading it, so `prune` leaves it."""
        self.used.add(key)

    def memo(self, name: str) -> Memo:
        """A named memo kept between builds: save it with `save_memo`."""
        old = self.get(f"memo-{name}")
        return Memo(old if isinstance(old, dict) else {})

    def save_memo(self, name: str, entries: Mapping[str, Any]) -> None:
        """Keep `entries` (a Memo keeps only what this build used) for the next build."""
        self.put(f"memo-{name}", dict(entries))

    def prune(self) -> None:
        """Forget entries this build did not use, so the folder does not grow without bound."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.pickle"):
            if entry.stem not in self.used and not entry.stem.startswith("memo-"):
                entry.unlink(missing_ok=True)
        # What other code (an older version, a checkout before an edit) cached for these notes.
        for other in self.folder.parent.parent.glob(f"*/{self.folder.name}"):
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
                with suppress(OSError):  # its folder too, if no other notes use it
                    other.parent.rmdir()


class Memo(dict[str, Any]):
    """Remembered results; only entries read or written in this build are kept when saved."""

    def __init__(self, previous: dict[str, Any]) -> None:
        super().__init__()
        self.previous = previous

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self and key in self.previous:
            self[key] = self.previous[key]
        return super().get(key, default)
