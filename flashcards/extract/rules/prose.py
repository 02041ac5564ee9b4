"""Prose: a block no other rule took. It makes no Q&A, but its lines are where key terms and
clozes are found (enrich/)."""

from __future__ import annotations

from ..state import ExtractState


def rule(state: ExtractState) -> bool:
    state.add_passages(state.block, None, "prose")
    state.pos += 1
    return True
