"""What a key term's card says: its definition and source, example sentences spread over the
Q&As, and the questions that use it (finder.py finds the terms and every mention of them)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ...diagnostics import Diagnostic, info
from ...extract.parsed import ParsedFile, Passage
from ...notes import DefinitionSource, FoundTerm, SourceRef, TermNote, validate_note
from . import lexicon as lex
from .glossary import GlossaryTerm
from .groups import Where
from .mentions import Mention

L = lex.L
SENTENCE_BREAK = re.compile(  # not after "ex." or "e.g.": a period ends a sentence after 4 letters
    rf"(?:(?<=[^{L}][.!?])|(?<=[{L}]{{4}}[.!?])|(?<=[!?…。]))\s+|(?<=[가-힣][.])(?=[가-힣])"
)
# After the term, strongest first: "X란 …", "X는 …을 말한다", "… X라고 한다". ("… X입니다"
# alone is no definition: "CPython의 Global Interpreter Lock입니다" names it, and says nothing.)
# The term may carry its other spelling in brackets first: "… 방법을 Gradient Descent(GD)라고 한다".
_SPELLED = r"(?:\s*[(（][^()（）\n]{1,60}[)）])?"
DEFINES = (
    re.compile(rf"{_SPELLED}(?:{lex.CALLED}|\s*(?:은|는)\s.*(?:말한다|뜻한다|의미한다))"),
    re.compile(_SPELLED + lex.NAMED),
)
LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
MAX_CONTEXT, MAX_QUESTIONS = 2, 10  # example sentences and questions on a term's card


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for brk in SENTENCE_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    return [*spans, (start, len(text))]


def _clean(text: str, at: int = 0, width: int = 220) -> str:
    """One sentence for a card: no list marker, and a window around the term if it is long."""
    text = LIST_MARKER.sub("", text.strip())
    if len(text) <= width:
        return text
    begin = max(0, min(at - width // 3, len(text) - width))
    return ("…" if begin else "") + text[begin : begin + width].strip() + "…"


def _predicate(before: str) -> bool:
    """`… 가면 pose transfer에요.` defines; `키워드로는 inception score, FID이다.` lists."""
    stem = before.rstrip()
    return len(stem) >= 8 and not stem.endswith((",", "，")) and not lex.CUE_BEFORE.search(stem)


def qa_unit(f: int, passage: Passage) -> tuple[int, int]:
    """The Q&A (or, outside any, the prose line) a line belongs to: spread is counted in these."""
    return f, passage.owner if passage.owner is not None else -passage.line


class TermCards:
    def __init__(
        self,
        files: list[ParsedFile],
        lines: list[tuple[int, Passage]],
        anchor: dict[str, GlossaryTerm],
        defined: dict[str, list[tuple[int, int]]],
    ) -> None:
        self.files, self.lines = files, lines  # every line of the notes: (file index, passage)
        self.anchor = anchor  # group → its glossary.yaml term
        self.defined = defined  # group → (file, draft) of its glossary-section entries
        self.spans: dict[int, list[tuple[int, int]]] = {}  # sentences of a line, when needed

    def note(
        self, root: str, name: tuple[str, list[str]], mentions: list[Mention]
    ) -> tuple[Where, TermNote] | Diagnostic | None:
        """The term's note, with where it stands; None for a term with no definition (no card
        without a back) or a glossary term the deck neither defines nor mentions."""
        if not mentions and not self.defined[root]:
            return None
        where, definition, _ = self.definition(root, mentions)
        if not definition:
            return None
        head = self.files[where.file].head
        note = validate_note({
            "kind": "term", **head.note_origin(where.line), "term": name[0], "aliases": name[1],
            "definition": definition,
            "context": self.context(mentions, definition, MAX_CONTEXT),
            "questions": self.questions(mentions, MAX_QUESTIONS),
        })  # fmt: skip
        if isinstance(note, Diagnostic):
            return note
        assert isinstance(note, TermNote)
        return where, note

    def sentence(self, pid: int, at: int) -> tuple[int, int]:
        if pid not in self.spans:
            self.spans[pid] = _sentences(self.lines[pid][1].text)
        spans = self.spans[pid]
        return spans[bisect_right(spans, (at, 1 << 30)) - 1]

    def owner(self, f: int, passage: Passage) -> tuple[int, str] | None:
        """The Q&A a question or answer line belongs to: its line and question."""
        draft = self.files[f].drafts[passage.owner] if passage.owner is not None else None
        if draft is None or draft.kind != "qa" or passage.role not in ("question", "answer"):
            return None
        return draft.line, draft.question

    def definition(
        self, root: str, here: list[Mention]
    ) -> tuple[Where, str, DefinitionSource | None]:
        """The term's definition, where it stands, and whose it is: the glossary file's, else
        the notes' own (a glossary section, a table, a `Term: …` line, a defining sentence, the
        strongest first), else none, standing where the term is first mentioned."""
        defined = self.defined[root]
        if root in self.anchor and self.anchor[root].definition:
            where = self._draft_place(defined[0]) if defined else self._place(here[0])
            return where, self.anchor[root].definition, "glossary"
        if defined:
            f, i = defined[0]
            return self._draft_place(defined[0]), self.files[f].drafts[i].answer, "notes"
        explained = self.explained(here)
        if explained:
            return self._place(explained[0]), explained[1], "notes"
        return self._place(here[0]) if here else Where(0, 1, 0), "", None

    def _draft_place(self, draft: tuple[int, int]) -> Where:
        return Where(draft[0], self.files[draft[0]].drafts[draft[1]].line, 0)

    def _place(self, mention: Mention) -> Where:
        f, passage = self.lines[mention.passage]
        return Where(f, passage.line, mention.start)

    def explained(self, mentions: list[Mention]) -> tuple[Mention, str] | None:
        """The notes' own definition: the first sentence of the strongest defining kind."""
        best: tuple[int, Mention, str] | None = None
        for mention in mentions:
            passage = self.lines[mention.passage][1]
            text = passage.text
            start, end = self.sentence(mention.passage, mention.start)
            if passage.role == "question" or text[start:end].rstrip().endswith(("?", "？")):
                continue  # "X란 무엇인가요?" asks what X is; it does not say it
            for rank, pattern in enumerate(DEFINES[: best[0] if best else None]):
                if pattern.match(text[mention.end : end]) and (
                    rank == 0 or _predicate(text[start : mention.start])
                ):
                    best = (rank, mention, _clean(text[start:end]))
                    break
        return (best[1], best[2]) if best else None

    def context(self, mentions: list[Mention], definition: str, limit: int) -> list[Any]:
        """Example sentences using the term, deduplicated and spread over the Q&As; never the
        definition again, nor a question (the card lists those once, apart)."""
        picked: dict[str, tuple[bool, int, Mention, str]] = {}
        said = " ".join(definition.split()).casefold()
        per_unit: Counter[tuple[int, int]] = Counter()
        for mention in mentions:
            f, passage = self.lines[mention.passage]
            start, end = self.sentence(mention.passage, mention.start)
            text = _clean(passage.text[start:end], mention.start - start)
            if passage.role in ("definition", "question") or text.casefold() in picked:
                continue
            if " ".join(text.strip("…").split()).casefold() in said:
                continue
            unit = qa_unit(f, passage)
            picked[text.casefold()] = (passage.role == "question", per_unit[unit], mention, text)
            per_unit[unit] += 1
        chosen = sorted(sorted(picked.values())[:limit], key=lambda t: t[2])
        return [
            {"path": self.files[self.lines[m.passage][0]].head.display,
             "line": self.lines[m.passage][1].line, "text": text}
            for _, _, m, text in chosen
        ]  # fmt: skip

    def questions(self, mentions: list[Mention], limit: int) -> list[str]:
        asked: dict[str, None] = {}
        for pid, _, _ in mentions:
            owner = self.owner(*self.lines[pid])
            if owner is not None:
                asked.setdefault(owner[1])
        return list(asked)[:limit]

    def listed(
        self, root: str, name: tuple[str, list[str]], here: list[Mention]
    ) -> tuple[Where, FoundTerm]:
        """The term as `flashcards terms` lists it, with where it stands."""
        where, definition, source = self.definition(root, here)
        head = self.files[min(where.file, len(self.files) - 1)].head
        term = FoundTerm(
            term=name[0], aliases=name[1], definition=definition or None,
            definition_source=source, count=len(here),
            source=SourceRef(path=head.display, line=max(where.line, 1)),
        )  # fmt: skip
        return where, term


def undefined(terms: Iterable[FoundTerm]) -> list[Diagnostic]:
    """An info line for each term found without a definition: it makes no card."""
    return [
        info(
            "term-undefined",
            term.source.path,
            term.source.line,
            f"key term {term.term!r} has no definition in the notes or glossary.yaml: no card "
            "(`flashcards terms --missing` lists such terms)",
        )
        for term in terms
        if term.definition is None
    ]
