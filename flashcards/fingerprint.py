"""What a note is known by and what it says, as the identity file keeps them.

* `identity_key` — its question, term or cloze text, normalised: what matching looks up;
* `own_content` — what the note itself says and where (not what other notes say around it);
* `content_digest` — a digest of that content without positions, so that moving a note or
  building from another folder does not count as a change (see identity/stamp.py).
The render stage computes these once per note, so a cached deck carries them ready-made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

from .notes import AnyNote
from .text import normalise

# Digests written since version 2 of the content digest; older identity files hold unprefixed
# digests of the same content serialised by `json` (identity/store.py reads both).
DIGEST_PREFIX = "2:"

# Where a note stands is not what it says: moving a note (or building from another folder) must
# not make it "changed", or re-importing would overwrite edits the user made to it inside Anki.
_POSITIONAL = {"source", "path", "line", "guid"}
# Nor are fields derived from *other* notes: a Q&A's key terms, a term's example sentences and
# questions change whenever some other note is edited. They are refreshed with the note's own
# next change, never at the cost of the user's edits.
_DERIVED = {"qa": {"key_terms"}, "term": {"context", "questions"}, "cloze": set()}


def identity_key(note: AnyNote) -> str:
    """The text a note is known by: its question, term or cloze text, normalised."""
    return normalise(note.title)


def own_content(note: AnyNote) -> dict[str, Any]:
    """What the note itself says, and where: what the identity file keeps of it, so that a
    note removed from the notes can still be written once more."""
    return note.model_dump(mode="json", exclude={"guid", *_DERIVED[note.kind]})


def content_body(content: dict[str, Any]) -> str:
    """A note's answer or definition, from its own content."""
    return str(content.get("answer") or content.get("definition") or "")


def content_digest(content: dict[str, Any], tags: list[str], images: Mapping[str, str]) -> str:
    """A digest of what the note itself says (text, deck, tags, images; see `own_content`), not
    of where it stands nor of what other notes say around it."""
    blob = orjson.dumps(digested(content, tags, images), option=orjson.OPT_SORT_KEYS)
    return DIGEST_PREFIX + hashlib.sha256(blob).hexdigest()[:20]


def digested(content: dict[str, Any], tags: list[str], images: Mapping[str, str]) -> list[Any]:
    """What `content_digest` digests."""
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
