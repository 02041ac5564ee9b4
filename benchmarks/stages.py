"""Where a worker's time goes: each stage of one file's work (workers._process), in ms per file.

Runs the stages one after the other in this process on a sample of the benchmark corpus, so the
figures are CPU time per file, before the two worker processes share them out.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

from flashcards.enrich import finish_deck  # noqa: E402
from flashcards.enrich.terms import find_terms  # noqa: E402
from flashcards.extract import ParsedFile, extract_file  # noqa: E402
from flashcards.read.blocks import parse  # noqa: E402
from flashcards.read.sources import read_source  # noqa: E402
from flashcards.render import render_deck  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--questions", type=int, default=250)
    args = parser.parse_args()
    gc.disable()  # as in a build (cli._collector_paused)
    spent: dict[str, float] = {}

    def timed(stage: str, start: float) -> None:
        spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="flashcards-stages-") as work:
        folder = Path(work)
        for path in write_corpus(folder, args.files, args.questions):
            start = time.perf_counter()
            source = read_source(path, folder, None)
            assert not isinstance(source, list), source
            timed("read and decode", start)
            start = time.perf_counter()
            parse(source.text)
            timed("parse (markdown-it-pyrs → line-mapped tree)", start)
            start = time.perf_counter()
            parsed = extract_file(source)  # parses again: the parse is subtracted below
            assert isinstance(parsed, ParsedFile), parsed
            timed("extract", start)
            start = time.perf_counter()
            find_terms([parsed], None)
            timed("key terms", start)
            start = time.perf_counter()
            deck = finish_deck([parsed], None, merge=True)  # finds the terms again: subtracted
            timed("enrich: notes validated, clozes, merges", start)
            start = time.perf_counter()
            render_deck(deck, folder)
            timed("render: fields and digests", start)
    spent["extract"] -= spent["parse (markdown-it-pyrs → line-mapped tree)"]
    spent["enrich: notes validated, clozes, merges"] -= spent["key terms"]

    print(f"one worker's time, ms per file of {args.questions} Q&A ({args.files} files):")
    for stage, seconds in spent.items():
        print(f"  {stage:<46} {seconds / args.files * 1000:6.1f}")
    print(f"  {'total':<46} {sum(spent.values()) / args.files * 1000:6.1f}")


if __name__ == "__main__":
    main()
