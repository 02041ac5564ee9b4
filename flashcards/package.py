"""Package: `PackagedNote`s written as a deterministic .apkg — the note types (genanki models),
the collection's rows, the media.

The note types' ids and fields are a frozen contract (notetypes.py). Template text and CSS may
change (bump TEMPLATE_VERSION so Anki takes the new version).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import genanki

from . import atomic
from .identity import PackagedNote
from .notetypes import FIELDS, MODEL_IDS, NAMES
from .render.templates import CSS, TEMPLATES

QA_MODEL_ID, TERM_MODEL_ID, CLOZE_MODEL_ID = MODEL_IDS["qa"], MODEL_IDS["term"], MODEL_IDS["cloze"]

# When templates or CSS change, set this to the (past) time of the change: Anki updates a note
# type only when the package's copy is newer.
TEMPLATE_VERSION = 1796050000  # 2026-11-30


def _model(kind: str, model_type: int) -> Any:
    return genanki.Model(
        MODEL_IDS[kind],
        NAMES[kind],
        fields=[{"name": f} for f in FIELDS[kind]],
        templates=TEMPLATES[kind],
        css=CSS,
        model_type=model_type,
        sort_field_index=0,
    )


MODELS = {
    "qa": _model("qa", genanki.Model.FRONT_BACK),
    "term": _model("term", genanki.Model.FRONT_BACK),
    "cloze": _model("cloze", genanki.Model.CLOZE),
}


def deck_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], "big") | (1 << 50)


def card_ords(note: PackagedNote) -> list[int]:
    """The cards Anki makes for the note (their template numbers): one per template whose front
    is not empty (Meaning → Term needs a Prompt), and one per cloze number; none for a note
    removed from the notes (identity/stamp.py says why)."""
    if note.removed:
        return []
    if note.kind == "cloze":
        return _cloze_ords(note.fields["Text"])
    if note.kind == "term":
        return [0, 1] if note.fields["Prompt"] else [0]
    return [0]


_CLOZE_MARK = re.compile(r"\{\{c(\d+)::|\}\}")


def _cloze_ords(text: str) -> list[int]:
    """As Anki counts them: closed clozes, nested ones too, but not c0 nor anything inside a
    cloze left open (that is text); a note with none still gets its first card."""
    opened: list[tuple[int, set[int]]] = []  # each open cloze, with the numbers closed inside
    ords: set[int] = set()
    for mark in _CLOZE_MARK.finditer(text):
        if mark.group(1) is not None:
            opened.append((int(mark.group(1)), set()))
        elif opened:
            number, inside = opened.pop()
            found = inside | ({number - 1} if number > 0 else set())
            (opened[-1][1] if opened else ords).update(found)
    return sorted(ords) or [0]


def card_count(note: PackagedNote) -> int:
    return len(card_ords(note))


def write_package(notes: list[PackagedNote], out: Path, media: dict[str, Path]) -> None:
    """Write `notes` (and `media`: name → file) as an .apkg at `out` (callers write to a
    temporary file and rename it, see atomic.py)."""
    with tempfile.TemporaryDirectory(prefix="flashcards-") as scratch:
        db_path = Path(scratch) / "collection.anki2"
        _write_collection(notes, db_path)
        _zip(db_path, out, media)


def _write_collection(notes: list[PackagedNote], db_path: Path) -> None:
    """genanki writes the collection; its decks, note types, notes and cards are written here,
    as genanki would write them (the same rows and ids) but in batches, because genanki's note
    objects cost more than everything else in the package."""
    by_deck: dict[str, list[PackagedNote]] = {}
    for note in notes:
        by_deck.setdefault(note.deck, []).append(note)
    # Ids come from a counter seeded with this timestamp: a fixed one keeps builds reproducible.
    stamp = max((n.mod for n in notes), default=TEMPLATE_VERSION)
    ids = itertools.count(stamp * 1000)
    card_rows: list[tuple[Any, ...]] = []

    def note_rows() -> Iterator[tuple[Any, ...]]:
        # Rows are made as SQLite takes them: the fields of every note are not held twice.
        for name, deck_notes in by_deck.items():
            did = deck_id(name)
            for note in deck_notes:
                nid = next(ids)
                fields = [note.fields[name] for name in FIELDS[note.kind]]
                tags = " " + " ".join(note.tags) + " "
                model_id = MODELS[note.kind].model_id
                yield (nid, note.guid, model_id, note.mod, -1, tags, "\x1f".join(fields), fields[0])
                for ord_ in card_ords(note):
                    card_rows.append((next(ids), nid, did, ord_, note.mod, 0, note.due))

    conn = sqlite3.connect(db_path)
    try:
        cursor = conn.cursor()
        # A scratch file, zipped when complete: no journal needed.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        genanki.Package([]).write_to_db(cursor, TEMPLATE_VERSION, ids)  # tables, default deck
        _write_decks(cursor, by_deck)
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,0,0,'')", note_rows())
        cards = "INSERT INTO cards VALUES(?,?,?,?,?,-1,0,?,?,0,0,0,0,0,0,0,0,'')"
        cursor.executemany(cards, card_rows)
        # genanki stamps collection-level rows with its own time; pin them for reproducibility.
        cursor.execute("UPDATE col SET crt = ?, mod = ?, scm = ?", (0, stamp * 1000, stamp * 1000))
        conn.commit()
    finally:
        conn.close()


def _write_decks(cursor: Any, by_deck: dict[str, list[PackagedNote]]) -> None:
    """The decks and the note types they use, in the collection row, as genanki writes them but
    in one update (genanki rewrites both lists once per deck)."""
    decks = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
    models = json.loads(cursor.execute("SELECT models FROM col").fetchone()[0])
    for name, deck_notes in by_deck.items():
        did = deck_id(name)
        decks[str(did)] = genanki.Deck(did, name).to_json()
        for kind in dict.fromkeys(note.kind for note in deck_notes):
            models[str(MODELS[kind].model_id)] = MODELS[kind].to_json(TEMPLATE_VERSION, did)
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(models)))


def _zip(db_path: Path, target: Path, media: dict[str, Path]) -> None:
    # Deflated at the fastest level: a tenth of genanki's stored size on the benchmark corpus
    # (5.9 MB instead of 57 MB for 50,000 notes) in 0.16 s; the default level saves another
    # megabyte for 0.4 s more. Members are streamed, not read whole, and all carry zipfile's
    # fixed default date, so the same notes always give the same bytes.
    names = sorted(media)
    index = json.dumps({str(i): name for i, name in enumerate(names)}).encode()
    entries: list[tuple[str, Path | bytes]] = [("collection.anki2", db_path), ("media", index)]
    entries += [(str(i), media[name]) for i, name in enumerate(names)]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.comment = PACKAGE_MARK
        for name, content in entries:
            with archive.open(name, "w") as member:
                if isinstance(content, bytes):
                    member.write(content)
                else:
                    with content.open("rb") as data:
                        shutil.copyfileobj(data, member, 1 << 20)


def replace_refusal(path: Path) -> str | None:
    """Why a package must not be written over what is at `path`, or None when it may (nothing
    there, an empty file, or a package this tool wrote: see `is_our_package`)."""
    return atomic.replace_refusal(path, is_our_package, "a package flashcards wrote")


# The zip comment of every package written here (Anki ignores it): the next build knows its
# own output from the zip's directory alone, without unpacking a collection of 20 MB (30 ms,
# and a build asks twice).
PACKAGE_MARK = b"flashcards package"


def is_our_package(path: Path) -> bool:
    """Whether `path` is a package this tool wrote: a zip marked as ours, or (written before the
    mark) holding `collection.anki2` whose note types are all ours (Anki's own exports, and
    collections, hold others)."""
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as scratch:
            if archive.comment == PACKAGE_MARK and "collection.anki2" in archive.namelist():
                return True
            database = Path(archive.extract("collection.anki2", scratch))
            conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
            try:
                models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
            finally:
                conn.close()
        ids = {int(model_id) for model_id in models}
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, sqlite3.Error):
        return False
    return bool(ids) and ids <= set(MODEL_IDS.values())
