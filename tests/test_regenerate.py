"""Regenerating a deck after editing the notes, checked against the real Anki importer.

The user's loop: build → import → review → edit the notes → rebuild → re-import with Anki's
default options. Reviews, note ids and the user's own edits in Anki must survive it.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from ankiutil import KIND_OF_MODEL, edit_in_anki, import_into, review, scheduling
from click.testing import CliRunner
from conftest import SEED

from flashcards.cli import main
from flashcards.identity import IDENTITY_FILE, REMOVED_TAG
from flashcards.notes import QANote, TermNote
from flashcards.package import QA_MODEL_ID, TERM_MODEL_ID
from flashcards.pipeline import build
from flashcards.report import BuildResult

BASE = int(time.time()) - 10_000  # every build's `now`: in the past, increasing by 100


def run_build(folder: Path, out: Path, step: int) -> BuildResult:
    result = build([folder], out, now=BASE + 100 * step)
    assert not result.errors, [d.format() for d in result.errors]
    return result


def import_apkg(col: Collection, apkg: Path) -> Any:
    return import_into(col, apkg).log


Row = tuple[int, str, list[str], str]  # note id, guid, tags, second field (the answer)


def all_notes(col: Collection) -> list[tuple[str, Row]]:
    """(question, row) of every Q&A note, oldest first; the seed asks some questions twice."""
    rows = col.db.all("select id, guid, flds, tags, mid from notes order by id")
    assert len({row[1] for row in rows}) == len(rows), "duplicate GUIDs"
    found = []
    for nid, guid, flds, tags, mid in rows:
        if mid == QA_MODEL_ID:
            fields = flds.split("\x1f")
            found.append((fields[0], (nid, guid, tags.split(), fields[1])))
    return found


def kinds(col: Collection, logged: Any) -> Counter[str]:
    """How many notes of each kind ("qa", "term", "cloze") an import log lists."""
    return Counter(KIND_OF_MODEL[col.get_note(n.id.nid).mid] for n in logged)


def terms_tagged_removed(col: Collection) -> list[str]:
    rows = col.db.all("select flds, tags from notes where mid = ?", TERM_MODEL_ID)
    return sorted(flds.split("\x1f")[0] for flds, tags in rows if REMOVED_TAG in tags.split())


def notes(col: Collection) -> dict[str, Row]:
    """Question → row of every Q&A note, asserting no two share a question."""
    found: dict[str, Row] = {}
    for question, row in all_notes(col):
        assert question not in found, f"two notes with the question {question!r}"
        found[question] = row
    return found


def nid_of(col: Collection, start: str) -> int:
    nids = [nid for q, (nid, *_) in all_notes(col) if q.startswith(start)]
    assert len(nids) == 1, (start, nids)
    return nids[0]


def assert_clean(col: Collection, log: Any) -> None:
    assert not log.conflicting
    assert not [m["name"] for m in col.models.all() if m["name"].endswith("+")]


def qa(question: str, *answer: str) -> str:
    return f"- {question}\n" + "".join(f"    - {a}\n" for a in answer) + "\n"


HEAD_A = "# Week 9 마스터클래스\n\n## Q&A\n\n"
HEAD_B = "# Week 10 오피스아워\n\n## Q&A\n\n"
USER_EDITED = qa("CV에서 가장 주목받는 분야는 무엇인가요?", "self-supervised, 3D.")
UNCHANGED = qa("3D data를 real time으로 처리할 수 있나요?", "2D로 바꾸어 연산합니다.")
TYPO = qa("Transfomer가 CNN을 완전히 대체하게 될까요?", "데이터가 많다면 그렇습니다.")
FIXED = TYPO.replace("Transfomer", "Transformer")
ANSWER = qa("end-to-end 구조를 선호하는 이유는 무엇인가요?", "사람은 간과하는 부분이 생겨요.")
NEW_ANSWER = ANSWER.replace("사람은 간과하는 부분이 생겨요", "gradient descent가 더 잘 찾아요")
MOVED = qa("python이 아닌 C언어의 비중은 어느 정도인가요?", "서비스는 C로 변환합니다.")
REMOVED = qa("GAN의 경량화는 어떻게 연구되고 있나요?", "Knowledge distillation.")
ADDED = qa("Self-supervised learning이란 무엇인가요?", "pretext task로 학습합니다.")
FED = qa("Federated learning은 무엇인가요?", "기기에서 학습하고 parameter만 보냅니다.")


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection(str(tmp_path / "collection.anki2"))
    yield collection
    collection.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "notes").mkdir()
    return tmp_path / "notes"


def test_edit_loop_keeps_reviews_ids_and_user_edits(
    tmp_path: Path, folder: Path, col: Collection
) -> None:
    a, b, out = folder / "week09.md", folder / "week10.md", tmp_path / "out" / "deck.apkg"
    a.write_text(HEAD_A + USER_EDITED + UNCHANGED + TYPO + ANSWER + MOVED + REMOVED, "utf-8")
    b.write_text(HEAD_B + FED, "utf-8")
    # 7 Q&As, and the one term they define: "Federated learning은 무엇인가요?" is answered.
    assert run_build(folder, out, 0).changes.added == 7 + 1
    log = import_apkg(col, out)
    assert kinds(col, log.new) == {"qa": 7, "term": 1}
    ids = {q: v[0] for q, v in notes(col).items()}
    reviewed = [nid_of(col, s) for s in ("Transfomer", "end-to-end", "python", "GAN")]
    review(col, reviewed)
    schedule, revlog = scheduling(col), col.db.all("select * from revlog")
    assert len(schedule) == 4 and len(revlog) == 4
    mine = nid_of(col, "CV에서")
    edit_in_anki(col, mine, "my edit", BASE + 50)

    a.write_text(HEAD_A + USER_EDITED + UNCHANGED + FIXED + NEW_ANSWER + ADDED, "utf-8")
    b.write_text(HEAD_B + FED + MOVED, "utf-8")
    result = run_build(folder, out, 1)
    log = import_apkg(col, out)

    assert_clean(col, log)
    after = notes(col)
    assert len(after) == 8  # 7 imported + 1 added; nothing duplicated
    # Q&As: 1 added; 3 edited + the removed one, tagged. Terms: see `changes` below.
    assert kinds(col, log.new) == {"qa": 1, "term": 1}
    assert kinds(col, log.updated) == {"qa": 3 + 1}
    assert terms_tagged_removed(col) == []
    fixed = "Transformer가 CNN을 완전히 대체하게 될까요?"
    assert after[fixed][0] == ids["Transfomer가 CNN을 완전히 대체하게 될까요?"]
    e2e = after["end-to-end 구조를 선호하는 이유는 무엇인가요?"]
    assert e2e[0] == reviewed[1] and "gradient descent" in e2e[3]
    moved = after["python이 아닌 C언어의 비중은 어느 정도인가요?"]
    assert moved[0] == reviewed[2] and "source::week10" in moved[2]
    gone = after["GAN의 경량화는 어떻게 연구되고 있나요?"]
    assert gone[0] == reviewed[3] and REMOVED_TAG in gone[2]
    assert sum(REMOVED_TAG in v[2] for v in after.values()) == 1
    assert col.get_note(mine).fields[1] == "my edit"
    assert scheduling(col) == schedule
    assert col.db.all("select * from revlog") == revlog

    changes = result.changes
    removed = [n.question for n in changes.removed if isinstance(n, QANote)]
    assert removed == ["GAN의 경량화는 어떻게 연구되고 있나요?"]
    # Terms: "Self-supervised learning" is added (the new question asks what it is, and is
    # answered); "Federated learning" is unchanged; the terms no note defines ("end-to-end",
    # "gradient descent") make no card. Q&As: 1 added, 3 updated, 3 unchanged, as their text
    # says: a Q&A whose text did not change is not rewritten.
    assert [n.term for n in changes.removed if isinstance(n, TermNote)] == []
    assert (changes.added, changes.updated, changes.unchanged) == (1 + 1, 3, 3 + 1)
    assert changes.matched_after_edit == 1
    assert "1 removed" in result.summary() and REMOVED_TAG in result.summary()


def test_unchanged_rebuild_is_byte_identical_and_imports_as_nothing(
    tmp_path: Path, folder: Path, col: Collection
) -> None:
    (folder / "week09.md").write_text(HEAD_A + USER_EDITED + UNCHANGED + TYPO, "utf-8")
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    run_build(folder, first, 0)
    ids_file = (folder / IDENTITY_FILE).read_bytes()
    import_apkg(col, first)
    review(col, [nid_of(col, "3D")])
    before, schedule = notes(col), scheduling(col)

    result = run_build(folder, second, 1)
    assert second.read_bytes() == first.read_bytes()
    assert (folder / IDENTITY_FILE).read_bytes() == ids_file
    changes = result.changes  # 3 Q&As (no term of theirs is defined: no term notes)
    assert (changes.unchanged, changes.updated, changes.added) == (3, 0, 0)
    log = import_apkg(col, second)
    assert not log.new and not log.updated
    assert_clean(col, log)
    assert notes(col) == before and scheduling(col) == schedule


def test_notes_below_an_edit_are_left_alone(tmp_path: Path, folder: Path, col: Collection) -> None:
    """Deleting a question above must not rewrite the notes below it (line numbers shift)."""
    a, out = folder / "week09.md", tmp_path / "deck.apkg"
    a.write_text(HEAD_A + REMOVED + ANSWER + USER_EDITED, "utf-8")
    run_build(folder, out, 0)
    import_apkg(col, out)
    mine = nid_of(col, "CV에서")
    edit_in_anki(col, mine, "my edit", BASE + 50)

    a.write_text(HEAD_A + ANSWER + USER_EDITED, "utf-8")
    result = run_build(folder, out, 1)
    log = import_apkg(col, out)
    assert_clean(col, log)
    assert col.get_note(mine).fields[1] == "my edit"
    changes = result.changes  # Q&As (their terms are not defined: no term notes)
    assert (changes.unchanged, changes.updated, len(changes.removed)) == (2, 0, 1)


def test_removed_question_that_comes_back_loses_the_tag(
    tmp_path: Path, folder: Path, col: Collection
) -> None:
    a, out = folder / "week09.md", tmp_path / "deck.apkg"
    a.write_text(HEAD_A + UNCHANGED + REMOVED, "utf-8")
    run_build(folder, out, 0)
    import_apkg(col, out)
    nid = nid_of(col, "GAN")
    review(col, [nid])
    schedule = scheduling(col)

    a.write_text(HEAD_A + UNCHANGED, "utf-8")
    assert len(run_build(folder, out, 1).changes.removed) == 1
    import_apkg(col, out)
    assert REMOVED_TAG in col.get_note(nid).tags
    again = run_build(folder, out, 2).changes  # still gone: reported once, not again
    assert (len(again.removed), again.still_removed) == (0, 1)

    a.write_text(HEAD_A + UNCHANGED + REMOVED, "utf-8")
    back = run_build(folder, out, 3).changes
    assert (back.added, len(back.removed), back.still_removed) == (0, 0, 0)
    log = import_apkg(col, out)
    assert_clean(col, log)
    assert not log.new and len(notes(col)) == 2
    assert nid_of(col, "GAN") == nid and REMOVED_TAG not in col.get_note(nid).tags
    assert scheduling(col) == schedule


def test_deleting_one_of_two_identical_questions_tags_that_one(
    tmp_path: Path, folder: Path, col: Collection
) -> None:
    """Two note-takers wrote the same question; the first write-up is deleted."""
    a, out = folder / "week09.md", tmp_path / "deck.apkg"
    question = "C언어의 비중은 어느 정도인가요?"
    first, second = qa(question, "첫번째 필기: 연구는 python."), qa(question, "두번째 필기.")
    a.write_text(HEAD_A + first + UNCHANGED + second, "utf-8")
    run_build(folder, out, 0)
    import_apkg(col, out)
    one, two = (v[0] for q, v in all_notes(col) if q == question)  # in source order

    a.write_text(HEAD_A + UNCHANGED + second, "utf-8")
    run_build(folder, out, 1)
    import_apkg(col, out)
    assert REMOVED_TAG in col.get_note(one).tags and "첫번째" in col.get_note(one).fields[1]
    assert REMOVED_TAG not in col.get_note(two).tags and "두번째" in col.get_note(two).fields[1]


def test_building_from_another_working_directory_changes_nothing(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "week09.md").write_text(HEAD_A + UNCHANGED + ANSWER, "utf-8")
    monkeypatch.chdir(tmp_path)
    run_build(Path("notes"), tmp_path / "first.apkg", 0)
    monkeypatch.chdir(folder)
    result = run_build(Path("."), tmp_path / "second.apkg", 1)
    assert (result.changes.unchanged, result.changes.updated) == (2, 0)
    assert (tmp_path / "second.apkg").read_bytes() == (tmp_path / "first.apkg").read_bytes()


def test_dry_run_writes_nothing_and_prints_the_summary(tmp_path: Path, folder: Path) -> None:
    a, out = folder / "week09.md", tmp_path / "deck.apkg"
    a.write_text(HEAD_A + UNCHANGED + TYPO, "utf-8")
    runner = CliRunner()
    args = ["build", "--dry-run", str(folder), "-o", str(out)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "would write" in first.output and "2 added" in first.output
    assert not out.exists() and not (folder / IDENTITY_FILE).exists()

    run_build(folder, out, 0)
    package, ids_file = out.read_bytes(), (folder / IDENTITY_FILE).read_bytes()
    a.write_text(HEAD_A + UNCHANGED + FIXED + ADDED, "utf-8")
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    # Added: the new Q&A and the term it defines, "Self-supervised learning".
    assert "2 added, 1 updated, 1 unchanged, 0 removed, 1 matched after edit" in second.output
    assert out.read_bytes() == package
    assert (folder / IDENTITY_FILE).read_bytes() == ids_file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg", "notes"]


def edit_seed(text: str) -> str:
    typo = "소개해주셨는데, 강의를"  # the first write-up's question at line 45
    merged_typo = "어떤 삻을 위해 교수님이 되셨는지"  # line 201, merged into the note of line 25
    bullet = "3D는 2D에 비해 데이터가 sparse해요."
    block = text.index("- 자율주행 자동차에서는 단순히 detection이")
    end = text.index("- 현재 딥페이크는")
    assert text.count(typo) == text.count(merged_typo) == text.count(bullet) == 1
    text = text.replace(typo, "소개해 주셨는데, 강의를")
    text = text.replace(merged_typo, merged_typo.replace("삻", "삶"))
    text = text.replace(bullet, "3D 데이터는 dense하지 않아요.")
    text = text[:block] + text[end:]  # delete one top-level question block
    return (
        text + "\n## 추가 Q&A\n\n" + qa("ViT의 patch embedding은 무엇인가요?", "patch로 자릅니다.")
    )


def test_seed_notes_edit_loop(tmp_path: Path, folder: Path, col: Collection) -> None:
    seed, out = folder / "week07.md", tmp_path / "week07.apkg"
    shutil.copy(SEED, seed)
    first = run_build(folder, out, 0)
    log = import_apkg(col, out)
    assert len(log.new) == first.notes
    count = col.note_count()
    wanted = ("교수님께서는 동기", "3D data의 경우", "자율주행 자동차에서는", "강의에서 굉장히")
    reviewed = [nid for q, (nid, *_) in all_notes(col) if q.startswith(wanted)]
    assert len(reviewed) == 4  # the second write-up's copies are merged into these notes
    review(col, reviewed)
    schedule, revlog = scheduling(col), col.db.all("select * from revlog")
    typo_nid = nid_of(col, "강의에서 굉장히")
    merged_nid = nid_of(col, "교수님께서는 동기")
    mine = nid_of(col, "마스터님은 다양한")
    edit_in_anki(col, mine, "my edit", BASE + 50)

    seed.write_text(edit_seed(seed.read_text("utf-8")), "utf-8")
    result = run_build(folder, out, 1)
    log = import_apkg(col, out)

    assert_clean(col, log)
    # The new Q&A; 3 edited Q&As, and the deleted one tagged removed. (Without glossary.yaml
    # the seed defines two terms itself, "pretext task" and "pose transfer"; the edits leave
    # both alone.)
    assert col.note_count() == count + 1 and kinds(col, log.new) == {"qa": 1}
    assert kinds(col, log.updated) == {"qa": 3 + 1}
    after = all_notes(col)
    typo_fixed = [v for q, v in after if q.startswith("강의에서 굉장히")]
    assert len(typo_fixed) == 1 and typo_fixed[0][0] == typo_nid
    assert "소개해 주셨는데" in col.get_note(typo_nid).fields[0]
    assert "어떤 삶을 위해" in col.get_note(merged_nid).fields[2]  # MoreAnswers, updated in place
    assert not [v for _, v in after if "삻" in "".join(col.get_note(v[0]).fields)]
    sparse = [v for q, v in after if "3D 데이터는 dense하지 않아요" in v[3]]
    assert len(sparse) == 1 and sparse[0][0] in reviewed
    gone = [v for q, v in after if q.startswith("자율주행 자동차에서는")]
    assert len(gone) == 1 and REMOVED_TAG in gone[0][2] and gone[0][0] in reviewed
    assert sum(REMOVED_TAG in v[2] for _, v in after) == 1
    assert terms_tagged_removed(col) == []
    assert col.get_note(mine).fields[1] == "my edit"
    assert scheduling(col) == schedule
    assert col.db.all("select * from revlog") == revlog
    changes = result.changes
    assert [n.kind for n in changes.removed] == ["qa"]
    assert changes.matched_after_edit == 1  # the question whose typo was fixed
    # Q&As: 1 added, 3 edited (the typo, the merged typo, the answer). A term whose only change
    # is its example sentences or questions is not rewritten: those come from other notes.
    assert (changes.added, changes.updated) == (1, 3)


def rebuilt_after_review(
    folder: Path, out: Path, col: Collection, before: str, after: str, search: tuple[str, str]
) -> tuple[BuildResult, Any, int]:
    """Build `before` into week09.md, import, review the one note `search[0]` finds; build
    `after`, import again, and check the review history is as it was. The build's result, the
    import's log and the note id."""
    a = folder / "week09.md"
    a.write_text(HEAD_A + UNCHANGED + before, "utf-8")
    run_build(folder, out, 0)
    import_apkg(col, out)
    [nid] = col.find_notes(search[0])
    review(col, [nid])
    schedule = scheduling(col)
    a.write_text(HEAD_A + UNCHANGED + after, "utf-8")
    result = run_build(folder, out, 1)
    log = import_apkg(col, out)
    assert_clean(col, log)
    assert scheduling(col) == schedule
    return result, log, nid


def test_a_term_respelt_in_the_notes_keeps_its_note_and_reviews(
    tmp_path: Path, folder: Path, col: Collection
) -> None:
    defining = qa("forcasting이란 무엇인가요?", "과거의 관측으로 미래 상태를 예측하는 것.")
    respelt = defining.replace("forcasting", "forecasting")
    search = ('"Term:forcasting"', '"Term:forecasting"')
    result, log, nid = rebuilt_after_review(
        folder, tmp_path / "deck.apkg", col, defining, respelt, search
    )
    assert col.find_notes(search[1]) == [nid] and not log.new
    assert result.changes.matched_after_edit == 2  # the question, and the term it defines


def test_seed_asks_no_question_twice(tmp_path: Path, folder: Path, col: Collection) -> None:
    """Two note-takers' write-ups of one question should make one note, not two cards."""
    shutil.copy(SEED, folder / "week07.md")
    run_build(folder, tmp_path / "week07.apkg", 0)
    import_apkg(col, tmp_path / "week07.apkg")
    notes(col)  # asserts no two notes with the same question


def test_a_cloze_whose_sentence_grows_keeps_its_note_and_reviews(
    tmp_path: Path, folder: Path, col: Collection
) -> None:
    short = "돌아보면 결국 ***인생은 trade off***인 것 같아요.\n"
    longer = (  # less than half alike as a whole; the old sentence is all inside the new one
        "그래서 지난 십 년을 돌아보면 결국 ***인생은 trade off***인 것 같아요, 무엇을 고르든 "
        "잃는 것이 있고 고르기는 늘 어렵지만 그래도 골라야 하고 "
        "그 선택이 쌓여 지금의 내가 됩니다.\n"
    )
    search = ('"Text:*trade off*"', '"Text:*trade off*"')
    result, log, nid = rebuilt_after_review(
        folder, tmp_path / "deck.apkg", col, short, longer, search
    )
    assert col.find_notes(search[1]) == [nid] and not log.new
    assert "지난 십 년을" in col.get_note(nid)["Text"]
    assert result.changes.matched_after_edit == 1
