"""Identities recovered from a package: when the identity file is lost (a fresh clone that
forgot it, a cleanup), the last package built from the notes still holds every note's GUID,
modification time, deck, file and fields. Building from those, instead of from nothing, keeps
every note's identity: no duplicates in Anki, no review history lost, and notes whose fields
did not change keep their mod (edits made inside Anki stay).

What the package cannot tell is a note's content as the notes said it; an entry recovered from
it compares the fields that hold what the note says (fingerprint.fields_digest) instead.
"""

from __future__ import annotations

import html
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..fingerprint import fields_digest
from ..notetypes import FIELDS, KIND_OF_MODEL
from ..read.sources import display_path
from ..text import normalise
from .store import REMOVED_TAG, Entry

_SOURCE = re.compile(
    r'<span class="src-deck">(?P<deck>.*?)</span> <span class="src-line">(?P<where>.*?)</span>'
)
_TAG = re.compile(r"<[^>]+>")
_BODY = {"qa": "Answer", "term": "Definition", "cloze": "Text"}


def recover(package: Path, identity_file: Path) -> tuple[list[Entry], Diagnostic]:
    """The identities of the notes `package` holds, and a diagnostic saying what was done —
    an error (no entries) when the package cannot be read."""
    shown = display_path(package)
    try:
        rows = _notes(package)
    except (OSError, zipfile.BadZipFile, sqlite3.DatabaseError, KeyError, ValueError) as exc:
        message = (
            f"{identity_file.name} is missing, and this earlier build of the notes cannot be "
            f"read to recover it ({exc}); restore the identity file from version control, or "
            "delete this package to start over (every note then gets a new identity: "
            "duplicates in a collection that imported it)"
        )
        return [], error("identity-lost", shown, None, message)
    entries = [entry for row in rows if (entry := _entry(*row)) is not None]
    if not entries:
        message = f"{identity_file.name} is missing, and this package holds no notes of ours"
        return [], error("identity-lost", shown, None, message)
    message = (
        f"{identity_file.name} was missing: the identities of {len(entries)} notes were "
        f"recovered from this earlier build, and {identity_file.name} is written anew; commit it"
    )
    return entries, warning("identity-recovered", shown, None, message)


def _notes(package: Path) -> list[tuple[str, int, int, str, str]]:
    """(guid, model id, mod, tags, fields) of every note in the package."""
    with tempfile.TemporaryDirectory(prefix="flashcards-recover-") as scratch:
        database = Path(scratch) / "collection.anki2"
        with zipfile.ZipFile(package) as archive:
            database.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            return list(connection.execute("SELECT guid, mid, mod, tags, flds FROM notes"))
        finally:
            connection.close()


def _entry(guid: str, model_id: int, mod: int, tags: str, flds: str) -> Entry | None:
    kind = KIND_OF_MODEL.get(model_id)
    if kind is None:
        return None
    values = flds.split("\x1f")
    if len(values) != len(FIELDS[kind]):
        return None
    fields = dict(zip(FIELDS[kind], values, strict=True))
    source = _SOURCE.search(fields["Source"])
    if source is None:
        return None
    deck = html.unescape(source["deck"])
    file = html.unescape(source["where"]).removesuffix(" (removed)").rsplit(":", 1)[0]
    tag_list = tags.split()
    own_tags = [tag for tag in tag_list if tag != REMOVED_TAG]
    body = _text(fields[_BODY[kind]])
    content = {"fields": fields, "tags": own_tags, "answer": body}
    return Entry(
        deck=deck,
        digest=fields_digest(kind, fields),
        file=file,
        guid=guid,
        key=normalise(_text(fields[FIELDS[kind][0]])),
        kind=kind,
        mod=mod,
        note=content,
        removed=REMOVED_TAG in tag_list,
    )


def _text(field: str) -> str:
    """A field's text, as it was written in the notes."""
    return html.unescape(_TAG.sub(" ", field)).strip()
