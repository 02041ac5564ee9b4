"""Extract: every note convention, on its own fixture, through `flashcards.build.collect`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from flashcards.diagnostics import Diagnostic
from flashcards.notes import Extraction, QANote, TermNote
from flashcards.pipeline import collect


def extract(*paths: Path) -> Extraction:
    return collect(list(paths)).extraction


def qa_notes(extraction: Extraction) -> dict[int, QANote]:
    return {n.source.line: n for n in extraction.notes if isinstance(n, QANote)}


def questions(extraction: Extraction) -> dict[int, str]:
    return {line: note.question for line, note in qa_notes(extraction).items()}


def of(severity: str, extraction: Extraction) -> list[tuple[int | None, str]]:
    return [(d.line, d.code) for d in extraction.diagnostics if d.severity == severity]


def said(extraction: Extraction) -> list[Diagnostic]:
    """What is said of the notes, but the key terms they leave undefined (test_terms.py)."""
    return [d for d in extraction.diagnostics if d.code != "term-undefined"]


# --- a. nested bullets under a Q&A heading ---------------------------------------------------


def test_nested_bullets_give_one_note_per_question_and_follow_up():
    result = extract(FIXTURES / "nested_bullets.md")
    assert questions(result) == {
        7: "Self-attention과 convolution의 차이는 무엇인가요?",
        13: "그러면 작은 데이터셋에서는 어떤 걸 쓰는 게 좋을까요?",
        17: "Positional encoding은 왜 필요한가요?",
        22: "강의 자료는 어디서 받을 수 있나요?",
    }
    assert said(result) == []


def test_follow_up_is_its_own_note_and_not_part_of_the_parent_answer():
    notes = qa_notes(extract(FIXTURES / "nested_bullets.md"))
    parent, follow_up = notes[7], notes[13]
    assert follow_up.parent_question == parent.question
    assert parent.parent_question == ""
    assert "데이터셋" not in parent.answer
    assert "inductive bias" not in parent.answer
    assert "inductive bias" in follow_up.answer
    assert "self-attention은 모든 위치를" in parent.answer


def test_answer_keeps_the_nested_list_structure():
    answer = qa_notes(extract(FIXTURES / "nested_bullets.md"))[7].answer
    lines = answer.splitlines()
    outer = next(ln for ln in lines if "모든 위치를" in ln)
    inner = next(ln for ln in lines if "long-range" in ln)
    assert outer.startswith("- ")
    assert inner.lstrip().startswith("- ")
    assert len(inner) - len(inner.lstrip()) > len(outer) - len(outer.lstrip())
    assert "**local**" in answer and "`O(n^2)`" in answer  # still Markdown


def test_one_item_ordered_list_question_is_unwrapped():
    assert questions(extract(FIXTURES / "nested_bullets.md"))[17].startswith("Positional")


def test_title_speaker_line_and_answer_bullets_are_never_questions():
    asked = set(questions(extract(FIXTURES / "nested_bullets.md")).values())
    text = (FIXTURES / "nested_bullets.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith(("#", "강사", "\t")) and "(질문)" not in line:
            assert line.lstrip("#\t- ").strip() not in asked


def test_english_q_marker_follow_up(notes_file):
    path = notes_file(
        "attention.md",
        "# Attention\n\n## Q&A\n\n- Why scale by sqrt(d)?\n\t- softmax saturates.\n"
        "\t- (Q) Does it matter for small d?\n\t\t- Much less.\n",
    )
    notes = qa_notes(extract(path))
    assert notes[7].question == "Does it matter for small d?"
    assert notes[7].parent_question == "Why scale by sqrt(d)?"
    assert "small d" not in notes[5].answer


# --- b. numbered items with indented answers -------------------------------------------------


def test_numbered_items_with_indented_paragraph_answers():
    result = extract(FIXTURES / "numbered.md")
    notes = qa_notes(result)
    assert sorted(notes) == [5, 13, 17]
    assert notes[5].question == "Adam과 SGD 중 어떤 optimizer를 추천하시나요?"
    assert notes[5].answer.split("\n\n") == [
        "대부분의 경우 Adam으로 시작하고, 마지막에 SGD로 fine-tuning 합니다.",
        "learning rate schedule이 optimizer 선택보다 더 중요할 때도 많아요.",
    ]
    assert notes[17].answer == "슬랙 채널에 올려 드릴게요."
    assert not any(q.startswith(("1.", "3.", "4.")) for q in questions(result).values())


def test_numbered_item_without_answer_warns_at_its_line_and_gives_no_note():
    result = extract(FIXTURES / "numbered.md")
    assert of("warning", result) == [(11, "no-answer")]
    [warning] = [d for d in result.diagnostics if d.severity == "warning"]
    assert warning.path.endswith("numbered.md")
    assert "못 적었습니다" in warning.message
    assert 11 not in qa_notes(result)
    assert of("error", result) == []


# --- c. prefixed lines -----------------------------------------------------------------------


def test_prefixed_questions_in_every_spelling():
    assert questions(extract(FIXTURES / "prefixed.md")) == {
        3: "list와 tuple의 차이는 무엇인가요?",
        9: "GIL이란 무엇인가요?",
        15: "asyncio는 언제 쓰나요?",
        18: "decorator는 어떻게 동작하나요?",
    }


def test_prefixed_answer_runs_until_the_next_question_or_heading():
    notes = qa_notes(extract(FIXTURES / "prefixed.md"))
    first = notes[3].answer
    assert first.startswith("list는 mutable")  # the `A:` marker is gone
    assert "dict의 key" in first and "추가로, tuple이" in first
    assert "GIL" not in first
    assert "- 한 번에 하나의 thread만" in notes[9].answer
    assert not notes[9].answer.startswith("**")
    assert notes[15].answer == "동시에 많은 I/O를 기다릴 때 씁니다."
    assert notes[18].answer == "함수를 받아 새 함수를 돌려주는 함수입니다."  # not the 공지


def test_prefixed_question_without_answer_warns(notes_file):
    path = notes_file("q.md", "# T\n\nQ: 첫 질문인가요?\n\nQ: 둘째 질문인가요?\nA: 네.\n")
    result = extract(path)
    assert list(questions(result)) == [5]
    assert of("warning", result) == [(3, "no-answer")]


def test_whole_line_bold_prefixed_question_has_no_stray_markup(notes_file):
    path = notes_file(
        "bold.md", "# T\n\n**Q. Dropout은 왜 쓰나요?**\n**A.** overfitting을 줄이려고요.\n"
    )
    assert questions(extract(path)) == {3: "Dropout은 왜 쓰나요?"}


# --- d. headings -----------------------------------------------------------------------------


def test_faq_sub_headings_and_headings_ending_in_a_question_mark():
    notes = qa_notes(extract(FIXTURES / "headings.md"))
    assert {line: n.question for line, n in notes.items()} == {
        7: "Multi-head attention은 왜 head를 여러 개 쓰나요?",
        17: "코드는 어디 있나요?",
        21: "Layer normalization 위치",
    }
    assert notes[7].answer == "서로 다른 representation subspace를 동시에 보기 위해서입니다."
    assert "WMT" not in notes[7].answer  # the next heading ends the answer
    assert notes[21].answer.startswith("원 논문은 post-LN")


@pytest.mark.parametrize("front", ["", "---\ndeck: CV::Week 7\n---\n"])
def test_title_containing_qa_does_not_turn_sections_into_questions(notes_file, front):
    path = notes_file(
        "masterclass.md",
        f"{front}# 마스터클래스 Q&A\n\n## Q&A\n\n- 질문 하나인가요?\n\t- 답 하나\n\n"
        "## 캠퍼분들을 위해 드리는 말씀\n\n영어가 중요합니다.\n",
    )
    assert questions(extract(path)) == {5 + front.count("\n"): "질문 하나인가요?"}


def test_title_ending_in_question_mark_is_not_a_question_with_front_matter_deck(notes_file):
    path = notes_file(
        "why.md",
        "---\ndeck: CV::Week 7\n---\n# 왜 Transformer인가?\n\n소개 문단입니다.\n\n"
        "## Q&A\n\n- 질문인가요?\n\t- 답\n",
    )
    assert questions(extract(path)) == {10: "질문인가요?"}


def test_a_file_of_one_question_heading_is_that_question_not_a_title(notes_file):
    """Only a `#` title that asks is a title still: a lone `## What …?` is the file's card."""
    path = notes_file("one.md", "## What is a top-level note?\n\nOne at the root of the vault.\n")
    assert questions(extract(path)) == {1: "What is a top-level note?"}


# --- e. glossary -----------------------------------------------------------------------------


def test_glossary_entries_in_every_form_become_terms():
    result = extract(FIXTURES / "glossary.md")
    terms = {n.term: n for n in result.notes if isinstance(n, TermNote)}
    # Only the five glossary-section terms: everyday words of their definitions ("box") are not.
    assert set(terms) == {"IoU", "NMS", "Anchor box", "mAP", "FPN"}
    assert terms["IoU"].definition == "두 box의 교집합 넓이를 합집합 넓이로 나눈 값."
    assert terms["NMS"].definition.startswith("겹치는 box 중")
    assert terms["Anchor box"].definition == "미리 정해 둔 크기와 비율의 기준 box."
    assert terms["mAP"].definition == "class별 AP의 평균."
    assert terms["FPN"].definition.startswith("여러 scale의 feature map을")
    assert terms["mAP"].source.line == 13 and terms["FPN"].source.line == 14
    assert qa_notes(result) == {}
    assert said(result) == []


# --- prose and question-like lists outside Q&A sections --------------------------------------


def test_ordinary_prose_with_outline_bullets_gives_no_questions():
    result = extract(FIXTURES / "prose.md")
    assert qa_notes(result) == {}
    # "VGG: 3x3 convolution만 사용" is a note about VGG, too short to define it: no card.
    assert result.notes == []
    # "왜 그럴까? 다음 주에 더 알아보자.": asked, and left for next week.
    assert [(d.line, d.code) for d in said(result)] == [(17, "no-answer")]


def test_outline_bullets_ending_in_causal_nikka_are_not_questions(notes_file):
    path = notes_file(
        "memo.md",
        "# 메모\n\n- 데이터가 적으면 CNN이 유리하니까\n\t- inductive bias 덕분\n"
        "- transformer는 데이터가 많아야 하니까\n\t- 구조 제약이 적음\n- 결국 trade-off\n",
    )
    result = extract(path)
    assert result.notes == []
    assert said(result) == []


def test_list_of_mostly_questions_outside_a_qa_heading():
    notes = qa_notes(extract(FIXTURES / "question_list.md"))
    assert [n.question for n in notes.values()] == [
        "대학원 진학은 언제 결정하셨나요?",
        "논문은 하루에 몇 편 정도 읽으시나요",
        "입문자에게 추천하시는 강의가 있을까요",
        "졸업 후 진로는 어떻게 정하셨습니까",
        "연구실 분위기가 궁금합니다",
    ]
    assert notes[13].answer == "- 자유로운 편이에요."


# --- deck, tags, lines -----------------------------------------------------------------------


def test_front_matter_deck_and_tags_and_true_line_numbers():
    notes = qa_notes(extract(FIXTURES / "front_matter.md"))
    assert list(notes) == [9]
    assert notes[9].deck == "CV::Week 7"
    assert notes[9].tags == ["cv", "masterclass", "source::front_matter"]


def test_deck_is_the_first_heading_else_the_file_stem(notes_file):
    assert {n.deck for n in extract(FIXTURES / "prefixed.md").notes} == {"Python 기초 스터디"}
    path = notes_file(
        "week08-notes.md", "Q: 제목이 없으면 덱 이름은 무엇인가요?\nA: 파일 이름입니다.\n"
    )
    assert [n.deck for n in extract(path).notes] == ["week08-notes"]


def test_tags_as_a_comma_separated_string(notes_file):
    path = notes_file("t.md", "---\ntags: cv, week7\n---\n# T\n\nQ: 질문?\nA: 답\n")
    assert extract(path).notes[0].tags == ["cv", "week7", "source::t"]


def test_numeric_tags_are_tags_not_errors(notes_file):
    path = notes_file("t.md", "---\ntags: [cv, 2024]\n---\n# T\n\nQ: 질문?\nA: 답\n")
    result = extract(path)
    assert of("error", result) == []
    assert result.notes[0].tags == ["cv", "2024", "source::t"]


def test_source_tag_follows_the_folder_structure(tmp_path, notes_file):
    notes_file("notes/week1/qa.md", "# W1\n\nQ: 질문?\nA: 답\n")
    notes = extract(tmp_path / "notes").notes
    assert notes[0].tags == ["source::week1::qa"]


Essentials = tuple[str, str, int, str, str, list[str]]


def essentials(extraction: Extraction) -> list[Essentials]:
    """What each note says: kind, deck, line, question or term, answer or definition, and the
    tags but the source tag (which names the file)."""
    found: list[Essentials] = []
    for n in extraction.notes:
        if isinstance(n, QANote):
            text, body = n.question, n.answer
        elif isinstance(n, TermNote):
            text, body = n.term, n.definition
        else:
            text, body = n.text, n.context
        found.append((n.kind, n.deck, n.source.line, text, body, n.tags[:-1]))
    return found


@pytest.mark.parametrize("fixture", ["front_matter.md", "nested_bullets.md"])
@pytest.mark.parametrize(
    ("bom", "newline"), [(b"", b"\r\n"), (b"\xef\xbb\xbf", b"\n"), (b"\xef\xbb\xbf", b"\r\n")]
)
def test_crlf_and_utf8_bom_files_read_like_plain_ones(notes_file, fixture, bom, newline):
    lf = (FIXTURES / fixture).read_bytes()
    expected = essentials(extract(FIXTURES / fixture))
    got = essentials(extract(notes_file(fixture, bom + lf.replace(b"\n", newline))))
    assert got == expected
    assert all("\r" not in answer and "\ufeff" not in question for *_, question, answer, _ in got)


def test_bom_file_without_front_matter_names_the_deck_without_the_bom(notes_file):
    path = notes_file("b.md", "\ufeff# 제목\r\n\r\nQ: 질문?\r\nA: 답\r\n".encode())
    assert [(n.deck, n.source.line) for n in extract(path).notes] == [("제목", 3)]


# --- invalid input becomes diagnostics, never exceptions -------------------------------------


BAD_FRONT = [
    ('title: x\ndeck: ""', "invalid-deck"),
    ('title: x\ndeck: "CV::"', "invalid-deck"),
    ('title: x\ntags: ["machine learning"]', "invalid-tag"),
]


@pytest.mark.parametrize(("front", "code"), BAD_FRONT)
def test_invalid_deck_or_tag_is_one_error_naming_the_file(notes_file, front, code):
    path = notes_file("bad.md", f"---\n{front}\n---\n# T\n\nQ: 질문?\nA: 답\n")
    result = extract(path)
    assert result.notes == []
    [problem] = result.diagnostics
    assert (problem.severity, problem.code) == ("error", code)
    assert Path(problem.path).resolve() == path.resolve()
    assert problem.line is not None


@pytest.mark.parametrize(("front", "code"), BAD_FRONT)
def test_invalid_deck_or_tag_error_points_at_its_own_line(notes_file, front, code):
    path = notes_file("bad.md", f"---\n{front}\n---\n# T\n\nQ: 질문?\nA: 답\n")
    assert [(d.code, d.line) for d in extract(path).diagnostics] == [(code, 3)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("# T\n\nQ:\nA: 질문 없는 답\n", 3),  # empty question
        ("---\ndeck: [unclosed\n---\n# T\n\nQ: 질문?\nA: 답\n", 2),  # broken YAML
        ("---\ntags: {a: 1}\n---\n# T\n\nQ: 질문?\nA: 답\n", 2),  # tags of the wrong type
    ],
)
def test_invalid_input_is_an_error_diagnostic_naming_path_and_line(notes_file, text, line):
    path = notes_file("bad.md", text)
    result = extract(path)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [(Path(d.path).resolve(), d.line) for d in errors] == [(path.resolve(), line)]
    assert result.has_errors


def test_an_invalid_file_does_not_hide_the_notes_of_the_others(tmp_path, notes_file):
    notes_file("notes/good.md", "# Good\n\nQ: 질문?\nA: 답\n")
    notes_file("notes/bad.md", '---\ndeck: ""\n---\n# Bad\n\nQ: 질문?\nA: 답\n')
    result = extract(tmp_path / "notes")
    assert [n.deck for n in result.notes] == ["Good"]
    assert [d.path.rsplit("/", 1)[-1] for d in result.diagnostics] == ["bad.md"]
