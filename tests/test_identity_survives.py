"""Identities survive what users do to their notes, checked with the real Anki importer (and
real git): renaming a file, merging two branches, inserting a question, changing a deck,
losing or damaging the identity file, and importing removed notes into a new collection.

Every case starts from the seed notes built, imported into a collection, partly reviewed, and
with one note edited inside Anki. After each case: no note twice, every review on the note it
was made on, and the in-Anki edit kept wherever that note did not change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from ankiutil import edit_in_anki, import_into, review, scheduling
from conftest import SEED

from flashcards.identity import IDENTITY_FILE, REMOVED_TAG
from flashcards.pipeline import build
from flashcards.report import BuildResult

BASE = int(time.time()) - 100_000  # every build's `now`: in the past, increasing by 100
QUESTION = "자율주행 자동차에서는 단순히 detection이 아닌"  # a question of the seed (line 124)
EDITED = "기업에서 자율주행에 대해 연구개발을"  # the note the user edits inside Anki
ANCHOR = "- 영상을 처리하는 문제에 있어"  # a question of the seed (line 152)


@dataclass
class Setup:
    notes: Path  # the notes folder (a git repository)
    out: Path  # the package every build writes
    col: Collection  # the user's collection, which imported the first build
    reviewed: dict[int, tuple[int, ...]]  # card id → scheduling, after the reviews
    revlog: list[Any]
    guids: dict[str, str]  # first field → GUID, of every note
    edited: int  # the note id edited inside Anki


def git(folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def run(setup: Setup, step: int, **options: Any) -> BuildResult:
    result = build([setup.notes], setup.out, now=BASE + 100 * step, **options)
    assert result.written, [d.format() for d in result.diagnostics]
    return result


def guids(col: Collection) -> dict[str, str]:
    rows = col.db.all("select guid, flds from notes")
    assert len({guid for guid, _ in rows}) == len(rows), "a GUID twice"
    first_fields = [flds.split("\x1f")[0] for _, flds in rows]
    assert len(set(first_fields)) == len(first_fields), "a note twice"
    return {flds.split("\x1f")[0]: guid for guid, flds in rows}


def nid_of(col: Collection, start: str) -> int:
    """The note whose question starts so."""
    (nid,) = col.find_notes(f'"Question:{start}*"')
    return int(nid)


def without_question(text: str, start: str) -> str:
    """The notes without the top-level question that starts so, and its answer."""
    lines = text.split("\n")
    begin = next(i for i, line in enumerate(lines) if line.startswith(f"- {start}"))
    end = next(i for i in range(begin + 1, len(lines)) if lines[i].startswith("- "))
    return "\n".join(lines[:begin] + lines[end:])


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copyfile(SEED, notes / SEED.name)
    shutil.copyfile(SEED.with_name("glossary.yaml"), notes / "glossary.yaml")
    git(notes, "init", "-q", "-b", "main")
    (notes / ".gitattributes").write_text(f"{IDENTITY_FILE} merge=union\n", "utf-8")
    out = tmp_path / "build" / "deck.apkg"
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        first = build([notes], out, now=BASE)
        assert first.written and first.changes.added == 59
        import_into(col, out)
        some = [int(nid) for nid in col.find_notes("")][::7]
        review(col, some)
        edited = nid_of(col, EDITED)
        edit_in_anki(col, edited, "my own answer", BASE + 50)
        git(notes, "add", "-A")
        git(notes, "commit", "-q", "-m", "first build")
        yield Setup(
            notes, out, col, scheduling(col), col.db.all("select * from revlog"),
            guids(col), edited,
        )  # fmt: skip
    finally:
        col.close()


def assert_history_kept(setup: Setup) -> None:
    """No note twice, and every review still on the card it was made on."""
    assert guids(setup.col)  # asserts no GUID and no note twice
    assert scheduling(setup.col) == setup.reviewed
    assert setup.col.db.all("select * from revlog") == setup.revlog


def edit_kept(setup: Setup) -> bool:
    return setup.col.get_note(setup.edited).fields[1] == "my own answer"


# --- 1. renaming a note file ----------------------------------------------------------------------
def test_a_renamed_file_keeps_every_identity(setup: Setup) -> None:
    git(setup.notes, "mv", SEED.name, "week07-renamed.md")
    result = run(setup, 1)
    assert (result.changes.added, len(result.changes.removed)) == (0, 0)
    import_into(setup.col, setup.out)
    assert guids(setup.col) == setup.guids  # the same notes, none added
    assert_history_kept(setup)
    tags = setup.col.get_note(nid_of(setup.col, QUESTION)).tags
    assert "source::week07-renamed" in tags and REMOVED_TAG not in tags


# --- 2. merging two branches --------------------------------------------------------------------
BRANCH_A = (
    "- Diffusion model은 GAN보다 무엇이 나은가요?\n\t- Diffusion model은 학습이 안정적입니다.\n\n"
)
BRANCH_B = (  # asks what a diffusion model is: a definition, and so a term note
    "\n- Diffusion model이란 무엇인가요?\n"
    "\t- 노이즈를 조금씩 걷어 내며 데이터를 생성하는 모델입니다.\n"
)


def test_two_branches_that_add_notes_merge_cleanly_and_give_one_note_each(setup: Setup) -> None:
    seed = setup.notes / SEED.name
    text = seed.read_text("utf-8")
    git(setup.notes, "checkout", "-q", "-b", "a")
    assert ANCHOR in text  # A adds a question in the middle of the file, B at its end
    seed.write_text(text.replace(ANCHOR, BRANCH_A + ANCHOR, 1), "utf-8")
    run(setup, 1)
    git(setup.notes, "commit", "-q", "-am", "a question")
    git(setup.notes, "checkout", "-q", "main")
    seed.write_text(text + BRANCH_B, "utf-8")
    run(setup, 2)
    git(setup.notes, "commit", "-q", "-am", "another question")
    git(setup.notes, "merge", "-q", "--no-edit", "a")  # clean: asserted by git()

    result = run(setup, 3)
    written = (setup.notes / IDENTITY_FILE).read_text("utf-8").splitlines()[1:]
    guids_written = [line.split('"guid":', 1)[1].split(",", 1)[0] for line in written]
    assert len(guids_written) == len(set(guids_written))  # never one GUID twice
    assert not any('"removed":true' in line for line in written)
    assert (len(result.changes.removed), result.changes.still_removed) == (0, 0)
    import_into(setup.col, setup.out)
    assert not setup.col.find_notes(f"tag:{REMOVED_TAG}")
    assert len(setup.col.find_notes('"Term:Diffusion model"')) == 1
    assert_history_kept(setup)


def test_a_union_merged_file_with_a_note_twice_is_read_with_one_of_them(setup: Setup) -> None:
    ids = setup.notes / IDENTITY_FILE
    lines = ids.read_text("utf-8").splitlines()
    # The other branch's copy of line 6: written earlier, of other content.
    mod = int(lines[5].split('"mod":', 1)[1].split(",", 1)[0])
    twice = lines[5].replace(f'"mod":{mod}', f'"mod":{mod - 100}')
    twice = twice.replace('"digest":"3:', '"digest":"3:0')
    ids.write_text("\n".join([*lines, twice]) + "\n", "utf-8")
    result = run(setup, 1)
    said = [d for d in result.diagnostics if d.code == "identity-twice"]
    assert [(d.severity, d.line) for d in said] == [("info", 6)]
    assert (result.changes.added, len(result.changes.removed)) == (0, 0)
    assert ids.read_text("utf-8").splitlines() == lines  # resolved, as it was


def test_conflict_markers_stop_the_build_at_their_line(setup: Setup) -> None:
    ids = setup.notes / IDENTITY_FILE
    lines = ids.read_text("utf-8").splitlines()
    damaged = [*lines[:3], "<<<<<<< HEAD", lines[3], "=======", lines[4], ">>>>>>> a", *lines[5:]]
    ids.write_text("\n".join(damaged) + "\n", "utf-8")
    before = setup.out.read_bytes(), ids.read_bytes()
    result = build([setup.notes], setup.out, now=BASE + 100, keep_going=True)
    assert not result.written
    assert [(d.code, d.line) for d in result.errors] == [("identity-file", 4)]
    assert "merge=union" in result.errors[0].message
    assert (setup.out.read_bytes(), ids.read_bytes()) == before


# --- 3. inserting a question, building from elsewhere ----------------------------------------
def test_inserting_a_question_adds_one_line_and_changes_none(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = setup.notes / IDENTITY_FILE
    before = ids.read_text("utf-8").splitlines()
    seed = setup.notes / SEED.name
    text = seed.read_text("utf-8")
    inserted = "- 새 질문은 무엇인가요?\n\t- 새 답입니다.\n\n"
    seed.write_text(text.replace(ANCHOR, inserted + ANCHOR, 1), "utf-8")
    run(setup, 1)
    after = ids.read_text("utf-8").splitlines()
    assert set(before) <= set(after) and len(after) == len(before) + 1

    monkeypatch.chdir(setup.notes)  # the same notes, built from inside their folder
    again = build([Path(".")], setup.out, now=BASE + 200)
    assert again.written and again.changes.unchanged == again.notes
    assert ids.read_text("utf-8").splitlines() == after


# --- 4. changing a deck's name ----------------------------------------------------------------
def test_a_deck_change_is_named_and_restamps_nothing(setup: Setup) -> None:
    seed = setup.notes / SEED.name
    seed.write_text("---\ndeck: CV::Week 7\n---\n" + seed.read_text("utf-8"), "utf-8")
    result = run(setup, 1)
    assert (result.changes.updated, result.changes.added) == (0, 0)
    assert len(result.changes.moved) == result.notes == 59
    summary = result.summary()
    assert "moved: 59 notes from deck 'Week 7 금요일" in summary
    assert "to 'CV::Week 7'" in summary and '"deck:Week 7 금요일' in summary
    log = import_into(setup.col, setup.out).log
    assert not log.updated and edit_kept(setup)  # nothing re-stamped: the edit stays
    assert_history_kept(setup)


# --- 5. a deleted identity file ------------------------------------------------------------------
def test_a_lost_identity_file_is_recovered_from_the_last_build(setup: Setup) -> None:
    (setup.notes / IDENTITY_FILE).unlink()
    seed = setup.notes / SEED.name
    typo_fixed = QUESTION.replace("자율주행", "자율 주행")
    seed.write_text(seed.read_text("utf-8").replace(QUESTION, typo_fixed), "utf-8")
    result = run(setup, 1)
    said = [d for d in result.diagnostics if d.code == "identity-recovered"]
    assert [d.severity for d in said] == ["warning"] and "59 notes" in said[0].message
    assert (result.changes.added, len(result.changes.removed)) == (0, 0)
    assert result.changes.updated == 1 and result.changes.matched_after_edit == 1
    assert (setup.notes / IDENTITY_FILE).is_file()
    log = import_into(setup.col, setup.out).log
    assert len(log.updated) == 1 and not log.new
    assert edit_kept(setup)  # the other notes are not re-stamped
    assert_history_kept(setup)


# --- 6. a damaged identity file and --keep-going ------------------------------------------------
def test_a_damaged_identity_file_stops_even_keep_going_and_is_never_replaced(
    setup: Setup,
) -> None:
    ids = setup.notes / IDENTITY_FILE
    lines = ids.read_text("utf-8").splitlines()
    lines[11] = lines[11][:-30]  # cut short: a damaged line, not JSON any more
    ids.write_text("\n".join(lines) + "\n", "utf-8")
    before = setup.out.read_bytes(), ids.read_bytes()
    result = build([setup.notes], setup.out, now=BASE + 100, keep_going=True)
    assert not result.written
    [problem] = result.errors
    assert (problem.code, problem.path, problem.line) == ("identity-file", ids.as_posix(), 12)
    assert problem.format().startswith(f"{ids.as_posix()}:12: error: ")
    assert (setup.out.read_bytes(), ids.read_bytes()) == before


# --- 7. removed notes in a collection that never had them -------------------------------------
def test_removed_notes_never_become_study_cards_in_a_new_collection(
    setup: Setup, tmp_path: Path
) -> None:
    seed = setup.notes / SEED.name
    seed.write_text(without_question(seed.read_text("utf-8"), QUESTION), "utf-8")
    result = run(setup, 1)
    assert [n.kind for n in result.changes.removed].count("qa") == 1
    removed_cards = setup.col.card_ids_of_note(nid_of(setup.col, QUESTION))

    import_into(setup.col, setup.out)  # the collection that had it: tagged, cards kept
    note = setup.col.get_note(nid_of(setup.col, QUESTION))
    assert REMOVED_TAG in note.tags
    assert setup.col.card_ids_of_note(note.id) == removed_cards
    assert_history_kept(setup)

    fresh = Collection(str(tmp_path / "classmate.anki2"))
    try:
        import_into(fresh, setup.out)
        gone = fresh.find_notes(f"tag:{REMOVED_TAG}")
        assert len(gone) == len(result.changes.removed)  # the notes are there…
        assert not fresh.find_cards(f"tag:{REMOVED_TAG}")  # …with nothing to study
        assert fresh.card_count() == result.cards
    finally:
        fresh.close()


# --- killed builds ------------------------------------------------------------------------------
def test_temporary_files_of_killed_builds_are_removed_by_the_next(setup: Setup) -> None:
    ids = setup.notes / IDENTITY_FILE
    old = time.time() - 3600
    leftovers = [ids.with_name(f".{ids.name}.x1y2.tmp"), setup.out.with_name(".deck.apkg.z3.tmp")]
    for path in leftovers:
        path.write_bytes(b"half a file")
        os.utime(path, (old, old))
    run(setup, 1)
    assert not any(path.exists() for path in leftovers)
