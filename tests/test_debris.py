"""Export-debris cleanup leaves alone what only looks like HTML — math, code, image names — and
what a card shows of highlights, links and image warnings: as the user sees them, in
`flashcards extract --format json` and in the cards the real `anki` package imports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ankiutil import visible_text, write_notes
from conftest import FIXTURES

from flashcards.cli import main
from flashcards.read.debris import as_markdown

PIXEL = (FIXTURES / "pixel.png").read_bytes()
INEQUALITIES = (
    "# Ineq\n\n"
    "## What are the bounds?\n\nWe need $a<b$ and $b>c$ here.\n\n"
    "## What are the indices?\n\nLoop while $0<i$ and $i>n$ fails, with $j<p$ and $p>2$.\n\n"
    "## What about code?\n\nWrite `a<b` and `b>c` in code.\n\n"
    "## What is the display?\n\n$$ a<b, \\; b>c $$\n\n"
    "## What is the chain?\n\nAlso $a<b>c$ and \\(x<em>y\\) and \\[u<div>v\\] here.\n\n"
    "## What is the block?\n\n$$\nx<i\n, i>y\n$$\n\n"
    "## What is in the code block?\n\nIndented:\n\n    if a<b and b>c: <br>\n\n"
    "## Is layout HTML still read?\n\nA <b>bold</b> word<br>and <em>more</em>.\n"
)


def _extract(runner: Any, path: Path | str) -> dict[str, Any]:
    result = runner.invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    extracted: dict[str, Any] = json.loads(result.stdout)
    return extracted


def _answers(runner: Any, path: Path | str) -> dict[str, str]:
    notes = _extract(runner, path)["notes"]
    return {n["question"]: n["answer"] for n in notes if n["kind"] == "qa"}


def test_math_and_code_that_hold_tag_names_are_left_as_written(workdir, runner):
    write_notes(workdir, "n.md", INEQUALITIES)
    answers = _answers(runner, "n.md")
    assert answers["What are the bounds?"] == "We need $a<b$ and $b>c$ here."
    assert answers["What are the indices?"] == (
        "Loop while $0<i$ and $i>n$ fails, with $j<p$ and $p>2$."
    )
    assert answers["What about code?"] == "Write `a<b` and `b>c` in code."
    assert answers["What is the display?"] == "$$ a<b, \\; b>c $$"
    assert answers["What is the chain?"] == (
        "Also $a<b>c$ and \\(x<em>y\\) and \\[u<div>v\\] here."
    )
    assert answers["What is the block?"] == "$$\nx<i\n, i>y\n$$"
    assert "if a<b and b>c: <br>" in answers["What is in the code block?"]
    assert answers["Is layout HTML still read?"] == "A **bold** word and *more*."


def test_the_cleanup_keeps_every_line_and_what_is_no_tag():
    text = "a <p>x</p>\n$$\n<b>\n$$\n`<i>` <i>y</i> 5$ <b>z</b> $6\n<b.c> <p-1> <img/x>\n"
    cleaned = as_markdown(text)
    assert cleaned.split("\n") == [
        "a x", "$$", "<b>", "$$", "`<i>` *y* 5$ **z** $6", "<b.c> <p-1> <img/x>", "",
    ]  # fmt: skip


IMAGES = ["img.png", "image.png", "p.png", "b/c.png", "img/diagram.png", "image-2024.png"]


def test_images_whose_names_look_like_tags_are_packaged(workdir, build_deck, anki):
    folder = workdir / "vault"
    for name in [*IMAGES, "p 1.png"]:
        write_notes(folder, name, PIXEL + name.encode())  # each its own file
    embeds = "\n\n".join(
        f"## What is figure {number}?\n\nSee ![[{name}]] here."
        for number, name in enumerate(IMAGES[:-1])
    )
    plain = (
        "## What is the dated figure?\n\nSee ![alt](<image-2024.png>) here.\n\n"
        '## What is the spaced figure?\n\nSee <img src="p 1.png"> and ![p](p 1.png) here.\n'
    )
    write_notes(folder, "Pics.md", f"# Pics\n\n{embeds}\n\n{plain}")
    apkg, summary = build_deck(folder)
    assert summary["warnings"] == "0"
    col, _ = anki(apkg)
    answers = [col.get_note(n)["Answer"] for n in col.find_notes('"note:*Q&A"')]
    assert len(answers) == len(IMAGES) + 1
    media = Path(col.media.dir())
    for answer in answers:
        names = [part.split('"', 1)[0] for part in answer.split('<img src="')[1:]]
        assert names and all((media / name).is_file() for name in names), answer
    assert len({p.name for p in media.iterdir() if p.name.startswith("fc-")}) == 7


def test_a_notion_page_named_like_a_tag_keeps_its_image(workdir, build_deck, anki):
    page_id = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
    folder = workdir / "export"
    write_notes(folder, f"P vs NP {page_id}/Untitled.png", PIXEL)
    page = (
        "<html><head><title>P vs NP</title></head><body><article><h1>P vs NP</h1>"
        "<h2>Why is it hard?</h2><p>No one has found a proof.</p><figure><img "
        f'src="P%20vs%20NP%20{page_id}/Untitled.png"/></figure></article></body></html>'
    )
    write_notes(folder, f"P vs NP {page_id}.html", page)
    apkg, summary = build_deck(folder)
    assert summary["warnings"] == "0"
    col, _ = anki(apkg)
    (note,) = [col.get_note(n) for n in col.find_notes('"note:*Q&A"')]
    assert '<img src="fc-' in note["Answer"]
    name = note["Answer"].split('<img src="', 1)[1].split('"', 1)[0]
    assert (Path(col.media.dir()) / name).is_file()


HIGHLIGHTS = (
    "# Marks\n\n"
    "## What does a highlight mean?\n\n"
    "Remember that ==the plain highlight== marks a key phrase in this sentence.\n"
)


def test_a_highlight_is_the_cloze_without_its_marks(workdir, runner, build_deck, anki):
    write_notes(workdir, "marks.md", HIGHLIGHTS)
    clozes = [n for n in _extract(runner, "marks.md")["notes"] if n["kind"] == "cloze"]
    assert [c["text"] for c in clozes] == [
        "Remember that {{c1::the plain highlight}} marks a key phrase in this sentence."
    ]
    col, _ = anki(build_deck("marks.md")[0])
    (cloze,) = [col.get_card(c) for c in col.find_cards('"note:*Cloze"')]
    front = visible_text(cloze.question())
    assert "Remember that [...] marks a key phrase" in front and "==" not in front
    (qa,) = [col.get_note(n) for n in col.find_notes('"note:*Q&A"')]
    assert "<mark>the plain highlight</mark>" in qa["Answer"] and "==" not in qa["Answer"]


def test_relative_links_show_as_their_text(workdir, build_deck, anki):
    notes = (
        "# Links\n\n## Where is the rest?\n\n"
        "In [Sub page](Lecture%203%201a2b/Sub%20page%203c4d.md), [the docs](https://example.org)"
        ", [mail](mailto:me@example.org) and [up](//example.org/x).\n"
    )
    write_notes(workdir, "links.md", notes)
    col, _ = anki(build_deck("links.md")[0])
    (note,) = [col.get_note(n) for n in col.find_notes('"note:*Q&A"')]
    answer = note["Answer"]
    assert visible_text(answer) == "In Sub page, the docs, mail and up."
    assert answer.count("<a ") == 2
    assert '<a href="https://example.org"' in answer and '<a href="mailto:me@example.org"' in answer
    assert ".md" not in answer and "//example.org/x" not in answer


def test_an_image_warning_is_printed_once(workdir, runner):
    notes = (
        "# Optimisers\n\n## What is SGD?\n\n"
        "SGD is stochastic gradient descent: steps along a mini-batch gradient. "
        "![curve](missing.png)\n\nWe train with SGD and momentum, since SGD alone is noisy.\n"
    )
    write_notes(workdir, "SGD.md", notes)
    kinds = {n["kind"] for n in _extract(runner, "SGD.md")["notes"]}
    assert kinds == {"qa", "term"}  # both show the image
    result = runner.invoke(main, ["build", "SGD.md", "-o", "deck.apkg"])
    assert result.output.count("SGD.md:3: warning: image file not found: missing.png") == 1
    assert "1 warning" in result.output
