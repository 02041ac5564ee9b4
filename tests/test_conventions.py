"""The note conventions of real notes (issue 13), each on its own fixture: what becomes a card,
where its answer starts and stops, and what is said about the questions that make none."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from flashcards.notes import Extraction, QANote
from flashcards.pipeline import collect


def extract(*paths: Path) -> Extraction:
    return collect(list(paths)).extraction


def cards(name: str) -> dict[int, QANote]:
    notes = extract(FIXTURES / name).notes
    return {n.source.line: n for n in notes if isinstance(n, QANote)}


def said(name: str, code: str) -> list[int | None]:
    return [d.line for d in extract(FIXTURES / name).diagnostics if d.code == code]


def test_emphasised_questions_are_answered_up_to_the_next_one() -> None:
    found = cards("bold_questions.md")
    assert found[7].question.startswith("What is the difference between independence")
    assert "linear dependence" in found[7].answer
    # Sub-headings are parts of the answer; the next emphasised question ends it.
    assert "In words" in found[12].answer and "confidence intervals" in found[12].answer
    assert found[33].question == "How do you test whether two means differ?"
    assert "t-test" in found[33].answer and "causation" not in found[33].answer


def test_an_italic_question_inside_an_answer_is_a_card_of_its_own() -> None:
    found = cards("bold_questions.md")
    assert found[23].question == "What are the common misreadings of a p-value?"
    assert "size of an effect" in found[23].answer and "Key formulas" in found[23].answer


def test_an_answer_that_only_points_elsewhere_makes_no_card_and_says_so() -> None:
    assert 20 not in cards("bold_questions.md")
    assert said("bold_questions.md", "no-answer") == [20]


def test_emphasised_statements_and_labels_are_not_questions() -> None:
    questions = {n.question for n in cards("bold_questions.md").values()}
    assert not any("Key formulas" in q or "causation" in q for q in questions)


def test_q_and_a_heading_pairs() -> None:
    found = cards("heading_pairs.md")
    assert [n.question for n in found.values()] == [
        "Batch normalization은 왜 학습을 빠르게 하나요?",
        "Layer normalization과 무엇이 다른가요?",
    ]
    assert found[8].answer.startswith("배치가 아니라") and "RNN처럼" in found[8].answer
    assert "정규화 층은" not in found[8].answer  # the next heading of the section ends it


def test_quiz_and_answer_lines_inside_a_list_with_layout_spaces() -> None:
    [(line, card)] = cards("quiz_lines.md").items()
    assert line == 6 and card.question.endswith("몇 번 갱신되는가?")
    assert card.answer == "10번 갱신된다."  # not the notes on LSTM that follow


def test_arrow_answers_only_for_items_that_ask() -> None:
    found = cards("arrow_answers.md")
    assert [n.question for n in found.values()] == [
        "Attention의 weight는 학습되는 값인가?",
        "Multi-head는 head마다 다른 것을 보는가?",
    ]
    assert found[8].answer == "그렇다고 한다. head마다 다른 projection을 쓴다."
    assert said("arrow_answers.md", "no-answer") == []  # statements are not questions


def test_a_question_heading_is_answered_by_its_sub_headings() -> None:
    found = cards("nested_question_headings.md")
    dropout = found[12]
    assert "확률 p로" in dropout.answer and "모든 뉴런을" in dropout.answer
    # A sub-heading that asks is a card of its own, and not part of the answer; nor are the
    # references.
    assert found[24].question == "왜 overfitting을 줄이나요?"
    assert "평균 내는" in found[24].answer
    assert "평균 내는" not in dropout.answer and "논문" not in dropout.answer
    assert "References" not in {n.question for n in found.values()}


def test_contents_placeholders_and_unanswered_headings() -> None:
    found = cards("nested_question_headings.md")
    assert sorted(found) == [12, 24]  # not the table of contents' links, nor "질문 / 내용"
    assert said("nested_question_headings.md", "no-answer") == [40]


def test_numbered_headings_ask_only_when_they_ask() -> None:
    found = cards("numbered_headings.md")
    assert [n.question for n in found.values()] == [
        "What is the vanishing gradient problem?",
        "Explain the difference between batch and layer normalization.",
    ]
    assert "Residual connections" in found[1].answer  # a sub-heading of the answer


def test_toggles_are_questions_and_answers() -> None:
    found = cards("toggles.md")
    assert [(n.question, n.answer) for n in found.values()] == [
        (
            "Padding은 왜 하나요?",
            "입력과 출력의 크기를 맞추고, 가장자리 정보를 보존하기 위해서입니다.",
        ),
        ("Stride를 키우면 어떻게 되나요?", "출력의 크기가 줄어듭니다."),
        # a list of questions after a toggle is a list of its own, each item a card
        ("What does weight decay do?", "It shrinks every weight a little at each update."),
        ("Why warm up the learning rate?", "Early steps are noisy, so small ones are safer."),
        # a toggle that asks is not part of the question heading's answer above it
        ("What does the loss curve show?", "A steady fall that flattens after epoch ten."),
        ("Why does it flatten?", "The learning rate has decayed by then."),
    ]


def test_pending_answers_labels_and_a_question_asked_again() -> None:
    found = cards("unanswered.md")
    assert sorted(found) == [7, 13, 18]
    assert found[13].answer.startswith("- AdamW는")  # asked again, answered this time
    assert "정리하지 못한" not in found[18].answer  # the list answered it; the paragraph ends it
    assert "지난 질문" not in found[7].answer  # a label line ends an answer
    assert said("unanswered.md", "no-answer") == [5, 24, 26]


def test_a_checklist_asked_of_every_example_makes_no_cards() -> None:
    found = cards("checklist.md")
    assert [n.question for n in found.values()] == [
        "What is a feature?",
        "Why do we hold out a test set?",
    ]
    assert sorted(said("checklist.md", "checklist")) == [10, 12]


def test_the_same_short_question_under_two_headings_is_two_cards() -> None:
    found = cards("context_merges.md")
    assert len(found) == 4 and not any(n.merged_from for n in found.values())


def test_deck_names_come_from_titles_not_contents_captions_or_questions(notes_file) -> None:
    qa = "## Q&A\n\n- 질문?\n  - 답\n"
    decks = {
        "title.md": (
            "---\ntitle : Paper review\n---\n### Figure 1.\n\n### Q?\n\n답\n",
            "Paper review",
        ),
        "html.md": ("<div>\n  <h1>🔥 Deep Learning 🔥</h1>\n</div>\n\n" + qa, "Deep Learning"),
        "contents.md": ("## Table of Contents\n\n- [a](#a)\n\n" + qa, "contents"),
        "asks.md": ("#### 1. What is it?\nIt.\n\n#### 2. Why?\nBecause.\n", "asks"),
    }
    for name, (text, deck) in decks.items():
        notes = extract(notes_file(name, text)).notes
        assert notes and {n.deck for n in notes} == {deck}, name


def test_quoted_answers_after_question_items() -> None:
    found = cards("quoted_answers.md")
    assert sorted(found) == [3, 7, 15]
    assert found[3].answer.startswith("한 step에")  # the quote marks are not the answer
    assert "linear warmup" in found[7].answer  # what follows the quote belongs to it
    assert "example.org" not in found[7].answer  # a quote that only cites a source does not


def test_questions_nested_under_a_question_are_follow_ups_not_its_answer() -> None:
    assert said("quoted_answers.md", "no-answer") == [20, 21, 22, 23]


def test_a_question_paragraph_is_answered_by_the_block_after_it() -> None:
    found = cards("question_paragraphs.md")
    assert sorted(found) == [5, 9, 12]
    assert "Oscillations" in found[5].answer and "Large steps" not in found[5].answer
    assert found[12].answer.startswith("A point where")  # the next line of the paragraph


def test_answers_that_are_only_links_and_more_questions_make_no_card() -> None:
    assert said("question_paragraphs.md", "no-answer") == [15, 17]
    # A question inside an aside of a remark is prose, and said to be.
    assert said("question_paragraphs.md", "question-in-prose") == [20]


def test_toggles_that_do_not_ask_are_sections_and_prose_questions_are_answered() -> None:
    found = cards("prose_questions.md")
    assert sorted(found) == [8, 17, 25, 37]
    assert "오늘의 요약" not in {n.question for n in found.values()}
    assert found[8].answer.startswith("매 step마다")
    assert found[25].answer.startswith("SGD에서는")  # the arrow marks it, and is dropped
    assert found[37].answer.startswith("학습 데이터를")  # on the item's next line


def test_an_answer_to_be_discussed_later_is_no_answer() -> None:
    assert said("prose_questions.md", "no-answer") == [29]
