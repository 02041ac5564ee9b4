"""Obsidian vaults: embeds, wiki links and comments read as the Markdown they stand for (line for
line), images found as Obsidian finds them, and the vault built and imported into real Anki."""

from __future__ import annotations

import shutil
from pathlib import Path

from ankiutil import visible_text, write_notes
from conftest import FIXTURES

from flashcards.read.obsidian import obsidian_to_markdown

PIXEL = FIXTURES / "pixel.png"


def test_embeds_links_and_comments_keep_every_line() -> None:
    text = (
        "See ![[diagram.png|300]] and ![[attachments/flow chart.jpg]].\n"
        "Links: [[Note]], [[Note|alias]], [[Note#Heading]], [[#Local]], [[Note#^block1]].\n"
        "An embedded note: ![[Other note]]. Inline %%hidden%% comment.\n"
        "%%\n"
        "## A hidden question?\n"
        "%%\n"
        "Code: `[[1, 2]] %% kept` stays.\n"
        "```\n"
        "[[x]] %% kept\n"
        "```\n"
    )
    out = obsidian_to_markdown(text)
    assert out.count("\n") == text.count("\n")
    lines = out.split("\n")
    flow = "![flow chart.jpg](<attachments/flow chart.jpg>)"
    assert lines[0] == f"See ![diagram.png](<diagram.png>) and {flow}."
    assert lines[1] == "Links: Note, alias, Note > Heading, Local, Note."
    assert lines[2] == "An embedded note: Other note. Inline  comment."
    assert lines[3:6] == ["", "", ""]
    assert lines[6] == "Code: `[[1, 2]] %% kept` stays."
    assert lines[8] == "[[x]] %% kept"


def test_plain_markdown_is_returned_as_it_is() -> None:
    text = "# Title\n\n## Why?\n\nBecause [link](x.md) and 50% off.\n"
    assert obsidian_to_markdown(text) is text


def _vault(root: Path) -> Path:
    """A vault: notes in sub-folders, images in an attachments folder and beside a note."""
    vault = root / "vault"
    write_notes(vault, "Inbox.md", "# Inbox\n\n## What is a vault?\n\nA folder of notes.\n")
    write_notes(
        vault,
        "ML/CNN/Pooling.md",
        "# Pooling\n"
        "\n"
        "%% draft: check the stride %%\n"
        "## Why pool feature maps?\n"
        "\n"
        "To shrink them, see [[Convolution|convolutions]]. ![[pool.png|300]]\n"
        "\n"
        "%%\n"
        "## A question still in a comment?\n"
        "\n"
        "Not a card.\n"
        "%%\n"
        "\n"
        "## What does a stride do?\n"
        "\n"
        "It moves the window, as in [[Convolution#Stride]]. ![[attachments/stride.png]]\n",
    )
    (vault / "attachments").mkdir()
    shutil.copyfile(PIXEL, vault / "attachments" / "pool.png")  # found by its name alone
    (vault / "attachments" / "stride.png").write_bytes(PIXEL.read_bytes() + b"\0")
    return vault


def test_a_vault_builds_into_sub_decks_with_its_images(workdir, build_deck, anki) -> None:
    vault = _vault(workdir)
    apkg, summary = build_deck(vault)
    assert summary["warnings"] == "0"
    col, _ = anki(apkg)
    qa = [col.get_note(n) for n in col.find_notes('"note:flashcards Q&A"')]
    notes = {note["Question"]: note for note in qa}
    questions = set(notes)
    assert {"What is a vault?", "Why pool feature maps?", "What does a stride do?"} <= questions
    assert not any("comment" in q for q in questions)
    decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
    assert decks == {"Inbox", "ML::CNN::Pooling"}
    pool, stride = notes["Why pool feature maps?"], notes["What does a stride do?"]
    assert "convolutions" in visible_text(pool["Answer"]) and "[[" not in pool["Answer"]
    assert "Convolution > Stride" in visible_text(stride["Answer"])
    assert "ML/CNN/Pooling.md:4" in visible_text(pool["Source"])  # the line in the file
    assert "ML/CNN/Pooling.md:14" in visible_text(stride["Source"])
    media = Path(col.media.dir())
    for note in (pool, stride):
        assert '<img src="fc-' in note["Answer"]
        name = note["Answer"].split('<img src="', 1)[1].split('"', 1)[0]
        assert (media / name).is_file()
    assert "%%" not in "".join(n["Answer"] for n in notes.values())


def test_an_embed_that_is_nowhere_in_the_vault_is_a_warning(workdir, runner) -> None:
    from flashcards.cli import main

    write_notes(workdir, "v/a.md", "# A\n\n## Why?\n\nBecause. ![[missing.png]]\n")
    result = runner.invoke(main, ["check", "v"])
    assert "v/a.md:3: warning: image file not found: missing.png" in result.output
