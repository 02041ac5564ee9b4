"""Enrich: a deck's notes made from its files (deck.py) — Q&A notes validated, cloze notes
(cloze.py), key terms and their notes (terms/, with the user's glossary.yaml), a question asked
twice merged into one note (merge.py) — handed on as `DeckNotes`."""

from .deck import DeckNotes, finish_deck

__all__ = ["DeckNotes", "finish_deck"]
