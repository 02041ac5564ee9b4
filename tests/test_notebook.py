"""Jupyter notebooks: Markdown cells read as notes at their lines in the .ipynb file, code cells
as fenced code in the notebook's language, outputs left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ankiutil import visible_text

from flashcards.cli import main
from flashcards.read.notebook import notebook_to_markdown

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "# Softmax\n", "\n", "## What is softmax?\n", "\n", "Scores to probabilities.",
        ]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [
            {"name": "stdout", "output_type": "stream", "text": ["[[0.5, 0.5]]\n"]},
        ], "source": ["import numpy as np"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["## How is it computed?"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [], "source": [
            "def softmax(x):\n", "    e = np.exp(x - x.max())\n", "    return e / e.sum()",
        ]},
        {"cell_type": "markdown", "metadata": {}, "source": []},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}  # fmt: skip


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_cells_stand_at_their_lines_in_the_notebook_file() -> None:
    raw = json.dumps(NOTEBOOK, indent=1)  # as Jupyter writes it
    markdown = notebook_to_markdown(raw)
    assert markdown is not None and markdown.count("\n") == raw.count("\n")
    for needle in ("## What is softmax?", "## How is it computed?", "return e / e.sum()"):
        assert line_of(markdown, needle) == line_of(raw, needle)
    assert "~~~python\ndef softmax(x):" in markdown
    assert "0.5" not in markdown  # outputs left out


def test_a_notebook_on_one_line_has_its_cells_one_after_another() -> None:
    markdown = notebook_to_markdown(json.dumps(NOTEBOOK))
    assert markdown is not None
    assert markdown.startswith("\n# Softmax\n\n## What is softmax?")
    assert "~~~python\nimport numpy as np\n~~~" in markdown


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"not": "a notebook"}', "data.ipynb: error: not a Jupyter notebook (no cells)"),
        # cut short: the error names the line where its JSON breaks
        ('{\n "cells": [\n  {"cell_type": "markdown"\n',
         "data.ipynb:4: error: not a Jupyter notebook: broken JSON"),
    ],
)  # fmt: skip
def test_json_that_is_no_notebook_is_an_error(
    text: str, said: str, tmp_path: Path, runner, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("data.ipynb").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", "data.ipynb"])
    assert result.exit_code == 1
    assert said in result.output


def test_a_notebook_builds_into_anki(workdir: Path, build_deck, anki) -> None:
    Path("softmax.ipynb").write_text(json.dumps(NOTEBOOK, indent=1), encoding="utf-8")
    apkg, _ = build_deck("softmax.ipynb")
    col, _ = anki(apkg)
    qa = {col.get_note(n)["Question"]: col.get_note(n) for n in col.find_notes('"note:*Q&A"')}
    assert set(qa) == {"What is softmax?", "How is it computed?"}
    code = qa["How is it computed?"]["Answer"]
    # a code cell is code in the notebook's language, highlighted as such
    assert 'data-lang="python"' in code and "def softmax(x):" in visible_text(code)
    raw = Path("softmax.ipynb").read_text("utf-8")
    line = line_of(raw, "## How is it computed?")
    assert visible_text(qa["How is it computed?"]["Source"]).endswith(f"softmax.ipynb:{line}")
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {"Softmax"}
