"""Options and output shared by the commands: one definition of each option, so every command
spells and explains it the same way."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..sync import Target

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
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
keep_going_option = click.option(
    "--keep-going", is_flag=True, help="Build what is valid; list what was skipped."
)
output_option = click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path),
    help="Where to write the .apkg (default: build/<deck-or-folder>.apkg).",
)  # fmt: skip

ANKI_CONNECT_URL = "http://127.0.0.1:8765"  # sync.ankiconnect.DEFAULT_URL, without importing it
collection_option = click.option(
    "--collection", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH",
    help="Sync into this collection file (collection.anki2; Anki must be closed).",
)  # fmt: skip
anki_connect_option = click.option(
    "--anki-connect", "anki_connect", is_flag=False, flag_value=ANKI_CONNECT_URL, default=None,
    metavar="[URL]",
    help=f"Sync into a running Anki through AnkiConnect (default {ANKI_CONNECT_URL}).",
)  # fmt: skip

# Infos a build shows unless --quiet: the user should see which edited notes kept their identity.
BUILD_INFOS = {"matched-after-edit", "identity-twice", "identity-format"}


def source_paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [DEFAULT_SOURCE]


def report(
    diagnostics: list[Diagnostic], infos: set[str] | None = None, stream_err: bool = True
) -> None:
    """Print problems; of the infos only those whose code is in `infos` (None: all)."""
    for diagnostic in diagnostics:
        if diagnostic.severity != "info" or infos is None or diagnostic.code in infos:
            click.echo(diagnostic.format(), err=stream_err)


def sync_target(collection: Path | None, anki_connect: str | None) -> Target:
    """The Anki that `--collection` or `--anki-connect` names: exactly one of them."""
    if collection is not None and anki_connect is not None:
        raise click.UsageError("give only one of --collection PATH or --anki-connect [URL]")
    if collection is None and anki_connect is None:
        raise click.UsageError("give one of --collection PATH or --anki-connect [URL]")
    if collection is not None:
        from ..sync import CollectionTarget

        return CollectionTarget(collection)
    from ..sync import AnkiConnectTarget

    # A URL the user typed is used as it is; the default is this computer's.
    return AnkiConnectTarget(
        anki_connect or ANKI_CONNECT_URL, allow_remote=anki_connect != ANKI_CONNECT_URL
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """A build keeps its notes, entries and fields alive until it ends and makes few reference
    cycles, yet Python's cyclic collector walks all of them again and again while they are
    created: a third of a rebuild's time, for nothing to free."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class ProgressBar:
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
