"""Identity: GUIDs and modification times that survive edits of the notes — the identity file
(store.py), every note matched to its entry (match.py), and every note stamped with the time its
content last changed (stamp.py → `PackagedNote`s and the file's new entries)."""

from .match import Matching, match
from .stamp import Changes, PackagedNote, Stamped, stamp, wait_until_past
from .store import IDENTITY_FILE, REMOVED_TAG, IdentityFile, load, write

__all__ = [
    "IDENTITY_FILE",
    "REMOVED_TAG",
    "Changes",
    "IdentityFile",
    "Matching",
    "PackagedNote",
    "Stamped",
    "load",
    "match",
    "stamp",
    "wait_until_past",
    "write",
]
