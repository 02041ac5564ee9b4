"""What a note is known by and what it says, as the identity file keeps them.

* `identity_key` — its question, term or cloze text, normalised: what matching looks up;
* `own_content` — what the note itself says: not where it stands (path, line), not its deck,
  not what other notes say around it. The identity file keeps it, so that a note removed from
  the notes can be written once more; without positions, inserting a question or building
  from another folder changes no other entry;
* `content_digest` — a digest of that content, its tags and images: a note is re-stamped
  (identity/stamp.py) only when it changes, so inserting a question above it or changing its
  deck never overwrites edits the user made inside Anki. Its file's tag (`source::…`) is one of
  its tags: a note moved to another file is re-stamped, so that Anki's copy gets the new tag.
The render stage computes these once per note, so a cached deck carries them ready-made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import orjson

from .notes import AnyNote
from .text import normalise

DIGEST_PREFIX = "3:"
SOURCE_TAG = "source::"  # the tag of the file a note comes from: where it stands, like its path

# Where a note stands is not what it says.
_POSITIONAL = {"source", "path", "line", "guid", "deck"}
# Nor are fields derived from *other* notes: a Q&A's key terms, a term's example sentences and
# questions change whenever some other note is edited. They are refreshed with the note's own
# next change, never at the cost of the user's edits.
_DERIVED = {"qa": {"key_terms"}, "term": {"context", "questions"}, "cloze": set()}


def identity_key(note: AnyNote) -> str:
    """The text a note is known by: its question, term or cloze text, normalised."""
    return normalise(note.title)


def own_content(note: AnyNote) -> dict[str, Any]:
    """What the note itself says (see the module's docstring)."""
    dumped = note.model_dump(mode="json", exclude={"guid", *_DERIVED[note.kind]})
    content: dict[str, Any] = _without_positions(dumped)
    return content


def content_body(content: dict[str, Any]) -> str:
    """A note's answer or definition, from its own content."""
    return str(content.get("answer") or content.get("definition") or "")


def content_digest(content: dict[str, Any], tags: list[str], images: Mapping[str, str]) -> str:
    """A digest of what the note itself says, its tags and its images."""
    blob = orjson.dumps([content, sorted(tags), dict(images)], option=orjson.OPT_SORT_KEYS)
    return DIGEST_PREFIX + hashlib.sha256(blob).hexdigest()[:20]


# The fields of each note type that hold what the note itself says (package.py names them all):
# what a note recovered from a package is compared by (identity/recover.py).
OWN_FIELDS = {
    "qa": ("Question", "Answer", "MoreAnswers", "Context"),
    "term": ("Term", "Definition", "Prompt", "Aliases"),
    "cloze": ("Text", "Context"),
}
FIELDS_PREFIX = "fields:"


def fields_digest(kind: str, fields: Mapping[str, str]) -> str:
    """A digest of the fields that hold what a note says, as a package shows them."""
    blob = orjson.dumps([fields.get(name, "") for name in OWN_FIELDS[kind]])
    return FIELDS_PREFIX + hashlib.sha256(blob).hexdigest()[:20]


def same_digest(
    previous: str, content: bytes, deck: str, tags: list[str], images: Mapping[str, str]
) -> bool:
    """Whether `previous`, a digest written by an earlier version, is that of this content.
    Version 2 digested the deck and every tag too, serialised by orjson; version 1 the same,
    serialised by `json`, unprefixed. Such an entry is compared once, then written anew."""
    digested = [dict(orjson.loads(content), deck=deck), sorted(tags), dict(images)]
    if previous.startswith("2:"):
        blob = orjson.dumps(digested, option=orjson.OPT_SORT_KEYS)
        return previous == "2:" + hashlib.sha256(blob).hexdigest()[:20]
    legacy = json.dumps(digested, ensure_ascii=False, sort_keys=True)
    return previous == hashlib.sha256(legacy.encode()).hexdigest()[:20]


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
