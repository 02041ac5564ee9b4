"""Matching: every note of this build given a GUID — the one it had before if it can be
recognised, else a new one.

Anki matches imported notes only by GUID (../shared/anki-import-facts.md), so a GUID is never
derived from field text: a new note gets one from its deck, kind and question, and from then on
the identity file remembers it. On rebuild, notes are matched to the file's entries exactly
first, then fuzzily (a typo fix, a reworded question, an edited answer, a question moved to
another file), so the GUID — and the user's review history with it — survives ordinary editing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from ..diagnostics import Diagnostic, info, shorten
from ..fingerprint import content_body
from ..render import RenderedNote
from ..text import normalise, same_technical_terms
from .store import Entry

# Fuzzy thresholds (rapidfuzz scores, 0–100). A typo fix or light rewording keeps the question
# score high; an edited answer under the same question keeps the question score high too; a
# reworded question with an unchanged answer keeps the answer score high.
SAME_QUESTION = 85
REWORDED_QUESTION = 60
SAME_ANSWER = 80


@dataclass
class Matching:
    """How this build's notes relate to the identity file's entries."""

    guids: list[str] = field(default_factory=list)  # each note's GUID, by its index
    entry_of: dict[int, Entry] = field(default_factory=dict)  # note index → matched entry
    fuzzy: list[tuple[int, Entry]] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    kept: list[Entry] = field(default_factory=list)  # entries of files not in scope
    diagnostics: list[Diagnostic] = field(default_factory=list)


def match(
    rows: list[RenderedNote], entries: list[Entry], paths: Mapping[str, str], scope: set[str]
) -> Matching:
    """Give every note a GUID: the one it had before if it can be recognised, else a new one.

    `paths` maps each displayed path to its path in the notes folder (what entries record).
    `scope` holds the files whose entries are matched: those read in this build, and those
    gone from the notes folder (renamed, moved, deleted), so that a renamed file keeps its
    notes' identities. Entries of other files (a build of one file of the folder, a file skipped
    for its errors) are neither matched nor removed: they are kept."""
    result = Matching()
    pool: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
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
                e
                for e in pool.get((row.kind, row.identity_key), [])
                if e.deck == row.deck or not same_deck
            ]
            if candidates:
                best = _best_exact(row, candidates, paths)
                pool[(row.kind, best.key)].remove(best)
                result.entry_of[index] = best
    waiting = [i for i in range(len(rows)) if i not in result.entry_of]
    left = [e for entries in pool.values() for e in entries]
    _fuzzy(rows, waiting, left, result)
    claimed = {id(e) for e in result.entry_of.values()}
    result.removed = [e for e in entries if e.file in scope and id(e) not in claimed]
    taken = {e.guid for e in entries}
    for index, row in enumerate(rows):
        known = result.entry_of.get(index)
        guid = known.guid if known is not None else _new_guid(row, taken)
        result.guids.append(guid)
        taken.add(guid)
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


def _best_exact(row: RenderedNote, candidates: list[Entry], paths: Mapping[str, str]) -> Entry:
    """Among entries with the same question: the same answer, then the same file, live first."""
    if len(candidates) == 1:
        return candidates[0]
    body = _body_key(row.body())
    file = paths.get(row.path, row.path)
    return min(candidates, key=lambda e: (_body_of_entry(e) != body, e.file != file, e.removed))


def _fuzzy(
    rows: list[RenderedNote], waiting: list[int], left: list[Entry], result: Matching
) -> None:
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
        bodies = [_body_key(rows[i].body()) for i in new]
        # A cloze whose sentence grew around the same deletion ("인생은 {{c1::trade off}}" →
        # "항상 인생은 {{c1::trade off}}인데, …") is the same card: compared part to whole.
        scorer = fuzz.partial_ratio if kind == "cloze" else fuzz.ratio
        question = process.cdist(
            [rows[i].identity_key for i in new], [left[j].key for j in old],
            scorer=scorer, workers=1,
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
            if kind != "qa" or same_technical_terms(rows[i].identity_key, left[j].key, typos=True):
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


def _new_guid(row: RenderedNote, taken: set[str]) -> str:
    salt = 0
    while True:
        guid: str = genanki.guid_for("flashcards", row.deck, row.kind, row.identity_key, salt)
        if guid not in taken:
            return guid
        salt += 1


def _body_key(body: str) -> str:
    """An answer or definition as fuzzy matching compares it."""
    return normalise(body)[:600]


def gone_files(entries: list[Entry], folder: Path) -> set[str]:
    """The files entries name that are no longer in the notes `folder`."""
    files = {entry.file for entry in entries}
    return {file for file in files if not (folder / file).is_file()}
