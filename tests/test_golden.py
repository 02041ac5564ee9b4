"""Golden fixtures: each note file in tests/fixtures/ beside what `flashcards extract --format
json` makes of it (NAME.expected.json), so that any change in what becomes a card shows up as a
diff in review. After an intended change, write them again and read the diff:

    make golden
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from flashcards.cli import main

NOTES = sorted(FIXTURES.glob("*.md"))


def expected_path(notes: Path) -> Path:
    return notes.with_name(notes.stem + ".expected.json")


def test_every_golden_file_has_its_note_file() -> None:
    stale = [
        p.name
        for p in FIXTURES.glob("*.expected.json")
        if not p.name.startswith(tuple(n.stem + "." for n in NOTES))
    ]
    assert stale == []


@pytest.mark.parametrize("notes", NOTES, ids=[p.name for p in NOTES])
def test_extract_gives_the_golden_output(
    notes: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(FIXTURES)  # paths in the output as the fixture's own name
    result = CliRunner().invoke(main, ["extract", notes.name, "--format", "json"])
    assert result.exit_code in (0, 1), result.output  # 1: the file has errors, also golden
    golden = expected_path(notes)
    if request.config.getoption("--update-golden"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.is_file(), f"no {golden.name}: run `make golden`"
    assert result.stdout == golden.read_text(encoding="utf-8")
