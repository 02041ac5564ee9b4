"""The three note types: a compatibility contract with every user's collection.

COMPATIBILITY CONTRACT — read ../shared/anki-import-facts.md before changing anything here.
Anki keeps a note type's id and field list in every collection that imported it; changing the
ids, the field names, their order or their number (or the number of templates) makes Anki
create a copy of the note type ("Name+"), after which existing notes stop updating. Template
text and CSS may change (render/templates.py; package.py bumps their version).
"""

from __future__ import annotations

MODEL_IDS = {"qa": 1843700001, "term": 1843700002, "cloze": 1843700003}
NAMES = {"qa": "flashcards Q&A", "term": "flashcards Term", "cloze": "flashcards Cloze"}
FIELDS = {
    "qa": ("Question", "Answer", "MoreAnswers", "Context", "KeyTerms", "Source", "Extra"),
    "term": ("Term", "Definition", "Prompt", "Aliases", "Context", "Questions", "Source", "Extra"),
    "cloze": ("Text", "Context", "Source", "Extra"),
}
KIND_OF_MODEL = {model_id: kind for kind, model_id in MODEL_IDS.items()}
