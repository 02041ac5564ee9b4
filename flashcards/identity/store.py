"""The identity file, `flashcards-ids.jsonl` beside the notes, meant to be committed with them:
one line per note with its GUID, when its content last changed (`mod`), and that content (so a
note removed from the notes can be written once more, tagged `flashcards::removed`).

It is written for version control: a first line naming the format, then one entry per line in a
stable order (by file, kind and question), holding no line numbers and no paths but the note's
file in the notes folder. Adding a question adds one line; two branches that each add notes
merge cleanly with git's union merge (`flashcards-ids.jsonl merge=union` in .gitattributes),
and `read` resolves what a union merge may leave twice. Files of the format before
(`flashcards-ids.json`, one JSON document) are read, and replaced by the new file on the next
build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from ..diagnostics import Diagnostic, error, info, shorten
from ..notes import AnyNote, validate_note
from ..read.sources import display_path

IDENTITY_FILE = "flashcards-ids.jsonl"
LEGACY_FILE = "flashcards-ids.json"  # the format before: one JSON document
REMOVED_TAG = "flashcards::removed"

HEADER = b'{"flashcards-ids": 2}'
_NOTE_KEY, _REMOVED_KEY = b',"note":', b',"removed":'
_CONFLICT_MARKERS = (b"<<<<<<<", b"=======", b">>>>>>>", b"|||||||")


@dataclass(slots=True)
class Entry:
    """One note as the identity file remembers it. A plain dataclass: a build makes one per
    note, and pydantic checks each one read from the file (`_ENTRY`).
    The fields are in alphabetical order, the order of the keys on each line of the file."""

    deck: str
    digest: str  # of its own content (fingerprint.content_digest)
    file: str  # its file's path in the notes folder
    guid: str
    key: str  # what it is known by (fingerprint.identity_key)
    kind: str
    mod: int
    note: Any = field(default_factory=dict)  # its own content: see content()
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

    def order(self) -> tuple[str, str, str, str]:
        """Where the entry stands in the file."""
        return self.file, self.kind, self.key, self.guid


_ENTRY = TypeAdapter(Entry)


@dataclass
class Identities:
    """What the identity file holds, and where it was read from."""

    entries: list[Entry] = field(default_factory=list)
    path: Path | None = None  # None: there was no identity file
    legacy: bool = False  # read from the format before


def read(folder: Path) -> tuple[Identities, list[Diagnostic]]:
    """The identity file of the notes `folder`, with what is wrong with it (an error names its
    line: a damaged file blocks the build, and is never replaced)."""
    path, legacy = folder / IDENTITY_FILE, False
    if not path.exists() and (folder / LEGACY_FILE).exists():
        path, legacy = folder / LEGACY_FILE, True
    if not path.exists():
        return Identities(), []
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Identities(), [_damaged(shown, None, exc.strerror or str(exc))]
    parsed = _legacy(data, shown) if legacy else _lines(data, shown)
    if isinstance(parsed, Diagnostic):
        return Identities(), [parsed]
    entries, notes = _one_per_guid(parsed, shown)
    return Identities(entries, path, legacy), notes


def _damaged(path: str, line: int | None, problem: str) -> Diagnostic:
    message = (
        f"cannot read the identity file: {problem}; fix it or restore it from version control "
        "(without it, every note gets a new identity: duplicates in Anki)"
    )
    return error("identity-file", path, line, message)


def _lines(data: bytes, path: str) -> list[tuple[int, Entry]] | Diagnostic:
    """The entries of a file in this format, with their lines."""
    lines = data.split(b"\n")
    if lines[0].strip() != HEADER:
        return _damaged(path, 1, f"the first line must be {HEADER.decode()}")
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith(_CONFLICT_MARKERS):
            problem = (
                "git left a merge conflict here; resolve it, or let git merge this file by "
                "union (`flashcards-ids.jsonl merge=union` in .gitattributes) and merge again"
            )
            return _damaged(path, number, problem)
        if not line.strip():
            continue
        entry = _entry(line, path, number)
        if isinstance(entry, Diagnostic):
            return entry
        entries.append((number, entry))
    return entries


def _entry(line: bytes, path: str, number: int) -> Entry | Diagnostic:
    # No string value can hold `,"note":` (its quote would be escaped), so the first is the key;
    # "removed" is the last key, after the note. The note stays JSON text (Entry.content).
    start, end = line.find(_NOTE_KEY), line.rfind(_REMOVED_KEY)
    try:
        if start < 0 or end < start:  # not as `write` makes it (edited by hand): read it all
            return _ENTRY.validate_python(orjson.loads(line))
        entry = _ENTRY.validate_python(orjson.loads(line[:start] + line[end:]))
        orjson.loads(line[start + len(_NOTE_KEY) : end])  # damaged content is damage too
    except orjson.JSONDecodeError as exc:
        return _damaged(path, number, f"not a JSON object ({exc.msg})")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return _damaged(path, number, f"{where}: {first['msg']}")
    entry.note = line[start + len(_NOTE_KEY) : end]
    return entry


def _legacy(data: bytes, path: str) -> list[tuple[int, Entry]] | Diagnostic:
    """The entries of a file in the format before: `{"version": 1, "notes": [...]}`."""
    try:
        document = orjson.loads(data)
        notes = document["notes"] if isinstance(document, dict) else None
        if not isinstance(notes, list):
            return _damaged(path, 1, "no list of notes in it")
        entries = []
        for index, raw in enumerate(notes):
            old = dict(raw)
            old["digest"] = old.pop("hash", "")
            entries.append((index + 2, _ENTRY.validate_python(old)))  # one entry a line, after {
        return entries
    except orjson.JSONDecodeError as exc:
        return _damaged(path, data.count(b"\n", 0, exc.pos) + 1, f"not JSON ({exc.msg})")
    except (ValidationError, TypeError, ValueError) as exc:
        return _damaged(path, None, str(exc).splitlines()[0])


def _one_per_guid(
    entries: list[tuple[int, Entry]], path: str
) -> tuple[list[Entry], list[Diagnostic]]:
    """A GUID written twice (two branches that added the same note, merged by union): the entry
    last changed is kept, and the user is told."""
    kept: dict[str, tuple[int, Entry]] = {}
    notes = []
    for number, entry in entries:
        other = kept.get(entry.guid)
        if other is None:
            kept[entry.guid] = (number, entry)
            continue
        first, second = sorted([other, (number, entry)], key=_newest_first)
        kept[entry.guid] = first
        title = shorten(entry.key, 40)
        message = f"'{title}' is written twice (line {second[0]} too); line {first[0]} is kept"
        notes.append(info("identity-twice", path, first[0], message))
    return [entry for _, entry in kept.values()], notes


def _newest_first(item: tuple[int, Entry]) -> tuple[bool, int, str, int]:
    """Live before removed, then the last changed, then by content, then by line."""
    number, entry = item
    return entry.removed, -entry.mod, entry.digest, number


def _json_text(value: Any) -> Any:
    if isinstance(value, bytes):  # an entry's note, still as read (Entry.content)
        return orjson.Fragment(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def write(path: Path, entries: list[Entry]) -> None:
    """The header, then one entry per line in their stable order (callers write a temporary
    file and rename it into place, see atomic.py)."""
    with path.open("wb") as out:
        out.write(HEADER + b"\n")
        for entry in sorted(entries, key=Entry.order):
            out.write(orjson.dumps(entry, default=_json_text, option=orjson.OPT_SORT_KEYS))
            out.write(b"\n")


def revive(entry: Entry) -> AnyNote | None:
    """The last known content of a note that is gone from the notes, as a note again: in its
    deck, from its file (its line is not kept: it stands at the file's first)."""
    content = entry.content()
    merged = [{**m, "path": entry.file, "line": 1} for m in content.get("merged_from", [])]
    source = {"path": entry.file, "line": 1}
    data = {**content, "deck": entry.deck, "source": source}
    if merged:
        data["merged_from"] = merged
    note = validate_note(data)
    return None if isinstance(note, Diagnostic) else note
