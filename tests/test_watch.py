"""`flashcards watch`: which changes count, then the real command in a subprocess — a burst of
saves is one build, a broken note is an error line and the watch goes on, Ctrl-C exits 0."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from ankiutil import write_notes

from flashcards.watch import relevant

NOTE = "# {title}\n\n### What is {thing}?\n\n{answer}\n"
BROKEN = "---\ndeck: [never closed\n---\n### What is it?\n\nSomething.\n"


def test_only_notes_images_and_the_glossary_count(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    counts = relevant([notes], [tmp_path / "build", tmp_path / "out.apkg"]).counts
    assert counts(notes / "a.md") and counts(notes / "sub/b.markdown") and counts(notes / "x.png")
    assert counts(notes / "glossary.yaml")
    for ignored in [
        notes / "flashcards-ids.jsonl", notes / ".a.md.swp", notes / "a.md~", notes / "#a.md#",
        notes / ".#a.md", notes / "4913", notes / ".hidden/a.md", notes / ".a.md.x1.tmp",
        notes / "a.py", tmp_path / "build/notes.apkg", tmp_path / "out.apkg",
        tmp_path / "elsewhere.md",
    ]:  # fmt: skip
        assert not counts(ignored), ignored


def test_a_file_named_alone_counts_with_the_glossary_beside_it(tmp_path):
    note = write_notes(tmp_path, "a.md", "x")
    counts = relevant([note], []).counts
    assert counts(note) and counts(tmp_path / "glossary.yml")
    assert not counts(tmp_path / "b.md")


class Lines:
    """The lines a stream prints, read in the background."""

    def __init__(self, stream: IO[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.all: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.queue.put(line.rstrip("\n"))

    def next(self, timeout: float = 60) -> str:
        line = self.queue.get(timeout=timeout)
        self.all.append(line)
        return line

    def quiet_for(self, seconds: float) -> list[str]:
        """Every line printed in the next `seconds`."""
        found = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                found.append(self.next(timeout=left))
            except queue.Empty:
                break
        return found


def test_watch_rebuilds_once_per_burst_shows_errors_and_stops_on_ctrl_c(tmp_path):
    notes = tmp_path / "notes"
    write_notes(notes, "a.md", NOTE.format(title="Fruit", thing="an apple", answer="A fruit."))
    command = [str(Path(sys.executable).with_name("flashcards")), "watch", "notes"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    out, err = Lines(process.stdout), Lines(process.stderr)
    try:
        assert err.next().startswith("watching notes")
        first = out.next()
        assert "wrote build/notes.apkg: 1 deck, 1 note, 1 card" in first, first
        time.sleep(0.5)  # the watcher is started right after the first build

        for n in range(4):  # a burst: four files saved at once
            note = NOTE.format(title="Bees", thing=f"bee {n}", answer=f"Insect number {n}.")
            write_notes(notes, f"b{n}.md", note)
        burst = out.next()
        assert "wrote build/notes.apkg: 2 decks, 5 notes" in burst and "4 added" in burst, burst
        assert out.quiet_for(2) == []  # one build for the burst, and the build did not trigger one
        assert (tmp_path / "build/notes.apkg").is_file()

        (notes / "b0.md").write_text(BROKEN, encoding="utf-8")
        failed = out.next()
        assert "did not write build/notes.apkg" in failed and "1 error" in failed, failed
        assert err.next().startswith("notes/b0.md:2: error: front matter")

        (notes / "b0.md").write_text(NOTE.format(title="Bees", thing="bee 0", answer="Fixed."))
        fixed = out.next()
        assert "wrote build/notes.apkg: 2 decks, 5 notes" in fixed and "1 updated" in fixed, fixed
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    errors = err.all + err.quiet_for(1)
    assert code == 0, errors
    assert "stopped" in errors
    assert not any("Traceback" in line or "KeyboardInterrupt" in line for line in errors), errors


def test_watch_with_sync_brings_the_collection_up_to_date_after_each_save(tmp_path):
    from anki.collection import Collection

    notes = tmp_path / "notes"
    write_notes(notes, "a.md", NOTE.format(title="Fruit", thing="an apple", answer="A fruit."))
    collection = tmp_path / "collection.anki2"
    Collection(str(collection)).close()  # Anki closed: the watch syncs into the file itself
    command = [str(Path(sys.executable).with_name("flashcards")), "watch", "notes",
               "--collection", str(collection)]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1"}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    out, err = Lines(process.stdout), Lines(process.stderr)
    try:
        first = out.next()
        assert f"synced {collection}: 1 added" in first, (first, err.quiet_for(1))
        time.sleep(0.5)
        (notes / "a.md").write_text(
            NOTE.format(title="Fruit", thing="an apple", answer="A red fruit."), encoding="utf-8"
        )
        edited = out.next()
        assert "0 added, 1 updated" in edited, edited
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0, err.all + err.quiet_for(1)
    col = Collection(str(collection))  # free again between saves, and after the watch
    try:
        answers = [col.get_note(nid).fields[1] for nid in col.find_notes("")]
    finally:
        col.close()
    assert len(answers) == 1 and "A red fruit." in answers[0], answers


def test_a_watch_that_could_never_build_stops_at_once(tmp_path, monkeypatch):
    """A folder that is not there, an output that is not ours: exit 1 now, not an error at
    every save of a watch that waits forever."""
    from click.testing import CliRunner

    from flashcards.cli import main

    monkeypatch.chdir(tmp_path)
    write_notes(tmp_path / "notes", "a.md", NOTE.format(title="T", thing="it", answer="A."))
    (tmp_path / "todo.txt").write_text("my list\n", encoding="utf-8")
    missing = CliRunner().invoke(main, ["watch", "nowhere"])
    assert missing.exit_code == 1 and "nowhere: error: no such file or folder" in missing.output
    refused = CliRunner().invoke(main, ["watch", "notes", "-o", "todo.txt"])
    assert refused.exit_code == 1 and "todo.txt: error: refusing to replace" in refused.output
    assert (tmp_path / "todo.txt").read_text(encoding="utf-8") == "my list\n"
