"""What a build reads: the paths given, with an export archive unpacked (archive.py) into the
build's own temporary folder for as long as the build runs.

An archive's members are known by their paths inside it (`Lecture 3 <id>.md`), never by the
archive's own name: Notion names every export `Export-<new id>.zip`, so that name would change
every note's source tag and identity entry with each download (and make Anki take every note
as updated, overwriting the user's edits). Only diagnostics show the archive's name, for the
user to find the file (`Export-….zip/Lecture 3 <id>.md:3`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, error
from .archive import is_archive, unpack
from .sources import display_path


@dataclass(frozen=True)
class Inputs:
    paths: list[Path]  # to read: an archive replaced by the folder it was unpacked to
    folder: Path  # the notes folder: the identity file and glossary.yaml (an archive's folder)
    root: Path  # where the files read are: the notes folder, or the unpacked archive
    problems: list[Diagnostic] = field(default_factory=list)
    shown_at: Path | None = None  # where `root` is shown to be (the archive itself), if moved


def identity_folder(paths: list[Path]) -> Path:
    folders = [p if p.is_dir() else p.parent for p in paths] or [Path(".")]
    return Path(os.path.commonpath([f.resolve() for f in folders]))


@contextmanager
def opened(paths: list[Path]) -> Iterator[Inputs]:
    """The inputs of a build of `paths`; an archive among them unpacked until the block ends.
    An archive is built on its own: its notes are named by their paths inside it (`Page.md`),
    and shown by its path too (`Export.zip/Page.md`)."""
    folder = identity_folder(paths)
    archives = [path for path in paths if is_archive(path)]
    if not archives:
        yield Inputs(paths, folder, folder)
        return
    shown = display_path(archives[0])
    if len(paths) > 1:
        message = "build an export archive on its own (one archive, no other paths)"
        yield Inputs([], folder, folder, [error("archive", shown, None, message)])
        return
    with tempfile.TemporaryDirectory(prefix="flashcards-") as temporary:
        root = Path(temporary).resolve()
        unpacked = root / archives[0].name
        problem = unpack(archives[0], unpacked, shown)
        if problem is None and not any(p.is_file() for p in unpacked.rglob("*")):
            problem = error("archive", shown, None, "no notes in this archive")
        if problem is not None:
            yield Inputs([], folder, folder, [problem])
        else:
            # The unpacked archive is the root: its members' paths there name them.
            yield Inputs([unpacked], folder, unpacked, shown_at=folder / archives[0].name)
