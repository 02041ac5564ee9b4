"""`flashcards sync`: bring an Anki collection up to date with the notes, in one step."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    anki_connect_option,
    collection_option,
    encoding_option,
    no_merge_option,
    paths_argument,
    report,
    source_paths,
    strict_option,
    sync_target,
)

if TYPE_CHECKING:
    from ..sync import Removed


@click.command()
@paths_argument
@collection_option
@anki_connect_option
@click.option("--delete-removed", is_flag=True, help="Delete notes gone from the notes in Anki.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing at all.")
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path),
    help="Where to write the .apkg (default: as `flashcards build`).",
)  # fmt: skip
@encoding_option
@no_merge_option
@strict_option
@click.option("-v", "--verbose", is_flag=True, help="Also list every note changed.")
def sync(
    paths: tuple[Path, ...],
    collection: Path | None,
    anki_connect: str | None,
    delete_removed: bool,
    dry_run: bool,
    out: Path | None,
    encoding: str | None,
    no_merge: bool,
    strict: bool,
    verbose: bool,
) -> None:
    """Build PATHS (default: source/) and bring Anki up to date with them: added, updated and
    moved notes, your own tags and edits kept, reviews untouched; notes gone from the notes
    listed, and deleted with --delete-removed (or after a yes at the prompt)."""
    from ..sync import sync as run_sync

    target = sync_target(collection, anki_connect)
    # Asked only at a terminal, and only when there is something to delete.
    confirm = delete_removed or (_ask if sys.stdin.isatty() and not dry_run else False)
    result = run_sync(
        source_paths(paths), target, now=int(time.time()), dry_run=dry_run,
        delete_removed=confirm, out=out, encoding=encoding, strict=strict, merge=not no_merge,
    )  # fmt: skip
    report(result.diagnostics, infos=None if verbose else set())
    if result.build is not None and not result.build.errors:
        click.echo(result.summary())
        if verbose:
            for line in result.details():
                click.echo(f"  {line}")
    if result.errors:
        sys.exit(1)


def _ask(removed: list[Removed]) -> bool:
    click.echo(f"{len(removed)} notes are gone from your notes but still in Anki:")
    for note in removed:
        click.echo(f"  '{note.title}' [{note.deck}]")
    try:
        return click.confirm("Delete them in Anki (with their cards and review history)?")
    except click.Abort:  # Ctrl-D or Ctrl-C at the prompt: a no, said as one
        click.echo("\nnot deleted", err=True)
        return False
