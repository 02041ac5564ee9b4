"""One note for a question asked twice: near-duplicate questions are merged, nothing else is."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.diagnostics import Diagnostic
from flashcards.enrich.merge import merge_duplicates
from flashcards.notes import QANote
from flashcards.pipeline import collect

SEED = Path(__file__).resolve().parents[1] / "source" / "week07-masterclass-qa.md"

# (duplicate line, primary line): the second write-up (lines 201-261) repeating the first.
SEED_MERGES = {
    (201, 25),  # 동기 부여 — "마스터 님께선 … 삻을" vs "교수님께서는 … 삶을"
    (205, 45),  # 기대한 이해 수준 — "소개해주셨는데요."
    (209, 57),  # CV 분야 구현 능력 — copied
    (213, 73),  # 모델 이해 정도 — first sentence of the long question
    (217, 83),  # end-to-end — first question only, "느 꼈는데요"
    (221, 96),  # 트랜스포머가 CNN을 대체? — without the 장단점 part
    (229, 113),  # 다른 비지도학습 모델 — copied
    (237, 132),  # 딥페이크 — the 2nd half of the two-part question
    (241, 144),  # 자율주행 Lidar 데이터가 여러 저장소에 — the 2nd half, reworded start
    (245, 152),  # python vs C — copied
    (249, 159),  # 3D real time — copied
    (253, 164),  # 가장 주목받는 분야 — without the examples
    (257, 174),  # GAN 경량화 — first question only
}


def qa_notes(*paths: Path) -> list[QANote]:
    return [n for n in collect(list(paths), merge=False).extraction.notes if isinstance(n, QANote)]


def merges(kept: list[QANote]) -> set[tuple[int, int]]:
    return {(m.line, note.source.line) for note in kept for m in note.merged_from}


Seed = tuple[list[QANote], list[QANote], list[Diagnostic]]  # notes, kept, diagnostics


@pytest.fixture(scope="module")
def seed() -> Seed:
    notes = qa_notes(SEED)
    kept, diagnostics = merge_duplicates(notes)
    return notes, kept, diagnostics


def test_seed_merges_exactly_the_repeated_questions(seed: Seed) -> None:
    _, kept, _ = seed
    assert merges(kept) == SEED_MERGES


def test_seed_keeps_different_questions_apart(seed: Seed) -> None:
    _, kept, _ = seed
    lines = {note.source.line for note in kept}
    # Both about autonomous driving: predicting where objects go next vs depth from 2D images.
    assert {124, 233} <= lines
    # Closing words; the opening question the second note-taker did not write up.
    assert {261, 7} <= lines
    # 225 asks both follow-ups at once (104: how much data is a lot; 107: why transformers need
    # more): it half-matches each, so it is neither's duplicate and keeps its own card.
    assert {104, 107, 225} <= lines


def test_seed_note_count_and_order(seed: Seed) -> None:
    notes, kept, _ = seed
    assert len(notes) == 34
    assert len(kept) == len(notes) - len(SEED_MERGES) == 21
    assert [n.source.line for n in kept] == sorted(n.source.line for n in kept)
    duplicates = {dup for dup, _ in SEED_MERGES}
    assert [n.source.line for n in kept] == [
        n.source.line for n in notes if n.source.line not in duplicates
    ]


def test_seed_merged_from_holds_the_duplicate(seed: Seed) -> None:
    notes, kept, _ = seed
    by_line = {n.source.line: n for n in notes}
    gan = next(n for n in kept if n.source.line == 174)
    assert gan.question == by_line[174].question  # the primary keeps its own question and answer
    assert gan.answer == by_line[174].answer
    [other] = gan.merged_from
    assert other.path == by_line[257].source.path
    assert other.line == 257
    assert other.question == by_line[257].question
    assert other.question == "GAN의 경량화는 어떻게 연구가 이루어 지고 있나요?"
    assert other.answer == by_line[257].answer
    assert "teacher" in other.answer
    assert all(not n.merged_from for n in notes)  # the input is not modified


def test_seed_one_info_diagnostic_per_merge(seed: Seed) -> None:
    notes, _, diagnostics = seed
    assert len(diagnostics) == len(SEED_MERGES)
    assert all(d.severity == "info" and d.code == "merged" for d in diagnostics)
    assert all(d.path == notes[0].source.path for d in diagnostics)
    assert {d.line for d in diagnostics} == {dup for dup, _ in SEED_MERGES}
    gan = next(d for d in diagnostics if d.line == 257)
    assert gan.message.startswith("same question as line 174; merged into one note (")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def qa_file(questions: list[str], deck: str = "테스트") -> str:
    body = "\n".join(f"- {q}\n\t- 답변 {i}입니다." for i, q in enumerate(questions, 1))
    return f"---\ndeck: {deck}\n---\n# 세미나\n\n## Q&A\n\n{body}\n"


def merge_questions(tmp_path: Path, questions: list[str]) -> list[QANote]:
    notes = qa_notes(write(tmp_path, "notes.md", qa_file(questions)))
    assert len(notes) == len(questions)
    kept, diagnostics = merge_duplicates(notes)
    assert len(diagnostics) == len(notes) - len(kept)
    return kept


def test_light_rewording_merges(tmp_path: Path) -> None:
    kept = merge_questions(
        tmp_path,
        [
            "Batch normalization을 쓰면 학습이 빨라지는 이유가 무엇인지 궁금합니다.",
            "Dropout은 언제 쓰나요?",
            "batch normalization을 쓰면 학습이 빨라지는 이유가 무엇인가요?",
        ],
    )
    assert [n.question for n in kept][1:] == ["Dropout은 언제 쓰나요?"]
    assert [m.question for m in kept[0].merged_from] == [
        "batch normalization을 쓰면 학습이 빨라지는 이유가 무엇인가요?"
    ]
    assert "답변 3" in kept[0].merged_from[0].answer


def test_shortened_form_merges(tmp_path: Path) -> None:
    kept = merge_questions(
        tmp_path,
        [
            "GAN의 경량화는 어떻게 연구되고 있나요? 또 원본 영상이 없을 때 정확도는 어떻게 재나요?",
            "GAN의 경량화는 어떻게 연구되고 있나요?",
        ],
    )
    assert len(kept) == 1
    assert kept[0].merged_from[0].line > kept[0].source.line


def test_longer_later_form_merges_into_the_earlier_short_one(tmp_path: Path) -> None:
    kept = merge_questions(
        tmp_path,
        [
            "CV에서 현재 가장 주목받는 분야는 무엇인가요?",
            "CV에서 현재 가장 주목받는 분야는 무엇인가요? (ex. self-supervised, 3D 등)",
        ],
    )
    assert len(kept) == 1
    assert kept[0].question == "CV에서 현재 가장 주목받는 분야는 무엇인가요?"


@pytest.mark.parametrize(
    "questions",
    [
        # Same topic, different question.
        [
            "자율주행 자동차에서 물체의 다음 위치를 예측하는 대표적인 방법론은 무엇인가요?",
            "자율주행 자동차에서 2D 이미지로 보행자와의 거리 같은 3D 정보를 어떻게 얻나요?",
        ],
        [
            "GAN의 경량화는 어떻게 연구가 이루어지고 있나요?",
            "GAN의 정확도 측정은 어떻게 이루어지나요?",
        ],
        # One technical word apart: the word that matters.
        [
            "트랜스포머 구조가 CNN을 완전히 대체하게 될까요?",
            "트랜스포머 구조가 RNN을 완전히 대체하게 될까요?",
        ],
        # A short generic question inside a longer one.
        [
            "자율주행에서 데이터는 왜 그런가요? 어떻게 수집하나요?",
            "왜 그런가요?",
        ],
    ],
)
def test_different_questions_stay_apart(tmp_path: Path, questions: list[str]) -> None:
    assert len(merge_questions(tmp_path, questions)) == 2


def test_follow_ups_of_different_questions_stay_apart(tmp_path: Path) -> None:
    follow_up = "\t- (질문) 실무에서는 이 방법을 실제로 어느 정도 많이 사용하는 편인가요?\n"
    text = (
        "# 세미나\n\n## Q&A\n\n"
        "- Adam과 SGD 중 어떤 optimizer를 추천하시나요?\n\t- Adam입니다.\n"
        f"{follow_up}\t\t- 많이 씁니다.\n"
        "- Knowledge distillation은 어떤 방식인가요?\n\t- teacher-student 입니다.\n"
        f"{follow_up}\t\t- 가끔 씁니다.\n"
    )
    notes = qa_notes(write(tmp_path, "notes.md", text))
    assert len(notes) == 4 and all(n.parent_question for n in notes[1::2])
    kept, diagnostics = merge_duplicates(notes)
    assert len(kept) == 4 and not diagnostics


def test_never_across_decks(tmp_path: Path) -> None:
    question = "Batch normalization을 쓰면 학습이 빨라지는 이유가 무엇인가요?"
    a = write(tmp_path, "a.md", qa_file([question], deck="CV::Week 7"))
    b = write(tmp_path, "b.md", qa_file([question], deck="NLP::Week 7"))
    collected = collect([a, b])  # merging, as a build does
    notes = [n for n in collected.notes if isinstance(n, QANote)]
    assert {n.deck for n in notes} == {"CV::Week 7", "NLP::Week 7"}
    assert len(notes) == 2
    assert not any(d.code == "merged" for d in collected.diagnostics)


def test_across_files_of_one_deck_names_the_primary_file(tmp_path: Path) -> None:
    question = "Batch normalization을 쓰면 학습이 빨라지는 이유가 무엇인가요?"
    a = write(tmp_path, "a.md", qa_file([question]))
    b = write(tmp_path, "b.md", qa_file([question]))
    kept, [diagnostic] = merge_duplicates(qa_notes(a, b))
    [note] = kept
    assert note.source.path.endswith("a.md")
    assert note.merged_from[0].path.endswith("b.md")
    assert diagnostic.path.endswith("b.md")
    assert diagnostic.message.startswith(f"same question as {note.source}; merged into one note")


def test_one_primary_absorbs_every_later_copy(tmp_path: Path) -> None:
    question = "3D data는 2D보다 연산량이 많은데 real time으로 쓰기 위한 연구가 있나요?"
    kept = merge_questions(tmp_path, [question, "Dropout은 언제 쓰나요?", question, question])
    assert len(kept) == 2
    third, fourth = kept[0].merged_from
    assert (third.line, fourth.line) == (kept[0].source.line + 4, kept[0].source.line + 6)
    assert "답변 3" in third.answer and "답변 4" in fourth.answer


def test_a_note_is_never_merged_with_itself() -> None:
    [note] = [n for n in qa_notes(SEED) if n.source.line == 152]
    kept, diagnostics = merge_duplicates([note, note])
    assert len(kept) == 2 and not diagnostics


def test_deterministic() -> None:
    notes = qa_notes(SEED)
    first, second = merge_duplicates(notes), merge_duplicates(list(notes))
    assert [n.model_dump() for n in first[0]] == [n.model_dump() for n in second[0]]
    assert first[1] == second[1]
