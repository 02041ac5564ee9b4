"""The identity file, `flashcards-ids.json` beside the notes: one entry per note, with its GUID,
when its content last changed (`mod`), and that content, so that a note removed from the notes can
be written once more, tagged `flashcards::removed`. It is meant to be committed with the notes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ..diagnostics import Diagnostic, error
from ..fingerprint import DIGEST_PREFIX, digested
from ..notes import AnyNote, validate_note

IDENTITY_FILE = "flashcards-ids.json"
REMOVED_TAG = "flashcards::removed"

# The identity file as `write` lays it out: one entry per line, keys sorted ("note" before
# "removed", the last key).
_HEADER, _FOOTER = b'{"version": 1, "notes": [', b"]}"
_NOTE_KEY, _REMOVED_KEY = b',"note":', b',"removed":'


@dataclass(slots=True)
class Entry:
    """One note as the identity file remembers it. A plain dataclass: a build makes one per
    note, and pydantic checks each one read from the file (`_ENTRY`, in `_parsed`).
    The fields are in alphabetical order, the order of the keys on each line of the file."""

    deck: str
    file: str
    guid: str
    hash: str  # the digest of the note's own content (fingerprint.content_digest)
    key: str
    kind: str
    mod: int
    note: Any = field(default_factory=dict)  # see content()
    removed: bool = False

    def content(self) -> dict[str, Any]:
        """The note's last content. Read from the file, it stays JSON text until first asked
        for: most builds need the content of no entry, and parsing all of it doubles the memory
        a build of a big collection takes."""
        if isinstance(self.note, bytes):
            try:
                self.note = orjson.loads(self.note)
            except orjson.JSONDecodeError:
                self.note = {}
        if not isinstance(self.note, dict):
            self.note = {}
        return self.note


_ENTRY = TypeAdapter(Entry)


class IdentityFile(BaseModel):
    version: int = 1
    notes: list[Entry] = Field(default_factory=list)


def load(folder: Path) -> tuple[IdentityFile, list[Diagnostic]]:
    path = folder / IDENTITY_FILE
    if not path.exists():
        return IdentityFile(), []
    try:
        return IdentityFile.model_validate(_parsed(path)), []
    except (ValidationError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0]
        return IdentityFile(), [
            error(
                "identity-file",
                path.as_posix(),
                None,
                f"cannot read the identity file ({first}); fix it or restore it from version "
                "control — deleting it gives every note a new identity (duplicates in Anki)",
            )
        ]


def _parsed(path: Path) -> Any:
    """The file's JSON. The file as `write` makes it is read line by line, each entry's note
    kept as JSON text (see Entry.content); any other layout (edited by hand, reformatted by a
    tool) is parsed whole. orjson then pydantic: twice as fast as pydantic parsing JSON."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines[0] != _HEADER or lines[-2:] != [_FOOTER, b""]:
        return orjson.loads(data)
    del data, lines[-2:]
    entries = []
    while len(lines) > 1:  # from the end, each line dropped once read: nothing held twice
        line = lines.pop().removesuffix(b",")
        # No string value can hold `,"note":` (its quote would be escaped), so the first is the
        # key; "removed" is the last key, after the note.
        start, end = line.find(_NOTE_KEY), line.rfind(_REMOVED_KEY)
        if start < 0 or end < start:  # not as `write` makes it: read again, as a whole
            return orjson.loads(path.read_bytes())
        entry = _ENTRY.validate_python(orjson.loads(line[:start] + line[end:]))
        entry.note = line[start + len(_NOTE_KEY) : end]
        entries.append(entry)
    entries.reverse()
    return {"version": 1, "notes": entries}


def _json_text(value: Any) -> Any:
    if isinstance(value, bytes):  # an entry's note, still as read (Entry.content)
        return orjson.Fragment(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def write(path: Path, identity: IdentityFile) -> None:
    """One entry per line, so diffs stay readable (callers write a temporary file and rename
    it into place, see atomic.py)."""
    with path.open("wb") as out:
        out.write(_HEADER)
        for index, entry in enumerate(identity.notes):
            out.write(b",\n" if index else b"\n")
            out.write(orjson.dumps(entry, default=_json_text, option=orjson.OPT_SORT_KEYS))
        out.write(b"\n" + _FOOTER + b"\n")


def same_content(
    previous: str, digest: str, content: bytes, tags: list[str], images: Mapping[str, str]
) -> bool:
    """Whether an entry's digest `previous` is the `digest` of a note's `content` (as JSON),
    however old the entry."""
    if previous.startswith(DIGEST_PREFIX):
        return previous == digest
    # An identity file written before version 2 of the digest holds an unprefixed digest of the
    # same content serialised by `json`: compared once, then rewritten.
    legacy = json.dumps(
        digested(orjson.loads(content), tags, images), ensure_ascii=False, sort_keys=True
    )
    return previous == hashlib.sha256(legacy.encode()).hexdigest()[:20]


def revive(entry: Entry) -> AnyNote | None:
    """The last known content of a note that is gone from the notes."""
    note = validate_note(entry.content())
    return None if isinstance(note, Diagnostic) else note
