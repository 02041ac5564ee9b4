"""A collection file as a sync target, through the real `anki` package (imported when the
target opens, so the CLI starts fast).

Anki keeps its collection locked while it has it open (SQLite, exclusive): a collection that is
open elsewhere is refused before anything is read or written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..notetypes import FIELDS, KIND_OF_MODEL
from .target import TargetError, TargetNote

_OPEN_ELSEWHERE = "the collection is open in Anki (or another program): close Anki and sync again"


class CollectionTarget:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)
        self.col: Any = None

    def open(self) -> None:
        if not self.path.is_file():
            raise TargetError(f"no collection at {self.path}")
        _check_unlocked(self.path)
        _check_is_collection(self.path)
        from anki.collection import Collection
        from anki.errors import DBError

        try:
            self.col = Collection(str(self.path.resolve()))
        except DBError as exc:  # locked between the check and the open, or not a collection
            raise TargetError(_OPEN_ELSEWHERE if "open" in str(exc) else str(exc)) from exc

    def notes(self) -> list[TargetNote]:
        col = self.col
        mids = ",".join(str(mid) for mid in KIND_OF_MODEL)
        decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
        cards: dict[int, dict[int, str]] = {}
        rows = col.db.all(f"select c.id, c.nid, c.did, c.odid from cards c join notes n on "
                          f"n.id = c.nid where n.mid in ({mids})")  # fmt: skip
        for cid, nid, did, odid in rows:
            cards.setdefault(nid, {})[cid] = decks.get(odid or did, "")
        found = []
        query = f"select id, guid, mid, mod, tags, flds from notes where mid in ({mids})"
        for nid, guid, mid, mod, tags, flds in col.db.all(query):
            kind = KIND_OF_MODEL[mid]
            fields = dict(zip(FIELDS[kind], flds.split("\x1f"), strict=False))
            found.append(TargetNote(nid, kind, fields, tags.split(), guid, mod, cards.get(nid, {})))
        return found

    def import_package(self, package: Path) -> None:
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        request = ImportAnkiPackageRequest(
            package_path=str(package.resolve()), options=ImportAnkiPackageOptions()
        )
        from anki.errors import AnkiException

        try:
            response = self.col.import_anki_package(request)
        except AnkiException as exc:
            raise TargetError(f"Anki could not import {package}: {exc}") from exc
        if response.changes.notetype:
            self.col.models._clear_cache()  # as the desktop app does

    def add_tags(self, nid: int, tags: list[str]) -> None:
        self.col.tags.bulk_add([nid], " ".join(tags))

    def move_cards(self, cids: list[int], deck: str) -> None:
        self.col.set_deck(cids, self.col.decks.id(deck))

    def delete_notes(self, nids: list[int]) -> None:
        self.col.remove_notes(nids)

    def close(self) -> None:
        if self.col is not None:
            self.col.close()
            self.col = None


def _check_unlocked(path: Path) -> None:
    """Refuse a collection another program holds: taking SQLite's write lock for a moment
    (and giving it back at once) fails straight away when Anki has the file open."""
    try:
        db = sqlite3.connect(f"file:{path.resolve()}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error as exc:
        raise TargetError(f"cannot open {path}: {exc}") from exc
    try:
        db.execute("begin exclusive")
        db.rollback()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise TargetError(_OPEN_ELSEWHERE) from exc
        raise TargetError(f"cannot open {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database": a note, a package …
        raise TargetError(_NOT_A_COLLECTION) from exc
    finally:
        db.close()


_NOT_A_COLLECTION = "not an Anki collection (give the collection.anki2 of an Anki profile)"


def _check_is_collection(path: Path) -> None:
    """Refuse any other SQLite file before Anki opens it: Anki would write its whole schema
    into it (and an empty file would become a new collection, where a missing one is refused)."""
    db = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=0)
    try:
        names = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as exc:
        raise TargetError(_NOT_A_COLLECTION) from exc
    finally:
        db.close()
    if not {"col", "notes", "cards", "revlog"} <= names:
        raise TargetError(_NOT_A_COLLECTION)
