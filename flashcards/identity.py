"""Identity: keep every note's GUID and modification time stable across edits of the notes.

Anki matches imported notes only by GUID and updates one only when the package's `mod` is newer
(../shared/anki-import-facts.md). So:
  * a GUID is never derived from field text: a new note gets one from its deck, kind and
    question, and from then on the identity file remembers it;
  * on rebuild, notes are matched to the file's entries exactly first, then fuzzily (a typo fix,
    a reworded question, an edited answer, a question moved to another file), so the GUID — and
    the user's review history with it — survives ordinary editing;
  * a note's `mod` changes only when its content does, so re-importing an unchanged note leaves
    it (and edits the user made to it inside Anki) alone.
The identity file (`flashcards-ids.json` in the source folder) is meant to be committed with the
notes. It also keeps each note's last content, so a note removed from the notes can be written
once more, tagged `flashcards::removed`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import genanki
import orjson
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from .merge import normalise, same_technical_terms
from .models import (
    AnyNote,
    Diagnostic,
    Rendered,
    content_body,
    error,
    info,
    shorten,
    validate_note,
)

IDENTITY_FILE = "flashcards-ids.json"
REMOVED_TAG = "flashcards::removed"

# Fuzzy thresholds (rapidfuzz scores, 0–100). A typo fix or light rewording keeps the question
# score high; an edited answer under the same question keeps the question score high too; a
# reworded question with an unchanged answer keeps the answer score high.
SAME_QUESTION = 85
REWORDED_QUESTION = 60
SAME_ANSWER = 80

# The identity file as `write` lays it out: one entry per line, keys sorted ("note" before
# "removed", the last key).
_HEADER, _FOOTER = b'{"version": 1, "notes": [', b"]}"
_NOTE_KEY, _REMOVED_KEY = b',"note":', b',"removed":'
# Identity files written before version 2 of the content digest hold unprefixed digests of the
# same content serialised by `json`; such an entry is compared with that digest once, and
# rewritten (same_content).
HASH_PREFIX = "2:"


@dataclass(slots=True)
class Entry:
    """One note as the identity file remembers it. A plain dataclass: a build makes one per
    note, and pydantic checks each one read from the file (`_ENTRY`, in `_parsed`).
    The fields are in alphabetical order, the order of the keys on each line of the file."""

    deck: str
    file: str
    guid: str
    hash: str
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


def identity_key(note: AnyNote) -> str:
    """The text a note is known by: its question, term or cloze text, normalised."""
    return normalise(note.title)


def _body_key(body: str) -> str:
    """An answer or definition as fuzzy matching compares it."""
    return normalise(body)[:600]


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


@dataclass
class Matching:
    """How this build's notes relate to the identity file's entries."""

    entry_of: dict[int, Entry] = field(default_factory=dict)  # note index → matched entry
    fuzzy: list[tuple[int, Entry]] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    kept: list[Entry] = field(default_factory=list)  # entries of files this build did not read
    diagnostics: list[Diagnostic] = field(default_factory=list)


def match(
    rows: list[Rendered], identity: IdentityFile, files: Mapping[str, str], scope: set[str]
) -> Matching:
    """Give every note a GUID: the one it had before if it can be recognised, else a new one.

    `files` maps each displayed path to its path in the notes folder (what entries record);
    `scope` holds the paths read in this build. Entries of other files (a build of one file of
    the folder, a file skipped for its errors) are neither matched nor removed: they are kept."""
    result = Matching()
    pool: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in identity.notes:
        if entry.file in scope:
            pool[(entry.kind, entry.key)].append(entry)
        else:
            result.kept.append(entry)
    # Exact: same kind and question; a note of the same deck first, so that a question one deck
    # gains never takes another deck's note (and its history) while that one still exists.
    for same_deck in (True, False):
        for index, row in enumerate(rows):
            if index in result.entry_of:
                continue
            candidates = [
                e for e in pool.get((row.kind, row.key), []) if e.deck == row.deck or not same_deck
            ]
            if candidates:
                best = _best_exact(row, candidates, files)
                pool[(row.kind, best.key)].remove(best)
                result.entry_of[index] = best
    waiting = [i for i in range(len(rows)) if i not in result.entry_of]
    left = [e for entries in pool.values() for e in entries]
    _fuzzy(rows, waiting, left, result)
    claimed = {id(e) for e in result.entry_of.values()}
    result.removed = [e for e in identity.notes if e.file in scope and id(e) not in claimed]
    taken = {e.guid for e in identity.notes}
    for index, row in enumerate(rows):
        known = result.entry_of.get(index)
        row.guid = known.guid if known is not None else _new_guid(row, taken)
        taken.add(row.guid)
    for index, entry in result.fuzzy:
        row = rows[index]
        result.diagnostics.append(
            info(
                "matched-after-edit",
                row.path,
                row.line,
                f"kept the identity (and review history) of {entry.file}: "
                f"'{shorten(entry.content().get('question') or entry.key, 40)}'",
            )
        )
    for entry in result.entry_of.values():
        entry.note = {}  # a matched note's last content is its new one: free the old copy early
    return result


def _best_exact(row: Rendered, candidates: list[Entry], files: Mapping[str, str]) -> Entry:
    """Among entries with the same question: the same answer, then the same file, live first."""
    if len(candidates) == 1:
        return candidates[0]
    body = _body_key(row.body)
    file = files.get(row.path, row.path)
    return min(candidates, key=lambda e: (_body_of_entry(e) != body, e.file != file, e.removed))


def _fuzzy(rows: list[Rendered], waiting: list[int], left: list[Entry], result: Matching) -> None:
    if not waiting or not left:
        return
    import numpy as np
    from rapidfuzz import fuzz, process

    scores: list[tuple[float, int, int]] = []
    for kind in {rows[i].kind for i in waiting}:
        new = [i for i in waiting if rows[i].kind == kind]
        old = [j for j, e in enumerate(left) if e.kind == kind]
        if not old:
            continue
        bodies = [_body_key(rows[i].body) for i in new]
        question = process.cdist(
            [rows[i].key for i in new], [left[j].key for j in old],
            scorer=fuzz.ratio, workers=1,
        )  # fmt: skip
        body = process.cdist(
            bodies, [_body_of_entry(left[j]) for j in old], scorer=fuzz.ratio, workers=1
        )
        same = (question >= SAME_QUESTION) | (
            (question >= REWORDED_QUESTION) & (body >= SAME_ANSWER)
        )
        long_body = np.array([len(b) >= 20 for b in bodies])[:, None]
        for a, b in zip(*np.nonzero(same | ((body >= 95) & long_body)), strict=True):
            i, j = new[a], old[b]
            # "CNN의 장점은?" rewritten as "RNN의 장점은?" is another question, however close.
            if kind != "qa" or same_technical_terms(rows[i].key, left[j].key, typos=True):
                scores.append((float(question[a, b]) + float(body[a, b]), i, j))
    used_new: set[int] = set()
    used_old: set[int] = set()
    for _, i, j in sorted(scores, key=lambda t: (-t[0], t[1], t[2])):
        if i in used_new or j in used_old:
            continue
        used_new.add(i)
        used_old.add(j)
        result.entry_of[i] = left[j]
        result.fuzzy.append((i, left[j]))
    result.fuzzy.sort(key=lambda pair: pair[0])


def _body_of_entry(entry: Entry) -> str:
    return _body_key(content_body(entry.content()))


def _new_guid(row: Rendered, taken: set[str]) -> str:
    salt = 0
    while True:
        guid: str = genanki.guid_for("flashcards", row.deck, row.kind, row.key, salt)
        if guid not in taken:
            return guid
        salt += 1


# Where a note stands is not what it says: moving a note (or building from another folder) must
# not make it "changed", or re-importing would overwrite edits the user made to it inside Anki.
_POSITIONAL = {"source", "path", "line", "guid"}
# Nor are fields derived from *other* notes: a Q&A's key terms, a term's example sentences and
# questions change whenever some other note is edited. They are refreshed with the note's own
# next change, never at the cost of the user's edits.
_DERIVED = {"qa": {"key_terms"}, "term": {"context", "questions"}, "cloze": set()}


def own_content(note: AnyNote) -> dict[str, Any]:
    """What the note itself says, and where: what the identity file keeps of it, so that a
    note removed from the notes can still be written once more."""
    return note.model_dump(mode="json", exclude={"guid", *_DERIVED[note.kind]})


def content_hash(content: dict[str, Any], tags: list[str], images: Mapping[str, str]) -> str:
    """A digest of what the note itself says (text, deck, tags, images; see `own_content`), not
    of where it stands nor of what other notes say around it."""
    blob = orjson.dumps(_digested(content, tags, images), option=orjson.OPT_SORT_KEYS)
    return HASH_PREFIX + hashlib.sha256(blob).hexdigest()[:20]


def same_content(
    previous: str, digest: str, content: bytes, tags: list[str], images: Mapping[str, str]
) -> bool:
    """Whether an entry's digest `previous` is the `digest` of a note's `content` (as JSON),
    however old the entry."""
    if previous.startswith(HASH_PREFIX):
        return previous == digest
    digested = _digested(orjson.loads(content), tags, images)
    legacy = json.dumps(digested, ensure_ascii=False, sort_keys=True)
    return previous == hashlib.sha256(legacy.encode()).hexdigest()[:20]


def _digested(content: dict[str, Any], tags: list[str], images: Mapping[str, str]) -> list[Any]:
    return [_without_positions(content), sorted(tags), dict(images)]


def _without_positions(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_positions(v) if isinstance(v, (dict, list)) else v
            for k, v in value.items()
            if k not in _POSITIONAL
        }
    if isinstance(value, list):
        return [_without_positions(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


def revive(entry: Entry) -> AnyNote | None:
    """The last known content of a note that is gone from the notes."""
    note = validate_note(entry.content())
    return None if isinstance(note, Diagnostic) else note
