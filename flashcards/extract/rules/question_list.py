"""Question lists: nested bullets and numbered items. Each item is a question, its nested blocks
the answer. A list is read this way under a Q&A-style heading, or anywhere when most of its
items read as questions.

    - Self-attention과 convolution의 차이는 무엇인가요?      3. 질문은 무엇인가요?
        - self-attention은 모든 위치를 …                         들여 쓴 답 …

Anywhere, an item that asks and gives its answer after a marker (`-> …`, `A: …`, on the next
line) is a question and its answer; the other items of such a list are prose. When a `답변` or
`Answer` paragraph follows the list, it answers the last item, whose own text is then the
question's detail. When a quote follows the list instead, it answers the last item (interview
notes written as `- question?` then `> answer` lines). Nested items that only ask again are
follow-up questions, not an answer. A bullet list whose first item asks, alone, is answered by
its other items and the figures and lists that follow (lecture notes working through a question).
"""

from __future__ import annotations

import re

from ...read.blocks import LIST_TYPES, Block, first_line, plain_text
from ...text import ANSWER_LABEL, asks
from ..answers import answered
from ..items import asked_and_answered, item_asks, item_parts, mostly_questions, raw_text
from ..parsed import Draft
from ..state import ExtractState
from ..vocabulary import REFERENCES_HEADING, plain


def rule(state: ExtractState) -> bool:
    block = state.block
    if block.type not in LIST_TYPES:
        return False
    whole = state.section in ("qa", "qa-lists") or mostly_questions(block)
    if not whole and _led_by_question(block):
        state.pos += 1
        head, _ = item_parts(block.children[0])
        assert head is not None
        answer = [*block.children[1:], *_worked_through(state)]
        answered(state, plain_text(head), first_line(block), answer, head)
        return True
    if not whole and not any(_marked(item) for item in block.children):
        return False
    state.pos += 1
    labelled = _labelled_answer(state) if whole else None
    items = block.children
    quoted = _quoted_answer(state, items[-1]) if whole and labelled is None else []
    for index, item in enumerate(items):
        head, rest = item_parts(item)
        last = index == len(items) - 1
        if head is None:
            state.add_passages(item, None, "prose")
        elif _marked(item):
            _marked_answer(state, item, head, rest)
        elif labelled is not None and last:
            _with_labelled_answer(state, item, head, rest, labelled)
        elif whole and (only_questions(rest) or not rest):
            _asked_again(state, rest)
            answer = quoted if last else []
            answered(state, plain_text(head), first_line(item), answer, head, unquote=True)
        elif whole:
            answered(state, plain_text(head), first_line(item), rest, head)
        else:
            state.add_passages(item, None, "prose")
    return True


def _led_by_question(block: Block) -> bool:
    """A bullet list whose first item asks, alone, and whose other items answer it: how lecture
    notes pose a question and then work through it point by point."""
    items = block.children
    if block.type != "bullet_list" or len(items) < 2:
        return False
    head, rest = item_parts(items[0])
    if head is None or rest or not item_asks(items[0]) or _marked(items[0]):
        return False
    return not any(item_asks(item) for item in items[1:])


def _worked_through(state: ExtractState) -> list[Block]:
    """The figures and further lists that follow a list led by a question, up to the next
    block that asks: the same answer, worked through point by point; taken. A paragraph ends
    it, as it ends a question paragraph's answer: prose runs on past what answers."""
    blocks, start = state.blocks, state.pos
    end = start
    while end < len(blocks) and _continues(blocks[end]):
        end += 1
    while end > start and blocks[end - 1].type != "bullet_list":  # a figure closing the run
        end -= 1  # is as likely the next topic's
    state.pos = end
    return blocks[start:end]


def _continues(block: Block) -> bool:
    if block.type == "bullet_list":
        return not any(item_asks(item) for item in block.children)
    return block.type == "paragraph" and not _FIGURE.sub("", raw_text(block)).strip()


# Images in Markdown or as the HTML tags blogs and exports write, and line breaks between them.
_FIGURE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|<img\b[^>\n]*>|<br\s*/?>", re.IGNORECASE)


def only_questions(blocks: list[Block]) -> bool:
    """Nested lists whose every item asks and holds nothing but more such questions."""
    return bool(blocks) and all(
        block.type in LIST_TYPES and all(_asks_only(item) for item in block.children)
        for block in blocks
    )


def _asks_only(item: Block) -> bool:
    _, rest = item_parts(item)
    return item_asks(item) and (not rest or only_questions(rest))


def _asked_again(state: ExtractState, lists: list[Block]) -> None:
    """Follow-up questions with no answer: each said at its line, none a card."""
    for block in lists:
        for item in block.children:
            head, rest = item_parts(item)
            if head is not None:
                state.no_answer(first_line(item), plain_text(head))
                state.add_passages(head, None, "prose")
            _asked_again(state, rest)


def _quoted_answer(state: ExtractState, last: Block) -> list[Block]:
    """A quote right after the list, with what follows it up to the next list or heading, when
    the list's last item has no answer of its own; taken. Quotes that only cite a source
    (`> ref` then a link) are left out."""
    _, rest = item_parts(last)
    blocks, start = state.blocks, state.pos
    if rest and not only_questions(rest):
        return []
    if start >= len(blocks) or blocks[start].type != "blockquote" or _cites(blocks[start]):
        return []
    end = start
    while end < len(blocks) and blocks[end].type not in ("heading", *LIST_TYPES):
        end += 1
    state.pos = end
    return [block for block in blocks[start:end] if not _cites(block)]


def _cites(block: Block) -> bool:
    """A quote that only names a source: `> ref` (or `> 출처`) and links."""
    if block.type != "blockquote":
        return False
    first = raw_text(block).strip().split("\n")[0]
    return bool(REFERENCES_HEADING.match(first.rstrip("\\ ").strip()))


def _marked(item: Block) -> bool:
    """An item that asks, then answers after a marker on a line of its own."""
    head, _ = item_parts(item)
    if head is None:
        return False
    question, answer = asked_and_answered(raw_text(head))
    return bool(answer) and asks(question)


def _marked_answer(state: ExtractState, item: Block, head: Block, rest: list[Block]) -> None:
    question, answer = asked_and_answered(raw_text(head))
    line = first_line(item)
    parts = ["\n".join(answer).strip(), state.markdown(rest)]
    markdown = "\n\n".join(part for part in parts if part)
    owner = state.add(Draft("qa", line, plain(question), markdown))
    asked_lines = question.count("\n") + 1
    state.add_text_lines([(line + k, text) for k, text in enumerate(question.split("\n"))], owner,
                         "question")  # fmt: skip
    start = line + asked_lines
    state.add_text_lines([(start + k, text) for k, text in enumerate(answer)], owner, "answer")
    for block in rest:
        state.add_passages(block, owner, "answer")


def _labelled_answer(state: ExtractState) -> list[Block] | None:
    """The blocks after an answer label (`답변`) that follows the list, if one does; taken."""
    blocks, start = state.blocks, state.pos
    if start >= len(blocks) or blocks[start].type != "paragraph":
        return None
    if not ANSWER_LABEL.match(raw_text(blocks[start]).strip()):
        return None
    end = start + 1
    while end < len(blocks) and blocks[end].type != "heading":
        end += 1
    state.pos = end
    return blocks[start + 1 : end]


def _with_labelled_answer(
    state: ExtractState, item: Block, head: Block, rest: list[Block], answer: list[Block]
) -> None:
    """The item's text is the question (its nested paragraphs, the question's detail)."""
    detail = " ".join(plain_text(block) for block in rest if block.type != "code_block")
    question = " ".join(part for part in (plain_text(head), detail) if part)
    answered(state, question, first_line(item), answer, head)
    for block in rest:
        state.add_passages(block, None, "prose")
