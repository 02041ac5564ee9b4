"""Helpers shared by the tests: note files, real Anki imports, and checks on field HTML.

`anki` is imported lazily, so tests that never open a collection never load it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flashcards.package import MODELS

# Tags that must never be live in a card field, whatever the notes contain.
DANGEROUS_TAGS = {
    "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "input",
    "button", "link", "meta", "base", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
# The same, as plain patterns over the raw field text: a real tag starts with "<", escaped text
# with "&lt;", so these never match text that merely shows HTML.
LIVE_PATTERNS = (
    re.compile(r"<\s*(script|style|iframe|object|embed)\b", re.IGNORECASE),
    re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    re.compile(
        r"<[a-z][^>]*\b(href|src)\s*=\s*[\"']?\s*(javascript|data|vbscript):", re.IGNORECASE
    ),
)


def write_notes(tmp_path: Path, name: str, text: str | bytes) -> Path:
    """Create a note file under `tmp_path` (sub-folders allowed); bytes are written as they are."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# The note type of each model id written in a package: "qa", "term" or "cloze".
KIND_OF_MODEL = {model.model_id: kind for kind, model in MODELS.items()}


def import_into(col: Any, apkg_path: Path) -> Any:
    """Import a package into an open collection the way the desktop app does."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    response = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(Path(apkg_path).resolve()), options=ImportAnkiPackageOptions()
        )
    )
    if response.changes.notetype:
        col.models._clear_cache()
    return response


def review(col: Any, nids: list[int]) -> None:
    for nid in nids:
        for cid in col.card_ids_of_note(nid):
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3)


def scheduling(col: Any) -> dict[int, tuple[int, ...]]:
    rows = col.db.all("select id, ivl, due, type, queue, reps from cards where reps > 0")
    return {row[0]: tuple(row[1:]) for row in rows}


def edit_in_anki(col: Any, nid: int, text: str, when: int) -> None:
    """The user edits a field inside Anki at time `when` (between two builds)."""
    note = col.get_note(nid)
    note.fields[1] = text
    col.update_note(note)
    col.db.execute("update notes set mod = ? where id = ?", when, nid)


def import_apkg(apkg_path: Path, collection_path: Path) -> tuple[Any, Any]:
    """Open (or create) a collection and import the package; the caller closes `col`."""
    from anki.collection import Collection

    col = Collection(str(Path(collection_path).resolve()))
    try:
        return col, import_into(col, apkg_path)
    except BaseException:
        col.close()
        raise


def built_collection(folder: Path, name: str, text: str) -> Any:
    """`text` as the note file `name` in `folder`, built with `flashcards build` and imported
    into a new collection there; the caller closes it."""
    from click.testing import CliRunner

    from flashcards.cli import main

    notes = write_notes(folder, name, text)
    apkg = folder / "deck.apkg"
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(apkg)])
    assert result.exit_code == 0, result.output
    col, _ = import_apkg(apkg, folder / "collection.anki2")
    return col


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.depth: dict[str, int] = {}
        self.max_depth: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"live <{tag}> tag")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                url = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                if ":" in url.split("/", 1)[0] and not url.startswith(SAFE_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        self.depth[tag] = self.depth.get(tag, 0) + 1
        self.max_depth[tag] = max(self.max_depth.get(tag, 0), self.depth[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.depth[tag] -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth.get(tag):
            self.depth[tag] -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _scan(fragment: str) -> _Scanner:
    scanner = _Scanner()
    scanner.feed(fragment)
    scanner.close()
    return scanner


def live_html_problems(fragment: str) -> list[str]:
    """Live script, style, frames, event handlers or non-http(s)/mailto URLs in an HTML field.

    Escaped text (`&lt;script&gt;`) is text, not markup, and is not a problem.
    """
    problems = _scan(fragment).problems
    problems += [f"matches {p.pattern}" for p in LIVE_PATTERNS if p.search(fragment)]
    return problems


def visible_text(fragment: str) -> str:
    """What a reader sees: the text of the field with tags removed and entities decoded."""
    return "".join(_scan(fragment).text)


def nesting(fragment: str, tag: str) -> int:
    """How deeply `tag` elements nest in the fragment (0: none)."""
    return _scan(fragment).max_depth.get(tag, 0)
