"""The seed deck as a learner gets it in Anki: key terms both ways, the two quotes as cloze
cards, each repeated question once with both write-ups' answers, and nothing twice."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED_DECK

MUST_HAVE_TERMS = {
    "FID", "Inception Score", "pose transfer", "federated learning", "knowledge distillation",
    "pretext task", "self-supervised learning", "semi-supervised learning", "Frustum", "CycleGAN",
    "transformer", "Mask R-CNN", "overfitting", "end-to-end",
}  # fmt: skip


def notes_of(col: Any, type_name: str) -> list[Any]:
    model = col.models.by_name(type_name)
    assert model is not None, f"no note type {type_name!r}"
    return [col.get_note(nid) for nid in col.find_notes(f"mid:{model['id']}")]


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def seed_collection(seed: Path, build_deck: Any, anki: Any) -> Any:
    shutil.copyfile(ROOT / "source" / "glossary.yaml", seed.parent / "glossary.yaml")
    apkg, _ = build_deck("source")
    col, response = anki(apkg)
    assert not response.log.conflicting and not response.log.duplicate
    return col


def test_every_must_have_term_is_a_note_with_cards_both_ways(seed_collection: Any) -> None:
    col = seed_collection
    terms = {plain(n["Term"]): n for n in notes_of(col, "flashcards Term")}
    assert set(terms) >= MUST_HAVE_TERMS
    for name in MUST_HAVE_TERMS:
        note = terms[name]
        assert note["Definition"].strip(), name
        templates = sorted(card.template()["name"] for card in note.cards())
        assert templates == ["Meaning → Term", "Term → Meaning"], name
        # the meaning → term card must not give the answer away on its front
        prompt = plain(note["Prompt"])
        assert not re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", prompt, re.I), name
    assert "Inceptation score" in plain(terms["Inception Score"]["Aliases"])


def test_the_two_quotes_are_cloze_cards(seed_collection: Any) -> None:
    col = seed_collection
    texts = [n["Text"] for n in notes_of(col, "flashcards Cloze")]
    assert any("{{c1::진흙}}" in t and "Transformer는" in t for t in texts)
    assert any("{{c1::trade off}}" in t and "인생은" in t for t in texts)
    for note in notes_of(col, "flashcards Cloze"):
        card = note.cards()[0]
        assert "[...]" in card.question() or "cloze" in card.question()
        assert "week07-masterclass-qa.md:" in note["Source"]
    assert not any("\\" in t for t in texts)  # Notion's stray backslash is gone


def test_each_repeated_question_is_one_note_with_both_answers(seed_collection: Any) -> None:
    col = seed_collection
    qa = notes_of(col, "flashcards Q&A")
    questions = [plain(n["Question"]) for n in qa]
    assert len(questions) == len(set(questions)) == 21  # 34 written questions, 13 asked twice
    merged = [n for n in qa if n["MoreAnswers"]]
    assert len(merged) == 13
    motivation = next(n for n in qa if plain(n["Question"]).startswith("교수님께서는 동기 부여"))
    assert "추운 겨울에 바깥에서 일을 해보니" in motivation["MoreAnswers"]  # the second write-up
    assert "week07-masterclass-qa.md:201" in motivation["MoreAnswers"]
    driving_starts = ("자율주행 자동차에서는", "자율 주행 자동차와")
    driving = [q for q in questions if q.startswith(driving_starts)]
    assert len(driving) == 2  # two different autonomous-driving questions stay apart


def test_questions_list_their_key_terms(seed_collection: Any) -> None:
    qa = notes_of(seed_collection, "flashcards Q&A")
    gan = next(n for n in qa if plain(n["Question"]).startswith("GAN의 경량화는"))
    assert {"FID", "Inception Score"} <= {t.strip() for t in plain(gan["KeyTerms"]).split(",")}


def test_nothing_in_the_deck_is_duplicated(seed_collection: Any) -> None:
    col = seed_collection
    assert col.decks.by_name(SEED_DECK) is not None
    guids = [col.get_note(nid).guid for nid in col.find_notes("")]
    assert len(guids) == len(set(guids))
    assert not [m["name"] for m in col.models.all() if m["name"].endswith("+")]


def test_a_term_card_back_shows_the_definition_first_then_two_examples_and_its_questions(
    seed_collection: Any,
) -> None:
    """As Anki renders it: definition, aliases, at most two example sentences, each question
    once; the example and question labels and the aliases legible in night mode too."""
    col = seed_collection
    [note] = [n for n in notes_of(col, "flashcards Term") if plain(n["Term"]) == "transformer"]
    back = note.cards()[0].answer()
    definition = back.index('class="definition"')
    assert definition < back.index('class="aliases"') < back.index("In your notes")
    assert back.index("In your notes") < back.index("Asked in")
    examples = re.findall(r"<li>", note["Context"])
    assert 1 <= len(examples) <= 2
    questions = re.findall(r"<li>(.*?)</li>", note["Questions"])
    assert questions and len(questions) == len(set(questions))
    css = col.models.get(note.mid)["css"]
    night = re.search(r"\.nightMode \.fc \.aliases[^{]*\{\s*color: (#[0-9a-f]{6})", css, re.S)
    assert night is not None and night.group(1) == "#9ea7b3"  # not the light theme's grey
