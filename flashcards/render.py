"""Render fields: turn validated notes into the HTML strings of their Anki fields.

Markdown is rendered with raw HTML disabled (HTML in the notes shows as text) and every field is
then passed through nh3's allow-list, so no field can carry a live script, event handler, style or
dangerous link, whatever the notes hold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cache

import nh3

from .markdown import has_images, images_parser, render
from .models import ClozeNote, QANote, TermNote

ALLOWED_TAGS = {
    "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i", "u", "s", "del", "mark", "code",
    "pre", "blockquote", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
    "tr", "th", "td", "span", "div", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "span": {"class"},
    "div": {"class"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize(fragment: str) -> str:
    return _cleaner().clean(fragment)


@cache  # built once: nh3.clean builds the same sanitizer again on every call, at 3.5× the cost
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


# Rendering is pure, so each Markdown text is rendered once per process. Workers render their
# files' answers (validate.py) and the results travel back with the file, cached with it.
_RENDERED: dict[str, str] = {}


def render_markdown(markdown: str) -> str:
    """Markdown without images → safe HTML."""
    html = _RENDERED.get(markdown)
    if html is None:
        html = _RENDERED[markdown] = sanitize(render(markdown).strip())
    return html


def remember(rendered: Mapping[str, str]) -> None:
    """Take results rendered elsewhere (in a worker process, or a cached file)."""
    _RENDERED.update(rendered)


def markdown_html(markdown: str, images: Mapping[str, str] | None = None) -> str:
    """Markdown → safe HTML; `images` maps image references to packaged media names."""
    if not has_images(markdown):
        return render_markdown(markdown)
    return sanitize(images_parser().render(markdown, {"images": dict(images or {})}).strip())


def text_html(text: str) -> str:
    return html.escape(text, quote=False)


PathMap = Mapping[str, str]


def _where(paths: PathMap, path: str, line: int) -> str:
    """`path:line` with the path relative to the notes folder: the same wherever one builds."""
    return f"{paths.get(path, path)}:{line}"


def source_html(deck: str, where: str) -> str:
    return (
        f'<span class="src-deck">{text_html(deck)}</span> '
        f'<span class="src-line">{text_html(where)}</span>'
    )


def _bullets(items: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{item}</li>' for item in items)}</ul>" if items else ""


def qa_fields(note: QANote, paths: PathMap, images: PathMap) -> dict[str, str]:
    more = "".join(
        '<div class="more-answer">'
        f'<div class="more-question">{text_html(m.question)}</div>'
        f"{markdown_html(m.answer, images)}"
        f'<div class="source">{source_html(note.deck, _where(paths, m.path, m.line))}</div></div>'
        for m in note.merged_from
    )
    return {
        "Question": text_html(note.question),
        "Answer": markdown_html(note.answer, images),
        "MoreAnswers": more,
        "Context": text_html(note.parent_question),
        "KeyTerms": ", ".join(text_html(t) for t in note.key_terms),
        "Source": source_html(note.deck, _where(paths, note.source.path, note.source.line)),
        "Extra": "",
    }


def term_fields(note: TermNote, paths: PathMap, images: PathMap) -> dict[str, str]:
    masked = mask_term(note.definition, [note.term, *note.aliases])
    context = [
        f'{text_html(c.text)} <span class="src-line">{text_html(_where(paths, c.path, c.line))}'
        "</span>"
        for c in note.context
    ]
    return {
        "Term": text_html(note.term),
        "Definition": markdown_html(note.definition, images),
        "Prompt": markdown_html(masked, images),
        "Aliases": ", ".join(text_html(a) for a in note.aliases),
        "Context": _bullets(context),
        "Questions": _bullets([text_html(q) for q in note.questions]),
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


def cloze_fields(note: ClozeNote, paths: PathMap) -> dict[str, str]:
    # The {{c1::…}} markup is plain text to the sanitizer, so it survives escaping intact.
    return {
        "Text": sanitize(text_html(note.text)),
        "Context": text_html(note.context),
        "Source": source_html(note.deck, _where(paths, note.source.path, note.source.line)),
        "Extra": "",
    }


def fields_for(
    note: QANote | TermNote | ClozeNote, paths: PathMap, images: PathMap | None = None
) -> dict[str, str]:
    """The note's Anki fields. `paths` maps each displayed path to its path in the notes folder;
    `images` maps the note's image references to packaged media names."""
    images = images or {}
    if isinstance(note, QANote):
        return qa_fields(note, paths, images)
    if isinstance(note, TermNote):
        return term_fields(note, paths, images)
    return cloze_fields(note, paths)
