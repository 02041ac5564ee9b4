"""Definitions wherever the notes give them, term cards only with a back, `flashcards terms`,
and clozes with context (issue 14). The notes are tests/fixtures/definitions.md: one of each
way of defining a term, and some lines that look like definitions and are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, SEED

from flashcards.cli import main
from flashcards.enrich.terms.glossary import load_glossary
from flashcards.enrich.terms.naming import one_by_slash
from flashcards.extract.defining import defining_sentences
from flashcards.notes import ClozeNote, Extraction, TermList, TermNote
from flashcards.pipeline import collect

NOTES = FIXTURES / "definitions.md"


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return collect([NOTES]).extraction


def term_cards(extraction: Extraction) -> dict[str, TermNote]:
    return {n.term: n for n in extraction.notes if isinstance(n, TermNote)}


@pytest.mark.parametrize(
    ("term", "line", "starts"),
    [
        ("Epoch", 5, "One full pass"),  # a Term | Definition table
        ("Momentum", 8, "keeps a running average"),  # `Term`: …
        ("Weight decay", 10, "a penalty proportional"),  # **Term :** …
        ("gradient clipping", 12, "기울기의 크기가"),  # > term : …
        ("경사하강법", 14, "경사하강법이란 손실 함수의"),  # X란 …
        ("saddle point", 16, "A saddle point is a point"),  # X is a …
        ("Nesterov momentum", 18, "Nesterov momentum refers to"),  # X refers to …
        ("Learning rate schedule", 20, "the rule that changes"),  # term, then `: meaning`
        ("Plateau", 22, "a long flat stretch"),  # Term:, its meaning nested under it
        ("optimizer", 27, "An optimizer turns gradients"),  # What is an optimizer? + answer
        ("메시지 큐", 42, "메시지 큐는 보내는"),  # X는 …하는 구조입니다
        ("캐시 무효화", 44, "캐시 무효화란, 원본이"),  # X란, …
        ("ES", 46, "검증 손실이 오르기"),  # …하는 방법을 X(abbr)이라고 한다
        ("vanishing gradient", 48, "When the gradients shrink"),  # …, this is called X
        ("RMSProp", 50, "Root Mean Square Propagation (RMSProp) is"),  # X (abbr) is a …
        ("Warmup/Burn-in Steps", 52, "the first updates"),  # words a slash joins: one name
        ("GET", 53, "서버에게 자원을"),  # a keyword in capitals, not the word "get"
    ],
)
def test_every_way_of_defining_a_term_makes_a_term_card(extraction, term, line, starts):
    card = term_cards(extraction)[term]
    assert card.source.line == line and card.definition.startswith(starts)


def test_lines_shaped_like_definitions_that_define_nothing_make_no_card(extraction):
    cards = term_cards(extraction)
    # A form's field ("Inputs: the current weights"), a note ("Learning: training"), a
    # sentence about the notes ("Below are the steps …"): no term cards.
    # "The dashed line (right) is an example of …" classifies; it does not define.
    assert not {"Inputs", "Learning", "Below", "dashed line"} & set(cards)
    assert len(cards) == 18  # the seventeen above, and the table's second row
    assert all(card.definition.strip() for card in cards.values())


def test_expansions_and_translations_are_spellings_of_one_term(notes_file) -> None:
    notes = notes_file(
        "notes.md",
        "# 노트\n\nFID(Fréchet Inception Distance)로 평가한다. FID가 낮을수록 좋다.\n\n"
        "과적합(overfitting)은 흔하다. overfitting을 막으려면 데이터를 늘린다.\n",
    )
    terms = {t.term: t for t in collect([notes]).terms}
    assert terms["FID"].aliases == ["Fréchet Inception Distance"]
    assert terms["overfitting"].aliases == ["과적합"]


def test_links_files_markup_math_code_and_venues_are_never_terms(extraction):
    names = {t.term.casefold() for t in collect([NOTES]).terms}
    junk = {"https", "example", "org", "png", "frac", "linalg", "norm", "np", "iccv"}
    assert not junk & names


def test_the_seed_without_its_glossary_has_no_card_without_a_back(tmp_path: Path) -> None:
    (tmp_path / SEED.name).write_bytes(SEED.read_bytes())
    notes = collect([tmp_path]).extraction.notes
    cards = [n for n in notes if isinstance(n, TermNote)]
    assert cards and all(card.definition.strip() for card in cards)
    clozes = {n.text for n in notes if isinstance(n, ClozeNote)}
    assert "Transformer는 ⌜{{c1::진흙}}⌟이다." in clozes
    assert any("인생은 {{c1::trade off}}" in text for text in clozes)


def test_every_cloze_shows_its_context(extraction):
    clozes = [n.text for n in extraction.notes if isinstance(n, ClozeNote)]
    assert clozes == ["Training {{c1::is about choosing}} good steps."]
    # "**Weight decay :** …" is a label, not a key phrase in a sentence: no cloze.


def test_a_wholly_bold_question_or_label_never_becomes_a_cloze(notes_file) -> None:
    notes = notes_file(
        "notes.md",
        "# Notes\n\n**Why does dropout help?**\n\n**Summary of the week**\n\n"
        "**Dropout randomly turns off units during training.**\n",
    )
    assert not [n for n in collect([notes]).extraction.notes if isinstance(n, ClozeNote)]


def test_a_word_stressed_for_emphasis_is_no_cloze_a_key_phrase_is(notes_file) -> None:
    notes = notes_file(
        "notes.md",
        "# Notes\n\nThis step is **important** because the gradient explodes otherwise.\n\n"
        "You should **always** normalise the inputs before training.\n\n"
        "The **vanishing gradient** problem slows deep sigmoid networks down.\n\n"
        "Each head has its own **attention** weights over the whole sequence.\n",
    )
    clozes = [n.text for n in collect([notes]).extraction.notes if isinstance(n, ClozeNote)]
    assert clozes == [
        "The {{c1::vanishing gradient}} problem slows deep sigmoid networks down.",
        "Each head has its own {{c1::attention}} weights over the whole sequence.",
    ]


# --- flashcards terms -------------------------------------------------------------------------
def test_terms_lists_every_term_most_mentioned_first_as_json() -> None:
    result = CliRunner().invoke(main, ["terms", str(NOTES), "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = TermList.model_validate_json(result.stdout).terms
    counts = [t.count for t in listed]
    assert counts == sorted(counts, reverse=True)
    by_name = {t.term: t for t in listed}
    assert by_name["Epoch"].definition_source == "notes"
    assert by_name["overfitting"].definition is None
    assert by_name["overfitting"].definition_source is None
    assert by_name["overfitting"].source.line == 25
    fields = set(json.loads(result.stdout)["terms"][0])
    assert fields == {"term", "aliases", "definition", "definition_source", "count", "source"}


def test_terms_missing_yaml_is_a_glossary_to_fill_in(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["terms", str(NOTES), "--missing", "--format", "yaml"])
    assert result.exit_code == 0, result.output
    entries = yaml.safe_load(result.stdout)["terms"]
    assert entries["overfitting"] == {"aliases": ["과적합"], "definition": ""}
    assert "Epoch" not in entries  # defined by the notes already
    (tmp_path / "glossary.yaml").write_text(result.stdout, "utf-8")
    glossary, problems = load_glossary(tmp_path)
    assert problems == [] and glossary is not None
    assert {t.name for t in glossary.terms} == set(entries)


def test_terms_of_a_glossary_say_so(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# N\n\nFID를 검색해보세요. FID가 낮으면 좋아요.\n", "utf-8")
    (tmp_path / "glossary.yaml").write_text("terms:\n  FID: 두 분포 사이의 거리\n", "utf-8")
    [fid] = collect([tmp_path]).terms
    assert (fid.definition, fid.definition_source) == ("두 분포 사이의 거리", "glossary")


def test_check_lists_terms_without_a_definition_as_info() -> None:
    result = CliRunner().invoke(main, ["check", str(NOTES)])
    undefined = [line for line in result.stdout.splitlines() if line.endswith("[term-undefined]")]
    assert any("'overfitting'" in line and ":25: info:" in line for line in undefined)
    assert result.exit_code == 0


def test_a_slash_between_phrases_names_no_term_and_between_words_one() -> None:
    assert one_by_slash("batch/minibatch") and one_by_slash("Training/Fitting Data")
    assert one_by_slash("Model / Architecture")
    assert not one_by_slash("Text classification/ Spam Filtering")
    assert not one_by_slash("Topic / Spam Filtering")


def test_a_korean_clause_is_never_the_name_a_sentence_defines() -> None:
    # The subject is the term; "…을 평가에만 쓰는 방식이라고 한다" does not name "쓰는 방식".
    found = defining_sentences("홀드아웃 검증은 일부를 떼어 평가에만 쓰는 방식이라고 합니다.")
    assert [term for term, _ in found] == ["홀드아웃 검증"]
