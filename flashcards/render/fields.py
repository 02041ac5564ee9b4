"""The Anki fields of each kind of note, as safe HTML (html.py). The field names are the note
types' frozen contract (package.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from ..notes import AnyNote, ClozeNote, QANote, TermNote
from ..read.names import shown_path
from ..read.parsers import may_hold_math
from .html import markdown_html, sanitize, text_html
from .marks import may_hold_highlight
from .math import text_math_html

# Each displayed path → its path inside the notes folder: what a card shows as its source.
RelPaths = Mapping[str, str]
ImageNames = Mapping[str, str]  # an image reference in the notes → its packaged media name


def _where(paths: RelPaths, path: str, line: int) -> str:
    """`path:line` with the path relative to the notes folder: the same wherever one builds
    (Notion's ids dropped from its names)."""
    return f"{shown_path(paths.get(path, path))}:{line}"


def _rich(text: str) -> bool:
    """Whether plain text holds more than text: math or a highlight (text_math_html)."""
    return may_hold_math(text) or may_hold_highlight(text)


def plain_html(text: str) -> str:
    """Plain text as HTML, shown as written but for its math and highlights (render/math.py)."""
    return sanitize(text_math_html(text)) if _rich(text) else text_html(text)


def source_html(deck: str, where: str) -> str:
    return (
        f'<span class="src-deck">{text_html(deck)}</span> '
        f'<span class="src-line">{text_html(where)}</span>'
    )


def _bullets(items: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{item}</li>' for item in items)}</ul>" if items else ""


def qa_fields(note: QANote, paths: RelPaths, images: ImageNames) -> dict[str, str]:
    more = "".join(
        '<div class="more-answer">'
        f'<div class="more-question">{plain_html(m.question)}</div>'
        f"{markdown_html(m.answer, images)}"
        f'<div class="source">{source_html(note.deck, _where(paths, m.path, m.line))}</div></div>'
        for m in note.merged_from
    )
    return {
        "Question": plain_html(note.question),
        "Answer": markdown_html(note.answer, images),
        "MoreAnswers": more,
        "Context": plain_html(note.parent_question),
        "KeyTerms": ", ".join(text_html(t) for t in note.key_terms),
        "Source": source_html(note.deck, _where(paths, note.source.path, note.source.line)),
        "Extra": "",
    }


def term_fields(note: TermNote, paths: RelPaths, images: ImageNames) -> dict[str, str]:
    masked = mask_term(note.definition, [note.term, *note.aliases])
    context = [
        f'{plain_html(c.text)} <span class="src-line">{text_html(_where(paths, c.path, c.line))}'
        "</span>"
        for c in note.context
    ]
    return {
        "Term": text_html(note.term),
        "Definition": markdown_html(note.definition, images),
        "Prompt": markdown_html(masked, images),
        "Aliases": ", ".join(text_html(a) for a in note.aliases),
        "Context": _bullets(context),
        "Questions": _bullets([plain_html(q) for q in note.questions]),
        "Source": source_html(note.deck, _where(paths, note.source.path, note.source.line)),
        "Extra": "",
    }


def mask_term(text: str, names: list[str]) -> str:
    """Blank out the term and its aliases, so the meaning → term card does not give it away."""
    folded = text.casefold()
    present = tuple(s for n in names if (s := n.strip()) and s.casefold() in folded)
    return _names_pattern(present).sub("＿＿＿", text) if present else text


@cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # Whole Latin words only ("IS" must not blank the "is" of "distribution"); a Korean
    # particle may follow a name directly ("트랜스포머는").
    unique = sorted(set(names), key=len, reverse=True)  # stripped and non-empty (mask_term)
    alternatives = "|".join(re.escape(name) for name in unique)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


def cloze_fields(note: ClozeNote, paths: RelPaths) -> dict[str, str]:
    # The {{c1::…}} markup is plain text to the sanitizer, so it survives escaping intact; a
    # `}}` inside math would end the cloze early, so the math writes it `} }`.
    text = text_math_html(note.text, cloze=True) if _rich(note.text) else text_html(note.text)
    return {
        "Text": sanitize(text),
        "Context": plain_html(note.context),
        "Source": source_html(note.deck, _where(paths, note.source.path, note.source.line)),
        "Extra": "",
    }


def fields_for(note: AnyNote, paths: RelPaths, images: ImageNames) -> dict[str, str]:
    """The note's Anki fields. `paths` maps each displayed path to its path in the notes folder;
    `images` maps the note's image references to packaged media names."""
    if isinstance(note, QANote):
        return qa_fields(note, paths, images)
    if isinstance(note, TermNote):
        return term_fields(note, paths, images)
    return cloze_fields(note, paths)
