"""`flashcards build`: notes → one Anki package, the identity file kept up to date."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .common import (
    BUILD_INFOS,
    ProgressBar,
    collector_paused,
    encoding_option,
    keep_going_option,
    no_merge_option,
    paths_argument,
    report,
    source_paths,
    strict_option,
)


@click.command()
@paths_argument
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path),  # a folder: refused by the core
    help="Where to write the .apkg (default: build/<deck-or-folder>.apkg); never replaces a "
    "file flashcards did not write.",
)  # fmt: skip
@encoding_option
@no_merge_option
@strict_option
@keep_going_option
@click.option("--dry-run", is_flag=True, help="Print the summary without writing anything.")
@click.option(
    "--forget-removed", is_flag=True,
    help="Stop writing notes already written once as removed (delete them in Anki first).",
)  # fmt: skip
@click.option(
    "--recover-from", type=click.Path(path_type=Path, dir_okay=False), metavar="PACKAGE",
    help="If the identity file is lost, recover it from this earlier build (default: the output).",
)  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Also list merges and edited notes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
def build(
    paths: tuple[Path, ...],
    out: Path | None,
    encoding: str | None,
    no_merge: bool,
    strict: bool,
    keep_going: bool,
    dry_run: bool,
    forget_removed: bool,
    recover_from: Path | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Build an Anki package from PATHS (files or folders; default: source/)."""
    from ..pipeline import build as run_build

    progress = ProgressBar(enabled=not quiet and sys.stderr.isatty())
    try:
        with collector_paused():
            result = run_build(
                source_paths(paths),
                out,
                encoding=encoding,
                strict=strict,
                keep_going=keep_going,
                dry_run=dry_run,
                now=int(time.time()),
                progress=progress,
                merge=not no_merge,
                forget_removed=forget_removed,
                recover_from=recover_from,
            )
    finally:
        progress.close()
    report(result.diagnostics, infos=None if verbose else set() if quiet else BUILD_INFOS)
    if not quiet:
        click.echo(result.summary())
    if result.errors:
        sys.exit(1)
