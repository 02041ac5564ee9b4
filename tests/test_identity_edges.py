"""Identity across unusual rebuilds: a build of one file, a question that appears in a second
deck, a question rewritten into another one, an image added to one answer, paths named another
way. Each must leave every other note's identity and modification time alone."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

from flashcards.identity import IDENTITY_FILE, REMOVED_TAG
from flashcards.notes import QANote
from flashcards.pipeline import build
from flashcards.report import BuildResult

BASE = int(time.time()) - 50_000


def qa(question: str, answer: str) -> str:
    return f"- {question}\n\t- {answer}\n"


def deck(title: str, *items: str) -> str:
    return f"# {title}\n\n## Q&A\n\n" + "".join(items)


def run(paths: list[Path], out: Path, step: int) -> BuildResult:
    result = build(paths, out, now=BASE + 100 * step)
    assert result.written, [d.format() for d in result.diagnostics]
    return result


def entries(folder: Path) -> dict[str, dict[str, object]]:
    _header, *lines = (folder / IDENTITY_FILE).read_text("utf-8").splitlines()
    return {e["key"]: e for e in map(json.loads, lines)}


def two_decks_built(tmp_path: Path) -> Path:
    """notes/a.md and notes/b.md, one question each, built once."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(deck("A", qa("첫 질문은 무엇인가요?", "첫 답")), "utf-8")
    (notes / "b.md").write_text(deck("B", qa("둘째 질문은 무엇인가요?", "둘째 답")), "utf-8")
    run([notes], tmp_path / "all.apkg", 0)
    return notes


def test_building_one_file_of_a_folder_removes_nothing_from_the_others(tmp_path: Path) -> None:
    notes = two_decks_built(tmp_path)
    before = entries(notes)

    result = run([notes / "a.md"], tmp_path / "a.apkg", 1)
    assert result.changes.removed == [] and result.changes.unchanged == 1
    assert entries(notes) == before  # b.md's entry kept as it was, not tagged removed


def test_a_file_skipped_for_its_errors_keeps_its_notes(tmp_path: Path) -> None:
    notes = two_decks_built(tmp_path)
    (notes / "b.md").write_text('---\ndeck: ""\n---\n' + deck("B"), "utf-8")

    result = build([notes], tmp_path / "kept.apkg", now=BASE + 100, keep_going=True)
    assert result.written and result.errors
    assert result.changes.removed == []
    assert not any(REMOVED_TAG in str(e["note"]) for e in entries(notes).values())


def test_a_question_a_second_deck_gains_does_not_take_the_first_decks_note(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    question = qa("FID는 무엇을 재나요?", "생성 이미지와 실제 이미지의 분포 거리")
    (notes / "2.md").write_text(deck("Week 2", question), "utf-8")
    run([notes], tmp_path / "d.apkg", 0)
    guid = next(e["guid"] for e in entries(notes).values() if e["kind"] == "qa")

    (notes / "1.md").write_text(deck("Week 1", question), "utf-8")  # sorts first
    result = run([notes], tmp_path / "d.apkg", 1)
    qas = [n for n in result_notes(notes) if isinstance(n, QANote)]
    week2 = next(n for n in qas if n.deck == "Week 2")
    assert week2.guid == guid  # still the note the user has been reviewing
    assert result.changes.added >= 1


def result_notes(folder: Path) -> list[object]:
    from flashcards.pipeline import collect

    return list(collect([folder]).extraction.notes)


def test_a_question_rewritten_into_another_question_is_a_new_note(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    path = notes / "a.md"
    path.write_text(deck("A", qa("CNN의 장점은 무엇인가요?", "지역적 특징을 잘 잡아요.")), "utf-8")
    run([notes], tmp_path / "d.apkg", 0)
    rewritten = qa("RNN의 장점은 무엇인가요?", "순서가 있는 데이터를 다뤄요.")
    path.write_text(deck("A", rewritten), "utf-8")
    result = run([notes], tmp_path / "d.apkg", 1)
    assert result.changes.matched_after_edit == 0
    assert [n.question for n in result.changes.removed if isinstance(n, QANote)] == [
        "CNN의 장점은 무엇인가요?"
    ]


def test_an_image_added_to_one_answer_changes_only_that_note(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copyfile(Path(__file__).parent / "fixtures" / "pixel.png", notes / "fig.png")
    path = notes / "a.md"
    first = qa("첫 질문은 무엇인가요?", "첫 답")
    path.write_text(deck("A", first, qa("둘째 질문은 무엇인가요?", "둘째 답")), "utf-8")
    run([notes], tmp_path / "d.apkg", 0)
    path.write_text(
        deck("A", first, qa("둘째 질문은 무엇인가요?", "둘째 답 ![그림](fig.png)")), "utf-8"
    )
    result = run([notes], tmp_path / "d.apkg", 1)
    assert (result.changes.updated, result.changes.unchanged) == (1, 1)


def test_naming_the_folder_another_way_changes_nothing(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "other").mkdir()
    (notes / "sub" / "a.md").write_text(deck("A", qa("첫 질문은 무엇인가요?", "첫 답")), "utf-8")
    (notes / "other" / "b.md").write_text(deck("B", qa("둘째 질문은?", "둘째 답")), "utf-8")
    one = run([notes / "sub", notes / "other"], tmp_path / "one.apkg", 0)
    two = run([notes], tmp_path / "two.apkg", 1)
    assert one.changes.added == 2 and two.changes.unchanged == 2
    tags = {tag for n in result_notes(notes) for tag in n.tags}  # type: ignore[attr-defined]
    assert {"source::sub::a", "source::other::b"} <= tags


def test_removed_notes_are_written_until_forgotten(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    path = notes / "a.md"
    keep, drop = qa("남는 질문은 무엇인가요?", "남는 답"), qa("지울 질문은 무엇인가요?", "지울 답")
    path.write_text(deck("A", keep, drop), "utf-8")
    run([notes], tmp_path / "d.apkg", 0)
    path.write_text(deck("A", keep), "utf-8")
    assert len(run([notes], tmp_path / "d.apkg", 1).changes.removed) == 1
    again = run([notes], tmp_path / "d.apkg", 2)
    assert again.changes.still_removed == 1  # written once more, unchanged: Anki skips it

    forgotten = build([notes], tmp_path / "d.apkg", now=BASE + 300, forget_removed=True)
    assert forgotten.changes.forgotten == 1 and forgotten.notes == 1
    assert [e["kind"] for e in entries(notes).values()] == ["qa"]


def test_an_identity_file_from_before_digest_version_2_changes_no_note(tmp_path: Path) -> None:
    """Files written by earlier versions (`flashcards-ids.json`, one JSON document) hold digests
    of `json`-serialised content, deck included. Reading one must find every note unchanged — a
    new mod would make Anki overwrite the user's edits — and replace it by the new file."""
    notes = two_decks_built(tmp_path)
    (notes / "a.md").write_text(
        deck("A", qa("첫 질문은 무엇인가요?", "첫 답 ![그림](missing.png)")), "utf-8"
    )
    run([notes], tmp_path / "all.apkg", 1)
    before = entries(notes)
    legacy = []
    for entry in before.values():  # what the version before 2 wrote for the same content
        content = {**entry["note"], "deck": entry["deck"]}  # type: ignore[dict-item]
        blob = json.dumps([content, sorted(content["tags"]), {}], ensure_ascii=False,
                          sort_keys=True)  # fmt: skip
        old = {k: v for k, v in entry.items() if k != "digest"}
        digest = hashlib.sha256(blob.encode()).hexdigest()[:20]
        legacy.append({**old, "note": content, "hash": digest})
    (notes / IDENTITY_FILE).unlink()
    old_file = notes / "flashcards-ids.json"
    old_file.write_text(json.dumps({"version": 1, "notes": legacy}, ensure_ascii=False), "utf-8")

    result = run([notes], tmp_path / "again.apkg", 2)
    assert result.changes.unchanged == 2 and result.changes.updated == 0
    assert not old_file.exists()
    after = entries(notes)
    assert {k: e["mod"] for k, e in after.items()} == {k: e["mod"] for k, e in before.items()}
    assert all(str(e["digest"]).startswith("3:") for e in after.values())

    (notes / "b.md").write_text(deck("B", qa("둘째 질문은 무엇인가요?", "고친 답")), "utf-8")
    result = run([notes], tmp_path / "edited.apkg", 3)
    assert result.changes.updated == 1 and result.changes.unchanged == 1
