"""What every question the rules found must pass to become a note, whichever rule found it:

* an answer that is none — not known yet ("더 조사 후 답변", "TBD"), a template's placeholder
  ("내용"), only a link to an answer elsewhere — makes no note, and a warning says why;
* a line of prose that asks gets an info line saying it makes no card;
* a question the notes apply to case after case — asked word for word three times or more, under
  different headings ("What is the labeled data?" under each example) — is a checklist, not a
  question to learn once: no notes, and an info line says so.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from ..diagnostics import info, shorten
from ..read.blocks import first_line
from ..text import asks, normalise
from .parsed import Draft, Passage
from .questions import no_answer_reason
from .state import ExtractState

CHECKLIST_AT = 3  # times a question's words stand in a file to make it a checklist


def tell_uncarded(state: ExtractState, told: set[int]) -> None:
    """A line of prose that asks, where nothing else was said (nor at the `told` lines): an info
    line, so that no question is dropped in silence (a rhetorical one is prose, and says so)."""
    said = {d.line for d in state.diagnostics} | told
    for passage in state.passages:
        line = passage.line
        if passage.owner is not None or line in said or not asks(passage.text):
            continue
        if state.lines[line - 1].lstrip().startswith("|"):  # a table's cell
            continue
        said.add(line)
        message = f"reads as a question but stands in prose: no card: {shorten(passage.text)}"
        state.diagnostics.append(info("question-in-prose", state.path, line, message))


def keep_answered(state: ExtractState) -> None:
    """Drop the questions whose answer is none, each with a warning at its line."""
    dropped = set()
    for index, draft in enumerate(state.drafts):
        reason = no_answer_reason(draft.answer) if draft.kind == "qa" else None
        if reason is not None:
            dropped.add(index)
            message = f"question has no answer, so no card: {shorten(draft.question)} ({reason})"
            state.warn("no-answer", draft.line, message)
    _drop(state, dropped)


def drop_checklists(state: ExtractState) -> set[int]:
    """Drop the questions a file asks again and again, with an info line at the first; the
    lines of those dropped."""
    text = normalise("\n".join(state.lines))
    headings = [first_line(b) for b in state.blocks if b.type == "heading"]
    under: dict[str, set[int]] = defaultdict(set)  # question → the headings it is asked under
    for draft in state.drafts:
        if _checkable(draft):
            under[normalise(draft.question)].add(bisect_right(headings, draft.line))
    checklist = {
        q for q, places in under.items()
        if len(places) > 1 and len(q) >= 10 and text.count(q) >= CHECKLIST_AT
    }  # fmt: skip
    dropped = set()
    told = set()
    for index, draft in enumerate(state.drafts):
        key = normalise(draft.question)
        if _checkable(draft) and key in checklist:
            dropped.add(index)
            if key not in told:
                told.add(key)
                message = (
                    f"'{shorten(draft.question, 40)}' is asked {text.count(key)} times: read as "
                    "a checklist, not a card (word each one apart to make cards of them)"
                )
                state.diagnostics.append(info("checklist", state.path, draft.line, message))
    lines = {state.drafts[index].line for index in dropped}
    _drop(state, dropped)
    return lines


def _checkable(draft: Draft) -> bool:
    return draft.kind == "qa" and not draft.parent_question


def _drop(state: ExtractState, dropped: set[int]) -> None:
    """Drop drafts; their lines become prose, and the other passages keep their owners."""
    if not dropped:
        return
    renumbered: dict[int, int] = {}
    kept: list[Draft] = []
    for index, draft in enumerate(state.drafts):
        if index not in dropped:
            renumbered[index] = len(kept)
            kept.append(draft)
    state.drafts = kept
    state.passages = [
        Passage(p.line, p.text, p.emphasis, None, "prose")
        if p.owner is not None and p.owner in dropped
        else Passage(p.line, p.text, p.emphasis, renumbered.get(p.owner), p.role)
        if p.owner is not None
        else p
        for p in state.passages
    ]
