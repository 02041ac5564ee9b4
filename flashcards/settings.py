"""What every file's and deck's work in a build depends on besides the files themselves."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .cache import Cache
from .enrich.terms.glossary import Glossary
from .read.sources import display_path


@dataclass(frozen=True)
class Settings:
    """What every file's and deck's work depends on besides the files themselves."""

    root: Path  # the notes folder: a file's path there is its stable name
    encoding: str | None
    glossary: Glossary | None
    merge: bool
    cache: Cache
    shown_at: Path | None = None  # where `root` is shown to be (the archive itself), if moved

    def display(self, path: Path) -> str:
        """How a file is shown: its path, or where it stands in an archive (`Export.zip/a.md`)."""
        if self.shown_at is None:
            return display_path(path)
        return display_path(self.shown_at / path.relative_to(self.root))

    @property
    def place(self) -> str:
        """The notes folder as cached results know it (an archive by its path, not its temporary
        folder: its name is in the diagnostics cached)."""
        return str(self.shown_at or self.root)

    @cached_property
    def _deck_options(self) -> str:
        glossary = hashlib.sha256(pickle.dumps(self.glossary)).hexdigest()
        return f"{glossary}-{'merge' if self.merge else 'no-merge'}"

    def deck_key(self, cache_keys: list[str]) -> str:
        """What the deck of the files with these cache keys is cached under."""
        return Cache.key(b"", "deck", self._deck_options, *cache_keys)
