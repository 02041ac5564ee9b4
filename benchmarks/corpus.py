"""A synthetic corpus in the seed's nested-bullet form: Korean prose with English terms, bold,
inline code and two answer levels. Deterministic, so every run measures the same input."""

from __future__ import annotations

import random
from pathlib import Path

TERMS = [
    "federated learning", "pose transfer", "FID", "Mask R-CNN", "knowledge distillation",
    "pretext task", "self-supervised learning", "transformer", "CycleGAN", "overfitting",
    "end-to-end", "gradient descent", "fine-tuning", "Inception Score", "ViT",
]  # fmt: skip
QUESTIONS = [
    "{t}는 어떤 상황에서 쓰는 것이 좋을까요?",
    "{t}와 기존 방법의 차이가 궁금합니다.",
    "{t}를 실무에서 적용할 때 주의할 점은 무엇인가요?",
    "{t}의 한계를 극복하려는 연구가 진행되고 있나요?",
]
ANSWERS = [
    "**{t}**는 데이터가 많을 때 특히 효과적이에요.",
    "`{code}` 같은 코드로 간단히 실험해볼 수 있습니다.",
    "사람이 직접 디자인한 것보다 더 나을 확률이 높다는 게 일반적인 생각이죠.",
    "최근 CVPR, ICCV 논문들에서 {t} 관련 결과가 많이 나오고 있어요.",
]
DETAILS = [
    "데이터가 부족하면 overfitting 위험이 있으니 주의하세요.",
    "처음에는 작은 모델로 빠르게 prototyping 해보는 것을 추천합니다.",
    "자세한 내용은 {t}로 검색해보시면 됩니다.",
]


def _label(index: int, q: int) -> str:
    # One token per question, so no two questions look like near-duplicates of each other;
    # after the question and in brackets, so it never reads as part of a technical term.
    return f"(문항 {index * 1000 + q + 1})"


def _items(index: int, questions: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """File `index`'s questions, each with two (answer, detail) pairs: the one random sequence
    the notes, the genanki floor and ankdown are all made from."""
    rng = random.Random(index)
    items = []
    for q in range(questions):
        term = rng.choice(TERMS)
        question = rng.choice(QUESTIONS).format(t=term) + f" {_label(index, q)}"
        answers = []
        for _ in range(2):
            answer = rng.choice(ANSWERS).format(t=term, code=f"model.fit(x{q})")
            answers.append((answer, rng.choice(DETAILS).format(t=term)))
        items.append((question, answers))
    return items


def note_file(index: int, questions: int) -> str:
    lines = [f"# 강의 노트 {index:03d}", "", "## Q&A", ""]
    for question, answers in _items(index, questions):
        lines += ["- " + question, ""]
        for answer, detail in answers:
            lines += ["\t- " + answer, "\t\t- " + detail]
        lines.append("")
    return "\n".join(lines)


def write_corpus(folder: Path, files: int = 200, questions: int = 250) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(files):
        path = folder / f"note-{index:03d}.md"
        path.write_text(note_file(index, questions), encoding="utf-8")
        paths.append(path)
    return paths


def qa_pairs(files: int = 200, questions: int = 250) -> list[tuple[str, str]]:
    """The same Q&A as ready-made strings, for the genanki floor and for ankdown."""
    return [
        (question, "\n".join(part for pair in answers for part in pair))
        for index in range(files)
        for question, answers in _items(index, questions)
    ]
