"""`flashcards watch`: build again each time a note is saved, until Ctrl-C."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import encoding_option, no_merge_option, paths_argument, report, source_paths

if TYPE_CHECKING:
    from ..report import BuildResult

# Infos a rebuild shows: notes that kept their identity after an edit.
_INFOS = {"matched-after-edit", "identity-twice", "identity-format"}


@click.command()
@paths_argument
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path),
    help="Where to write the .apkg (default: build/<deck-or-folder>.apkg).",
)  # fmt: skip
@encoding_option
@no_merge_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--keep-going", is_flag=True, help="Build what is valid; list what was skipped.")
def watch(
    paths: tuple[Path, ...], out: Path | None, encoding: str | None, no_merge: bool,
    strict: bool, keep_going: bool,
) -> None:  # fmt: skip
    """Build PATHS now and again after every save of a note, an image or glossary.yaml (a
    burst of saves is one build); one summary line per build; Ctrl-C stops."""
    from ..watch import watch as watch_notes

    sources = source_paths(paths)
    step = _build_step(sources, out, encoding, not no_merge, strict, keep_going)
    ignored = [out] if out is not None else [Path("build")]
    shown = ", ".join(p.as_posix() for p in sources)
    click.echo(f"watching {shown} (Ctrl-C to stop)", err=True)
    try:
        for run in watch_notes(sources, step, ignored=ignored):
            report(run.result.diagnostics, infos=_INFOS)
            click.echo(_line(run.result, run.changed))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _build_step(
    paths: list[Path], out: Path | None, encoding: str | None, merge: bool, strict: bool,
    keep_going: bool,
) -> Callable[[list[Path]], BuildResult]:  # fmt: skip
    """What each change runs. `--sync` plugs in here, and only here (see below)."""
    from ..pipeline import build

    def step(changed: list[Path]) -> BuildResult:
        result = build(
            paths, out, now=int(time.time()), encoding=encoding, strict=strict,
            keep_going=keep_going, merge=merge,
        )  # fmt: skip
        # SYNC HOOK — `flashcards watch --sync …`: once `flashcards.sync` lands, call its core
        # here when `result.written`, with the package `result.out`, and add what it reports
        # to `result.diagnostics` (the loop prints them). Nothing else needs to change.
        return result

    return step


def _line(result: BuildResult, changed: list[Path]) -> str:
    """One line per build: when, what was written, what changed."""
    from ..report import changes_summary

    line = f"[{time.strftime('%H:%M:%S')}] {result.summary().splitlines()[0]}"
    if result.written:
        line += "; " + changes_summary(result.changes).splitlines()[0].removeprefix("changes: ")
    if changed:
        names = ", ".join(path.name for path in changed[:3])
        line += f" (saved: {names}{', …' if len(changed) > 3 else ''})"
    return line
