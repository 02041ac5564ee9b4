"""`flashcards watch`: build again each time a note is saved, until Ctrl-C."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    ANKI_CONNECT_URL,
    BUILD_INFOS,
    anki_connect_option,
    collection_option,
    encoding_option,
    keep_going_option,
    no_merge_option,
    output_option,
    paths_argument,
    report,
    source_paths,
    strict_option,
    sync_target,
)

if TYPE_CHECKING:
    from ..report import BuildResult
    from ..sync import SyncResult


@click.command()
@paths_argument
@output_option
@click.option(
    "--sync", "sync_too", is_flag=True,
    help=f"Also sync each build into Anki: through AnkiConnect ({ANKI_CONNECT_URL}) unless "
    "--collection or --anki-connect says where.",
)  # fmt: skip
@collection_option
@anki_connect_option
@encoding_option
@no_merge_option
@strict_option
@keep_going_option
def watch(
    paths: tuple[Path, ...], out: Path | None, sync_too: bool, collection: Path | None,
    anki_connect: str | None, encoding: str | None, no_merge: bool, strict: bool,
    keep_going: bool,
) -> None:  # fmt: skip
    """Build PATHS now and again after every save of a note, an image or glossary.yaml (a
    burst of saves is one build); one summary line per build; Ctrl-C stops. With --sync (or
    --collection/--anki-connect), each build is synced into Anki; removed notes are listed,
    never deleted (that takes `flashcards sync --delete-removed`)."""
    from ..watch import unwatchable
    from ..watch import watch as watch_notes

    sources = source_paths(paths)
    problems = unwatchable(sources, out)
    if problems:  # nothing a save could change: stop now, not at every save
        report(problems)
        sys.exit(1)
    step: Callable[[list[Path]], BuildResult | SyncResult]
    if sync_too or collection is not None or anki_connect is not None:
        if collection is None and anki_connect is None:
            anki_connect = ANKI_CONNECT_URL
        sync_target(collection, anki_connect)  # a usage error now, not at the first save
        step = _sync_step(sources, out, encoding, not no_merge, strict, collection, anki_connect)
    else:
        step = _build_step(sources, out, encoding, not no_merge, strict, keep_going)
    ignored = [out] if out is not None else [Path("build")]
    shown = ", ".join(p.as_posix() for p in sources)
    click.echo(f"watching {shown} (Ctrl-C to stop)", err=True)
    try:
        for run in watch_notes(sources, step, ignored=ignored):
            report(run.result.diagnostics, infos=BUILD_INFOS)
            click.echo(_line(run.result, run.changed))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _build_step(
    paths: list[Path], out: Path | None, encoding: str | None, merge: bool, strict: bool,
    keep_going: bool,
) -> Callable[[list[Path]], BuildResult | SyncResult]:  # fmt: skip
    """What each change runs without --sync: a build."""
    from ..pipeline import build

    def step(changed: list[Path]) -> BuildResult:
        result = build(
            paths, out, now=int(time.time()), encoding=encoding, strict=strict,
            keep_going=keep_going, merge=merge,
        )  # fmt: skip
        return result

    return step


def _sync_step(
    paths: list[Path], out: Path | None, encoding: str | None, merge: bool, strict: bool,
    collection: Path | None, anki_connect: str | None,
) -> Callable[[list[Path]], BuildResult | SyncResult]:  # fmt: skip
    """What each change runs with --sync: a build, then the sync (a fresh target each time: a
    sync opens and closes it, so Anki is free between saves)."""
    from ..sync import sync

    def step(changed: list[Path]) -> SyncResult:
        target = sync_target(collection, anki_connect)
        return sync(
            paths, target, now=int(time.time()), out=out, encoding=encoding, strict=strict,
            merge=merge,
        )  # fmt: skip

    return step


def _line(result: BuildResult | SyncResult, changed: list[Path]) -> str:
    """One line per build: when, what was written (or synced), what changed."""
    from ..report import BuildResult, changes_summary

    line = f"[{time.strftime('%H:%M:%S')}] {result.summary().splitlines()[0]}"
    if isinstance(result, BuildResult) and result.written:
        line += "; " + changes_summary(result.changes).splitlines()[0].removeprefix("changes: ")
    if changed:
        names = ", ".join(path.name for path in changed[:3])
        line += f" (saved: {names}{', …' if len(changed) > 3 else ''})"
    return line
