"""Media: find the images the notes reference and decide which may be packaged.

An image is looked for as Obsidian does: beside the note, else from the top of the notes folder
(the vault), else by its file name anywhere in the folder (the shortest such path; Obsidian's
default "shortest path" links name only the file). Only files inside the notes folder are
packaged. A reference that leaves it (`../`, an absolute path, a symlink pointing out) is refused:
a shared deck must never carry a file from elsewhere on the author's machine. Packaged files get
content-addressed names, unique and stable across builds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, error, shorten, warning
from ..notes import AnyNote, QANote, TermNote
from ..read.parsers import python_parser
from .html import has_images

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_PACKAGED = "fc-"  # every media name starts so; any other outcome is why an image is not packaged


@dataclass
class Media:
    """The images notes reference: the files to package (media name → file), how each note
    file's references resolve (note path → src → media name), and every outcome, problems
    too, so that a deck rendered earlier can tell whether its images changed (`again`)."""

    files: dict[str, Path] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)  # (note rel, src) →

    def for_note(self, note: AnyNote) -> dict[str, str]:
        """This note's own image references and their media names (not its file's others)."""
        known = self.names.get(note.source.path, {})
        if not known:
            return {}
        return {
            src: known[src]
            for markdown in markdown_texts(note)
            for src in image_sources(markdown)
            if src in known
        }

    def add(self, other: Media) -> None:
        """Take another deck's images too (decks never share a note file)."""
        self.files.update(other.files)
        self.names.update(other.names)
        self.outcomes.update(other.outcomes)

    def again(self, folder: Path) -> Media | None:
        """These images found again in the notes `folder` (an archive's is a new folder each
        build), if every reference still resolves as it did (the same bytes); else None."""
        root = folder.resolve()
        finder = _Finder(root)
        files: dict[str, Path] = {}
        for (rel, src), outcome in self.outcomes.items():
            now, resolved = _outcome(src, (root / rel).parent, finder)
            if now != outcome:
                return None
            if resolved is not None:
                files[now] = resolved
        return Media(files, self.names, self.outcomes)


def markdown_texts(note: AnyNote) -> list[str]:
    if isinstance(note, QANote):
        return [note.answer, *(m.answer for m in note.merged_from)]
    if isinstance(note, TermNote):
        return [note.definition]
    return []


def image_sources(markdown: str) -> tuple[str, ...]:
    if not has_images(markdown):  # most answers have none: skip the parse
        return ()
    found: list[str] = []

    def walk(tokens: list[Any]) -> None:
        for token in tokens:
            if token.type == "image":
                found.append(str(token.attrGet("src") or ""))
            if token.children:
                walk(token.children)

    walk(python_parser().parse(markdown))
    return tuple(found)


def collect_media(
    notes: list[AnyNote], folder: Path, paths: dict[str, str]
) -> tuple[Media, list[Diagnostic]]:
    """Resolve the images of `notes` against the notes `folder` (`paths`: each displayed path →
    the file's path in the folder); say why any is not packaged."""
    media = Media()
    problems: list[Diagnostic] = []
    root = folder.resolve()
    finder = _Finder(root)
    for note in notes:
        rel = paths.get(note.source.path, note.source.path)
        for markdown in markdown_texts(note):
            for src in image_sources(markdown):
                known = media.names.setdefault(note.source.path, {})
                if src in known:
                    continue
                outcome, resolved = _outcome(src, (root / rel).parent, finder)
                media.outcomes[(rel, src)] = outcome
                if resolved is None:
                    severity = error if outcome.startswith("refused") else warning
                    where = (note.source.path, note.source.line)
                    problem = severity("image", *where, f"{outcome}: {shorten(src, 80)}")
                    if problem not in problems:  # another note with the same answer: said
                        problems.append(problem)
                    continue
                media.files[outcome] = resolved
                known[src] = outcome
    return media, problems


class _Finder:
    """Image files under the notes folder by their name, listed once, when first needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_name: dict[str, Path] | None = None

    def by_name(self, name: str) -> Path | None:
        if self._by_name is None:
            found: dict[str, Path] = {}
            files = (p for p in self.root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
            shown = (p for p in files if not _hidden(p.relative_to(self.root)))
            for path in sorted(shown, key=lambda p: (len(p.parts), p.as_posix())):
                found.setdefault(path.name.lower(), path)  # the shortest path first
            self._by_name = found
        return self._by_name.get(name.lower())


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _outcome(src: str, base: Path, finder: _Finder) -> tuple[str, Path | None]:
    """The media name of the image file `src` names and the file, or why it is not packaged."""
    try:
        resolved = _resolve(src, base, finder)
        data = resolved.read_bytes() if isinstance(resolved, Path) else b""
    except (OSError, ValueError) as exc:  # a NUL in the path, a name too long
        return f"unreadable image ({exc.__class__.__name__})", None
    if isinstance(resolved, str):
        return resolved, None
    return _PACKAGED + hashlib.sha256(data).hexdigest()[:16] + resolved.suffix.lower(), resolved


def _resolve(src: str, base: Path, finder: _Finder) -> Path | str:
    """The file an image reference names, or why it cannot be packaged."""
    root = finder.root
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return "remote image not packaged (download it next to the notes)"
    raw = unquote(parts.path)
    if not raw:
        return "image without a path"
    if Path(raw).is_absolute() or raw.startswith("\\"):
        return "refused image outside the notes folder (absolute path)"
    target = (base / raw).resolve()
    if not target.is_relative_to(root):
        return "refused image outside the notes folder"
    if not target.is_file():  # Obsidian's lookup: from the vault's top, else by name
        top = (root / raw).resolve()
        found = top if top.is_file() else finder.by_name(Path(raw).name)
        if found is None or not found.resolve().is_relative_to(root):
            return "image file not found"
        target = found.resolve()
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return "not an image file"
    if target.stat().st_size > MAX_IMAGE_BYTES:
        return "image larger than 20 MB not packaged"
    return target
