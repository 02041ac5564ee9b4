"""Markdown parsing: markdown-it-pyrs (Rust) first, markdown-it-py for the text it cannot take.

What a user must never notice: which parser read a file. The same notes give the same cards either
way; the text that makes the Rust parser panic still builds, without Rust's panic message on the
terminal; nesting deep enough to need the fallback ends in a card or a one-line diagnostic, never
a crash; and `render` gives the usual HTML, with raw HTML in the notes shown as text.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, SEED, SUMMARY

import flashcards.extract
import flashcards.extract.vocabulary
from flashcards.cli import main
from flashcards.extract import ParsedFile, extract_file
from flashcards.pipeline import collect
from flashcards.read import blocks, parsers
from flashcards.read.blocks import Block
from flashcards.read.sources import SourceFile, read_source
from flashcards.render.html import to_html

# markdown-it-pyrs panics on an unmatched backtick after `[` (markdown-it-rust/markdown-it#40).
PANIC_TRIGGER = "x [` y"
PROBLEM = re.compile(r"^[^:]+(:\d+)?: (error|warning|info): .+$")
REPORT_LINE = re.compile(
    r"^(wrote|would write|did not write) |^changes: |^\d+ notes, \d+ errors, \d+ warnings$"
)

Snapshot = dict[str, list[Any]]


# --- helpers -------------------------------------------------------------------------------------
def source_of(path: Path) -> SourceFile:
    source = read_source(path, path.parent)
    assert isinstance(source, SourceFile), source
    return source


def snapshot(source: SourceFile) -> Snapshot:
    """What extraction makes of a file: everything later steps turn into cards and diagnostics."""
    notes = extract_file(source)
    assert isinstance(notes, ParsedFile), notes
    return {
        "deck": [notes.head.deck],
        "found": [(f.kind, f.line, f.question, f.answer, f.parent_question) for f in notes.drafts],
        "passages": [(p.line, p.text, p.emphasis, p.owner, p.role) for p in notes.passages],
        "diagnostics": [d.format() for d in notes.head.diagnostics],
    }


def differences(rust: Snapshot, slow: Snapshot) -> list[str]:
    """Each item that differs, as `part[index]: rust … / markdown-it-py …`."""
    lines = []
    for part in rust:
        a, b = rust[part], slow[part]
        if len(a) != len(b):
            lines.append(f"{part}: {len(a)} items with Rust, {len(b)} with markdown-it-py")
        lines += [
            f"{part}[{i}]:\n  rust:            {x!r}\n  markdown-it-py:  {y!r}"
            for i, (x, y) in enumerate(zip(a, b, strict=False))
            if x != y
        ]
    return lines


def count_fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every text `parse`/`parse_inline` hand to markdown-it-py."""
    calls: list[str] = []
    slowly = blocks._parse_slowly

    def recording(text: str, inline_only: bool = False) -> Block:
        calls.append(text)
        return slowly(text, inline_only)

    monkeypatch.setattr(blocks, "_parse_slowly", recording)
    return calls


def use_markdown_it_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every parse extraction makes (blocks and inline runs) to markdown-it-py."""
    slowly = blocks._parse_slowly  # the recording one, when count_fallbacks ran first
    monkeypatch.setattr(flashcards.extract, "parse", slowly)
    monkeypatch.setattr(
        flashcards.extract.vocabulary, "parse_inline", lambda text: slowly(text, True)
    )


def goes_to_fallback(text: str) -> bool:
    return parsers.with_rust(parsers.block_parser().tree, text) is None


def inline_contents(root: Block) -> list[tuple[int, str]]:
    """(first line, raw text with each line stripped) of every inline run, in document order."""
    found = []
    for inline in blocks.iter_inlines(root):
        text = "\n".join(line.strip() for line in inline.content.split("\n"))
        found.append((blocks.first_line(inline), text))
    return found


def package_fields(apkg: Path, scratch: Path) -> list[str]:
    """Every field of every note in a built package."""
    with zipfile.ZipFile(apkg) as archive:
        archive.extract("collection.anki2", scratch)
    conn = sqlite3.connect(scratch / "collection.anki2")
    try:
        rows = conn.execute("SELECT flds FROM notes").fetchall()
    finally:
        conn.close()
    return [field for (flds,) in rows for field in flds.split("\x1f")]


def extracted_notes(runner: CliRunner, path: Path) -> list[dict[str, Any]]:
    result = runner.invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    notes: list[dict[str, Any]] = json.loads(result.stdout)["notes"]
    return notes


def assert_clean_exit(result: Result, path: str) -> None:
    """Exit 0, or 1 with one error line naming the file; never a traceback."""
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    problems = [line for line in result.output.splitlines() if line.strip()]
    problems = [line for line in problems if not REPORT_LINE.match(line)]
    for line in problems:
        assert PROBLEM.match(line), f"not in the one diagnostic format: {line!r}"
    if result.exit_code == 1:
        errors = [line for line in problems if ": error: " in line]
        assert len(errors) == 1, result.output
        assert errors[0].startswith(path), result.output


# --- the same notes whichever parser reads them --------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [SEED, *sorted(FIXTURES.glob("*.md"))],
    ids=lambda p: p.name,
)
def test_extraction_is_the_same_with_either_parser(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = source_of(path)
    fallbacks = count_fallbacks(monkeypatch)
    rust = snapshot(source)
    if parsers.may_hold_math(source.text):  # math is read by markdown-it-py alone (read/parsers.py)
        assert fallbacks, "text with math should be read by markdown-it-py"
        return
    assert fallbacks == [], "this file should be read by markdown-it-pyrs"
    assert rust["found"] or path.name == "prose.md", "nothing to compare"

    use_markdown_it_py(monkeypatch)
    slow = snapshot(source)
    assert fallbacks, "markdown-it-py was not used"
    assert differences(rust, slow) == []


def test_seed_answers_render_the_same_with_either_renderer() -> None:
    answers = [f[3] for f in snapshot(source_of(SEED))["found"]]
    assert answers and not any(goes_to_fallback(a) for a in answers)
    for answer in answers:
        assert to_html(answer) == parsers.python_parser().render(answer), answer


TAB_INDENTED = {
    # A list item's paragraph indented by a tab of which the item's indentation takes only part.
    "numbered-item-paragraph": "1. 질문인가요?\n\n\t대답 문단입니다.\n",
    "bullet-item-paragraph": "- 질문인가요?\n\n\t대답 문단입니다.\n",
    "blockquote": ">\t인용된 문단입니다.\n",
}


@pytest.mark.parametrize("text", TAB_INDENTED.values(), ids=TAB_INDENTED.keys())
def test_tab_indented_paragraph_text_is_read_whole(text: str) -> None:
    """`Block.content` (what Q:/A: and glossary lines are matched against) is the paragraph's text,
    and its line the paragraph's line, as markdown-it-py gives them."""
    assert inline_contents(blocks.parse(text)) == inline_contents(blocks._parse_slowly(text))


def test_prefixed_question_below_its_list_marker_gets_its_card(
    runner: CliRunner, workdir: Path
) -> None:
    notes = workdir / "notes.md"
    notes.write_text(
        "# 노트\n\n## Q&A\n\n1.\n\tQ: 줄을 바꿔 쓴 질문인가요?\n\tA: 네, 그래도 카드입니다.\n",
        encoding="utf-8",
    )
    qa = [(n["question"], n["answer"]) for n in extracted_notes(runner, notes)]
    assert qa == [("줄을 바꿔 쓴 질문인가요?", "네, 그래도 카드입니다.")]


FOLLOW_UP_NOTES = (
    "# 후속 질문\n\n## Q&A\n\n"
    "- 첫 질문은 무엇인가요?\n"
    "\t- 첫 답\n"
    "\t- (질문) 이어지는 질문은 무엇인가요?\n"
    "\t\t- 이어지는 답\n"
    "\n"
    "\t- 끝 답\n"
    "- 둘째 질문은 무엇인가요?\n"
    "\t- 둘째 답\n"
)
FALLBACK_TRIGGERS = {
    "backtick-after-bracket": f"\n## 메모\n\n백틱 메모 {PANIC_TRIGGER}.\n",
    "long-rule": "\n" + "-" * 130 + "\n",
}


@pytest.mark.parametrize("trigger", FALLBACK_TRIGGERS.values(), ids=FALLBACK_TRIGGERS.keys())
@pytest.mark.parametrize(
    "notes", [SEED.read_text("utf-8"), FOLLOW_UP_NOTES], ids=["seed", "follow-up"]
)
def test_a_line_that_sends_the_file_to_the_fallback_changes_no_other_note(
    notes: str, trigger: str, runner: CliRunner, workdir: Path
) -> None:
    path = workdir / "notes.md"
    path.write_text(notes, encoding="utf-8")
    assert not goes_to_fallback(notes)
    before = extracted_notes(runner, path)

    path.write_text(notes + trigger, encoding="utf-8")
    assert goes_to_fallback(notes + trigger)
    after = extracted_notes(runner, path)

    def cards(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(n["kind"], n["source"]["line"], n.get("question"), n.get("answer")) for n in found]

    assert cards(after) == cards(before)


def test_a_paragraph_over_the_delimiter_limit_gives_the_same_notes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """150 bold questions in one blank-line-free list: over the limit of `*_~[!` in a chunk, so
    markdown-it-py reads it; the notes are those markdown-it-pyrs finds when the limit is lifted."""
    items = "".join(f"- **항목 {i}** 은 무엇인가요?\n\t- 답 {i}\n" for i in range(150))
    path = tmp_path / "notes.md"
    path.write_text("# 굵은 목록\n\n## Q&A\n\n" + items, encoding="utf-8")
    source = source_of(path)

    fallbacks = count_fallbacks(monkeypatch)
    slow = snapshot(source)
    assert fallbacks, "the file should go to markdown-it-py"
    assert len(slow["found"]) == 150

    monkeypatch.setattr(parsers, "_MAX_DELIMITERS", 10**9)
    fallbacks.clear()
    rust = snapshot(source)
    assert fallbacks == []
    assert differences(rust, slow) == []


# --- the panic of markdown-it-pyrs -------------------------------------------------------------
def test_markdown_it_pyrs_panics_on_the_trigger_and_says_so_on_fd_2(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Why the fallback exists, and proof that `capfd` sees what Rust prints. If this fails,
    markdown-it-pyrs no longer panics here: the workaround in parsers.with_rust may be dropped."""
    try:
        parsers.block_parser().tree(PANIC_TRIGGER)
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        assert type(exc).__name__ == "PanicException"
    else:
        pytest.fail("markdown-it-pyrs parsed the text that used to make it panic")
    assert "panicked" in capfd.readouterr().err


PANIC_NOTES = (
    "# 백틱 노트\n\n## Q&A\n\n"
    "- 배열은 어떻게 쓰나요?\n"
    "\t- 여는 괄호 뒤 백틱 [` 을 조심하세요.\n"
    "- 평범한 질문은 무엇인가요?\n"
    "\t- 평범한 답입니다.\n"
    "\nQ: 질문에도 [` 가 있나요?\nA: 네, 질문에도 있습니다.\n"
)


def test_notes_that_make_markdown_it_pyrs_panic_still_build_quietly(
    runner: CliRunner, workdir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = workdir / "notes.md"
    path.write_text(PANIC_NOTES, encoding="utf-8")
    assert goes_to_fallback(PANIC_NOTES)

    result = runner.invoke(main, ["build", "notes.md", "-o", "deck.apkg"])
    assert result.exit_code == 0, result.output
    assert result.exception is None, result.exception
    summary = SUMMARY.search(result.stdout)
    assert summary is not None and summary["verb"] == "wrote", result.output
    fields = package_fields(workdir / "deck.apkg", workdir / "unzipped")
    assert "배열은 어떻게 쓰나요?" in fields, fields
    assert any("[` 을 조심하세요." in f for f in fields), fields
    assert "질문에도 [` 가 있나요?" in fields, fields
    assert any("평범한 답입니다." in f for f in fields), fields

    os.write(2, b"fd 2 is still open\n")  # the silencing of fd 2 ended with the parse
    err = capfd.readouterr().err
    assert "panicked" not in err and "Traceback" not in err
    assert "fd 2 is still open" in err


# --- nesting deep enough for the fallback --------------------------------------------------------
GOOD_QA = "# 깊은 노트\n\nQ: 좋은 질문은 무엇인가요?\nA: 좋은 답입니다.\n\n"
DEEP = {
    "list-300-levels": GOOD_QA + "".join("  " * i + f"- 항목 {i}\n" for i in range(300)),
    "emphasis-500": GOOD_QA + "*" * 500 + "깊은 강조" + "*" * 500 + "\n",
    "emphasis-500-words": GOOD_QA + "*가 " * 500 + "깊은 강조" + " 나*" * 500 + "\n",
    "links-500": GOOD_QA + "[" * 500 + "링크" + "](https://example.com)" * 500 + "\n",
    "quotes-300": GOOD_QA + ">" * 300 + " 깊은 인용\n",
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_ends_in_cards_or_one_diagnostic(
    text: str, command: str, runner: CliRunner, workdir: Path
) -> None:
    assert goes_to_fallback(text)
    (workdir / "notes.md").write_text(text, encoding="utf-8")
    args = ["build", "notes.md", "-o", "deck.apkg"] if command == "build" else ["check", "notes.md"]
    result = runner.invoke(main, args)
    assert_clean_exit(result, "notes.md")
    if result.exit_code == 0 and command == "build":
        fields = package_fields(workdir / "deck.apkg", workdir / "unzipped")
        assert "좋은 질문은 무엇인가요?" in fields


DEEPEST = "*" * 500 + "깊은 강조" + "*" * 500
TOO_DEEP = {  # notes that even markdown-it-py cannot read → the line it must name
    "own paragraph": (GOOD_QA + "보통 문단입니다.\n\n" + DEEPEST + "\n", 8),
    "after words": (GOOD_QA + "\n\n\n앞 " + DEEPEST + "\n", 9),
    "tight list": ("# 노트\n\n## Q&A\n\n- 질문?\n  - 답\n- 또?\n  - " + DEEPEST + "\n", 8),
    "after a long rule": ("# 노트\n\n" + "-" * 130 + "\n\n" + DEEPEST + "\n", 5),
}


@pytest.mark.parametrize(("text", "line"), TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_too_deep_to_read_names_the_deep_line(text: str, line: int, workdir: Path) -> None:
    """The file's one error points at the line nested too deep, not only at the file."""
    (workdir / "notes.md").write_text(text, encoding="utf-8")
    (problem,) = collect([workdir / "notes.md"]).extraction.diagnostics
    assert (problem.code, problem.line) == ("too-deep", line)


# --- render --------------------------------------------------------------------------------------
ORDINARY = (
    "**굵게** 와 *기울임* 과 `코드` 와 [링크](https://example.com)\n\n"
    "- 하나\n- 둘\n\n"
    "1. 첫째\n2. 둘째\n\n"
    "원시 HTML: <b>x</b> 와 <script>alert(1)</script>\n"
)


@pytest.mark.parametrize(
    "text", [ORDINARY, ORDINARY + f"\n{PANIC_TRIGGER}\n"], ids=["rust", "fallback"]
)
def test_render_gives_the_usual_html_and_shows_raw_html_as_text(
    text: str, capfd: pytest.CaptureFixture[str]
) -> None:
    html = to_html(text)
    assert "<strong>굵게</strong>" in html
    assert "<em>기울임</em>" in html
    assert "<code>코드</code>" in html
    assert '<a href="https://example.com">링크</a>' in html
    assert re.search(r"<ul>\s*<li>하나</li>\s*<li>둘</li>\s*</ul>", html), html
    assert re.search(r"<ol>\s*<li>첫째</li>\s*<li>둘째</li>\s*</ol>", html), html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "panicked" not in capfd.readouterr().err


def test_render_of_the_panic_trigger_keeps_its_text() -> None:
    assert to_html(f"a {PANIC_TRIGGER} <i>b</i>") == "<p>a x [` y &lt;i&gt;b&lt;/i&gt;</p>\n"
