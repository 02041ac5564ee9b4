"""The note conventions, in the order they are tried on each top-level block of a file.

Each rule is `rule(state) -> bool`: it looks at `state.block` (and the section the walk is in);
if the block is its own, it records what it finds, moves `state.pos` past the blocks it used and
returns True; else it returns False and changes nothing. The first rule that takes a block wins,
so a block used as an answer is never read again as a question. `prose` takes whatever is left.
Inside an answer, follow-up questions get notes of their own (answers.py).

Adding a convention: one module in rules/, one line here, one fixture in tests/fixtures/ with its
expected output beside it (see tests/test_golden.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .rules import (
    bold_question,
    contents,
    glossary_section,
    prefixed,
    prose,
    question_heading,
    question_list,
    question_paragraph,
    section_heading,
)
from .state import ExtractState

Rule = Callable[[ExtractState], bool]

RULES: list[tuple[str, Rule]] = [
    ("question_heading", question_heading.rule),  # `## …?`, `#### Q. …`, `#### 3. Define …`
    ("section_heading", section_heading.rule),  # any other heading: Q&A, glossary, contents…
    ("contents", contents.rule),  # a table of contents: skipped
    ("prefixed", prefixed.rule),  # `Q:` / `A:`, `Quiz.` / `Answer.`, `Q3- …`, `-> …` lines
    ("bold_question", bold_question.rule),  # `**How is KNN different from k-means?**`
    ("glossary_section", glossary_section.rule),  # `Term: definition` under a glossary heading
    ("question_list", question_list.rule),  # nested bullets, numbered items (follow-ups inside)
    ("question_paragraph", question_paragraph.rule),  # `What is X?` then the block answering it
    ("prose", prose.rule),  # anything else: text for key terms and clozes
]


def walk(state: ExtractState) -> None:
    """Run the chain over every top-level block."""
    while state.pos < len(state.blocks):
        start = state.pos
        for name, rule in RULES:
            if rule(state):
                assert state.pos > start, f"{name} took a block without moving past it"
                break
