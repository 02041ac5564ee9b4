"""`make bench`: build speed on a synthetic corpus, as medians and ratios from one run.

Measures, alternating the contenders and taking medians:
  full     — `flashcards build` from scratch (no identity file, no cache);
  rebuild  — `flashcards build` again after one file changed;
  floor    — genanki alone building and writing the same notes from ready-made strings;
  ankdown  — the same Q&A through ankdown (`front % back`, `---`), if it is installed;
and the start-up of `flashcards --help` against `python -c "import click"`.
Each run is a fresh process, so imports and caches count as a user would see them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import qa_pairs, write_corpus  # noqa: E402

from flashcards.identity import IDENTITY_FILE  # noqa: E402

BIN = Path(sys.executable).parent
FLOOR = """
import sys, genanki
sys.path.insert(0, {here!r})
from corpus import qa_pairs
model = genanki.Model(1607392319, "floor", fields=[{{"name": "Q"}}, {{"name": "A"}}],
                      templates=[{{"name": "c", "qfmt": "{{{{Q}}}}", "afmt": "{{{{A}}}}"}}])
decks = {{}}
for i, (q, a) in enumerate(qa_pairs({files}, {questions})):
    deck = decks.setdefault(i // {questions}, genanki.Deck(2000 + i // {questions}, f"d{{i}}"))
    deck.add_note(genanki.Note(model=model, fields=[q, a], guid=str(i)))
genanki.Package(list(decks.values())).write_to_file({out!r}, timestamp=1)
"""


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak memory (KiB) of one command, in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr[-2000:]}")
    peak = int(proc.stderr.strip().splitlines()[-1]) if proc.stderr.strip() else 0
    return elapsed, peak


def ankdown_corpus(folder: Path, files: int, questions: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pairs = qa_pairs(files, questions)
    for index in range(files):
        chunk = pairs[index * questions : (index + 1) * questions]
        text = "\n---\n".join(f"{q}\n\n%\n\n{a}\n" for q, a in chunk)
        (folder / f"note-{index:03d}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--questions", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="flashcards-bench-"))
    try:
        run(work, args.files, args.questions, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, files: int, questions: int, rounds: int) -> None:
    cache = work / "cache"
    os.environ["XDG_CACHE_HOME"] = str(cache)  # the builds' cache, emptied before each full build
    notes = work / "notes"
    write_corpus(notes, files, questions)
    size = sum(p.stat().st_size for p in notes.glob("*.md"))
    ankdown_dir = work / "ankdown"
    ankdown_corpus(ankdown_dir, files, questions)
    floor_script = work / "floor.py"
    floor_script.write_text(
        FLOOR.format(here=str(HERE), files=files, questions=questions, out=str(work / "f.apkg"))
    )
    out = str(work / "o.apkg")
    flashcards = [str(BIN / "flashcards"), "build", "--quiet", str(notes), "-o", out]
    ankdown = shutil.which("ankdown", path=str(BIN))
    changed = notes / "note-000.md"
    original = changed.read_text(encoding="utf-8")

    samples: dict[str, list[float]] = {"full": [], "rebuild": [], "floor": [], "ankdown": []}
    peaks: dict[str, int] = {}
    for round_ in range(rounds):
        for name in ("floor", "full", "rebuild", "ankdown"):
            if name == "full":
                # From scratch: no identities, and no earlier package to recover them from.
                (notes / IDENTITY_FILE).unlink(missing_ok=True)
                Path(out).unlink(missing_ok=True)
                shutil.rmtree(cache, ignore_errors=True)
                seconds, peak = timed(flashcards, work)
            elif name == "rebuild":
                edit = original.replace("좋을까요?", f"좋을까요? (수정 {round_})", 1)
                changed.write_text(edit, encoding="utf-8")
                seconds, peak = timed(flashcards, work)
            elif name == "floor":
                seconds, peak = timed([sys.executable, str(floor_script)], work)
            elif ankdown:
                ankdown_out = str(work / "a.apkg")
                command = [ankdown, "-r", str(ankdown_dir), "-p", ankdown_out]
                seconds, peak = timed(command, work)
            else:
                continue
            samples[name].append(seconds)
            peaks[name] = max(peaks.get(name, 0), peak)

    help_runs = [timed([str(BIN / "flashcards"), "--help"], work)[0] for _ in range(7)]
    click_runs = [timed([sys.executable, "-c", "import click"], work)[0] for _ in range(7)]

    m = {name: statistics.median(v) for name, v in samples.items() if v}
    notes_count = files * questions
    print(f"corpus: {files} files × {questions} Q&A = {notes_count:,} notes, {size / 1e6:.1f} MB")
    python = sys.version.split()[0]
    print(f"machine: {os.cpu_count()} cores, Python {python}; medians of {rounds} rounds")
    for name in ("floor", "full", "rebuild", "ankdown"):
        if name in m:
            print(f"  {name:<8} {m[name]:7.2f} s   peak {peaks[name] / 1024:6.0f} MB")
    startup = statistics.median(help_runs) / statistics.median(click_runs)
    rows = [
        ("full / genanki floor", m["full"] / m["floor"], "≤ 3"),
        ("rebuild / full", m["rebuild"] / m["full"], "≤ 0.25"),
        ("--help / import click", startup, "≤ 2"),
    ]
    if "ankdown" in m:
        rows.append(("full / ankdown", m["full"] / m["ankdown"], "< 1"))
    print("ratios:")
    for label, value, target in rows:
        print(f"  {label:<24} {value:6.2f}  (target {target})")
    for name in ("full", "rebuild"):
        print(f"  peak memory ({name})".ljust(27) + f"{peaks[name] / 1024:6.0f} MB (target ≤ 400)")


if __name__ == "__main__":
    main()
