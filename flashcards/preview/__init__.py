"""Preview: every card as Anki will show it, on one self-contained HTML page.

The notes are collected and packaged as `build` would (without touching the identity file or
any package), the package is rendered by Anki itself (cards.py), and the page (page.py) inlines
everything: styles, script, MathML for math (mathml.py), images as data: URIs (fragments.py).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import atomic, identity
from ..diagnostics import Diagnostic, error, has_errors
from ..package import write_package
from ..pipeline import Collected, collect
from ..read.inputs import opened
from ..report import counted
from .cards import render_package
from .page import MARKER, is_our_page, page_html, replace_refusal

__all__ = ["DEFAULT_OUTPUT", "MARKER", "PreviewResult", "is_our_page", "preview"]

DEFAULT_OUTPUT = Path("build") / "preview.html"


@dataclass
class PreviewResult:
    out: Path
    written: bool
    decks: int
    cards: int
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def summary(self) -> str:
        verb = "wrote" if self.written else "did not write"
        warnings = sum(1 for d in self.diagnostics if d.severity == "warning")
        counts = [counted(self.decks, "deck"), counted(self.cards, "card")]
        counts.append(counted(warnings, "warning"))
        if self.errors:
            counts.append(counted(len(self.errors), "error"))
        return f"{verb} {self.out}: {', '.join(counts)}"


def preview(
    paths: list[Path],
    out: Path | None = None,
    *,
    now: int,
    encoding: str | None = None,
    merge: bool = True,
    keep_going: bool = False,
) -> PreviewResult:
    """Write the preview page of the cards `paths` make (default: build/preview.html).
    Nothing is written when there are errors (unless `keep_going`), nor over a file that is
    not a preview page this tool wrote."""
    out = out or DEFAULT_OUTPUT
    with opened(paths) as inputs:  # an export's images are needed until the page is written
        collected = collect(
            paths, encoding, merge=merge, use_cache=True, with_notes=False, inputs=inputs
        )
        return _previewed(collected, paths, out, now, keep_going)


def _previewed(
    collected: Collected, paths: list[Path], out: Path, now: int, keep_going: bool
) -> PreviewResult:
    diagnostics = list(collected.diagnostics)
    refused = replace_refusal(out)
    if refused:
        diagnostics.append(error("not-ours", out.as_posix(), None, refused))
    result = PreviewResult(out, False, 0, 0, diagnostics)
    if refused or (has_errors(diagnostics) and not keep_going):
        return result
    stamped = identity.stamp(
        collected.rows, collected.matching, collected.paths, collected.media, now
    )
    notes = [note for note in stamped.notes if not note.removed]
    if not notes:
        where = ", ".join(p.as_posix() for p in paths)
        diagnostics.append(error("no-cards", where, None, "no questions or terms found"))
        return result
    with tempfile.TemporaryDirectory(prefix="flashcards-preview-") as scratch:
        package = Path(scratch) / "preview.apkg"
        write_package(notes, package, collected.media.files)
        rendered = render_package(package)
    title = ", ".join(p.as_posix() for p in paths)
    page = page_html(rendered.cards, rendered.media, title)
    try:
        atomic.write_bytes(out, page.encode("utf-8"), durable=False)
    except OSError as exc:
        diagnostics.append(error("cannot-write", out.as_posix(), None, exc.strerror or str(exc)))
        return result
    result.written = True
    result.decks = len({card.deck for card in rendered.cards})
    result.cards = len(rendered.cards)
    return result
