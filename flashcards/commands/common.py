"""Options and output shared by the commands in this folder (cli.py has its own for the first
four commands; these are the same options)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic

DEFAULT_SOURCE = Path("source")

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)
encoding_option = click.option(
    "--encoding", metavar="CODEC", help="Read every note file with this encoding (e.g. cp949)."
)
no_merge_option = click.option(
    "--no-merge", is_flag=True, help="Keep questions asked twice (two note-takers) as two notes."
)


def source_paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [DEFAULT_SOURCE]


def report(diagnostics: list[Diagnostic], infos: set[str] | None = None) -> None:
    """Print problems on stderr; of the infos only those whose code is in `infos` (None: all)."""
    for diagnostic in diagnostics:
        if diagnostic.severity != "info" or infos is None or diagnostic.code in infos:
            click.echo(diagnostic.format(), err=True)
