"""The folders are the pipeline, and imports point one way: a module imports only from its own
stage and the stages before it (the map in flashcards/__init__.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "flashcards"

# Each part of the package and its place in the flow; equal places may import each other.
ORDER = {
    "__init__": 0,  # the version
    "diagnostics": 0,
    "text": 0,
    "atomic": 0,
    "cache": 0,
    "notes": 1,
    "notetypes": 1,
    "fingerprint": 2,
    "read": 3,
    "extract": 4,
    "enrich": 5,
    "render": 6,
    "identity": 7,
    "package": 8,
    "settings": 9,
    "workers": 9,
    "report": 9,
    "pipeline": 10,
    "sync": 11,  # builds with the pipeline, then brings a collection up to date
    "preview": 11,  # the cards as Anki renders them, on a page
    "watch": 11,  # a build (or any action) again after each save
    "commands": 12,  # one Click command per module, registered by cli.py
    "cli": 13,
}


def part_of(module: str) -> str:
    """`flashcards.enrich.terms.finder` → `enrich`; `flashcards` → `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module of this package that `source` (the module `module`) imports, with its line;
    `from . import x` counts as importing `x`."""
    found = []
    base = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("flashcards")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("flashcards"):
                continue
            if node.module is None:  # `from . import atomic`: the modules themselves
                found += [(node.lineno, _module_or_package(target, a.name)) for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def _module_or_package(package: str, name: str) -> str:
    """`flashcards.atomic` for `from flashcards import atomic`; `flashcards` for `__version__`."""
    folder = ROOT.joinpath(*package.split("."))
    is_module = (folder / f"{name}.py").is_file() or (folder / name).is_dir()
    return f"{package}.{name}" if is_module else package


def backward_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    here = ORDER[part_of(module)]
    return [
        f"{module}:{line} imports {target} (a later stage)"
        for line, target in imported(source, module, is_package)
        if ORDER[part_of(target)] > here
    ]


def test_every_part_of_the_package_has_its_place() -> None:
    parts = {part_of(module_name(path)) for path in PACKAGE.rglob("*.py")}
    assert parts == set(ORDER)


def test_no_stage_imports_a_later_stage() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        problems += backward_imports(source, module, path.name == "__init__.py")
    assert problems == []


def test_the_check_sees_a_backward_import_in_every_form() -> None:
    """What the test above would report, on made-up modules."""
    assert backward_imports("from ..render import deck", "flashcards.extract.state") == [
        "flashcards.extract.state:1 imports flashcards.render (a later stage)"
    ]
    assert backward_imports("from .. import pipeline", "flashcards.read.sources") == [
        "flashcards.read.sources:1 imports flashcards.pipeline (a later stage)"
    ]
    assert backward_imports("import flashcards.cli", "flashcards.notes") == [
        "flashcards.notes:1 imports flashcards.cli (a later stage)"
    ]
    source = "from ..enrich import DeckNotes"
    assert backward_imports(source, "flashcards.extract", is_package=True) == [
        "flashcards.extract:1 imports flashcards.enrich (a later stage)"
    ]
    assert backward_imports("from ..extract import ParsedFile", "flashcards.enrich.deck") == []
