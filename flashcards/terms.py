"""Key terms: the technical terms of the notes, their spellings grouped, one term note each.

Four passes over all files, each linear in the size of the notes:
  1. discover — every line's candidates (`lexicon.candidates`: Latin runs in Korean text, cue
     phrases, bold), the user glossary, and the notes' own glossary sections;
  2. group — spellings share a key (`term_key`); glossary aliases, near spellings (rapidfuzz,
     only within blocks of keys with the same first and last three letters) and bare modifiers
     ("self-supervised" → "self-supervised learning") join groups;
  3. keep — glossary and glossary-section terms always, ignored and everyday words never, the
     rest by shape and by how many lines and questions use them (`lexicon.worth`);
  4. count — dictionary look-ups, longest first, find every mention of a kept term: its context
     sentences, its questions, each Q&A's key terms.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel

from . import lexicon as lex
from .extract import FileNotes
from .glossary import Glossary, GlossaryTerm
from .lexicon import term_key
from .models import Diagnostic, TermNote, info, warning
from .termcards import Mention, TermCards, Where, qa_unit

ADJECTIVE = re.compile(r"(?:ed|ive|al|ic|ous)$")
MODIFIER_HEADS = ("learning", "model", "network", "training")
FAR = (1 << 30, 0, 0)

Hit = tuple[int, int, str]  # start, end, group


@dataclass
class TermResult:
    terms: list[TermNote] = field(default_factory=list)
    key_terms: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_terms(
    files: list[FileNotes],
    glossary: Glossary | None,
) -> TermResult:
    """Term notes (one per deck and term, in source order) and each Q&A's key terms."""
    return _Finder(files, glossary).run()


def _lookup(
    text: str, run: lex.Run, lookup: dict[str, str], upper: set[str], longest: int
) -> list[Hit]:
    """The longest known term at each word of a run, by key: `mask-R-CNN` finds Mask R-CNN."""
    base = ["".join(lex.SPLIT.split(m.group())).casefold() for m in run]
    last = [term_key(m.group()) for m in run]
    hits: list[Hit] = []
    i = 0
    while i < len(run):
        for n in range(min(longest, len(run) - i), 0, -1):
            key = "".join(base[i : i + n - 1]) + last[i + n - 1]
            start, end = run[i].start(), run[i + n - 1].end()
            if key in lookup and (key not in upper or lex.acronym(text[start:end].rstrip("s"))):
                hits.append((start, end, lookup[key]))
                i += n
                break
        else:
            i += 1
    return hits


def _literal_pattern(forms: list[str]) -> re.Pattern[str] | None:
    """Names in other scripts (glossary alias `트랜스포머`), spaced or not: a small regex."""
    alternatives = set()
    for form in forms:
        body = r"[\s-]*".join(re.escape(part) for part in lex.SPLIT.split(form) if part)
        alternatives.add(body + (r"(?![A-Za-z0-9])" if form[-1].isascii() else ""))
    ordered = sorted(alternatives, key=lambda a: (-len(a), a))
    return re.compile(rf"(?<![0-9A-Za-z가-힣])(?:{'|'.join(ordered)})", re.I) if ordered else None


def _digits(key: str) -> list[str]:
    return re.findall(r"\d+", key)


def _no_overlap(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


@dataclass
class _Stat:
    """What the notes show of one key: its spellings (counted per line) and where it is used."""

    surfaces: Counter[str] = field(default_factory=Counter)
    lines: set[int] = field(default_factory=set)
    questions: set[tuple[int, int]] = field(default_factory=set)
    first: Where = FAR
    named: bool = False


class _Finder:
    def __init__(self, files: list[FileNotes], glossary: Glossary | None) -> None:
        self.files, self.glossary = files, glossary or Glossary("")
        self.lines = [(f, p) for f, notes in enumerate(files) for p in notes.passages]
        self.parent: dict[str, str] = {}  # union-find over keys: a group is its root key
        self.weight: Counter[str] = Counter()  # lines per group, to order merges
        self.stats: dict[str, _Stat] = defaultdict(_Stat)
        self.forms: dict[str, set[str]] = defaultdict(set)  # every written form of a key
        self.merged: set[str] = set()  # keys that joined a group as aliases: never its name
        self.anchor: dict[str, GlossaryTerm] = {}
        self.defined: dict[str, list[tuple[int, int]]] = defaultdict(list)  # → (file, found)
        self.ignore = {term_key(name) for name in self.glossary.ignore}
        self.runs: list[list[lex.Run]] = []  # Latin word runs of each line (index() fills it)
        self.diagnostics: list[Diagnostic] = []

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
        if key := term_key(text):
            self.forms[key].add(text)
            self.find(key)
        return key

    def stat(self, key: str) -> _Stat:
        return self.stats[key] if key in self.stats else _Stat()

    # --- 1. what the glossary and the notes name ---------------------------------------------
    def index(self) -> None:
        for term in self.glossary.terms:
            self.index_glossary_term(term)
        for f, notes in enumerate(self.files):
            for i, found in enumerate(notes.found):
                name, aliases = lex.split_name(found.question) if found.kind == "term" else ("", [])
                if key := self.form(name):
                    self.defined[self.find(key)].append((f, i))
                    for alias in filter(self.form, aliases):
                        self.union(key, term_key(alias))
        for pid, (f, passage) in enumerate(self.lines):
            unit, here = qa_unit(f, passage), set()
            self.runs.append(lex.runs(passage.text))
            for cand in lex.candidates(passage, self.runs[pid]):
                stat = self.stats[key := self.form(cand.surface)]
                if pid not in stat.lines:
                    self.weight[self.find(key)] += 1
                    stat.lines.add(pid)
                if cand.surface not in here:  # spellings are counted once per line
                    here.add(cand.surface)
                    stat.surfaces[cand.surface] += 1
                stat.questions.add(unit)
                stat.first = min(stat.first, (f, passage.line, cand.start))
                stat.named |= cand.named
                if cand.hidden:
                    self.union(key, cand.hidden)
                    self.merged.add(cand.hidden)

    def index_glossary_term(self, term: GlossaryTerm) -> None:
        path = self.glossary.path
        key = self.form(term.name)
        if self.find(key) in self.anchor:  # its name is an earlier term's alias
            message = f"{term.name!r} is the same term as {self.anchor[self.find(key)].name!r}"
            self.diagnostics.append(warning("glossary", path, term.line, message + "; skipped"))
            return
        self.anchor[self.find(key)] = term
        for alias in filter(self.form, term.aliases):
            taken = self.anchor.get(self.find(term_key(alias)))
            if taken is not None and taken is not term:
                message = f"alias {alias!r} of {term.name!r} already names {taken.name!r}; ignored"
                self.diagnostics.append(warning("glossary", path, term.line, message))
            else:
                self.union(key, term_key(alias))

    # --- 2. more spellings of one term ---------------------------------------------------------
    def merge_modifiers(self) -> None:
        """`self-supervised` alone is short for `self-supervised learning` when that is used."""
        for key in sorted(self.stats):
            root, surfaces = self.find(key), self.stats[key].surfaces
            main = surfaces.most_common(1)[0][0] if surfaces else "-"
            if root in self.anchor or self.defined.get(root) or key in lex.EVERYDAY:
                continue
            if not ADJECTIVE.search(key) or lex.shape(main) not in ("word", "compound"):
                continue
            heads = [key + head for head in MODIFIER_HEADS if key + head in self.parent]
            if heads and self.union(max(heads, key=lambda k: (self.weight[self.find(k)], k)), key):
                self.merged.add(key)

    def merge_near(self) -> None:
        """Typos and variant spellings ("distribte learning"), compared only within blocks of
        keys with the same first and last three letters, so the work stays linear."""
        blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in self.parent:
            if len(key) >= 8 and key not in self.merged:
                blocks[(key[:3], key[-3:])].append(key)
        for block in sorted(blocks):
            reps: list[str] = []
            for key in sorted(blocks[block], key=self.rank):
                limit = 2 if len(key) >= 12 else 1
                best = process.extractOne(key, reps, scorer=Indel.distance, score_cutoff=limit)
                rep = best[0] if best else ""
                # A longer word is another term: transform/transformer, supervised/unsupervised.
                affix = rep.startswith(key) or key.startswith(rep) or rep.endswith(key)
                other = affix or key.endswith(rep) or _digits(key) != _digits(rep)  # ResNet-50/101
                if rep and not other and self.union(rep, key):
                    self.merged.add(key)
                    self.tell_merge(key, rep)
                else:
                    reps.append(key)

    def rank(self, key: str) -> tuple[bool, int, Where, str]:
        root = self.find(key)
        return root not in self.anchor, -self.weight[root], self.stat(key).first, key

    def tell_merge(self, key: str, rep: str) -> None:
        f, line, _ = self.stat(key).first
        if f < len(self.files):
            target = self.anchor.get(self.find(rep))
            name = target.name if target else min(self.forms[rep])
            message = f"'{min(self.forms[key])}' is taken as a spelling of '{name}'"
            path = self.files[f].source.display
            self.diagnostics.append(info("term-spelling", path, line, message))

    # --- 3. which groups are terms -------------------------------------------------------------
    def best(self, keys: list[str]) -> str:
        """The spelling to show: best-cased (ViT over vit), then the most used, then the first."""
        own = [k for k in keys if k not in self.merged and self.stat(k).surfaces] or keys
        spellings = [
            (not lex.mixed(s), -n, self.stat(k).first, i, s)
            for k in own for i, (s, n) in enumerate(self.stat(k).surfaces.items())
        ]  # fmt: skip
        if not spellings:
            return min(self.forms[keys[0]])
        best = min(spellings)[-1]
        first = best.split()[0]
        # "Generative model" opening a sentence, where the notes also write "generative".
        lower = any(s.split()[0] == first.lower() for k in keys for s in self.stat(k).surfaces)
        if lower and first[0].isupper() and lex.shape(best) == "phrase" and not lex.mixed(best):
            return first.lower() + best[len(first) :]
        return best

    def keep(self, root: str, keys: list[str]) -> bool:
        if root in self.anchor or self.defined.get(root):
            return True
        stats = [self.stat(k) for k in keys]
        if any(k in self.ignore for k in keys) or not any(s.surfaces for s in stats):
            return False
        best = self.best(keys)
        lines = set().union(*(s.lines for s in stats))
        questions = set().union(*(s.questions for s in stats))
        if term_key(best) in lex.EVERYDAY:
            return False
        return any(s.named for s in stats) or lex.worth(best, len(lines), len(questions))

    def name(self, root: str, keys: list[str]) -> tuple[str, list[str]]:
        """The term's name and its other spellings (by key: no case- or hyphen-only variants)."""
        if root in self.anchor:
            name, aliases = self.anchor[root].name, list(self.anchor[root].aliases)
        elif self.defined.get(root):
            f, i = self.defined[root][0]
            name, aliases = lex.split_name(self.files[f].found[i].question)
        else:
            name, aliases = self.best(keys), []
        seen = {term_key(name), *map(term_key, aliases)}
        for key in keys:
            if key not in seen and self.stat(key).surfaces:
                seen.add(key)
                aliases.append(self.stat(key).surfaces.most_common(1)[0][0])
        return name, aliases

    # --- 4. every mention of a kept term --------------------------------------------------------
    def count(self, kept: dict[str, list[str]]) -> dict[int, list[Hit]]:
        lookup = {key: root for root, keys in kept.items() for key in keys}
        # Short all-caps keys match only in capitals: the alias IS is not the word "is".
        caps = {k for k in lookup if len(k) <= 4 and self.forms[k]}
        upper = {k for k in caps if all(map(lex.acronym, self.forms[k]))}
        forms = [form for key in lookup for form in self.forms[key]]
        latin = {form for form in forms if re.fullmatch(lex.RUN, form)}
        longest = min(max((len(form.split()) for form in latin), default=1), 6)
        pattern = _literal_pattern([form for form in forms if form not in latin])
        hits: dict[int, list[Hit]] = {}
        for pid, (_, passage) in enumerate(self.lines):
            text = passage.text
            found = [h for r in self.runs[pid] for h in _lookup(text, r, lookup, upper, longest)]
            for m in pattern.finditer(text) if pattern else []:
                if term_key(m.group()) in lookup:
                    found.append((m.start(), m.end(), lookup[term_key(m.group())]))
            if found:
                hits[pid] = _no_overlap(found)
        return hits

    # --- the notes (what each card says: termcards.py) ------------------------------------------
    def run(self) -> TermResult:
        self.index()
        self.merge_modifiers()
        self.merge_near()
        groups: dict[str, list[str]] = defaultdict(list)
        for key in sorted(self.parent, key=lambda k: (self.stat(k).first, k)):
            groups[self.find(key)].append(key)
        kept = {root: keys for root, keys in groups.items() if self.keep(root, keys)}
        names = {root: self.name(root, keys) for root, keys in kept.items()}
        result = TermResult(diagnostics=self.diagnostics)
        cards = TermCards(self.files, self.lines, self.anchor, self.defined)
        mentions: dict[str, list[Mention]] = defaultdict(list)
        for pid, hits in sorted(self.count(kept).items()):
            f, passage = self.lines[pid]
            owner = cards.owner(f, passage)
            for start, end, root in hits:
                mentions[root].append((pid, start, end))
                if owner is not None:
                    qa = (self.files[f].source.display, owner[0])
                    terms = result.key_terms.setdefault(qa, [])
                    terms += [] if names[root][0] in terms else [names[root][0]]
        notes: list[tuple[Where, TermNote]] = []
        for root in kept:
            if root in self.anchor and not mentions[root] and not self.defined.get(root):
                message = f"glossary term {names[root][0]!r} is not in the notes: no card"
                path, line = self.glossary.path, self.anchor[root].line
                result.diagnostics.append(info("term-unused", path, line, message))
            made, problems = cards.notes(root, names[root], mentions[root])
            notes += made
            result.diagnostics += [p for p in problems if p not in result.diagnostics]
        result.terms = [note for _, note in sorted(notes, key=lambda pair: pair[0])]
        return result
