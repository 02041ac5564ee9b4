"""Identity: GUIDs and modification times that survive what users do to their notes — the
identity file (store.py; recovered from the last package when it is lost: recover.py), every note
matched to its entry (match.py), and every note stamped with the time its content last changed
(stamp.py → `PackagedNote`s and the file's new entries)."""

from .match import Matching, gone_files, match
from .recover import recover
from .stamp import Changes, Moved, PackagedNote, Stamped, stamp, wait_until_past
from .store import IDENTITY_FILE, LEGACY_FILE, REMOVED_TAG, Entry, Identities, read, write

__all__ = [
    "IDENTITY_FILE",
    "LEGACY_FILE",
    "REMOVED_TAG",
    "Changes",
    "Entry",
    "Identities",
    "Matching",
    "Moved",
    "PackagedNote",
    "Stamped",
    "gone_files",
    "match",
    "read",
    "recover",
    "stamp",
    "wait_until_past",
    "write",
]
