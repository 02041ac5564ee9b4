"""Spellings grouped into terms: a union-find over spelling keys (`lexicon.term_key`), with
what the notes show of each key and which group a glossary term or a glossary section anchors.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .glossary import GlossaryTerm
from .lexicon import term_key


class Where(NamedTuple):
    """Where a spelling is first used: file index, line, column."""

    file: int
    line: int
    column: int


FAR = Where(1 << 30, 0, 0)  # after every place in the notes


@dataclass
class KeyStats:
    """What the notes show of one key: its spellings (counted per line) and where it is used."""

    surfaces: Counter[str] = field(default_factory=Counter)
    lines: set[int] = field(default_factory=set)  # passage indexes (finder.py)
    questions: set[tuple[int, int]] = field(default_factory=set)  # Q&A units (cards.qa_unit)
    first: Where = FAR
    named: bool = False  # named on purpose: by a cue phrase or in bold
    foreign: bool = False  # written in Latin letters on a line of Korean


class TermGroups:
    """Groups of keys; a group is known by its root key."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.weight: Counter[str] = Counter()  # lines per group, to order merges
        self.stats: dict[str, KeyStats] = defaultdict(KeyStats)
        self.forms: dict[str, set[str]] = defaultdict(set)  # every written form of a key
        self.merged: set[str] = set()  # keys that joined a group as aliases: never its name
        self.paired: set[str] = set()  # keys written side by side: "과적합(overfitting)"
        self.anchor: dict[str, GlossaryTerm] = {}  # group → its glossary.yaml term
        # group → (file, draft) of its glossary-section entries
        self.defined: dict[str, list[tuple[int, int]]] = defaultdict(list)

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = key = self.parent[self.parent[key]]
        return key

    def union(self, keep: str, other: str) -> bool:
        a, b = self.find(keep), self.find(other)
        if a == b or (a in self.anchor and b in self.anchor):
            return False  # two glossary terms never become one
        if b in self.anchor:
            self.anchor[a] = self.anchor.pop(b)
        self.parent[b] = a
        self.weight[a] += self.weight.pop(b, 0)
        self.defined[a] += self.defined.pop(b, [])
        return True

    def form(self, text: str) -> str:
        """Register a written form; its key."""
        if key := term_key(text):
            self.forms[key].add(text)
            self.find(key)
        return key

    def stat(self, key: str) -> KeyStats:
        return self.stats[key] if key in self.stats else KeyStats()

    def rank(self, key: str) -> tuple[bool, int, Where, str]:
        """Glossary terms first, then the most used, then the first used."""
        root = self.find(key)
        return root not in self.anchor, -self.weight[root], self.stat(key).first, key

    def members(self) -> dict[str, list[str]]:
        """Every group's keys, each group and its keys in order of first use."""
        groups: dict[str, list[str]] = defaultdict(list)
        for key in sorted(self.parent, key=lambda k: (self.stat(k).first, k)):
            groups[self.find(key)].append(key)
        return groups
