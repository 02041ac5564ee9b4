"""flashcards: turn lecture and Q&A notes into Anki decks.

The flow runs one way, one module per stage (build.py strings them together):

    sources.py   read: find note files, decode them, split off front matter
    scan.py      ... every file, from the cache (cache.py) when unchanged, in parallel when big
    extract.py   extract: questions, answers and glossary entries (markdown.py: the parsers;
                 conventions.py: what reads as a question, a prefix, a definition, debris)
    validate.py  validate: one file's candidates into notes (models.py: the pydantic models
                 and diagnostics everything else passes around)
    terms.py     key terms: found, grouped, counted (lexicon.py: what a term looks like;
                 glossary.py: the user's glossary.yaml; termcards.py: what each one's note says)
    cloze.py     cloze notes from emphasised statements
    merge.py     one note for a question asked twice
    decks.py     a deck finished (key terms, merges) and rendered: in the worker
                 for a deck of one file, cached with it
    render.py    render fields: safe HTML (templates.py: card templates and CSS)
    media.py     images the notes may package
    identity.py  GUIDs and modification times that survive edits (flashcards-ids.json)
    package.py   write the package: the frozen note types and a deterministic .apkg
    atomic.py    files written by rename, so a failed run never leaves half of one
    cli.py       the `flashcards` command: options in, core called, results printed
"""

__version__ = "0.1.0"
