"""Golden end-to-end extraction of the real seed notes (source/week07-masterclass-qa.md).

The file holds one masterclass Q&A written up twice: nested bullets under `## Q&A` (with three
`(질문)` follow-ups), then — after the export debris line "Select a repo" (line 193) and a plain
title line — a numbered summary by a second note-taker whose first item has no answer.
Most tests look at what the notes say (`merge=False`); the last ones at the default `collect`,
which folds the second write-up's repeats into the first write-up's notes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEED, SEED_DECK

from flashcards.notes import Extraction, QANote
from flashcards.pipeline import collect

DEBRIS_LINE = 193


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("seed") / SEED.name
    shutil.copyfile(SEED, target)
    return target


@pytest.fixture(scope="module")
def extraction(seed_copy: Path) -> Extraction:
    return collect([seed_copy], merge=False).extraction


@pytest.fixture(scope="module")
def merged(seed_copy: Path) -> Extraction:
    return collect([seed_copy]).extraction


@pytest.fixture(scope="module")
def qa(extraction: Extraction) -> dict[int, QANote]:
    notes = [n for n in extraction.notes if isinstance(n, QANote)]
    by_line = {n.source.line: n for n in notes}
    assert len(by_line) == len(notes), "two notes claim the same line"
    return by_line


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def test_question_counts_in_both_write_ups(qa):
    first = [n for line, n in qa.items() if line < DEBRIS_LINE]
    second = [n for line, n in qa.items() if line > DEBRIS_LINE]
    assert len([n for n in first if not n.parent_question]) == 15
    assert len([n for n in first if n.parent_question]) == 3
    assert len(second) == 16
    assert len(qa) == 34


def test_questions_are_where_the_notes_put_them(qa):
    assert sorted(qa) == [
        7, 25, 41, 45, 57, 73, 83, 96, 104, 107, 113, 124, 132, 144, 152, 159, 164, 174,
        *range(201, 262, 4),
    ]  # fmt: skip


def test_exactly_one_warning_for_the_unanswered_summary_item(extraction):
    warnings = [d for d in extraction.diagnostics if d.severity == "warning"]
    assert [(d.line, d.code) for d in warnings] == [(199, "no-answer")]
    assert "못적었습니다" in warnings[0].message
    assert warnings[0].path.endswith("week07-masterclass-qa.md")
    assert not extraction.has_errors
    assert 199 not in [n.source.line for n in extraction.notes]


def test_titles_debris_and_answer_bullets_never_become_questions(qa):
    asked = {n.question for n in qa.values()}
    lines = seed_lines()
    never = {
        lines[0].lstrip("# "),
        "POSTECH 전자전기공학과 교수",
        "Select a repo",
        "오태현 마스터님 마스터 클래스",
        "Q&A",
        "캠퍼분들을 위해 드리는 말씀",
    }
    assert not asked & never
    answer_bullets = {
        line.strip().removeprefix("- ").strip()
        for line in lines[:DEBRIS_LINE]
        if line.startswith("\t") and "(질문)" not in line
    }
    assert len(answer_bullets) > 100
    assert not asked & answer_bullets
    for question in asked:
        assert not any(question in bullet for bullet in answer_bullets if len(question) > 20)


def test_follow_ups_have_their_parent_and_stay_out_of_its_answer(qa):
    follow_ups = {line: n for line, n in qa.items() if n.parent_question}
    assert sorted(follow_ups) == [41, 104, 107]
    assert follow_ups[41].parent_question == qa[25].question
    assert follow_ups[104].parent_question == qa[96].question
    assert follow_ups[107].parent_question == qa[96].question
    assert follow_ups[41].question.startswith("컴퓨터 소프트웨어와 컴퓨터 공학과 중")
    assert "(질문)" not in follow_ups[107].question
    assert "컴퓨터 소프트웨어와 컴퓨터 공학과 중" not in qa[25].answer
    assert "컴공으로 가야겠다" not in qa[25].answer
    assert "overfitting problem" not in qa[96].answer
    assert "레고블럭" not in qa[96].answer
    assert "레고블럭" in follow_ups[107].answer
    assert "transformer가 우세하지 않을까" in qa[96].answer


def test_one_item_ordered_list_question_is_unwrapped(qa):
    question = qa[113].question
    assert question.startswith("CycleGAN 처럼 비지도학습이 되면")
    assert question.endswith("무엇이 있나요?")
    assert qa[113].answer.startswith("- 얀 르쿤 교수님이")


def test_numbered_summary_questions_lose_their_numbers_and_keep_their_answers(qa):
    second = {line: n for line, n in qa.items() if line > DEBRIS_LINE}
    assert all(not n.question[:3].rstrip(".").strip().isdigit() for n in second.values())
    assert qa[209].question.startswith("CV 분야는 다른 딥러닝 분야보다")  # "4.  CV" item
    assert qa[201].answer.startswith("추운 겨울에 바깥에서 일을 해보니")
    assert qa[261].question == "캠퍼들에게 마지막으로 하고 싶은 말"
    assert qa[261].answer.startswith("어깨가 무거워지는 질문이다.")


def test_answers_keep_their_nesting(qa):
    answer = qa[7].answer.splitlines()
    assert answer[0] == "- 학부때 공부는… 충분히 많이해서 더 하고싶진 않네요…ㅎ"
    assert "    - 해외 여행을 한번도 못가본게 아쉽네요." in answer[4]
    deepest = next(line for line in answer if "세뇌" in line)
    assert deepest.startswith("        - ")


def test_one_deck_named_after_the_first_heading_and_a_source_tag(extraction, qa):
    assert seed_lines()[0] == f"# {SEED_DECK}"
    assert {n.deck for n in extraction.notes} == {SEED_DECK}
    assert all("source::week07-masterclass-qa" in n.tags for n in extraction.notes)


def test_notes_come_in_source_order(extraction):
    lines = [n.source.line for n in extraction.notes]
    assert lines == sorted(lines)


def test_every_note_has_a_distinct_guid_even_for_the_repeated_question(extraction, qa):
    assert qa[113].question == qa[229].question  # both write-ups asked it
    guids = [n.guid for n in extraction.notes]
    assert all(guids) and len(set(guids)) == len(guids)


def test_merging_the_two_write_ups_loses_no_question(merged, qa):
    kept = [n for n in merged.notes if isinstance(n, QANote)]
    folded = {m.line: m for n in kept for m in n.merged_from}
    assert sorted([n.source.line for n in kept] + list(folded)) == sorted(qa)
    assert {n.source.line for n in kept} >= {line for line in qa if line < DEBRIS_LINE}
    assert all(line > DEBRIS_LINE for line in folded)
    for line, other in folded.items():
        assert (other.question, other.answer) == (qa[line].question, qa[line].answer)


def test_merging_keeps_the_single_warning(merged):
    problems = [d for d in merged.diagnostics if d.severity != "info"]
    assert [(d.severity, d.line) for d in problems] == [("warning", 199)]
