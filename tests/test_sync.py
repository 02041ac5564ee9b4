"""`flashcards sync`, against a real collection file (the `anki` package) and against a running
Anki through AnkiConnect — here tests/ankiconnect_server.py, AnkiConnect's protocol (version 6)
answered by a real collection, since Anki's desktop app cannot run in CI.

AnkiConnect's requests and answers as its own documentation gives them (FooSoft/anki-connect,
README.md "Sample Invocation": `{"action", "version", "params", "key"?}` → `{"result",
"error"}`; actions/miscellaneous.md: `version`, `importPackage` (`{"path"}` → `true`);
actions/notes.md: `findNotes` (`{"query"}` → note ids), `notesInfo` (`{"notes"}` → `noteId`,
`modelName`, `tags`, `fields` as `{name: {"value", "order"}}`, `cards`), `addTags`
(`{"notes", "tags"}` → null), `deleteNotes` (`{"notes"}` → null); actions/decks.md:
`getDecks` (`{"cards"}` → `{deck: [card ids]}`), `changeDeck` (`{"cards", "deck"}` → null)).

One scenario runs through both targets with the real CLI: first sync, a review, the user's
own tag and field edit inside Anki, an edit and an addition in the notes, a removal kept and
then deleted (a user's own notes never), a deck change, a dry run.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from ankiconnect_server import AnkiConnectServer
from ankiutil import review, scheduling
from click.testing import CliRunner

from flashcards.cli import main
from flashcards.identity import IDENTITY_FILE, REMOVED_TAG
from flashcards.package import QA_MODEL_ID
from flashcards.sync import AnkiConnectTarget, CollectionTarget, sync

SUMMARY = re.compile(
    r"^(?P<verb>synced|would sync|did not sync) .+?: (?P<added>\d+) added, (?P<updated>\d+) "
    r"updated, (?P<moved>\d+) moved, (?P<deleted>\d+) deleted, (?P<unchanged>\d+) unchanged, "
    r"(?P<kept>\d+) removed but kept$",
    re.MULTILINE,
)

HEAD = "---\ndeck: {deck}\ntags: [biology]\n---\n# Cells and molecules\n\n"
DIVIDE = "## Why do cells divide?\n\nTo grow, to repair tissue and to reproduce.\n\n"
RIBOSOME = (
    "## How does a ribosome build a protein?\n\n"
    "It reads messenger RNA three bases at a time and joins amino acids in that order.\n\n"
)
WATER = (
    "## Why is water a good solvent?\n\n"
    "Its molecules are polar, so they surround charged particles and pull them apart.\n\n"
)
MITOSIS = "## What happens in mitosis?\n\nOne nucleus divides into two identical nuclei.\n\n"


def notes_text(*questions: str, deck: str = "Biology::Week 1") -> str:
    return HEAD.format(deck=deck) + "".join(questions)


@dataclass
class Side:
    """One target of the scenario: how the CLI names it, and its collection to look into."""

    args: list[str]
    path: Path
    server: AnkiConnectServer | None

    @contextmanager
    def collection(self) -> Iterator[Collection]:
        if self.server is not None:
            with self.server.lock:
                yield self.server.col
            return
        col = Collection(str(self.path))
        try:
            yield col
        finally:
            col.close()


@pytest.fixture(params=["collection", "ankiconnect"])
def side(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Side]:
    path = tmp_path / "anki" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    if request.param == "collection":
        yield Side(["--collection", str(path)], path, None)
        return
    server = AnkiConnectServer(path)
    try:
        yield Side(["--anki-connect", server.url], path, server)
    finally:
        server.close()


def run(folder: Path, side: Side, *options: str) -> tuple[re.Match[str], str]:
    out = folder.parent / "build" / "deck.apkg"
    args = ["sync", str(folder), *side.args, "-o", str(out), "-v", *options]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = SUMMARY.search(result.stdout)
    assert summary is not None, result.output
    return summary, result.output


def counts(summary: re.Match[str]) -> dict[str, int]:
    return {k: int(v) for k, v in summary.groupdict().items() if k != "verb"}


def ours(col: Collection) -> dict[str, tuple[int, list[str], list[str]]]:
    """Question → (note id, fields, tags) of every Q&A note but those in the user's deck."""
    rows = col.db.all(
        "select id, flds, tags from notes where mid = ? and id not in (select nid from cards "
        "where did = ?)", QA_MODEL_ID, col.decks.id("Mine"))  # fmt: skip
    return {f.split("\x1f")[0]: (nid, f.split("\x1f"), t.split()) for nid, f, t in rows}


def decks_of(col: Collection, nid: int) -> set[str]:
    return {col.decks.name(col.get_card(cid).did) for cid in col.card_ids_of_note(nid)}


def test_a_collection_kept_up_to_date(tmp_path: Path, side: Side) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    notes = folder / "week1.md"
    notes.write_text(notes_text(DIVIDE, RIBOSOME, WATER), encoding="utf-8")

    summary, _ = run(folder, side)
    assert counts(summary) == dict.fromkeys(counts(summary), 0) | {"added": 3}
    if side.server is not None:  # the package travels in the request: Anki may not see our disk
        assert {"storeMediaFile", "importPackage", "deleteMediaFile"} <= set(side.server.calls)
        assert not (Path(side.server.col.media.dir()) / "_flashcards-sync.apkg").exists()
    with side.collection() as col:
        found = ours(col)
        assert len(found) == 3
        divide = found["Why do cells divide?"][0]
        ribosome = found["How does a ribosome build a protein?"][0]
        water = found["Why is water a good solvent?"][0]
        review(col, [nid for nid, _, _ in found.values()])
        reviewed = scheduling(col)
        revlog = col.db.all("select * from revlog order by id")
        # The user's own tag on one note, their own edit of another, their own notes.
        col.tags.bulk_add([divide], "exam")
        note = col.get_note(ribosome)
        note.fields[1] = "my own words"
        col.update_note(note)
        basic = col.new_note(col.models.by_name("Basic"))
        basic.fields[0] = "Why do cells divide?"
        col.add_note(basic, col.decks.id("Mine"))
        stray = col.new_note(col.models.get(QA_MODEL_ID))  # our note type, a GUID we never made
        stray.fields[0] = "A question of my own"
        col.add_note(stray, col.decks.id("Mine"))
        twin = col.new_note(col.models.get(QA_MODEL_ID))  # a copy the user made of one of ours
        twin.fields[0] = "Why is water a good solvent?"
        twin.fields[1] = "Because it is wet."
        col.add_note(twin, col.decks.id("Mine"))

    # An edit and an addition in the notes, made after the user's edits in Anki: Anki updates a
    # note only from a newer copy, and mod times are seconds — within the same second the user's
    # tag would make their copy as new as the edited one.
    start = int(time.time())
    while int(time.time()) == start:
        time.sleep(0.05)
    edited = DIVIDE.replace("reproduce", "reproduce (asexually)")
    notes.write_text(notes_text(edited, RIBOSOME, WATER, MITOSIS), encoding="utf-8")
    summary, output = run(folder, side)
    assert counts(summary) == dict.fromkeys(counts(summary), 0) | {
        "added": 1, "updated": 1, "unchanged": 2
    }, output  # fmt: skip
    assert "added: What happens in mitosis?" in output
    with side.collection() as col:
        found = ours(col)
        assert "reproduce (asexually)" in found["Why do cells divide?"][1][1]
        assert "exam" in found["Why do cells divide?"][2]  # the user's tag survived the update
        assert found["How does a ribosome build a protein?"][1][1] == "my own words"
        assert scheduling(col) == reviewed
        assert col.db.all("select * from revlog order by id") == revlog

    # A question removed from the notes: listed and kept, then deleted when asked.
    notes.write_text(notes_text(edited, RIBOSOME, MITOSIS), encoding="utf-8")
    summary, output = run(folder, side)
    assert counts(summary)["kept"] == 1 and counts(summary)["deleted"] == 0, output
    assert "kept in Anki: 'Why is water a good solvent?'" in output
    with side.collection() as col:
        assert REMOVED_TAG in ours(col)["Why is water a good solvent?"][2]
    summary, output = run(folder, side, "--delete-removed")
    assert counts(summary)["deleted"] == 1 and counts(summary)["kept"] == 0, output
    with side.collection() as col:
        found = ours(col)
        assert "Why is water a good solvent?" not in found
        assert water not in col.find_notes("")
        assert col.get_note(stray.id).fields[0] == "A question of my own"  # not a note we made
        assert col.get_note(twin.id).fields[1] == "Because it is wet."
        assert col.get_note(basic.id).fields[0] == "Why do cells divide?"
        assert scheduling(col) == {c: s for c, s in reviewed.items() if col.db.scalar(
            "select count() from cards where id = ?", c)}  # fmt: skip
    assert "solvent" not in (folder / IDENTITY_FILE).read_text(encoding="utf-8")
    summary, _ = run(folder, side, "--delete-removed")  # deleted for good: not back
    assert counts(summary) == dict.fromkeys(counts(summary), 0) | {"unchanged": 3}

    # A card the user moved to a deck of their own stays there, sync after sync.
    with side.collection() as col:
        mitosis = ours(col)["What happens in mitosis?"][0]
        col.set_deck(list(col.card_ids_of_note(mitosis)), col.decks.id("Exam prep"))
    summary, output = run(folder, side)
    assert counts(summary)["moved"] == 0, output

    # A deck changed in the notes: the cards follow it, with their reviews.
    notes.write_text(notes_text(edited, RIBOSOME, MITOSIS, deck="Biology::Cells"), "utf-8")
    summary, output = run(folder, side)
    assert counts(summary)["moved"] == 2, output
    with side.collection() as col:
        assert decks_of(col, mitosis) == {"Exam prep"}
        for nid, _, _ in ours(col).values():
            assert decks_of(col, nid) == {"Biology::Cells"} or nid == mitosis
        assert decks_of(col, stray.id) == {"Mine"}
        assert decks_of(col, basic.id) == decks_of(col, twin.id) == {"Mine"}
        assert col.get_card(col.card_ids_of_note(ribosome)[0]).ivl == reviewed[
            col.card_ids_of_note(ribosome)[0]][0]  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_dry_run_writes_nothing(tmp_path: Path, side: Side) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    notes = folder / "week1.md"
    notes.write_text(notes_text(DIVIDE, RIBOSOME), encoding="utf-8")
    run(folder, side)
    notes.write_text(notes_text(DIVIDE.replace("grow", "get bigger"), WATER), encoding="utf-8")
    ids = (folder / IDENTITY_FILE).read_bytes()
    package = tmp_path / "build" / "deck.apkg"
    package.unlink()
    with side.collection() as col:
        before = col.db.all("select id, guid, mod, tags, flds from notes order by id")
    summary, output = run(folder, side, "--dry-run", "--delete-removed")
    assert summary["verb"] == "would sync"
    assert counts(summary) == dict.fromkeys(counts(summary), 0) | {
        "added": 1, "updated": 1, "deleted": 1
    }, output  # fmt: skip
    assert (folder / IDENTITY_FILE).read_bytes() == ids
    assert not package.exists()
    with side.collection() as col:
        assert col.db.all("select id, guid, mod, tags, flds from notes order by id") == before
    if side.server is not None:
        dry = side.server.calls[side.server.calls.index("version", 1) :]
        assert not {"importPackage", "addTags", "changeDeck", "deleteNotes"} & set(dry)


_HOLD = """
import sys, time
from anki.collection import Collection
col = Collection(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
col.close()
"""


def test_a_collection_open_in_anki_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "week1.md").write_text(notes_text(DIVIDE), encoding="utf-8")
    path = tmp_path / "collection.anki2"
    Collection(str(path)).close()
    before = digest(path)
    anki = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert anki.stdout is not None and anki.stdout.readline().strip() == "open"
        result = CliRunner().invoke(main, ["sync", str(folder), "--collection", str(path)])
    finally:
        assert anki.stdin is not None
        anki.stdin.write("\n")
        anki.stdin.close()
        anki.wait(timeout=30)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert "open in Anki" in result.output
    assert digest(path) == before
    assert not (folder / IDENTITY_FILE).exists()  # nothing built either


def test_one_target_and_one_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sync", str(tmp_path)])
    assert result.exit_code == 2 and "--collection" in result.output


def test_a_missing_collection_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing.anki2"
    result = CliRunner().invoke(main, ["sync", str(tmp_path), "--collection", str(path)])
    assert result.exit_code == 1 and "no collection" in result.output
    assert not path.exists()


def test_what_is_not_a_collection_is_refused_untouched(tmp_path: Path) -> None:
    """A note, a package, another program's SQLite file, an empty file: never opened by Anki
    (which would write its schema into them), one line, no traceback."""
    import sqlite3

    folder = tmp_path / "notes"
    folder.mkdir()
    note = folder / "week1.md"
    note.write_text(notes_text(DIVIDE), encoding="utf-8")
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("create table x(a)")
    db.commit()
    db.close()
    empty = tmp_path / "empty.anki2"
    empty.touch()
    for path in (note, other, empty):
        before = path.read_bytes()
        result = CliRunner().invoke(main, ["sync", str(folder), "--collection", str(path)])
        assert result.exit_code == 1, result.output
        assert f"{path}: error: not an Anki collection" in result.output, result.output
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(
            result.exception, SystemExit)  # fmt: skip
        assert path.read_bytes() == before


def test_anki_connect_elsewhere_is_refused_unless_named(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "week1.md").write_text(notes_text(DIVIDE), encoding="utf-8")
    # 192.0.2.1 is TEST-NET-1: never reached, the refusal comes first.
    done = sync([folder], AnkiConnectTarget("http://192.0.2.1:8765"), now=1_700_000_000)
    assert [d.code for d in done.errors] == ["sync-target"]
    assert "not on this computer" in done.errors[0].message
    assert not (folder / IDENTITY_FILE).exists()
    assert AnkiConnectTarget("http://192.0.2.1:8765", allow_remote=True).allow_remote


def test_anki_connect_down(tmp_path: Path) -> None:
    server = AnkiConnectServer(tmp_path / "c.anki2")
    url = server.url
    server.close()  # nothing listens there any more
    result = CliRunner().invoke(main, ["sync", str(tmp_path), "--anki-connect", url])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert "cannot reach AnkiConnect" in result.output


def test_an_error_from_anki_connect(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "week1.md").write_text(notes_text(DIVIDE), encoding="utf-8")
    server = AnkiConnectServer(tmp_path / "c.anki2")
    server.failing["importPackage"] = "collection is not available"
    try:
        out = tmp_path / "deck.apkg"
        args = ["sync", str(folder), "--anki-connect", server.url, "-o", str(out)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        assert "AnkiConnect refused importPackage: collection is not available" in result.output
        assert server.col.note_count() == 0
    finally:
        server.close()


def test_the_core_for_watch(tmp_path: Path) -> None:
    """What `flashcards watch --sync` calls per rebuild."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "week1.md").write_text(notes_text(DIVIDE, WATER), encoding="utf-8")
    path = tmp_path / "collection.anki2"
    Collection(str(path)).close()
    out = tmp_path / "deck.apkg"
    first = sync([folder], CollectionTarget(path), now=1_700_000_000, out=out)
    assert not first.errors and first.synced and len(first.added) == 2
    assert first.summary().startswith(f"synced {path}: 2 added")
    again = sync([folder], CollectionTarget(path), now=1_700_000_100, out=out)
    assert again.unchanged == 2 and not again.added and not again.updated
    (folder / "week1.md").write_text(notes_text(DIVIDE), encoding="utf-8")
    asked: list[list[str]] = []

    def answer(yes: bool) -> Any:
        return lambda removed: asked.append([r.title for r in removed]) or yes

    kept = sync([folder], CollectionTarget(path), now=1_700_000_200, out=out,
                delete_removed=answer(False))  # fmt: skip
    assert [r.title for r in kept.kept] == ["Why is water a good solvent?"] and not kept.deleted
    gone = sync([folder], CollectionTarget(path), now=1_700_000_300, out=out,
                delete_removed=answer(True))  # fmt: skip
    assert [r.title for r in gone.deleted] == ["Why is water a good solvent?"]
    assert asked == [["Why is water a good solvent?"]] * 2
