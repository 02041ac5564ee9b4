"""Key terms of one deck: found, their spellings grouped, one term note each.

Four passes over the deck's files, each linear in the size of the notes:
  1. index — every line's candidates (`lexicon.candidates`: Latin runs in Korean text, cue
     phrases, bold), the user glossary, and the notes' own glossary sections;
  2. group — spellings share a key (`term_key`); glossary aliases, near spellings (rapidfuzz,
     only within blocks of keys with the same first and last three letters) and bare modifiers
     ("self-supervised" → "self-supervised learning") join groups (groups.py);
  3. keep — glossary and glossary-section terms always, ignored and everyday words never, the
     rest by shape and by how many lines and questions use them (`lexicon.worth`);
  4. count — every mention of a kept term (mentions.py): its context sentences, its questions,
     each Q&A's key terms; what each term's card says is cards.py's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ...diagnostics import Diagnostic, info
from ...extract.parsed import ParsedFile
from ...notes import FoundTerm, TermNote
from . import lexicon as lex
from . import naming
from .cards import TermCards, qa_unit, undefined
from .glossary import Glossary, GlossaryTerm
from .groups import TermGroups, Where
from .junk import masked
from .mentions import Mention, find_mentions

ADJECTIVE = re.compile(r"(?:ed|ive|al|ic|ous)$")
MODIFIER_HEADS = ("learning", "model", "network", "training")


# How the notes define a term, strongest first (extract/parsed.py: DefinedBy).
_STRENGTH = ("glossary", "table", "list", "line", "answer", "sentence", "")


@dataclass(frozen=True)
class TermResult:
    terms: list[TermNote]  # one per term with a definition, in source order
    key_terms: dict[tuple[str, int], list[str]]  # a Q&A's place (path, line) → its terms' names
    glossary_used: set[str]  # glossary terms with a note in this deck
    diagnostics: list[Diagnostic]
    found: list[FoundTerm]  # every term, defined or not, most mentioned first


def find_terms(files: list[ParsedFile], glossary: Glossary | None) -> TermResult:
    """The term notes of the deck of `files` and each Q&A's key terms."""
    return _Finder(files, glossary).run()


class _Finder:
    def __init__(self, files: list[ParsedFile], glossary: Glossary | None) -> None:
        self.files, self.glossary = files, glossary or Glossary("")
        self.lines = [(f, p) for f, parsed in enumerate(files) for p in parsed.passages]
        self.groups = TermGroups()
        self.ignore = {lex.term_key(name) for name in self.glossary.ignore}
        self.runs: list[list[lex.Run]] = []  # Latin word runs of each line (index() fills it)
        self.diagnostics: list[Diagnostic] = []

    # --- 1. what the glossary and the notes name ---------------------------------------------
    def index(self) -> None:
        groups = self.groups
        for term in self.glossary.terms:
            self.index_glossary_term(term)
        for f, parsed in enumerate(self.files):
            for i, draft in enumerate(parsed.drafts):
                named = naming.defined_name(draft) if draft.kind == "term" else None
                if named and (key := groups.form(named[0])):
                    groups.defined[groups.find(key)].append((f, i))
                    for alias in filter(groups.form, named[1]):
                        groups.union(key, lex.term_key(alias))
        for pid, (f, passage) in enumerate(self.lines):
            unit, here = qa_unit(f, passage), set()
            self.runs.append(lex.runs(masked(passage.text), passage.emphasis))
            for one, other in naming.expansions(passage.text):
                if (key := groups.form(one)) and (key_other := groups.form(other)):
                    groups.union(key, key_other)
                    groups.paired |= {key, key_other}
            for cand in lex.candidates(passage, self.runs[pid]):
                stat = groups.stats[key := groups.form(cand.surface)]
                if pid not in stat.lines:
                    groups.weight[groups.find(key)] += 1
                    stat.lines.add(pid)
                if cand.surface not in here:  # spellings are counted once per line
                    here.add(cand.surface)
                    stat.surfaces[cand.surface] += 1
                stat.questions.add(unit)
                stat.first = min(stat.first, Where(f, passage.line, cand.start))
                stat.named |= cand.named
                stat.foreign |= cand.foreign
                if cand.hidden:
                    groups.union(key, cand.hidden)
                    groups.merged.add(cand.hidden)

    def index_glossary_term(self, term: GlossaryTerm) -> None:
        """Its name and aliases, one group (the glossary has no two terms of one spelling)."""
        groups = self.groups
        key = groups.form(term.name)
        groups.anchor[groups.find(key)] = term
        for alias in filter(groups.form, term.joins):
            groups.union(key, lex.term_key(alias))

    # --- 2. more spellings of one term ---------------------------------------------------------
    def merge_modifiers(self) -> None:
        """`self-supervised` alone is short for `self-supervised learning` when that is used."""
        groups = self.groups
        for key in sorted(groups.stats):
            root, surfaces = groups.find(key), groups.stats[key].surfaces
            main = surfaces.most_common(1)[0][0] if surfaces else "-"
            if root in groups.anchor or groups.defined.get(root) or key in lex.EVERYDAY:
                continue
            if not ADJECTIVE.search(key) or lex.shape(main) not in ("word", "compound"):
                continue
            heads = [key + head for head in MODIFIER_HEADS if key + head in groups.parent]
            best = max(heads, key=lambda k: (groups.weight[groups.find(k)], k), default="")
            if best and groups.union(best, key):
                groups.merged.add(key)

    def merge_near(self) -> None:
        """Typos and variant spellings ("distribte learning"), compared only within blocks of
        keys with the same first and last three letters, so the work stays linear."""
        groups = self.groups
        blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in groups.parent:
            if len(key) >= 8 and key not in groups.merged:
                blocks[(key[:3], key[-3:])].append(key)
        for block in sorted(blocks):
            reps: list[str] = []
            for key in sorted(blocks[block], key=groups.rank):
                limit = 2 if len(key) >= 12 else 1
                best = process.extractOne(key, reps, scorer=Indel.distance, score_cutoff=limit)
                rep = best[0] if best else ""
                # A longer word is another term: transform/transformer, supervised/unsupervised.
                affix = rep.startswith(key) or key.startswith(rep) or rep.endswith(key)
                other = affix or key.endswith(rep) or _digits(key) != _digits(rep)  # ResNet-50/101
                if rep and not other and groups.union(rep, key):
                    groups.merged.add(key)
                    self.tell_merge(key, rep)
                else:
                    reps.append(key)

    def tell_merge(self, key: str, rep: str) -> None:
        groups = self.groups
        f, line, _ = groups.stat(key).first
        if f < len(self.files):
            target = groups.anchor.get(groups.find(rep))
            name = target.name if target else min(groups.forms[rep])
            message = f"'{min(groups.forms[key])}' is taken as a spelling of '{name}'"
            path = self.files[f].head.display
            self.diagnostics.append(info("term-spelling", path, line, message))

    # --- 3. which groups are terms -------------------------------------------------------------
    def best(self, keys: list[str]) -> str:
        """The spelling to show: best-cased (ViT over vit), then the most used, then the first."""
        groups = self.groups
        own = [k for k in keys if k not in groups.merged and groups.stat(k).surfaces] or keys
        spellings = [
            (not lex.mixed(s), -n, groups.stat(k).first, i, s)
            for k in own for i, (s, n) in enumerate(groups.stat(k).surfaces.items())
        ]  # fmt: skip
        if not spellings:
            return min(groups.forms[keys[0]])
        best = min(spellings)[-1]
        first = best.split()[0]
        # "Generative model" opening a sentence, where the notes also write "generative".
        lower = any(s.split()[0] == first.lower() for k in keys for s in groups.stat(k).surfaces)
        if lower and first[0].isupper() and lex.shape(best) == "phrase" and not lex.mixed(best):
            return first.lower() + best[len(first) :]
        return best

    def keep(self, root: str, keys: list[str]) -> bool:
        groups = self.groups
        if root in groups.anchor or groups.defined.get(root):
            return True
        stats = [groups.stat(k) for k in keys]
        if any(k in self.ignore for k in keys) or not any(s.surfaces for s in stats):
            return False
        best = self.best(keys)
        lines = set().union(*(s.lines for s in stats))
        questions = set().union(*(s.questions for s in stats))
        if lex.term_key(best) in lex.EVERYDAY:
            return False
        foreign = any(s.foreign for s in stats)
        return any(s.named for s in stats) or lex.worth(best, len(lines), len(questions), foreign)

    def name(self, root: str, keys: list[str]) -> tuple[str, list[str]]:
        """The term's name and its other spellings (by key: no case- or hyphen-only variants)."""
        groups = self.groups
        if root in groups.anchor:
            name, aliases = groups.anchor[root].name, list(groups.anchor[root].aliases)
        elif groups.defined.get(root):
            f, i = groups.defined[root][0]
            name, aliases = naming.split_spellings(self.files[f].drafts[i].question)
            best = self.best(keys)
            if lex.term_key(name) in groups.merged or (lex.mixed(best) and not lex.mixed(name)):
                # "vit", "Dall-E model" as defined: the notes' best spelling is the name.
                same = lex.term_key(name) == lex.term_key(best)
                name, aliases = best, aliases if same else [name, *aliases]
            single = self.singular(name, keys)
            name, aliases = single, aliases if single == name else [name, *aliases]
        else:
            name, aliases = self.best(keys), []
        seen = {lex.term_key(name), *map(lex.term_key, aliases)}
        for key in keys:
            if key in seen:
                continue
            seen.add(key)
            if groups.stat(key).surfaces:
                aliases.append(groups.stat(key).surfaces.most_common(1)[0][0])
            elif key in groups.paired:  # "과적합" of "과적합(overfitting)"
                aliases.append(min(groups.forms[key]))
        return name, _distinct(name, aliases)

    def singular(self, name: str, keys: list[str]) -> str:
        """ "ROC Curves" defined where the notes also write "ROC curve": the singular names it."""
        if not name.endswith("s") or name.endswith("ss"):
            return name
        key = lex.term_key(name)
        spellings = [s for k in keys for s in self.groups.stat(k).surfaces]
        single = [s for s in spellings if lex.term_key(s) == key and not s.endswith("s")]
        return name[:-1] if single else name

    # --- 4. every mention, and the notes --------------------------------------------------------
    def run(self) -> TermResult:
        self.index()
        self.merge_modifiers()
        self.merge_near()
        groups = self.groups
        for entries in groups.defined.values():
            entries.sort(key=self.strength)
        kept = {root: keys for root, keys in groups.members().items() if self.keep(root, keys)}
        names = {root: self.name(root, keys) for root, keys in kept.items()}
        cards = TermCards(self.files, self.lines, groups.anchor, groups.defined)
        mentions, key_terms = self.mentions(kept, names, cards)
        notes: list[tuple[Where, TermNote]] = []
        found: list[tuple[Where, FoundTerm]] = []
        used: set[str] = set()
        for root in kept:
            if root in groups.anchor and (mentions[root] or groups.defined.get(root)):
                used.add(groups.anchor[root].name)
            if mentions[root] or groups.defined.get(root):
                found.append(cards.listed(root, names[root], mentions[root]))
            made = cards.note(root, names[root], mentions[root])
            if isinstance(made, Diagnostic):
                self.diagnostics += [] if made in self.diagnostics else [made]
            elif made is not None:
                notes.append(made)
        in_order = [note for _, note in sorted(notes, key=lambda pair: pair[0])]
        listed = [term for _, term in sorted(found, key=lambda p: (-p[1].count, p[0]))]
        self.diagnostics += undefined(term for _, term in found)
        return TermResult(in_order, key_terms, used, self.diagnostics, listed)

    def strength(self, entry: tuple[int, int]) -> tuple[int, int, int]:
        """The strongest definition first (a glossary's over a passing sentence), then the
        first written."""
        draft = self.files[entry[0]].drafts[entry[1]]
        return _STRENGTH.index(draft.defined_by), entry[0], draft.line

    def mentions(
        self, kept: dict[str, list[str]], names: dict[str, tuple[str, list[str]]], cards: TermCards
    ) -> tuple[dict[str, list[Mention]], dict[tuple[str, int], list[str]]]:
        """Every mention of each kept term, and the terms each Q&A mentions."""
        mentions: dict[str, list[Mention]] = defaultdict(list)
        key_terms: dict[tuple[str, int], list[str]] = {}
        for pid, hits in sorted(find_mentions(self.groups, kept, self.lines, self.runs).items()):
            f, passage = self.lines[pid]
            owner = cards.owner(f, passage)
            for start, end, root in hits:
                mentions[root].append(Mention(pid, start, end))
                if owner is not None:
                    terms = key_terms.setdefault((self.files[f].head.display, owner[0]), [])
                    terms += [] if names[root][0] in terms else [names[root][0]]
        return mentions, key_terms


def _digits(key: str) -> list[str]:
    return re.findall(r"\d+", key)


def _distinct(name: str, aliases: list[str]) -> list[str]:
    """Each other spelling once, and never the name itself ("ES" named from "Early Stopping
    (ES)" lists its long form, not "ES" again). Spellings that differ only in case or hyphens
    stay: the notes wrote them so."""
    seen, kept = {name.casefold()}, []
    for alias in aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept
