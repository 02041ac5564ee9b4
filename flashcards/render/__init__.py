"""Render: a deck's notes as Anki shows them (deck.py → `RenderedDeck`): fields of safe HTML
(fields.py, html.py), images resolved for packaging (media.py), card templates and CSS
(templates.py)."""

from .deck import RenderedDeck, RenderedNote, in_source_order, render_deck, render_note

__all__ = ["RenderedDeck", "RenderedNote", "in_source_order", "render_deck", "render_note"]
