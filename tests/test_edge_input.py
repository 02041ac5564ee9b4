"""Input at the edges of the conventions: where a `Q:`/`A:` answer ends, lines of a multi-line
answer, inputs that nest thousands deep, glossary problems reported once."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from flashcards.cli import main
from flashcards.notes import QANote
from flashcards.pipeline import collect


def qa_notes(path: Path) -> list[QANote]:
    return [n for n in collect([path]).extraction.notes if isinstance(n, QANote)]


def test_a_prefixed_answer_stops_at_a_list_of_questions(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "Q: 첫 번째 질문은 무엇인가요?\nA: 첫 답입니다.\n\n이어지는 설명.\n\n"
        "- 두 번째 질문은 무엇인가요?\n  - 두 번째 답\n",
        "utf-8",
    )
    notes = qa_notes(path)
    questions = [n.question for n in notes]
    assert questions == ["첫 번째 질문은 무엇인가요?", "두 번째 질문은 무엇인가요?"]
    assert "두 번째" not in notes[0].answer and "이어지는 설명" in notes[0].answer


def test_a_bold_question_over_two_lines_keeps_no_stray_markers(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("**Q. 셋째 질문은\n무엇인가요?**\n\n**A.** 이렇게 답합니다.\n", "utf-8")
    assert [n.question for n in qa_notes(path)] == ["셋째 질문은 무엇인가요?"]


def test_terms_in_a_prefixed_answer_point_at_their_own_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "# 노트\n\nQ: 모델을 작게 만드는 방법은\n무엇인가요?\n\n"
        "A: 여러 가지가 있습니다.\n\nknowledge distillation을 많이 씁니다.\n\n"
        "Q: knowledge distillation은 언제 쓰나요?\nA: 작은 모델이 필요할 때 씁니다.\n\n"
        "knowledge distillation이란 큰 모델의 출력을 작은 모델이 따라 하게 하는 방법입니다.\n",
        "utf-8",
    )
    terms = [n for n in collect([path]).extraction.notes if n.kind == "term"]
    term = next(t for t in terms if t.term.casefold() == "knowledge distillation")
    lines = {c.line for c in term.context}  # type: ignore[union-attr]
    assert 8 in lines and 6 not in lines


def test_input_nested_thousands_deep_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    cases = {
        "emphasis.md": "## Q&A\n\n- 질문?\n  - " + "*" * 500 + "x" + "*" * 500 + "\n",
        "front.md": "---\ndeck: " + "[" * 3000 + "]" * 3000 + "\n---\n## Q&A\n\n- 질문?\n  - 답\n",
        "image.md": "## Q&A\n\n- 질문?\n  - ![a](x%00.png) ![b](" + "y" * 6000 + ".png)\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, "utf-8")
        result = CliRunner().invoke(main, ["check", str(tmp_path / name)])
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert "Traceback" not in result.output
        assert name in result.output


def test_glossary_problems_are_reported_once_whatever_the_number_of_decks(
    tmp_path: Path,
) -> None:
    for deck in "ABC":
        (tmp_path / f"{deck}.md").write_text(
            f"# {deck}\n\n## Q&A\n\n- FID는 무엇인가요?\n  - FID를 씁니다.\n", "utf-8"
        )
    (tmp_path / "glossary.yaml").write_text("terms:\n  FID: 거리.\n  CNN: 신경망.\n", "utf-8")
    diagnostics = collect([tmp_path]).extraction.diagnostics
    unused = [d for d in diagnostics if d.code == "term-unused"]
    assert [d.message for d in unused] == ["glossary term 'CNN' is not in the notes: no card"]
