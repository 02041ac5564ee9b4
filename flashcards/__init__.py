"""flashcards: turn lecture and Q&A notes into Anki decks.

The folders are the pipeline; each stage hands one complete type to the next, and imports only
from the stages before it (tests/test_layers.py keeps it so):

    read/       note files found, decoded, front matter split off → SourceFile;
                Markdown parsed into blocks with a line map → Block
    extract/    the note conventions as a chain of rules (chain.py, rules/) → ParsedFile
    enrich/     a deck's notes: validated, cloze notes, key terms (terms/, with the user's
                glossary.yaml), a question asked twice merged → DeckNotes
    render/     the notes' Anki fields as safe HTML, images, templates → RenderedDeck
    identity/   GUIDs and modification times that survive edits (flashcards-ids.json)
                → PackagedNote and the identity file's entries
    package.py  PackagedNote → a deterministic .apkg; the frozen note types

Beside them: notes.py (the pydantic note schema), diagnostics.py (every problem, as a value),
fingerprint.py (what a note is known by and what it says), text.py (text as questions are
compared), cache.py and atomic.py (services that know no note types). workers.py runs the
per-file and per-deck stages, with the cache and a process pool; pipeline.py is the order of the
stages; report.py the build's summary. After it: preview/ (every card as Anki renders it, on one
offline page) and watch.py (an action again after each save); commands/ holds one Click command
per module, and cli.py the `flashcards` command, which registers them.
"""

__version__ = "0.1.0"
