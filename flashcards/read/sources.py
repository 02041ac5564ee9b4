"""Read sources: find note files, decode them, and split off their front matter (frontmatter.py).

Everything here is about bytes → text; nothing here knows about questions or Markdown.
"""

from __future__ import annotations

import codecs
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from .archive import ARCHIVE_SUFFIXES
from .debris import as_markdown
from .frontmatter import FrontMatter, split_front_matter
from .notebook import is_notebook, notebook_to_markdown
from .obsidian import obsidian_to_markdown
from .webpage import is_webpage, webpage_to_markdown

NOTE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".ipynb")
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 100_000


@dataclass(frozen=True)
class SourceFile:
    """One decoded note file. `text` keeps every line where it was, front matter blanked out."""

    display: str  # the path as shown to the user in diagnostics and on cards
    rel: str  # the path inside the notes folder, '/'-separated: stable across machines
    text: str
    front: FrontMatter = field(default_factory=FrontMatter)
    front_lines: dict[str, int] = field(default_factory=dict)  # front matter key → its line
    folders: tuple[str, ...] = ()  # its sub-folders in the folder built: its deck's parents
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings about the file

    def line_of(self, key: str) -> int:
        return self.front_lines.get(key, 1)


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


Folders = dict[Path, tuple[str, ...]]


def discover(paths: list[Path]) -> tuple[list[Path], list[Diagnostic], Folders]:
    """Expand files and folders (recursively, sorted) into the note files they name, each once;
    and, for each file found in a folder, its sub-folders there (the parents of its deck)."""
    found: list[Path] = []
    diagnostics: list[Diagnostic] = []
    folders: Folders = {}
    for path in paths:
        if path.is_dir():
            files, archives = _in_folder(path)
            diagnostics += [_archive_skipped(archive) for archive in archives]
            if not files:
                message = (
                    "no notes here (.md, .markdown, .txt, .html, .ipynb; "
                    "an export .zip is built on its own)"
                )
                diagnostics.append(error("no-notes", display_path(path), None, message))
            found += files
            for file in files:
                folders.setdefault(file, file.relative_to(path).parent.parts)
        elif path.is_file():
            found.append(path)
        else:
            diagnostics.append(
                error("not-found", display_path(path), None, "no such file or folder")
            )
    seen: set[Path] = set()
    unique = []
    for file in found:  # `build a.md a.md` or a file inside a folder also given
        resolved = file.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(file)
    return unique, diagnostics, folders


def _in_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """The note files in `folder` and the export archives there, sorted, hidden ones left out."""
    files: list[Path] = []
    archives: list[Path] = []
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in NOTE_SUFFIXES and suffix not in ARCHIVE_SUFFIXES:
            continue
        if path.is_file() and not _hidden(path, folder):
            (files if suffix in NOTE_SUFFIXES else archives).append(path)
    return files, archives


def _archive_skipped(archive: Path) -> Diagnostic:
    """An export archive is read only when built on its own (its notes have their own identity
    file, beside it): one in a folder is said, with the command that builds it, never skipped
    silently (a user who unzipped nothing would otherwise wonder where the notes went)."""
    shown = display_path(archive)
    message = f"an export archive is built on its own: flashcards build {shlex.quote(shown)}"
    return warning("archive-skipped", shown, None, message)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def decode(data: bytes, display: str, encoding: str | None = None) -> str | Diagnostic:
    """Bytes to text: BOMs first, then strict UTF-8, then a detector for legacy encodings."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            return error("encoding", display, None, f"cannot decode as {encoding}: {exc}")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                return error("encoding", display, None, f"broken {codec} text: {exc.reason}")
    if b"\x00" in data[:8192]:
        return error("binary", display, None, "this is a binary file, not text notes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data, display)


def _detect(data: bytes, display: str) -> str | Diagnostic:
    from charset_normalizer import from_bytes  # only needed for non-UTF-8 files

    best = from_bytes(data, cp_isolation=["cp949", "euc_kr", "utf_8", "cp1252", "latin_1"]).best()
    if best is None or best.encoding not in {"cp949", "euc_kr"}:
        return error(
            "encoding",
            display,
            None,
            "not UTF-8 text and no legacy encoding was recognised; "
            "save it as UTF-8 or pass --encoding (e.g. --encoding cp949)",
        )
    return data.decode(best.encoding, errors="strict")


def read_bytes(path: Path, display: str) -> bytes | Diagnostic:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return error("too-large", display, None, "file larger than 64 MB; split it up")
        return path.read_bytes()
    except OSError as exc:
        return error("unreadable", display, None, f"cannot read: {exc.strerror or exc}")


def read_source(
    path: Path,
    root: Path,
    encoding: str | None = None,
    data: bytes | None = None,
    display: str | None = None,
    folders: tuple[str, ...] = (),
) -> SourceFile | list[Diagnostic]:
    """Decode one note file (`data`, if its bytes were read already); `folders`: its
    sub-folders in the folder built."""
    display = display_path(path) if display is None else display
    if data is None:
        loaded = read_bytes(path, display)
        if isinstance(loaded, Diagnostic):
            return [loaded]
        data = loaded
    text = decode(data, display, encoding)
    if isinstance(text, Diagnostic):
        return [text]
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if is_webpage(path.name):
        text = webpage_to_markdown(text)
    elif is_notebook(path.name):
        cells = notebook_to_markdown(text)
        if not isinstance(cells, str):
            return [error("notebook", display, cells.line, cells.message)]
        text = cells
    body, front, front_lines, problems = split_front_matter(text, display)
    if problems:
        return problems
    body, warnings = _drop_overlong_lines(body, display)
    body, control = _drop_control_characters(body, display)
    warnings.extend(control)
    body = as_markdown(obsidian_to_markdown(body))
    if not body.strip():
        warnings.append(warning("empty", display, None, "empty file: no notes in it"))
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return SourceFile(
        display=display,
        rel=rel,
        text=body,
        front=front,
        front_lines=front_lines,
        folders=folders,
        diagnostics=warnings,
    )


# C0 controls but tab and newline, and DEL: invisible in notes, and U+001F is the separator of
# Anki's own field storage (one in a field would shift every field after it).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _drop_control_characters(text: str, display: str) -> tuple[str, list[Diagnostic]]:
    match = _CONTROL.search(text)
    if match is None:
        return text, []
    line = text.count("\n", 0, match.start()) + 1
    message = "control characters removed (first on this line)"
    return _CONTROL.sub("", text), [warning("control-characters", display, line, message)]


def _drop_overlong_lines(text: str, display: str) -> tuple[str, list[Diagnostic]]:
    """Blank out lines no note-taker writes (the Markdown parser is quadratic on them)."""
    if len(text) <= MAX_LINE_CHARS or max(map(len, text.split("\n"))) <= MAX_LINE_CHARS:
        return text, []
    lines = text.split("\n")
    warnings = []
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            lines[number - 1] = ""
            message = f"line of {len(line):,} characters skipped"
            warnings.append(warning("line-too-long", display, number, message))
    return "\n".join(lines), warnings
