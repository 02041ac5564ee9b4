"""`flashcards extract`: the validated notes, for scripts and diffs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import encoding_option, no_merge_option, paths_argument, report, source_paths


@click.command()
@paths_argument
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
    help="json: the validated model, for scripts and diffs; text: one line per note.",
)  # fmt: skip
@encoding_option
@no_merge_option
def extract(paths: tuple[Path, ...], fmt: str, encoding: str | None, no_merge: bool) -> None:
    """Print the notes extracted from PATHS."""
    from ..pipeline import collect

    extraction = collect(source_paths(paths), encoding, merge=not no_merge).extraction
    if fmt == "json":
        click.echo(extraction.model_dump_json(indent=2))
    else:
        for note in extraction.notes:
            click.echo(f"{note.source}: {note.kind}: {note.title}")
        report(extraction.diagnostics)
    if extraction.has_errors:
        sys.exit(1)
