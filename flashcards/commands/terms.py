"""`flashcards terms`: the key terms and their definitions, or a glossary.yaml to fill in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import encoding_option, paths_argument, report, source_paths


@click.command()
@paths_argument
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "yaml"]), default="text",
    show_default=True,
    help="text: one line per term; json: for scripts; yaml: glossary.yaml entries to fill in.",
)  # fmt: skip
@click.option("--missing", is_flag=True, help="Only the terms with no definition yet.")
@encoding_option
def terms(paths: tuple[Path, ...], fmt: str, missing: bool, encoding: str | None) -> None:
    """List the key terms in PATHS, most mentioned first, with their definitions (a term makes
    a card only once it has one: from glossary.yaml or the notes)."""
    from ..diagnostics import shorten
    from ..enrich.terms.glossary import scaffold
    from ..notes import TermList
    from ..pipeline import collect

    collected = collect(source_paths(paths), encoding, with_notes=False)
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
    report([d for d in collected.diagnostics if d.severity == "error"])
    if any(d.severity == "error" for d in collected.diagnostics):
        sys.exit(1)
