"""Prefixed lines: a line that starts with a question marker — `Q:`, `Q.`, `Q3-`, `Quiz.`,
`질문:`, `문:`, bold or not, in a paragraph, a list item or its lazy continuation — asks; `A:`,
`Answer.`, `답변:`, `->` or a `답변` line on its own marks its answer.

    Q. 대각행렬의 갯수를 줄이면 어떻게 되나요?        **Q1- What's the trade-off?**
    A. 가장 유의미한 정보만 남습니다.                  Bias is an error due to …
    Q. SVD에서 singular value는 정렬되어 있나요?
    - 네, 큰 순서입니다.

The walk is line by line, over as many blocks as the questions and answers take. An answer
begun with a marker runs until the next question, a heading of the section's level or a label
line (`📒 [강의 관련 질문]`) — inside a list, until a line as shallow as its question after a
blank line. An answer that is only what follows a question (a list, say) ends
with it. Questions with no answer get a warning at their line.
"""

from __future__ import annotations

from ...read.blocks import LIST_TYPES, Block, dedent
from ...text import ANSWER_LABEL
from ..items import asked_by, mostly_questions
from ..parsed import Draft
from ..questions import LEAD, answer_text, is_label, question_text, strip_lead
from ..state import ExtractState
from ..vocabulary import plain

_TEXT_BLOCKS = ("paragraph", "blockquote", *LIST_TYPES)


def rule(state: ExtractState) -> bool:
    if not asks_in(state, state.block):
        return False
    state.pos = _Run(state).walk()
    return True


def asks_in(state: ExtractState, block: Block) -> bool:
    """Whether a block holds a prefixed question line."""
    if block.type not in _TEXT_BLOCKS or not block.map:
        return False
    lines = state.lines
    return any(question_text(lines[i]) is not None for i in range(*block.map))


def _is_item(line: str) -> bool:
    """A list item's first line."""
    return LEAD.match(line).group().strip(" \t\u00a0>#") != ""  # type: ignore[union-attr]


def _column(line: str) -> int:
    """Where a line's text starts, past its indentation, list marker and layout spaces."""
    lead = LEAD.match(line).group()  # type: ignore[union-attr]  # LEAD matches any text
    return len(lead.expandtabs(4).replace("&nbsp;", " ").replace("&#160;", " "))


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


class _Run:
    """One walk over prefixed questions and their answers."""

    def __init__(self, state: ExtractState) -> None:
        self.state = state
        self.question: list[tuple[int, str]] = []  # (1-based line, text)
        self.answer: list[tuple[int, str]] = []  # (1-based line, Markdown)
        self.marked = False  # the answer began with a marker
        self.base = 0  # the indentation of the question's line
        self.blank = False  # a blank line since the last line taken
        self.closed = False  # the question's line closed its emphasis

    def walk(self) -> int:
        state, i, done = self.state, self.state.pos, None
        while i < len(state.blocks):
            block = state.blocks[i]
            if i > state.pos and not self._takes(block):
                break
            if block.map:  # the blank lines before the block too: they part an answer's blocks
                for index in range(block.map[0] if done is None else done, block.map[1]):
                    self._line(index + 1, state.lines[index])
                done = block.map[1]
            i += 1
        self._emit()
        return i

    def _takes(self, block: Block) -> bool:
        """Whether the walk goes on into the next top-level block."""
        if self.state.ends_answer(block):
            return False
        if block.type in LIST_TYPES and mostly_questions(block) and not asks_in(self.state, block):
            return False
        if asked_by(block) is not None:  # an emphasised question: rules/bold_question.py
            return False
        if block.type == "paragraph" and is_label(self.state.markdown([block])):
            return False
        return bool(self.question) or asks_in(self.state, block)

    def _line(self, number: int, line: str) -> None:
        body = strip_lead(line).strip()
        if not body:
            self.blank = bool(self.question)
            if self.answer:
                self.answer.append((number, ""))
            return
        asked = question_text(line)
        if asked is not None:
            self._emit()
            self.question, self.base = [(number, asked)], _column(line)
            # `**Q. …**` closed on its line is a whole question: the next line answers.
            self.closed = body.startswith(("**", "__")) and body.rstrip().endswith(("**", "__"))
        elif not self.question or self._ends(line, body):
            self._emit()
            self.state.add_text_lines([(number, body)], None, "prose")
        else:
            self._answer_line(number, line, body)
        self.blank = False

    def _ends(self, line: str, body: str) -> bool:
        return is_label(body) or self._answer_ended(line, body)

    def _answer_ended(self, line: str, body: str) -> bool:
        """After a blank line, a line left of the question's text ends an answer inside a list
        or an indented block, and a paragraph ends an answer that was only a list."""
        if not (self.blank and self.answer):
            return False
        if self.base > 0:
            return _indent(line) < self.base
        return not self.marked and _is_item(self.answer[0][1]) and not _is_item(line)

    def _answer_line(self, number: int, line: str, body: str) -> None:
        given = answer_text(line)
        if given is not None:
            self.marked = True
            if given:
                self.answer.append((number, given))
        elif ANSWER_LABEL.match(body):
            self.marked = True
        elif not self.answer and not self.marked and self._continues_question(line, body):
            self.question.append((number, body))
        else:
            self.answer.append((number, line))

    def _continues_question(self, line: str, body: str) -> bool:
        """A question goes on over the lines of its paragraph until it asks."""
        asked = " ".join(text for _, text in self.question).rstrip("*_ ")
        lazy = strip_lead(line).strip() == line.strip()
        return not (self.blank or self.closed or asked.endswith(("?", "？"))) and lazy

    def _emit(self) -> None:
        if self.question:
            _record(self.state, self.question, self.answer)
        self.question, self.answer, self.marked, self.blank = [], [], False, False


def _record(
    state: ExtractState, question: list[tuple[int, str]], answer: list[tuple[int, str]]
) -> None:
    line = question[0][0]
    text = " ".join(part.rstrip("\\") for _, part in question).strip()  # no hard breaks
    for marker in ("**", "__"):  # `**Q. a question\nover two lines**` closes on its last line
        if text.endswith(marker) and text.count(marker) % 2:
            text = text.removesuffix(marker).rstrip()
    text = plain(text)
    markdown = dedent([part for _, part in answer]).strip()
    if not markdown:
        state.no_answer(line, text)
        return
    owner = state.add(Draft("qa", line, text, markdown))
    state.add_text_lines([(line, text)], owner, "question")
    state.add_text_lines([(n, strip_lead(part)) for n, part in answer], owner, "answer")
