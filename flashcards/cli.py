"""The `flashcards` command: a Click group over the commands in commands/, one module each.

Exit status: 0 ok, 1 problems in the input, 2 usage errors (Click's own).
Heavy modules are imported inside the commands so `flashcards --help` starts fast.
"""

from __future__ import annotations

import click

from . import __version__
from .commands.build import build
from .commands.check import check
from .commands.extract import extract
from .commands.preview import preview
from .commands.sync import sync
from .commands.terms import terms
from .commands.watch import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashcards")
def main() -> None:
    """Turn lecture and Q&A notes (Markdown, Notion/web exports) into Anki decks."""


# The order of `flashcards --help`: the everyday loop first.
for command in (build, sync, watch, preview, check, terms, extract):
    main.add_command(command)
