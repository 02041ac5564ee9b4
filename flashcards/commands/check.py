"""`flashcards check`: problems in the notes as `path:line: severity: message`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    encoding_option,
    no_merge_option,
    paths_argument,
    report,
    source_paths,
    strict_option,
)

# Infos `check` keeps for -v: one line per merge is noise until the user asks why.
_MERGE_INFOS = {"merged"}


@click.command()
@paths_argument
@encoding_option
@no_merge_option
@strict_option
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say which questions were merged, and why."
)
def check(
    paths: tuple[Path, ...], encoding: str | None, no_merge: bool, strict: bool, verbose: bool
) -> None:
    """Report problems in PATHS as `path:line: severity: message`; exit 1 on errors."""
    from ..diagnostics import strictly
    from ..pipeline import collect

    paths_ = source_paths(paths)
    collected = collect(paths_, encoding, merge=not no_merge, with_notes=False)
    diagnostics = strictly(collected.diagnostics) if strict else collected.diagnostics
    quiet_infos = set() if verbose else _MERGE_INFOS
    report([d for d in diagnostics if d.code not in quiet_infos], stream_err=False)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    click.echo(f"{len(collected.rows)} notes, {errors} errors, {warnings} warnings", err=True)
    if errors:
        sys.exit(1)
