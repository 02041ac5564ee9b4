"""Real Anki: build packages with `flashcards build`, import them into fresh collections with the
`anki` package, and read back what a user would see."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ankiutil import import_into, live_html_problems, nesting, visible_text
from conftest import SEED_DECK, copy_fixture

from flashcards.notes import QANote
from flashcards.pipeline import collect

QA_TYPE = "flashcards Q&A"
QA_FIELDS = ["Question", "Answer", "MoreAnswers", "Context", "KeyTerms", "Source", "Extra"]
SOURCE_LINE = re.compile(r"(?P<path>\S+\.md):(?P<line>\d+)$")
SEED_PATHS = {"source/week07-masterclass-qa.md", "week07-masterclass-qa.md"}


def notes_of(col: Any, type_name: str | None = None) -> list[Any]:
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return [n for n in notes if type_name is None or n.note_type()["name"] == type_name]


def source_of(note: Any) -> tuple[str, int]:
    match = SOURCE_LINE.search(visible_text(note["Source"]).strip())
    assert match is not None, note["Source"]
    return match["path"], int(match["line"])


def by_line(col: Any) -> dict[int, Any]:
    return {source_of(n)[1]: n for n in notes_of(col, QA_TYPE)}


@pytest.fixture
def seed_deck(seed, build_deck, anki):
    """The seed built from ./source and imported once; yields (collection, response, summary)."""
    apkg, summary = build_deck("source")
    col, response = anki(apkg)
    return col, response, summary, apkg


def test_seed_imports_every_note_and_card(seed_deck):
    col, response, summary, _ = seed_deck
    expected = [n for n in collect([Path("source")]).extraction.notes if isinstance(n, QANote)]
    qa = notes_of(col, QA_TYPE)
    assert len(qa) == len(expected)
    assert sum(len(n.cards()) for n in qa) == len(qa)
    assert col.note_count() == int(summary["notes"]) == len(response.log.new)
    assert col.card_count() == int(summary["cards"])
    assert sorted(n["Question"] for n in qa) == sorted(n.question for n in expected)


def test_every_written_question_is_in_the_collection(seed_deck):
    """34 questions were written up; repeats of the second write-up show as MoreAnswers."""
    col = seed_deck[0]
    written = [
        n for n in collect([Path("source")], merge=False).extraction.notes if isinstance(n, QANote)
    ]
    assert len(written) == 34
    qa = notes_of(col, QA_TYPE)
    shown = "\n".join(visible_text(n["Question"] + n["MoreAnswers"]) for n in qa)
    for note in written:
        assert note.question in shown, note.source.line


def test_seed_cards_land_in_one_deck_named_after_the_first_heading(seed_deck):
    col = seed_deck[0]
    deck_names = {col.decks.name(col.get_card(cid).did) for cid in col.find_cards("")}
    assert deck_names == {SEED_DECK}


def test_qa_note_type_has_the_frozen_field_list(seed_deck):
    col = seed_deck[0]
    model = col.models.by_name(QA_TYPE)
    assert model is not None
    assert [field["name"] for field in model["flds"]] == QA_FIELDS
    assert {n.note_type()["name"] for n in notes_of(col)} <= {
        "flashcards Q&A", "flashcards Term", "flashcards Cloze",
    }  # fmt: skip


def test_answer_field_keeps_nested_lists(seed_deck):
    notes = by_line(seed_deck[0])
    assert notes[7]["Question"].startswith("마스터님은 다양한 경험을 하신 것으로")
    answer = notes[7]["Answer"]
    assert nesting(answer, "ul") == 3
    assert "내가 공부하기 좋은 환경을 만들고" in visible_text(answer)


def test_source_field_shows_deck_and_path_line(seed_deck):
    notes = by_line(seed_deck[0])
    source = visible_text(notes[7]["Source"])
    assert SEED_DECK in source
    assert source.endswith("week07-masterclass-qa.md:7")
    assert {source_of(n)[0] for n in notes.values()} <= SEED_PATHS
    assert len({source_of(n)[0] for n in notes.values()}) == 1


def test_follow_up_and_unwrapped_questions_in_the_collection(seed_deck):
    notes = by_line(seed_deck[0])
    assert notes[104]["Context"] == notes[96]["Question"]
    assert notes[96]["Context"] == ""
    assert notes[113]["Question"].startswith("CycleGAN 처럼")
    assert 199 not in notes


def test_tags_arrive_with_the_notes(seed_deck):
    for note in notes_of(seed_deck[0]):
        assert "source::week07-masterclass-qa" in note.tags


def test_no_field_of_any_seed_note_has_live_html(seed_deck):
    for note in notes_of(seed_deck[0]):
        for name, value in note.items():
            assert live_html_problems(value) == [], (name, value)
            assert "<script" not in value and "onerror=" not in value
            assert "javascript:" not in value


def test_new_cards_come_in_source_order(seed_deck):
    col = seed_deck[0]
    cards = [col.get_card(cid) for cid in col.find_cards("is:new")]
    assert len(cards) == col.card_count()
    # a real order, not a tie: one position per note (a term's two cards are siblings)
    assert len({card.due for card in cards}) == col.note_count()
    cards.sort(key=lambda card: (card.due, card.ord))
    lines = [source_of(card.note())[1] for card in cards]
    assert lines == sorted(lines)
    assert lines[:3] == [7, 25, 41]


def test_importing_the_same_package_twice_adds_nothing(seed_deck):
    col, first, _, apkg = seed_deck
    notes, cards = col.note_count(), col.card_count()
    second = import_into(col, apkg)
    assert len(second.log.new) == 0
    assert len(first.log.new) == notes
    assert (col.note_count(), col.card_count()) == (notes, cards)
    questions = [n["Question"] for n in notes_of(col, QA_TYPE)]
    assert len(questions) == len(set(questions))  # no question twice


def test_rebuilding_unchanged_notes_and_reimporting_adds_nothing(seed_deck, build_deck):
    col, _, _, _ = seed_deck
    notes = col.note_count()
    rebuilt, _ = build_deck("source", out="again.apkg")
    response = import_into(col, rebuilt)
    assert len(response.log.new) == 0
    assert col.note_count() == notes


def test_hostile_notes_are_inert_inside_anki(workdir, build_deck, anki):
    copy_fixture("hostile.md", workdir / "notes")
    apkg, summary = build_deck("notes")
    col, response = anki(apkg)
    notes = notes_of(col)
    assert len(notes) == int(summary["notes"]) == len(response.log.new) >= 4
    kinds = {n.note_type()["name"] for n in notes}
    assert {"flashcards Q&A", "flashcards Term"} <= kinds
    for note in notes:
        for name, value in note.items():
            assert live_html_problems(value) == [], (name, value)
    question = by_line(col)[5]
    assert visible_text(question["Question"]).startswith("<script>alert(1)</script>")
    # Pasted layout HTML is written as Markdown: the image is a reference (not found, so its
    # alt text), its handler gone; other tags show as text.
    assert "onerror" not in question["Answer"] and "태그는 글자로" in question["Answer"]
    assert "<iframe" in visible_text(question["Answer"])
    assert '<a href="https://example.com/docs"' in question["Answer"]


def test_cards_rendered_by_anki_have_no_live_script(workdir, build_deck, anki):
    copy_fixture("hostile.md", workdir / "notes")
    apkg, _ = build_deck("notes")
    col, _ = anki(apkg)
    cards = [col.get_card(cid) for cid in col.find_cards("")]
    assert cards
    for card in cards:
        output = card.render_output()  # the card's HTML without the note type's CSS
        for html in (output.question_text, output.answer_text):
            assert live_html_problems(html) == [], html
            assert "<script" not in html
