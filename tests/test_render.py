"""Render: the HTML of every card field — structure kept, Markdown rendered, nothing live."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ankiutil import live_html_problems, nesting, visible_text
from conftest import FIXTURES, copy_fixture

from flashcards.notes import QANote
from flashcards.pipeline import collect
from flashcards.render.fields import fields_for

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<style>body { display: none }</style>",
    '<iframe src="https://evil.example/"></iframe>',
]


def rendered(path: Path) -> dict[int, dict[str, str]]:
    """Fields of every Q&A note of a file, by source line."""
    collected = collect([path])
    return {
        n.source.line: fields_for(n, collected.paths, collected.media.for_note(n))
        for n in collected.extraction.notes
        if isinstance(n, QANote)
    }


@pytest.fixture(scope="module")
def lecture() -> dict[int, dict[str, str]]:
    return rendered(FIXTURES / "nested_bullets.md")


def test_nested_lists_survive_as_nested_ul(lecture):
    answer = lecture[7]["Answer"]
    assert nesting(answer, "ul") == 2
    assert visible_text(answer).count("그래서 long-range dependency에 강해요.") == 1
    inner = answer[answer.index("<ul>", answer.index("모든 위치를")) :]
    assert inner.index("long-range") < inner.index("</ul>")


def test_emphasis_code_and_links_are_rendered(lecture):
    answer = lecture[7]["Answer"]
    assert "<strong>local</strong>" in answer
    assert "<code>O(n^2)</code>" in answer
    assert "**" not in answer and "`" not in answer
    link = lecture[22]["Answer"]
    assert '<a href="https://example.com/lecture"' in link
    assert ">강의 페이지</a>" in link


def test_question_field_is_plain_text_and_follow_up_shows_its_parent(lecture):
    assert lecture[7]["Question"] == "Self-attention과 convolution의 차이는 무엇인가요?"
    assert lecture[13]["Context"] == lecture[7]["Question"]
    assert lecture[7]["Context"] == ""


def test_paragraph_answers_stay_separate_paragraphs():
    answer = rendered(FIXTURES / "numbered.md")[5]["Answer"]
    assert answer.count("<p>") == 2
    assert visible_text(answer).startswith("대부분의 경우 Adam으로 시작하고")


def test_source_field_shows_deck_and_path_line(workdir):
    copy_fixture("nested_bullets.md", workdir / "notes")
    fields = rendered(Path("notes/nested_bullets.md"))
    source = visible_text(fields[13]["Source"])
    assert "Week 3 Attention 특강" in source
    assert re.search(r"(?:^| )(?:notes/)?nested_bullets\.md:13$", source), source


def test_hostile_html_in_the_notes_is_never_live_in_any_field():
    collected = collect([FIXTURES / "hostile.md"])
    notes = collected.extraction.notes
    assert {n.kind for n in notes} >= {"qa", "term"}
    for note in notes:
        for name, value in fields_for(
            note, collected.paths, collected.media.for_note(note)
        ).items():
            assert live_html_problems(value) == [], (note.kind, note.source.line, name, value)


def test_hostile_html_is_shown_as_text_not_dropped():
    fields = rendered(FIXTURES / "hostile.md")
    assert visible_text(fields[5]["Question"]).startswith("<script>alert(1)</script>")
    shown = visible_text(fields[5]["Answer"])
    for text in HOSTILE_TEXT[1:]:
        assert text in shown
    assert "&lt;script&gt;" in fields[5]["Question"]


def test_layout_html_is_written_as_markdown_without_its_handlers():
    """`<img>` and `<b>` are layout: an image reference (its alt text, as it is not packaged)
    and bold text — never live, and never escaped tags on the card."""
    answer = rendered(FIXTURES / "hostile.md")[5]["Answer"]
    assert "onerror" not in answer and "onclick" not in answer
    assert "<strong>bold</strong>" in answer and "&lt;b" not in answer


def test_only_http_https_and_mailto_links_stay_links():
    fields = rendered(FIXTURES / "hostile.md")
    answer = fields[5]["Answer"]
    assert '<a href="https://example.com/docs"' in answer
    assert answer.count("<a ") == 1
    assert "<img" not in fields[12]["Answer"] and "<a " not in fields[12]["Answer"]
