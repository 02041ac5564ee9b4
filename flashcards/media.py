"""Media: find the images the notes reference and decide which may be packaged.

Only files inside the notes folder are packaged. A reference that leaves it (`../`, an absolute
path, a symlink pointing out) is refused: a shared deck must never carry a file from elsewhere on
the author's machine. Packaged files get content-addressed names, unique and stable across builds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .markdown import has_images, images_parser
from .models import AnyNote, Diagnostic, QANote, TermNote, error, shorten, warning

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass
class Media:
    """Files to package (media name → source file) and how each note's references resolve."""

    files: dict[str, Path] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # note path → src → name

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


def markdown_texts(note: AnyNote) -> list[str]:
    if isinstance(note, QANote):
        return [note.answer, *(m.answer for m in note.merged_from)]
    if isinstance(note, TermNote):
        return [note.definition]
    return []


@cache  # asked again for each note as its fields are rendered (Media.for_note)
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

    walk(images_parser().parse(markdown))
    return tuple(found)


def collect_media(notes: list[AnyNote], folder: Path) -> tuple[Media, list[Diagnostic]]:
    media = Media()
    problems: list[Diagnostic] = []
    root = folder.resolve()
    for note in notes:
        for markdown in markdown_texts(note):
            for src in image_sources(markdown):
                known = media.names.setdefault(note.source.path, {})
                if src in known:
                    continue
                try:
                    resolved = _resolve(src, Path(note.source.path).parent, root)
                    data = resolved.read_bytes() if isinstance(resolved, Path) else b""
                except (OSError, ValueError) as exc:  # a NUL in the path, a name too long
                    resolved = f"unreadable image ({exc.__class__.__name__})"
                if isinstance(resolved, str):
                    severity = error if resolved.startswith("refused") else warning
                    shown = shorten(src, 80)
                    where = (note.source.path, note.source.line)
                    problems.append(severity("image", *where, f"{resolved}: {shown}"))
                    continue
                name = "fc-" + hashlib.sha256(data).hexdigest()[:16] + resolved.suffix.lower()
                media.files[name] = resolved
                known[src] = name
    return media, problems


def _resolve(src: str, base: Path, root: Path) -> Path | str:
    """The file an image reference names, or why it cannot be packaged."""
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
    if not target.is_file():
        return "image file not found"
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return "not an image file"
    if target.stat().st_size > MAX_IMAGE_BYTES:
        return "image larger than 20 MB not packaged"
    return target
