"""Sync: bring an Anki collection up to date with the notes in one step — `flashcards sync`.

    sync(paths, target, now=...) -> SyncResult     (run.py)

A target is a collection file (collection.py, the real `anki` package) or a running Anki
through AnkiConnect (ankiconnect.py), behind one protocol (target.py); plan.py matches the
package's notes with the target's and says what changes. `flashcards watch --sync` calls
`sync` once per rebuild with the same target.
"""

from .ankiconnect import DEFAULT_URL, AnkiConnectTarget, is_loopback
from .collection import CollectionTarget
from .plan import Move, Removed
from .result import SyncResult
from .run import Confirm, forget, sync
from .target import Target, TargetError, TargetNote

__all__ = [
    "DEFAULT_URL",
    "AnkiConnectTarget",
    "CollectionTarget",
    "Confirm",
    "Move",
    "Removed",
    "SyncResult",
    "Target",
    "TargetError",
    "TargetNote",
    "forget",
    "is_loopback",
    "sync",
]
