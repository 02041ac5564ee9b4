"""The preview page: one self-contained HTML file showing every card's front and back.

Each card is rendered inside its own shadow root (declarative: `<template shadowrootmode>`), with
the note type's CSS as it is, in a container with Anki's classes (`card card1`): Anki's styles
apply exactly as in a review, and neither the page's nor another card's styles leak in or out.
Night mode adds Anki's `nightMode night_mode` classes to those containers.

Card HTML is Anki's rendering of sanitised fields (render/html.py); the page only adds MathML
(mathml.py, allow-listed) and data: URIs for images. Everything else the page injects is escaped,
and its Content-Security-Policy allows no request at all and no script but its own.
"""

from __future__ import annotations

import html
from pathlib import Path

from .. import atomic
from .assets import FRAME_CSS, PAGE_CSS, PAGE_JS, script_hash
from .cards import PreviewCard
from .fragments import embed_images
from .mathml import typeset

MARKER = '<meta name="generator" content="flashcards preview">'


def page_html(cards: list[PreviewCard], media: dict[str, bytes], title: str) -> str:
    decks = _with_parents(sorted({card.deck for card in cards}))
    tags = sorted({tag for card in cards for tag in card.tags}, key=str.lower)
    policy = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {script_hash(PAGE_JS)}; base-uri 'none'; form-action 'none'"
    )
    count = f"{len(cards)} card{'' if len(cards) == 1 else 's'}"
    head = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n{MARKER}\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} — {count}</title>\n<style>\n{PAGE_CSS}</style>\n</head>\n"
    )
    bar = (
        '<body>\n<header class="fc-bar">\n'
        '<input type="search" id="fc-search" placeholder="Search cards" '
        'aria-label="Search cards" autocomplete="off">\n'
        f'<select id="fc-deck" aria-label="Deck">{_options("All decks", decks)}</select>\n'
        f'<select id="fc-tag" aria-label="Tag">{_options("All tags", tags)}</select>\n'
        '<label><input type="checkbox" id="fc-night"> Night</label>\n'
        f'<span class="fc-count" id="fc-count">{count}</span>\n</header>\n<main id="fc-cards">\n'
    )
    items = "".join(_item(n, card, media) for n, card in enumerate(cards, 1))
    tail = (
        '</main>\n<p class="fc-none" id="fc-none" hidden>No card matches.</p>\n'
        f"<script>{PAGE_JS}</script>\n</body>\n</html>\n"
    )
    return head + bar + items + tail


def _options(everything: str, values: list[str]) -> str:
    options = [f'<option value="">{html.escape(everything)}</option>']
    options += [f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values]
    return "".join(options)


def _with_parents(decks: list[str]) -> list[str]:
    """The decks and their parent decks (`A::B` also lists `A`), sorted."""
    every = {deck for deck in decks}
    for deck in decks:
        parts = deck.split("::")
        every.update("::".join(parts[:n]) for n in range(1, len(parts)))
    return sorted(every, key=str.lower)


def _item(number: int, card: PreviewCard, media: dict[str, bytes]) -> str:
    meta = (
        f'<span class="fc-deck">{html.escape(card.deck)}</span> · '
        f"{html.escape(card.note_type)}: {html.escape(card.template)}"
    )
    if card.tags:
        meta += " · " + html.escape(" ".join(card.tags))
    container = f"card card{card.ord + 1}"
    sides = "".join(
        f'<div class="pv-side"><div class="pv-label">{label}</div>'
        f'<div class="{container}">{_card_html(side, media)}</div></div>'
        for label, side in (("Front", card.question), ("Back", card.answer))
    )
    return (
        f'<article class="fc-item" id="card-{number}" data-deck="{html.escape(card.deck)}" '
        f'data-tags="{html.escape(" ".join(card.tags))}">\n'
        f'<div class="fc-meta">{meta}</div>\n<div class="fc-host">'
        f'<template shadowrootmode="open"><style>\n{_style(FRAME_CSS + card.css)}</style>'
        f'<div class="pv-sides">{sides}</div></template></div>\n</article>\n'
    )


def _card_html(rendered: str, media: dict[str, bytes]) -> str:
    return embed_images(typeset(rendered), media)


def _style(css: str) -> str:
    """CSS safe inside a <style> element (`</style` cannot end it early)."""
    return css.replace("</", "<\\/")


def is_our_page(path: Path) -> bool:
    """Whether `path` is a page this generator wrote: it carries MARKER near its start."""
    try:
        with path.open("rb") as file:
            start = file.read(1024)
    except OSError:
        return False
    return MARKER.encode() in start


def replace_refusal(path: Path) -> str | None:
    """Why the page must not be written over what is at `path` (see atomic.replace_refusal)."""
    return atomic.replace_refusal(path, is_our_page, "a preview page flashcards wrote")
