"""Prefixed lines: `Q:` / `A:`, `Q.` / `A.`, `질문:` / `답변:`, `문:` / `답:`, bold or not.

    Q: Transformer는 왜 데이터가 많이 필요한가요?
    A: inductive bias가 적어서 …

An answer runs until the next question, a heading, or a list of questions; blocks after the `A:`
line (lists, code) belong to it. An answer is kept as parts, each with the line it starts on, so
that every line of it (for key terms and their context) knows where it stands in the file.
"""

from __future__ import annotations

from ...read.blocks import LIST_TYPES, Block, first_line
from ..items import mostly_questions, raw_text
from ..parsed import Draft
from ..state import ExtractState
from ..vocabulary import A_PREFIX, Q_PREFIX, plain, unprefix

Part = tuple[int, str]  # the line a part of an answer starts on, and its Markdown


def rule(state: ExtractState) -> bool:
    block = state.block
    if block.type != "paragraph" or not Q_PREFIX.match(raw_text(block)):
        return False
    state.pos = _run(state, state.pos)
    return True


def _run(state: ExtractState, start: int) -> int:
    """Q:/A: runs starting at blocks[start]; returns the index of the first block not used."""
    blocks = state.blocks
    question: list[str] = []
    answer: list[Part] = []
    q_line = 0
    i = start
    while i < len(blocks) and blocks[i].type != "heading":
        block = blocks[i]
        if block.type in LIST_TYPES and mostly_questions(block):
            break
        raw = raw_text(block) if block.type == "paragraph" else ""
        if block.type != "paragraph" or not (Q_PREFIX.match(raw) or A_PREFIX.match(raw)):
            if not question:
                break
            answer.append((first_line(block), state.markdown([block])))
            i += 1
            continue
        base = first_line(block)
        in_answer = bool(answer)
        for k, text in enumerate(raw.split("\n")):
            if Q_PREFIX.match(text):
                if question:
                    _emit(state, plain(" ".join(question)), q_line, answer)
                question, answer, q_line = [unprefix(Q_PREFIX, text)], [], base + k
                in_answer = False
            elif A_PREFIX.match(text):
                in_answer = True
                answer.append((base + k, unprefix(A_PREFIX, text)))
            elif in_answer:
                answer[-1] = (answer[-1][0], answer[-1][1] + "\n" + text)
            else:
                question.append(text)
        i += 1
    if question:
        _emit(state, plain(" ".join(question)), q_line, answer)
    return max(i, start + 1)


def prefixed_item(state: ExtractState, head: Block, rest: list[Block]) -> None:
    """A list item written `Q: … A: …`: its nested blocks continue the answer."""
    raw_lines = raw_text(head).split("\n")
    split = next((k for k, ln in enumerate(raw_lines) if A_PREFIX.match(ln)), len(raw_lines))
    question = plain(unprefix(Q_PREFIX, " ".join(raw_lines[:split])))
    answer_lines = raw_lines[split:]
    if answer_lines:
        answer_lines[0] = unprefix(A_PREFIX, answer_lines[0])
    parts = [(first_line(head) + split, "\n".join(answer_lines).strip())]
    parts += [(first_line(block), state.markdown([block])) for block in rest]
    _emit(state, question, first_line(head), parts)


def _emit(state: ExtractState, question: str, line: int, parts: list[Part]) -> None:
    for marker in ("**", "__"):  # `**Q. a question\nover two lines**` closes on its last line
        if question.endswith(marker) and question.count(marker) % 2:
            question = question.removesuffix(marker).rstrip()
    parts = [(start, text) for start, text in parts if text.strip()]
    if not parts:
        state.no_answer(line, question)
        return
    answer = "\n\n".join(text for _, text in parts)
    owner = state.add(Draft("qa", line, question, answer))
    state.add_passage(line, question, owner, "question")
    for start, text in parts:
        for k, piece in enumerate(text.split("\n")):
            if piece.strip():
                state.add_passage(start + k, plain(piece), owner, "answer")
