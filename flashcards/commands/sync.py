"""`flashcards sync`: bring an Anki collection up to date with the notes, in one step."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..sync import Removed, Target

_DEFAULT_URL = "http://127.0.0.1:8765"  # sync.ankiconnect.DEFAULT_URL, without importing it


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True))
@click.option(
    "--collection", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH",
    help="Sync into this collection file (collection.anki2; Anki must be closed).",
)  # fmt: skip
@click.option(
    "--anki-connect", "anki_connect", is_flag=False, flag_value=_DEFAULT_URL, default=None,
    metavar="[URL]",
    help=f"Sync into a running Anki through AnkiConnect (default {_DEFAULT_URL}).",
)  # fmt: skip
@click.option("--delete-removed", is_flag=True, help="Delete notes gone from the notes in Anki.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing at all.")
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the .apkg (default: as `flashcards build`).",
)  # fmt: skip
@click.option("--encoding", metavar="CODEC", help="Read every note file with this encoding.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every note changed.")
def sync(
    paths: tuple[Path, ...],
    collection: Path | None,
    anki_connect: str | None,
    delete_removed: bool,
    dry_run: bool,
    out: Path | None,
    encoding: str | None,
    strict: bool,
    verbose: bool,
) -> None:
    """Build PATHS (default: source/) and bring Anki up to date with them: added, updated and
    moved notes, your own tags and edits kept, reviews untouched; notes gone from the notes
    listed, and deleted with --delete-removed (or after a yes at the prompt)."""
    from ..sync import sync as run_sync

    target = _target(collection, anki_connect)
    # Asked only at a terminal, and only when there is something to delete.
    confirm = delete_removed or (_ask if sys.stdin.isatty() and not dry_run else False)
    result = run_sync(
        list(paths) or [Path("source")], target, now=int(time.time()), dry_run=dry_run,
        delete_removed=confirm, out=out, encoding=encoding, strict=strict,
    )  # fmt: skip
    for diagnostic in result.diagnostics:
        if diagnostic.severity != "info" or verbose:
            click.echo(diagnostic.format(), err=True)
    if result.build is not None and not result.build.errors:
        click.echo(result.summary())
        if verbose:
            for line in result.details():
                click.echo(f"  {line}")
    if result.errors:
        sys.exit(1)


def _target(collection: Path | None, anki_connect: str | None) -> Target:
    if (collection is None) == (anki_connect is None):
        raise click.UsageError("give one of --collection PATH or --anki-connect [URL]")
    if collection is not None:
        from ..sync import CollectionTarget

        return CollectionTarget(collection)
    from ..sync import AnkiConnectTarget

    # A URL the user typed is used as it is; the default is this computer's.
    return AnkiConnectTarget(
        anki_connect or _DEFAULT_URL, allow_remote=anki_connect != _DEFAULT_URL
    )


def _ask(removed: list[Removed]) -> bool:
    click.echo(f"{len(removed)} notes are gone from your notes but still in Anki:")
    for note in removed:
        click.echo(f"  '{note.title}' [{note.deck}]")
    return click.confirm("Delete them in Anki (with their cards and review history)?")
