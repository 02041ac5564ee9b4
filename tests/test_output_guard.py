"""Never overwrite what is not ours: `build -o` and `preview -o` refuse to replace a file this
tool did not write (a collection, a text file, a folder), with one line naming it, exit 1, and
the file untouched; a package or page it wrote is replaced as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ankiutil import write_notes

from flashcards.cli import main
from flashcards.package import is_our_package

NOTES = "# Fruit\n\n### What is an apple?\n\nA fruit.\n"


def collection(path: Path) -> Path:
    """An Anki collection, as Anki itself makes one."""
    from anki.collection import Collection

    Collection(str(path)).close()
    return path


def text_file(path: Path) -> Path:
    path.write_text("my own notes\n", encoding="utf-8")
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    (path / "inside.txt").write_text("keep me", encoding="utf-8")
    return path


def snapshot(path: Path) -> object:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir()}
    return path.read_bytes()


@pytest.mark.parametrize("command", ["build", "preview"])
@pytest.mark.parametrize(
    ("make", "name", "said"),
    [
        (collection, "my.anki2", "an SQLite database"),
        (text_file, "deck.apkg", "a file"),
        (folder, "out", "a folder"),
    ],
)
def test_an_output_that_is_not_ours_is_refused(runner, workdir, command, make, name, said):
    write_notes(workdir, "notes/a.md", NOTES)
    target = make(workdir / name)
    before = snapshot(target)
    result = runner.invoke(main, [command, "notes", "-o", name])
    assert result.exit_code == 1, result.output
    refused = [line for line in result.stderr.splitlines() if "[not-ours]" in line]
    assert len(refused) == 1
    assert refused[0].startswith(f"{name}: error: refusing to replace {said}")
    assert snapshot(target) == before
    assert not list(workdir.glob(f".{name}.*.tmp"))


def test_a_package_we_wrote_is_replaced(runner, workdir):
    write_notes(workdir, "notes/a.md", NOTES)
    for _ in range(2):
        result = runner.invoke(main, ["build", "notes", "-o", "deck.apkg"])
        assert result.exit_code == 0, result.output
    assert is_our_package(workdir / "deck.apkg")


def test_a_page_we_wrote_is_replaced_and_an_empty_file_is_not_anyones(runner, workdir):
    write_notes(workdir, "notes/a.md", NOTES)
    (workdir / "page.html").touch()
    for _ in range(2):
        result = runner.invoke(main, ["preview", "notes", "-o", "page.html"])
        assert result.exit_code == 0, result.output


def test_a_zip_or_package_holding_other_note_types_is_not_ours(tmp_path):
    import zipfile

    database = tmp_path / "collection.anki2"
    conn = sqlite3.connect(database)
    conn.execute("CREATE TABLE col (models TEXT)")
    conn.execute("""INSERT INTO col VALUES ('{"1843700001": {}, "1600000000": {}}')""")
    conn.commit()
    conn.close()
    package = tmp_path / "export.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(database, "collection.anki2")
    assert not is_our_package(package)
    (tmp_path / "plain.zip").write_bytes(b"PK\x03\x04 not really")
    assert not is_our_package(tmp_path / "plain.zip")
