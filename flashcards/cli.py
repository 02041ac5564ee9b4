"""The `flashcards` command: parse options, call the core, print what it returns.

Exit status: 0 ok, 1 problems in the input, 2 usage errors (Click's own).
Heavy modules are imported inside the commands so `flashcards --help` starts fast.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .commands.preview import preview as preview_command
from .commands.sync import sync as sync_command
from .commands.watch import watch as watch_command

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

DEFAULT_SOURCE = Path("source")

_paths = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)
_encoding = click.option(
    "--encoding", metavar="CODEC", help="Read every note file with this encoding (e.g. cp949)."
)
_no_merge = click.option(
    "--no-merge", is_flag=True, help="Keep questions asked twice (two note-takers) as two notes."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashcards")
def main() -> None:
    """Turn lecture and Q&A notes (Markdown, Notion/web exports) into Anki decks."""


# Infos a build shows unless --quiet: the user should see which edited notes kept their identity.
_BUILD_INFOS = {"matched-after-edit", "identity-twice", "identity-format"}
# Infos `check` keeps for -v: one line per merge is noise until the user asks why.
_MERGE_INFOS = {"merged"}


def _report(
    diagnostics: list[Diagnostic], stream_err: bool = True, infos: set[str] | None = None
) -> None:
    """Print problems; of the infos only those whose code is in `infos` (None: all)."""
    for diagnostic in diagnostics:
        if diagnostic.severity != "info" or infos is None or diagnostic.code in infos:
            click.echo(diagnostic.format(), err=stream_err)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A build keeps its notes, entries and fields alive until it ends and makes few reference
    cycles, yet Python's cyclic collector walks all of them again and again while they are
    created: a third of a rebuild's time, for nothing to free."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _ProgressBar:
    """A bar on stderr, shown only once a build has taken about a second (and on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown_after = time.monotonic() + 1.0
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() < self.shown_after:
                return
            self.bar = click.progressbar(length=total, label="Reading notes", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command()
@_paths
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path),  # a folder: refused by the core
    help="Where to write the .apkg (default: build/<deck-or-folder>.apkg); never replaces a "
    "file flashcards did not write.",
)  # fmt: skip
@_encoding
@_no_merge
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--keep-going", is_flag=True, help="Build what is valid; list what was skipped.")
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
    from .pipeline import build as run_build

    progress = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    try:
        with _collector_paused():
            result = run_build(
                list(paths) or [DEFAULT_SOURCE],
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
    _report(result.diagnostics, infos=None if verbose else set() if quiet else _BUILD_INFOS)
    if not quiet:
        click.echo(result.summary())
    if result.errors:
        sys.exit(1)


@main.command()
@_paths
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
    help="json: the validated model, for scripts and diffs; text: one line per note.",
)  # fmt: skip
@_encoding
@_no_merge
def extract(paths: tuple[Path, ...], fmt: str, encoding: str | None, no_merge: bool) -> None:
    """Print the notes extracted from PATHS."""
    from .pipeline import collect

    extraction = collect(list(paths) or [DEFAULT_SOURCE], encoding, merge=not no_merge).extraction
    if fmt == "json":
        click.echo(extraction.model_dump_json(indent=2))
    else:
        for note in extraction.notes:
            click.echo(f"{note.source}: {note.kind}: {note.title}")
        _report(extraction.diagnostics)
    if extraction.has_errors:
        sys.exit(1)


@main.command()
@_paths
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "yaml"]), default="text",
    show_default=True,
    help="text: one line per term; json: for scripts; yaml: glossary.yaml entries to fill in.",
)  # fmt: skip
@click.option("--missing", is_flag=True, help="Only the terms with no definition yet.")
@_encoding
def terms(paths: tuple[Path, ...], fmt: str, missing: bool, encoding: str | None) -> None:
    """List the key terms in PATHS, most mentioned first, with their definitions (a term makes
    a card only once it has one: from glossary.yaml or the notes)."""
    from .diagnostics import shorten
    from .enrich.terms.glossary import scaffold
    from .notes import TermList
    from .pipeline import collect

    collected = collect(list(paths) or [DEFAULT_SOURCE], encoding, with_notes=False)
    found = [t for t in collected.terms if not missing or t.definition is None]
    if fmt == "json":
        click.echo(TermList(terms=found).model_dump_json(indent=2))
    elif fmt == "yaml":
        click.echo(scaffold(found), nl=False)
    else:
        for term in found:
            said = " ".join(term.definition.split()) if term.definition else ""
            meaning = shorten(said, 70) if said else "(no definition: no card)"
            click.echo(f"{term.count:>4}  {term.term}: {meaning}  [{term.source}]")
    _report([d for d in collected.diagnostics if d.severity == "error"])
    if any(d.severity == "error" for d in collected.diagnostics):
        sys.exit(1)


@main.command()
@_paths
@_encoding
@_no_merge
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say which questions were merged, and why."
)
def check(
    paths: tuple[Path, ...], encoding: str | None, no_merge: bool, strict: bool, verbose: bool
) -> None:
    """Report problems in PATHS as `path:line: severity: message`; exit 1 on errors."""
    from .diagnostics import strictly
    from .pipeline import collect

    paths_ = list(paths) or [DEFAULT_SOURCE]
    collected = collect(paths_, encoding, merge=not no_merge, with_notes=False)
    diagnostics = strictly(collected.diagnostics) if strict else collected.diagnostics
    quiet_infos = set() if verbose else _MERGE_INFOS
    _report([d for d in diagnostics if d.code not in quiet_infos], stream_err=False)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    click.echo(f"{len(collected.rows)} notes, {errors} errors, {warnings} warnings", err=True)
    if errors:
        sys.exit(1)


main.add_command(sync_command)
main.add_command(preview_command)
main.add_command(watch_command)
