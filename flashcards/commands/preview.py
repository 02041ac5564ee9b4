"""`flashcards preview`: every card, front and back, on one offline HTML page."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .common import encoding_option, no_merge_option, paths_argument, report, source_paths


@click.command()
@paths_argument
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path), metavar="PAGE.html",
    help="Where to write the page (default: build/preview.html); never replaces a file that is "
    "not a preview page.",
)  # fmt: skip
@encoding_option
@no_merge_option
@click.option("--keep-going", is_flag=True, help="Preview what is valid despite errors.")
def preview(
    paths: tuple[Path, ...], out: Path | None, encoding: str | None, no_merge: bool,
    keep_going: bool,
) -> None:  # fmt: skip
    """Write one self-contained HTML page showing every card of PATHS as Anki shows it: the
    same templates and CSS, math as MathML, images inlined; search, deck, tag and night mode."""
    from ..preview import preview as run_preview

    result = run_preview(
        source_paths(paths), out, now=int(time.time()), encoding=encoding,
        merge=not no_merge, keep_going=keep_going,
    )  # fmt: skip
    report(result.diagnostics, infos=set())
    click.echo(result.summary())
    if result.errors:
        sys.exit(1)
