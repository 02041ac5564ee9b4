"""The package's cards: `card_ords` must make the cards genanki (and Anki) make for each note.

The package writes note and card rows itself instead of through genanki's Note objects, so which
cards a note gets is decided by `card_ords`; a card too many shows an error card in Anki, one too
few loses a card, and an impossible template number makes the whole import fail.

Two builds of the same notes giving the same bytes is covered in test_regenerate.py
(test_unchanged_rebuild_is_byte_identical_and_imports_as_nothing).
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection
from ankiutil import KIND_OF_MODEL

from flashcards.identity import stamp
from flashcards.package import FIELDS, MODELS, PackagedNote, card_ords
from flashcards.pipeline import collect

NOW = 1_800_000_000


def genanki_ords(kind: str, fields: dict[str, str]) -> list[int]:
    """The template numbers of the cards genanki makes for a note (in genanki's order)."""
    note = genanki.Note(model=MODELS[kind], fields=[fields[name] for name in FIELDS[kind]])
    ords: list[int] = [card.ord for card in note.cards]
    return ords


def packaged(kind: str, **values: str) -> PackagedNote:
    fields = dict.fromkeys(FIELDS[kind], "")
    unknown = set(values) - set(fields)
    assert not unknown, unknown
    fields.update(values)
    return PackagedNote(kind=kind, guid="g", deck="d", fields=fields, tags=[], mod=NOW, due=0)


# --- the seed deck -------------------------------------------------------------------------------
@pytest.fixture
def seed_items(seed: Path) -> list[PackagedNote]:
    collected = collect([seed])
    return stamp(collected.rows, collected.matching, collected.paths, collected.media, NOW).notes


def test_seed_deck_has_every_kind_of_note(seed_items: list[PackagedNote]) -> None:
    """The comparison below covers every kind: Q&As, clozes, terms (each with its Prompt: a term
    note always has a definition, so always both cards)."""
    kinds = {item.kind for item in seed_items}
    assert kinds == {"qa", "term", "cloze"}
    prompts = {bool(item.fields["Prompt"]) for item in seed_items if item.kind == "term"}
    assert prompts == {True}


def test_card_ords_agree_with_genanki_on_the_seed_deck(seed_items: list[PackagedNote]) -> None:
    disagreeing = [
        (item.kind, item.fields[FIELDS[item.kind][0]][:60], ours, theirs)
        for item in seed_items
        if (ours := card_ords(item)) != (theirs := genanki_ords(item.kind, item.fields))
    ]
    assert disagreeing == []


def test_written_cards_agree_with_genanki(
    seed: Path, build_deck: Callable[..., tuple[Path, Any]], tmp_path: Path
) -> None:
    """The cards table of the built package: each note has the cards genanki would give it."""
    apkg, summary = build_deck(seed)
    with zipfile.ZipFile(apkg) as archive:
        archive.extract("collection.anki2", tmp_path / "unzipped")
    conn = sqlite3.connect(tmp_path / "unzipped" / "collection.anki2")
    try:
        notes = conn.execute("SELECT id, mid, flds FROM notes").fetchall()
        cards = conn.execute("SELECT nid, ord FROM cards ORDER BY id").fetchall()
    finally:
        conn.close()
    written: dict[int, list[int]] = {}
    for nid, ord_ in cards:
        written.setdefault(nid, []).append(ord_)
    assert len(notes) == int(summary["notes"]) and len(cards) == int(summary["cards"])
    for nid, mid, flds in notes:
        kind = KIND_OF_MODEL[mid]
        fields = dict(zip(FIELDS[kind], flds.split("\x1f"), strict=True))
        assert sorted(written.get(nid, [])) == sorted(genanki_ords(kind, fields)), fields


# --- hand-made notes -----------------------------------------------------------------------------
EDGE_NOTES = {
    "qa": packaged("qa", Question="질문인가요?", Answer="답"),
    "qa-empty-answer": packaged("qa", Question="질문인가요?"),
    "term-empty-prompt": packaged("term", Term="CNN", Definition="합성곱 신경망"),
    "term-with-prompt": packaged("term", Term="CNN", Definition="합성곱 신경망", Prompt="정의"),
    "cloze-c1": packaged("cloze", Text="딥러닝은 {{c1::표현 학습}}이다."),
    "cloze-c1-and-c3": packaged("cloze", Text="{{c1::하나}} 그리고 {{c3::셋}}"),
    "cloze-c2-twice": packaged("cloze", Text="{{c2::둘}} 과 또 {{c2::둘}}"),
    "cloze-hint": packaged("cloze", Text="{{c1::Adam::optimizer}} 으로 시작한다"),
    "cloze-multiline": packaged("cloze", Text="{{c1::여러\n줄}} 과 {{c2::둘}}"),
    # From notes that already hold Anki cloze syntax: the package wraps the statement in c1.
    "cloze-c0-inside-c1": packaged("cloze", Text="딥러닝은 {{c1::{{c0::영}} 번째 }}이다."),
    "cloze-unclosed-inside-c1": packaged("cloze", Text="{{c1::열린 {{c2::닫히지 않는 클로즈}}"),
}


@pytest.mark.parametrize("item", EDGE_NOTES.values(), ids=EDGE_NOTES.keys())
def test_card_ords_agree_with_genanki(item: PackagedNote) -> None:
    assert card_ords(item) == sorted(genanki_ords(item.kind, item.fields))


def test_card_ords_of_the_named_cases() -> None:
    """What the rules say, independently of genanki."""
    assert card_ords(EDGE_NOTES["qa"]) == [0]
    assert card_ords(EDGE_NOTES["term-empty-prompt"]) == [0]
    assert card_ords(EDGE_NOTES["term-with-prompt"]) == [0, 1]
    assert card_ords(EDGE_NOTES["cloze-c1-and-c3"]) == [0, 2]
    assert card_ords(EDGE_NOTES["cloze-c2-twice"]) == [1]


# genanki's cloze pattern, `{{c(\d+)::.+?}}`, misses a cloze nested in another and an empty one;
# Anki makes cards for both, and the first card of a note with no cloze at all, where genanki
# makes none. There the reference is Anki itself.
ANKI_CLOZES = {
    **{
        name: item.fields["Text"]
        for name, item in EDGE_NOTES.items()
        if "{{c" in item.fields.get("Text", "")
    },
    "cloze-none": "클로즈가 없는 문장",
    "cloze-nested": "{{c1::바깥 {{c9::안쪽}} 문장}}",
    "cloze-empty-c2": "{{c1::앞}} 과 빈 {{c2::}}",
    "cloze-c9-before-c1": "{{c9::아홉}} 은 {{c1::하나}} 보다 뒤",
    "cloze-only-empty": "{{c1::}}",
}


@pytest.fixture(scope="module")
def anki_cloze(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], list[int]]]:
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    model = col.models.by_name("Cloze")
    deck = col.decks.id("Default")
    assert model is not None and deck is not None

    def ords(text: str) -> list[int]:
        note = col.new_note(model)
        note["Text"] = text
        col.add_note(note, deck)
        return sorted(card.ord for card in note.cards())

    yield ords
    col.close()


@pytest.mark.parametrize("text", ANKI_CLOZES.values(), ids=ANKI_CLOZES.keys())
def test_cloze_card_ords_agree_with_anki(text: str, anki_cloze: Callable[[str], list[int]]) -> None:
    assert card_ords(packaged("cloze", Text=text)) == anki_cloze(text)


def test_deck_with_anki_cloze_syntax_in_the_notes_imports(
    workdir: Path,
    build_deck: Callable[..., tuple[Path, Any]],
    anki: Callable[..., tuple[Any, Any]],
) -> None:
    """A statement worth a cloze that already holds `{{c0::…}}` (Anki numbers clozes from 1)."""
    notes = workdir / "notes" / "notes.md"
    notes.parent.mkdir()
    notes.write_text(
        "# 클로즈\n\n본문 ***딥러닝은 {{c0::영}} 번째 이다.*** 끝.\n", encoding="utf-8"
    )
    apkg, summary = build_deck(notes)
    assert summary["notes"] == "1"
    col, _ = anki(apkg)
    [nid] = col.find_notes("")
    assert [card.ord for card in col.get_note(nid).cards()] == [0]
