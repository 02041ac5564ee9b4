"""Hostile and broken input, run through the real `flashcards build` and `check` commands.

Every case says what a user would see: the exit status, one `path[:line]: severity: message` line
per problem (never a traceback), a previous deck left byte-identical when the build fails, and,
when a deck is written, what the cards show after a real Anki import.
"""

from __future__ import annotations

import codecs
import os
import re
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from ankiutil import import_apkg, live_html_problems, visible_text
from click.testing import CliRunner

from flashcards.cli import main

PROBLEM = re.compile(r"^[^:]+(:\d+)?: (error|warning|info): .+$")
SUMMARY_LINE = re.compile(
    r"^(wrote|would write|did not write) |^changes: |^\d+ notes, \d+ errors, \d+ warnings$"
)
SECRET = b"SECRET-FILE-OUTSIDE-THE-NOTES"

KO = (
    "# 운영체제 강의 정리\n\n## 질의응답\n\n"
    "- 프로세스와 스레드의 차이는 무엇인가요?\n"
    "\t- 프로세스는 독립된 메모리 공간을 가지고, 스레드는 그 공간을 공유합니다.\n"
    "- 교착 상태는 어떻게 예방하나요?\n"
    "\t- 자원을 항상 같은 순서로 요청하면 순환 대기가 생기지 않습니다.\n"
)
KO_SHOWN = (
    "프로세스와 스레드의 차이는 무엇인가요?",
    "자원을 항상 같은 순서로 요청하면 순환 대기가 생기지 않습니다.",
    "notes.md:7",  # line numbers survive the decoding and the line endings
)
# Not UTF-8, not CP949 (0x80 and 0xFF never lead a CP949 character), and rejected by the detector.
UNDECODABLE = b"# t\n\n" + b"\xff\x80\xfe\x80 abc \x80\x80\xff\n" * 5
GOOD = "# 좋은 노트\n\nQ: 좋은 질문은 무엇인가요?\nA: 좋은 답입니다.\n"

HOSTILE = """# 보안 점검

## Q&A

- <script>alert(1)</script> 스크립트는 실행되나요?
\t- 답변 <script>alert(2)</script> 끝.
\t- <iframe src="https://evil.example/"></iframe> 프레임
\t- <img src=x onerror=alert(3)> 이미지
\t- <a href="javascript:alert(4)">raw</a>
\t- [js](javascript:alert(5)) [b64](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox(7))
\t- <style>.answer{display:none}</style>
\t- <svg onload=alert(8)>
\t- &lt;script&gt;alert(9)&lt;/script&gt; 는 글자입니다.
\t- ![img](javascript:alert(10)) <javascript:alert(11)> [ok](https://example.com)
- &lt;script&gt; 엔티티 질문인가요? <b onclick="x()">굵게</b>
\t- 네.
"""
HOSTILE_SHOWN = (
    "<script>alert(1)</script> 스크립트는 실행되나요?",
    "<script>alert(2)</script>",
    '<iframe src="https://evil.example/"></iframe>',
    "[js](javascript:alert(5))",
    "(data:text/html;base64,PHNjcmlwdD4=)",
    "(vbscript:msgbox(7))",
    "<style>.answer{display:none}</style>",
    "<svg onload=alert(8)>",
    "<script>alert(9)</script> 는 글자입니다.",
    "<script> 엔티티 질문인가요? 굵게",  # <b onclick=…> is layout: bold, without its handler
)


def png(marker: bytes = b"") -> bytes:
    """A valid 1×1 PNG; `marker` goes into a text chunk so each image has its own bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"tEXt", b"Comment\x00" + marker)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    )  # fmt: skip


def image_notes(*refs: str) -> str:
    """One Q&A whose answer shows the given image references."""
    pictures = "\n".join(f"\t- 그림: ![그림{i}]({ref})" for i, ref in enumerate(refs))
    return f"# 그림 노트\n\n## Q&A\n\n- 그림이 있는 질문인가요?\n{pictures}\n\t- 끝.\n"


def outside(root: Path) -> Path:
    """A private file beside (not inside) the notes folder."""
    target = root / "outside.png"
    target.write_bytes(png(SECRET))
    return target


def symlink_out(root: Path) -> None:
    (root / "notes" / "link.png").symlink_to(outside(root))


def absolute_ref(root: Path) -> None:
    notes = image_notes("a.png", str(outside(root)))
    (root / "notes" / "notes.md").write_text(notes, encoding="utf-8")


def nested(depth: int) -> str:
    items = "".join("  " * i + f"- 항목 {i} 은 무엇인가요?\n" for i in range(depth))
    return "# 깊은 목록\n\n## Q&A\n\n" + items


@dataclass
class Case:
    files: dict[str, str | bytes]  # relative to the notes folder
    code: int = 0
    lines: tuple[str, ...] = ()  # regexes, each matching a whole line of the output
    shown: tuple[str, ...] = ()  # text a reader sees in the imported cards
    args: tuple[str, ...] = ()
    check_code: int | None = None  # `check` exit status, when it differs from build's
    written: bool | None = None  # deck written (default: when the build succeeds)
    setup: Callable[[Path], object] | None = None  # gets the working folder
    media: int | None = None  # media files in the collection after import


def korean(data: bytes, *args: str) -> Case:
    """The Korean notes, encoded somehow: the cards must show them intact."""
    return Case({"notes.md": data}, args=args, shown=KO_SHOWN)


# fmt: off
REFUSED = r"^notes/notes\.md:5: error: refused image outside the notes folder.*: {}"
CASES = {
    "utf8-bom": korean(codecs.BOM_UTF8 + KO.encode()),
    "utf16-le-bom": korean(codecs.BOM_UTF16_LE + KO.encode("utf-16-le")),
    "utf16-be-bom": korean(codecs.BOM_UTF16_BE + KO.encode("utf-16-be")),
    "crlf": korean(KO.replace("\n", "\r\n").encode()),
    "lone-cr": korean(KO.replace("\n", "\r").encode()),
    "cp949-detected": korean(KO.encode("cp949")),
    "cp949-option": korean(KO.encode("cp949"), "--encoding", "cp949"),
    "undecodable": Case(
        {"notes.md": UNDECODABLE}, 1, (r"^notes/notes\.md: error: .*UTF-8.*--encoding.*",)
    ),
    "undecodable-as-cp949": Case(
        {"notes.md": UNDECODABLE}, 1, (r"^notes/notes\.md: error: cannot decode as cp949.*",),
        args=("--encoding", "cp949"),
    ),
    "unknown-encoding": Case(
        {"notes.md": GOOD}, 1, (r"^notes/notes\.md: error: .*no-such-codec.*",),
        args=("--encoding", "no-such-codec"),
    ),
    "binary-png": Case({"notes.md": png()}, 1, (r"^notes/notes\.md: error: .*binary.*",)),
    "binary-nul": Case(
        {"notes.md": b"# a\n\nQ: \x00\x00?\nA: b\n"}, 1, (r"^notes/notes\.md: error: .*binary.*",)
    ),
    "html-and-links": Case({"notes.md": HOSTILE}, shown=HOSTILE_SHOWN),
    "control-characters": Case(  # U+001F is Anki's field separator inside the collection
        {"notes.md": "# 제어 문자\n\nQ: 구분자\x1f질문\x07인가요?\nA: 답\x1f입니다\x1b.\n"},
        shown=("질문", "입니다"),
    ),
    "image-local": Case(
        {"notes.md": image_notes("a.png", "img/b.png", "a.png"), "a.png": png(b"a"),
         "img/b.png": png(b"b")},
        shown=("그림이 있는 질문인가요?",), media=2,
    ),
    "image-missing": Case(
        {"notes.md": image_notes("missing.png")},
        lines=(r"^notes/notes\.md:5: warning: image file not found: missing\.png.*",),
        shown=("[그림0]",), media=0,
    ),
    "image-remote": Case(
        {"notes.md": image_notes("https://example.com/a.png")},
        lines=(r"^notes/notes\.md:5: warning: remote image .*https://example\.com/a\.png.*",),
        shown=("[그림0]",), media=0,
    ),
    "image-dotdot": Case(
        {"notes.md": image_notes("../outside.png")}, 1, (REFUSED.format(r"\.\./outside\.png"),),
        setup=outside,
    ),
    "image-absolute": Case(
        {"a.png": png(b"a")}, 1, (REFUSED.format("/.*outside\\.png"),), setup=absolute_ref
    ),
    "image-symlink-out": Case(
        {"notes.md": image_notes("link.png")}, 1, (REFUSED.format(r"link\.png"),),
        setup=symlink_out,
    ),
    "image-dotdot-keep-going": Case(
        {"notes.md": image_notes("a.png", "../outside.png"), "a.png": png(b"a")}, 1,
        (REFUSED.format(r"\.\./outside\.png"),), args=("--keep-going",), written=True,
        setup=outside, shown=("[그림1]",), media=1,
    ),
    "image-absolute-keep-going": Case(
        {"a.png": png(b"a")}, 1, (REFUSED.format("/.*outside\\.png"),), args=("--keep-going",),
        written=True, setup=absolute_ref, shown=("[그림1]",), media=1,
    ),
    "image-symlink-keep-going": Case(
        {"notes.md": image_notes("a.png", "link.png"), "a.png": png(b"a")}, 1,
        (REFUSED.format(r"link\.png"),), args=("--keep-going",), written=True,
        setup=symlink_out, shown=("[그림1]",), media=1,
    ),
    "nested-3000": Case({"notes.md": nested(3000)}, shown=("항목 0 은 무엇인가요?",)),
    "line-3mb": Case(
        {"notes.md": GOOD + "\n" + "가" * 3_000_000 + "\n"},
        lines=(r"^notes/notes\.md:6: warning: line of 3,000,000 characters skipped.*",),
        shown=("좋은 답입니다.",),
    ),
    "empty-file": Case(
        {"notes.md": ""}, 1, (r"^notes/notes\.md: warning: empty file.*", r"^notes: error: .*"),
        check_code=0,
    ),
    "headings-only": Case(
        {"notes.md": "# 하나\n## 둘\n### 셋\n"}, 1, (r"^notes: error: no questions.*",),
        check_code=0,
    ),
    "unclosed-markup": Case(
        {"notes.md": "# 닫히지 않음\n\nQ: **굵게 `코드 [링크(시작인가요?\n"
         "A: *기울임 `미완 [x](http://a\n\n```python\nprint('열린 펜스')\n"},
        shown=("굵게 `코드 [링크(시작인가요?", "기울임"),
    ),
    "no-answer": Case(
        {"notes.md": GOOD + "\nQ: 답이 없는 질문인가요?\n"},
        lines=(r"^notes/notes\.md:6: warning: .*no answer.*",), shown=("좋은 답입니다.",),
    ),
    "no-answer-strict": Case(
        {"notes.md": GOOD + "\nQ: 답이 없는 질문인가요?\n"}, 1,
        (r"^notes/notes\.md:6: error: .*no answer.*",), args=("--strict",),
    ),
    "keep-going-bad-file": Case(
        {"bad.md": UNDECODABLE, "good.md": GOOD}, 1, (r"^notes/bad\.md: error: .*--encoding.*",),
        args=("--keep-going",), written=True, shown=("좋은 질문은 무엇인가요?",),
    ),
}
# fmt: on


@pytest.fixture(scope="module")
def previous_deck(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real deck built earlier: a failed build must leave them alone."""
    folder = tmp_path_factory.mktemp("previous")
    (folder / "old.md").write_text(GOOD, encoding="utf-8")
    out = folder / "deck.apkg"
    result = CliRunner().invoke(main, ["build", str(folder / "old.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def assert_clean_output(result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for line in result.output.splitlines():
        if line.strip() and not SUMMARY_LINE.match(line):
            assert PROBLEM.match(line), f"not in the one error format: {line!r}"


def zip_has_secret(apkg: Path) -> bool:
    with zipfile.ZipFile(apkg) as archive:
        return any(SECRET in archive.read(name) for name in archive.namelist())


def imported_fields(tmp_path: Path, apkg: Path) -> tuple[list[str], list[str]]:
    """Every field of every note after a real Anki import, and the collection's media files."""
    (tmp_path / "anki").mkdir(exist_ok=True)
    col, _ = import_apkg(apkg, tmp_path / "anki" / "collection.anki2")
    try:
        fields = [f for nid in col.find_notes("") for f in col.get_note(nid).fields]
        return fields, sorted(os.listdir(col.media.dir()))
    finally:
        col.close()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_input(case: Case, workdir: Path, runner: CliRunner, previous_deck: bytes) -> None:
    notes = workdir / "notes"
    notes.mkdir()
    for name, content in case.files.items():
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        (notes / name).write_bytes(data)
    if case.setup:
        case.setup(workdir)
    out = workdir / "deck.apkg"
    out.write_bytes(previous_deck)

    result = runner.invoke(main, ["build", "notes", "-o", "deck.apkg", *case.args])
    assert_clean_output(result, case.code)
    for pattern in case.lines:
        assert any(re.match(pattern, line) for line in result.output.splitlines()), (
            f"no line matches {pattern!r}:\n{result.output}"
        )
    assert not list(workdir.glob(".deck.apkg.*")), "temporary file left behind"
    written = case.code == 0 if case.written is None else case.written
    if not written:
        assert out.read_bytes() == previous_deck
    else:
        assert out.read_bytes() != previous_deck
        assert not zip_has_secret(out)
        fields, media = imported_fields(workdir, out)
        for field in fields:
            assert live_html_problems(field) == [], field
        shown = "\n".join(visible_text(f) for f in fields)
        for text in case.shown:
            assert text in shown
        if case.media is not None:
            assert len(media) == case.media and all(re.match(r"fc-\w+\.png$", m) for m in media)
            for name in media:
                assert any(f'<img src="{name}"' in field for field in fields)

    check_args = [a for a in case.args if a != "--keep-going"]
    checked = runner.invoke(main, ["check", "notes", *check_args])
    expected = case.code if case.check_code is None else case.check_code
    assert_clean_output(checked, expected)


def test_a_failed_build_leaves_deck_and_identity_file_alone(workdir, runner):
    notes = workdir / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(KO, encoding="utf-8")
    assert runner.invoke(main, ["build", "notes", "-o", "deck.apkg"]).exit_code == 0
    deck, ids = (workdir / "deck.apkg").read_bytes(), (notes / "flashcards-ids.jsonl").read_bytes()

    (notes / "a.md").write_text(KO + "\n- 새 질문은 무엇인가요?\n\t- 새 답.\n", encoding="utf-8")
    (notes / "b.md").write_bytes(UNDECODABLE)
    result = runner.invoke(main, ["build", "notes", "-o", "deck.apkg"])
    assert_clean_output(result, 1)
    assert (workdir / "deck.apkg").read_bytes() == deck
    assert (notes / "flashcards-ids.jsonl").read_bytes() == ids


def test_output_path_that_is_a_folder_is_refused(workdir, runner):
    """Like any output that is not ours (tests/test_output_guard.py): one line, exit 1."""
    (workdir / "a.md").write_text(GOOD, encoding="utf-8")
    (workdir / "out.apkg").mkdir()
    result = runner.invoke(main, ["build", "a.md", "-o", "out.apkg"])
    assert_clean_output(result, 1)
    assert "out.apkg: error: refusing to replace a folder" in result.stderr


def test_default_output_that_is_a_folder(workdir, runner):
    (workdir / "a.md").write_text(GOOD, encoding="utf-8")
    (workdir / "build" / "좋은-노트.apkg").mkdir(parents=True)
    result = runner.invoke(main, ["build", "a.md"])
    assert_clean_output(result, 1)
    assert "build/좋은-노트.apkg" in result.output


def test_output_folder_that_is_a_file(workdir, runner):
    (workdir / "a.md").write_text(GOOD, encoding="utf-8")
    (workdir / "decks").write_text("not a folder", encoding="utf-8")
    result = runner.invoke(main, ["build", "a.md", "-o", "decks/deck.apkg"])
    assert_clean_output(result, 1)
    assert (workdir / "decks").read_text(encoding="utf-8") == "not a folder"
    assert "decks" in result.output


def test_unwritable_output_folder(workdir, runner):
    (workdir / "a.md").write_text(GOOD, encoding="utf-8")
    locked = workdir / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = runner.invoke(main, ["build", "a.md", "-o", "locked/deck.apkg"])
        if result.exit_code == 0 and os.geteuid() == 0:
            pytest.skip("running as root: the folder is writable anyway")
        assert_clean_output(result, 1)
        assert "locked/deck.apkg" in result.output
        assert not (locked / "deck.apkg").exists()
    finally:
        locked.chmod(0o700)


def test_twenty_thousand_questions_build_in_reasonable_time(tmp_path):
    """20,000 questions in one file: every one becomes a note, and the build does not hang.

    Run in a subprocess so a hang fails the test after the time limit instead of stalling it."""
    notes = tmp_path / "notes"
    notes.mkdir()
    body = "".join(f"Q: 질문 번호 {i} 은 무엇인가요?\nA: 답 {i}.\n\n" for i in range(20_000))
    (notes / "many.md").write_text("# 많은 질문\n\n" + body, encoding="utf-8")
    command = [sys.executable, "-c", "from flashcards.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "build", "notes", "-o", "deck.apkg"], cwd=tmp_path, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the build and any workers it started
        process.communicate()
        pytest.fail("building 20,000 questions took more than 90 s")
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "20000 notes, 20000 cards" in stdout
    fields, _ = imported_fields(tmp_path, tmp_path / "deck.apkg")
    questions = fields[::7]  # the Q&A note type has 7 fields, Question first
    assert len(questions) == 20_000
    assert {"질문 번호 0 은 무엇인가요?", "질문 번호 19999 은 무엇인가요?"} <= set(questions)
