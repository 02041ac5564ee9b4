"""Every mention of the kept terms in the notes: dictionary look-ups over each line's Latin word
runs, longest first (`mask-R-CNN` finds Mask R-CNN), and a small regex for names in other
scripts (a glossary alias `트랜스포머`)."""

from __future__ import annotations

import re
from typing import NamedTuple

from ...extract.parsed import Passage
from . import lexicon as lex
from .groups import TermGroups


class Mention(NamedTuple):
    """A term mentioned in the notes: on which passage (an index into the finder's lines), and
    where on it."""

    passage: int
    start: int
    end: int


class Hit(NamedTuple):
    """A term mentioned on a line: where, and which group."""

    start: int
    end: int
    group: str


def find_mentions(
    groups: TermGroups,
    kept: dict[str, list[str]],
    lines: list[tuple[int, Passage]],
    runs: list[list[lex.Run]],
) -> dict[int, list[Hit]]:
    """The mentions of the `kept` groups (root → keys) on each line (by index into `lines`,
    whose Latin word runs are `runs`)."""
    lookup = {key: root for root, keys in kept.items() for key in keys}
    forms = groups.forms
    # Short all-caps keys match only in capitals: the alias IS is not the word "is".
    caps = {k for k in lookup if len(k) <= 4 and forms[k]}
    upper = {k for k in caps if all(map(lex.acronym, forms[k]))}
    written = [form for key in lookup for form in forms[key]]
    latin = {form for form in written if re.fullmatch(lex.RUN, form)}
    longest = min(max((len(form.split()) for form in latin), default=1), 6)
    pattern = _literal_pattern([form for form in written if form not in latin])
    hits: dict[int, list[Hit]] = {}
    for pid, (_, passage) in enumerate(lines):
        text = passage.text
        found = [h for r in runs[pid] for h in _lookup(text, r, lookup, upper, longest)]
        for m in pattern.finditer(text) if pattern else []:
            if lex.term_key(m.group()) in lookup:
                found.append(Hit(m.start(), m.end(), lookup[lex.term_key(m.group())]))
        if found:
            hits[pid] = _no_overlap(found)
    return hits


def _lookup(
    text: str, run: lex.Run, lookup: dict[str, str], upper: set[str], longest: int
) -> list[Hit]:
    """The longest known term at each word of a run, by key."""
    base = ["".join(lex.SPLIT.split(m.group())).casefold() for m in run]
    last = [lex.term_key(m.group()) for m in run]
    hits: list[Hit] = []
    i = 0
    while i < len(run):
        for n in range(min(longest, len(run) - i), 0, -1):
            key = "".join(base[i : i + n - 1]) + last[i + n - 1]
            start, end = run[i].start(), run[i + n - 1].end()
            if key in lookup and (key not in upper or lex.acronym(text[start:end].rstrip("s"))):
                hits.append(Hit(start, end, lookup[key]))
                i += n
                break
        else:
            i += 1
    return hits


def _literal_pattern(forms: list[str]) -> re.Pattern[str] | None:
    """Names in other scripts, spaced or not."""
    alternatives = set()
    for form in forms:
        body = r"[\s-]*".join(re.escape(part) for part in lex.SPLIT.split(form) if part)
        alternatives.add(body + (r"(?![A-Za-z0-9])" if form[-1].isascii() else ""))
    ordered = sorted(alternatives, key=lambda a: (-len(a), a))
    return re.compile(rf"(?<![0-9A-Za-z가-힣])(?:{'|'.join(ordered)})", re.I) if ordered else None


def _no_overlap(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept
