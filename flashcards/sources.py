"""Read sources: find note files, decode them, and split off YAML front matter.

Everything here is about bytes → text; nothing here knows about questions or Markdown.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .models import Diagnostic, error, warning

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 100_000


class FrontMatter(BaseModel):
    """The YAML header a note file may start with."""

    model_config = ConfigDict(extra="allow")

    deck: str | None = None
    tags: list[str] = []

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return value.replace(",", " ").split()
        if isinstance(value, list):  # `tags: [cv, 2024]`: YAML reads 2024 as a number
            return [str(v) if isinstance(v, int | float) else v for v in value]
        return value

    @field_validator("deck", mode="before")
    @classmethod
    def _deck_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


@dataclass
class SourceFile:
    """One decoded note file. `text` keeps every line where it was, front matter blanked out."""

    path: Path
    display: str  # the path as shown to the user in diagnostics and on cards
    rel: str  # the path relative to the source root, '/'-separated: stable across machines
    text: str
    front: FrontMatter = field(default_factory=FrontMatter)
    front_lines: dict[str, int] = field(default_factory=dict)  # front matter key → its line
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings about the file

    def line_of(self, key: str) -> int:
        return self.front_lines.get(key, 1)


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Diagnostic]]:
    """Expand files and folders (recursively, sorted) into (file, root) pairs."""
    found: list[tuple[Path, Path]] = []
    diagnostics: list[Diagnostic] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in NOTE_SUFFIXES and p.is_file() and not _hidden(p, path)
            )
            if not files:
                diagnostics.append(
                    error(
                        "no-notes", display_path(path), None, "no .md, .markdown or .txt notes here"
                    )
                )
            found.extend((p, path) for p in files)
        elif path.is_file():
            found.append((path, path.parent))
        else:
            diagnostics.append(
                error("not-found", display_path(path), None, "no such file or folder")
            )
    unique = []
    for file, root in found:  # `build a.md a.md` or a file inside a folder also given
        resolved = file.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append((file, root))
    return unique, diagnostics


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


Front = tuple[str, FrontMatter, dict[str, int], list[Diagnostic]]


def split_front_matter(text: str, display: str) -> Front:
    """Parse a leading `---` YAML block; blank its lines so line numbers stay true. Returns the
    body, the front matter, the line of each of its keys, and its problems."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, FrontMatter(), {}, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        return text, FrontMatter(), {}, []
    header = "\n".join(lines[1:end])
    key_lines = _key_lines(lines[1:end])
    body = "\n" * end + "\n" + "\n".join(lines[end + 1 :])
    try:
        raw = yaml.safe_load(header) or {}
    except RecursionError:
        too_deep = error("front-matter", display, 1, "front matter nests too deeply")
        return body, FrontMatter(), key_lines, [too_deep]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        problems = [error("front-matter", display, line, f"front matter: {problem}")]
        return body, FrontMatter(), key_lines, problems
    if not isinstance(raw, dict):
        problems = [error("front-matter", display, 1, "front matter must be a mapping")]
        return body, FrontMatter(), key_lines, problems
    try:
        return body, FrontMatter.model_validate(raw), key_lines, []
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        message = f"front matter '{key}': {first['msg']}"
        problems = [error("front-matter", display, key_lines.get(key, 1), message)]
        return body, FrontMatter(), key_lines, problems


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
) -> SourceFile | list[Diagnostic]:
    """Decode one note file (`data`, if its bytes were read already)."""
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
    body, front, front_lines, problems = split_front_matter(text, display)
    if problems:
        return problems
    body, warnings = _drop_overlong_lines(body, display)
    body, control = _drop_control_characters(body, display)
    warnings.extend(control)
    if not body.strip():
        warnings.append(warning("empty", display, None, "empty file: no notes in it"))
    rel = os.path.relpath(path, root).replace(os.sep, "/") if path != root else path.name
    return SourceFile(
        path=path,
        display=display,
        rel=rel,
        text=body,
        front=front,
        front_lines=front_lines,
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


def _key_lines(header: list[str]) -> dict[str, int]:
    """Line of each top-level key of the front matter (which starts on line 2), so errors point
    at it."""
    lines: dict[str, int] = {}
    for number, line in enumerate(header, start=2):
        key = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if key:
            lines.setdefault(key.group(1), number)
    return lines
