"""Every card of a package, rendered by Anki itself: the package is imported into a scratch
collection and each card's question and answer come from Anki's own template renderer, so the
preview shows exactly what a review shows (clozes, conditional sections, {{FrontSide}}).

The `anki` package is imported here, lazily: it is large, and only `preview` needs it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PreviewCard:
    deck: str
    tags: tuple[str, ...]
    note_type: str
    template: str  # the card template's name, e.g. "Question → Answer"
    ord: int  # Anki's template number (0-based): the card is shown in `.card.card{ord+1}`
    question: str  # HTML, as Anki renders it
    answer: str
    css: str  # the note type's CSS


@dataclass(frozen=True)
class RenderedPackage:
    cards: list[PreviewCard]
    media: dict[str, bytes]  # media name → content, for the images the cards show


def render_package(package: Path) -> RenderedPackage:
    """Import `package` into a scratch collection; every card, in the order of the notes."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory(prefix="flashcards-preview-") as scratch:
        col = Collection(str(Path(scratch) / "collection.anki2"))
        try:
            request = ImportAnkiPackageRequest(
                package_path=str(package.resolve()), options=ImportAnkiPackageOptions()
            )
            col.import_anki_package(request)
            col.models._clear_cache()  # as the desktop app does after importing note types
            cards = [_card(col, col.get_card(cid)) for cid in col.find_cards("")]
            cards.sort(key=lambda c: c[0])
            media = _media(Path(col.media.dir()))
        finally:
            col.close()
    return RenderedPackage([card for _, card in cards], media)


def _card(col: Any, card: Any) -> tuple[tuple[int, int], PreviewCard]:
    output = card.render_output(reload=True, browser=False)
    note_type = card.note_type()
    rendered = PreviewCard(
        deck=col.decks.name(card.did),
        tags=tuple(card.note().tags),
        note_type=str(note_type["name"]),
        template=str(card.template()["name"]),
        ord=int(card.ord),
        question=str(output.question_text),
        answer=str(output.answer_text),
        css=str(note_type["css"]),
    )
    return (int(card.nid), int(card.ord)), rendered


def _media(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
