"""Property tests: whatever a note file holds, `extract`, `check` and `build` never crash.

Each example runs the real commands in a fresh temporary folder. A run may find problems (exit 1)
but must not raise: no traceback, a JSON document from `extract`, and a real .apkg from a build
that reports success.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from contextlib import chdir
from pathlib import Path

from ankiutil import import_apkg, live_html_problems
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from flashcards.cli import main

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

KOREAN = "가나다라마바사아자차카타파하질문답변무엇인가요까습니다은는이가을를의에서요?"
MARKDOWN = "#*_`[]()!-+.:>|\\~=0123456789 \t\n\r"
HTML = "<>&\"';/"
alphabet = st.one_of(
    st.sampled_from(KOREAN + MARKDOWN + HTML + "abcQA"),
    st.characters(blacklist_categories=("Cs",)),  # any code point but lone surrogates
)
any_text = st.text(alphabet, max_size=400)

word = st.text(st.sampled_from(KOREAN + "abc xyz123"), min_size=1, max_size=12)
inline = st.lists(
    st.one_of(
        word,
        st.sampled_from(["**", "*", "_", "`", "[", "](", ")", "![", "<b>", "&lt;", "?", "::", "—"]),
        st.just("javascript:alert(1)"),
        st.just("../x.png"),
    ),
    max_size=6,
).map("".join)
line = st.one_of(
    st.tuples(st.integers(0, 6), st.sampled_from(["- ", "* ", "+ "]), inline).map(
        lambda t: "  " * t[0] + t[1] + t[2]
    ),
    st.tuples(st.integers(0, 3), st.integers(0, 1000), inline).map(
        lambda t: "\t" * t[0] + f"{t[1]}. {t[2]}"
    ),
    st.tuples(st.sampled_from(["Q: ", "A: ", "**Q.** ", "질문: ", "답변: ", "문: "]), inline).map(
        "".join
    ),
    st.tuples(st.integers(1, 7), inline).map(lambda t: "#" * t[0] + " " + t[1]),
    st.sampled_from(["---", "```", "~~~", "", "> 인용", "| a | b |", "|---|---|", "deck: x"]),
    inline,
)
qa_block = st.one_of(
    st.tuples(inline, inline).map(lambda t: f"Q: {t[0]} 인가요?\nA: {t[1]} 입니다."),
    st.tuples(st.sampled_from(["- ", "1. "]), inline, inline).map(
        lambda t: f"{t[0]}{t[1]} 무엇인가요?\n    - {t[2]} 답"
    ),
    st.tuples(inline, inline).map(lambda t: f"### {t[0]} 왜 그런가요?\n\n{t[1]} 때문"),
)
markdownish = st.lists(st.one_of(line, qa_block), max_size=40).map("\n".join)
# A well-formed card whose answer is followed by the arbitrary text: the text gets rendered.
ANSWERED = "# 덱\n\nQ: 이 답은 안전하게 보이나요?\nA: "


def run_all(data: bytes) -> None:
    """Write `data` as notes.md and run every command on it."""
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as scratch, chdir(scratch):
        Path("notes").mkdir()
        Path("notes/notes.md").write_bytes(data)
        extracted = runner.invoke(main, ["extract", "notes"])
        assert_no_crash(extracted)
        document = json.loads(extracted.stdout)
        assert set(document) == {"notes", "diagnostics"}

        assert_no_crash(runner.invoke(main, ["check", "notes"]))

        built = runner.invoke(main, ["build", "notes", "-o", "out/deck.apkg"])
        assert_no_crash(built)
        event(f"build exit {built.exit_code}")
        if built.exit_code == 0:
            with zipfile.ZipFile("out/deck.apkg") as archive:
                assert "collection.anki2" in archive.namelist()
                assert archive.testzip() is None
            assert_cards_are_inert(Path(scratch, "out/deck.apkg"), Path(scratch, "anki"))
        else:
            assert not Path("out/deck.apkg").exists()


def assert_cards_are_inert(apkg: Path, folder: Path) -> None:
    """Import into a fresh collection with real Anki: no field holds live HTML."""
    folder.mkdir()
    col, _ = import_apkg(apkg, folder / "collection.anki2")
    try:
        nids = col.find_notes("")
        assert nids
        for nid in nids:
            for field in col.get_note(nid).fields:
                assert live_html_problems(field) == [], field
    finally:
        col.close()


def assert_no_crash(result) -> None:
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


@SETTINGS
@given(any_text)
def test_any_text_never_crashes(text: str) -> None:
    run_all(text.encode("utf-8"))


@SETTINGS
@given(any_text)
@example("\x1f0")  # U+001F separates Anki's fields: found by this test
def test_any_text_in_an_answer_never_crashes(text: str) -> None:
    run_all((ANSWERED + "답 " + text).encode("utf-8"))


@SETTINGS
@given(markdownish)
def test_markdown_like_notes_never_crash(text: str) -> None:
    run_all(text.encode("utf-8"))


@SETTINGS
@given(st.tuples(st.sampled_from(["", "# 제목\n\n", "---\ndeck: 덱\n---\n"]), markdownish))
def test_markdown_with_headers_and_front_matter_never_crashes(parts: tuple[str, str]) -> None:
    run_all("".join(parts).encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=600))
def test_any_bytes_never_crash(data: bytes) -> None:
    run_all(data)


@SETTINGS
@given(st.binary(max_size=300))
def test_notes_followed_by_any_bytes_never_crash(data: bytes) -> None:
    run_all(ANSWERED.encode("utf-8") + data)


@SETTINGS
@given(
    st.sampled_from(["utf-8-sig", "utf-16", "cp949", "euc-kr", "latin-1"]),
    st.text(st.sampled_from(KOREAN + MARKDOWN + "abc"), max_size=300),
)
def test_any_encoding_of_the_notes_never_crashes(encoding: str, text: str) -> None:
    run_all((ANSWERED + "답 " + text).encode(encoding, errors="ignore"))
