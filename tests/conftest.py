"""Fixtures: the note fixtures, a scratch working folder, the CLI runner and real Anki imports."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ankiutil import import_apkg, write_notes
from click.testing import CliRunner

from flashcards.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "source" / "week07-masterclass-qa.md"
SEED_DECK = "Week 7 금요일 마스터클래스 - 오태현 교수님(03.12)"
SUMMARY = re.compile(
    r"^(?P<verb>wrote|would write|did not write) (?P<out>\S.*?): (?P<decks>\d+) decks?, "
    r"(?P<notes>\d+) notes?, (?P<cards>\d+) cards?, (?P<warnings>\d+) warnings?"
    r"(?:, (?P<errors>\d+) errors?)?$",
    re.MULTILINE,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Write the golden files of tests/test_golden.py from the current output.",
    )


@pytest.fixture(autouse=True, scope="session")
def _private_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds cache their work in the user's cache folder; keep the tests' out of it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder the test runs in (paths on cards are shown relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy a note fixture into a test's own folder: building writes files beside the notes."""
    dest.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(FIXTURES / name, dest / name))


@pytest.fixture
def seed(workdir: Path) -> Path:
    """The real seed notes, copied to ./source/ of the working folder."""
    target = workdir / "source" / SEED.name
    target.parent.mkdir()
    shutil.copyfile(SEED, target)
    return target


@pytest.fixture
def notes_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """`notes_file(name, text)` writes a note file in the test's tmp_path."""
    return lambda name, text: write_notes(tmp_path, name, text)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def build_deck(runner: CliRunner) -> Callable[..., tuple[Path, re.Match[str]]]:
    """Build a package with the real `flashcards build` command; return it and its summary."""

    def build(*paths: Path | str, out: Path | str = "deck.apkg") -> tuple[Path, re.Match[str]]:
        result = runner.invoke(main, ["build", *map(str, paths), "-o", str(out)])
        assert result.exit_code == 0, result.output
        summary = SUMMARY.search(result.stdout)
        assert summary is not None and summary["verb"] == "wrote", result.output
        return Path(out).resolve(), summary

    return build


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[Callable[..., tuple[Any, Any]]]:
    """`anki(apkg)` imports into a fresh collection in tmp_path; every collection is closed."""
    opened: list[Any] = []

    def open_and_import(apkg: Path, name: str = "collection.anki2") -> tuple[Any, Any]:
        col, response = import_apkg(apkg, tmp_path / "anki" / name)
        opened.append(col)
        return col, response

    (tmp_path / "anki").mkdir()
    yield open_and_import
    for col in opened:
        col.close()
