"""flashcards: turn lecture and Q&A notes into Anki decks."""

__version__ = "0.1.0"
