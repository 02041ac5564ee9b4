"""The `flashcards` command, run in-process with click's CliRunner, in a scratch folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED_DECK, SUMMARY, copy_fixture

from flashcards import __version__
from flashcards.cli import main

COMMANDS = ["build", "extract", "check", "preview", "watch"]


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage:")
    for command in COMMANDS:
        assert command in result.stdout
    assert runner.invoke(main, ["-h"]).stdout == result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {command} [OPTIONS] [PATHS]...")
    assert "PATHS" in result.stdout and "--encoding" in result.stdout


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"flashcards, version {__version__}\n"


def test_build_defaults_to_source_and_build_folder(runner, seed):
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    out = Path("build/source.apkg")
    assert out.is_file() and out.stat().st_size > 0
    summary = SUMMARY.search(result.stdout)
    assert summary is not None, result.stdout
    assert summary["verb"] == "wrote" and summary["out"] == "build/source.apkg"
    assert (summary["decks"], summary["warnings"], summary["errors"]) == ("1", "1", None)
    extracted = json.loads(runner.invoke(main, ["extract", "--format", "json"]).stdout)
    assert int(summary["notes"]) == len(extracted["notes"])
    assert int(summary["cards"]) >= len(extracted["notes"])
    qa = [n for n in extracted["notes"] if n["kind"] == "qa"]
    assert len(qa) + sum(len(n["merged_from"]) for n in qa) == 34  # every question written up
    assert "source/week07-masterclass-qa.md:199: warning:" in result.stderr


def test_build_of_one_file_is_named_after_its_deck(runner, seed):
    result = runner.invoke(main, ["build", str(seed)])
    assert result.exit_code == 0, result.output
    [out] = Path("build").glob("*.apkg")
    assert "마스터클래스" in out.name and out.name.endswith("03.12.apkg")
    assert f"wrote {out.as_posix()}:" in result.stdout


def test_build_to_a_chosen_output(runner, seed):
    result = runner.invoke(main, ["build", "source", "-o", "decks/week7.apkg"])
    assert result.exit_code == 0, result.output
    assert Path("decks/week7.apkg").is_file()
    assert not Path("build").exists()
    assert SUMMARY.search(result.stdout)["out"] == "decks/week7.apkg"


def test_extract_json_has_the_documented_shape(runner, seed):
    result = runner.invoke(main, ["extract", "source", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"notes", "diagnostics"}
    for note in data["notes"]:
        assert {"kind", "guid", "deck", "tags", "source"} <= set(note)
        assert note["deck"] == SEED_DECK and note["guid"]
        assert set(note["source"]) == {"path", "line"}
        assert note["source"]["path"] == "source/week07-masterclass-qa.md"
    first = next(n for n in data["notes"] if n["kind"] == "qa")
    assert first["source"]["line"] == 7
    assert first["question"].startswith("마스터님은 다양한 경험을")
    assert first["answer"].startswith("- 학부때 공부는")
    assert "source::week07-masterclass-qa" in first["tags"]
    [diagnostic] = [d for d in data["diagnostics"] if d["severity"] != "info"]
    assert diagnostic == {
        "severity": "warning",
        "code": "no-answer",
        "path": "source/week07-masterclass-qa.md",
        "line": 199,
        "message": diagnostic["message"],
    }
    assert "못적었습니다" in diagnostic["message"]


def test_extract_text_format_lists_path_line_and_question(runner, seed):
    result = runner.invoke(main, ["extract", "source", "--format", "text"])
    assert result.exit_code == 0
    assert "source/week07-masterclass-qa.md:7: qa: 마스터님은" in result.stdout


def test_check_with_only_warnings_exits_0(runner, seed):
    result = runner.invoke(main, ["check", "source"])
    assert result.exit_code == 0
    [line] = [line for line in lines(result.stdout) if ": info: " not in line]
    assert line.startswith("source/week07-masterclass-qa.md:199: warning: ")
    assert "못적었습니다" in line


def test_check_says_why_questions_were_merged_only_when_asked(runner, seed):
    quiet = runner.invoke(main, ["check", "source"])
    verbose = runner.invoke(main, ["check", "-v", "source"])
    assert "[merged]" not in quiet.stdout
    merges = [line for line in lines(verbose.stdout) if line.endswith("[merged]")]
    assert len(merges) == 13  # the second write-up's questions, each merged into the first's
    assert all("same question as line" in line and "alike" in line for line in merges)


def test_check_with_errors_exits_1(runner, workdir):
    copy_fixture("numbered.md", workdir / "notes")
    (workdir / "notes" / "bad.md").write_text('---\ndeck: ""\n---\n# T\n\nQ: 질문?\nA: 답\n')
    result = runner.invoke(main, ["check", "notes"])
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert any(line.startswith("notes/bad.md:") and ": error: " in line for line in out)
    assert any(line.startswith("notes/numbered.md:11: warning: ") for line in out)


def test_check_strict_turns_warnings_into_errors(runner, seed):
    result = runner.invoke(main, ["check", "--strict", "source"])
    assert result.exit_code == 1
    assert "source/week07-masterclass-qa.md:199: error: " in result.stdout


@pytest.mark.parametrize("args", [["build"], ["check"], ["extract", "--format", "text"]])
def test_missing_path_is_one_line_and_exit_1(runner, workdir, args):
    result = runner.invoke(main, [*args, "no-such-notes.md"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    problems = [line for line in lines(result.output) if ": error:" in line]
    assert problems == ["no-such-notes.md: error: no such file or folder [not-found]"]
    assert not Path("build").exists()


def test_missing_path_in_json_extract_is_a_diagnostic(runner, workdir):
    result = runner.invoke(main, ["extract", "no-such-notes.md"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["notes"] == []
    assert [(d["severity"], d["path"], d["code"]) for d in data["diagnostics"]] == [
        ("error", "no-such-notes.md", "not-found")
    ]


@pytest.mark.parametrize("args", [["--bogus"], ["build", "--bogus"], ["check", "--nope", "x"]])
def test_unknown_option_is_a_usage_error(runner, args):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_unknown_extract_format_is_a_usage_error(runner):
    assert runner.invoke(main, ["extract", "--format", "xml", "x.md"]).exit_code == 2


def test_failed_build_leaves_the_previous_deck_byte_identical(runner, seed):
    first = runner.invoke(main, ["build", "source", "-o", "out.apkg"])
    assert first.exit_code == 0, first.output
    before = Path("out.apkg").read_bytes()
    Path("source/broken.md").write_text('---\ndeck: ""\n---\n# T\n\nQ: 질문?\nA: 답\n')
    second = runner.invoke(main, ["build", "source", "-o", "out.apkg"])
    assert second.exit_code == 1
    assert SUMMARY.search(second.stdout)["verb"] == "did not write"
    assert "source/broken.md:" in second.stderr and ": error: " in second.stderr
    assert Path("out.apkg").read_bytes() == before
    assert [p.name for p in Path(".").glob("*.apkg*")] == ["out.apkg"]  # no stray temp file


def test_strict_build_with_a_warning_writes_nothing(runner, seed):
    result = runner.invoke(main, ["build", "source", "--strict", "-o", "out.apkg"])
    assert result.exit_code == 1
    assert not Path("out.apkg").exists()


def test_build_of_notes_without_questions_fails_without_writing(runner, workdir):
    (workdir / "notes").mkdir()
    (workdir / "notes" / "diary.md").write_text(  # no questions, no technical terms
        "# 회고\n\n오늘은 발표를 준비했다.\n\n- 다음 주에 다시 모이기로 함\n\t- 장소는 미정\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["build", "notes", "-o", "out.apkg"])
    assert result.exit_code == 1
    assert not Path("out.apkg").exists()
    assert "no questions or terms found" in result.output
