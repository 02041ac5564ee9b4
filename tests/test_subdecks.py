"""Folders as sub-decks: a note file in sub-folders of the folder built goes to
`Sub::Subsub::<its deck name>`; front matter's deck is taken as it is; files directly in the
folder keep their deck. And what real Anki does with a user's cards when a file's deck changes
(a file moved into a sub-folder): they stay where they were, with their reviews."""

from __future__ import annotations

from pathlib import Path

from ankiutil import import_into, review, scheduling, write_notes

from flashcards.pipeline import build, collect

TWO = "# {title}\n\n## Why {a}?\n\nBecause {a}.\n\n## Why {b}?\n\nBecause {b}.\n"
ID = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"


def decks_of(folder: Path) -> dict[str, str]:
    notes = collect([folder]).extraction.notes
    return {Path(n.source.path).name: n.deck for n in notes}


def test_sub_folders_name_the_parents_of_a_files_deck(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write_notes(notes, "top.md", TWO.format(title="Top", a="x", b="y"))
    write_notes(notes, "ML/CNN/pooling.md", TWO.format(title="Pooling", a="pool", b="stride"))
    write_notes(notes, "ML/untitled.md", "## Why a?\n\nA.\n\n## Why b?\n\nB.\n")
    write_notes(notes, f"Notion {ID}/page {ID}.md", "## Why n?\n\nN.\n\n## Why m?\n\nM.\n")
    named = "---\ndeck: Exactly::This\n---\n" + TWO.format(title="Ignored", a="c", b="d")
    write_notes(notes, "ML/named.md", named)
    assert decks_of(notes) == {
        "top.md": "Top",  # directly in the folder built: as before
        "pooling.md": "ML::CNN::Pooling",
        "untitled.md": "ML::untitled",
        f"page {ID}.md": "Notion::page",
        "named.md": "Exactly::This",
    }
    # Built from the sub-folder, the same file is one level up.
    assert decks_of(notes / "ML")["pooling.md"] == "CNN::Pooling"


def test_a_file_moved_into_a_sub_folder_keeps_its_cards_where_anki_has_them(
    tmp_path: Path, anki
) -> None:
    notes = tmp_path / "notes"
    out = tmp_path / "deck.apkg"
    old = write_notes(notes, "pooling.md", TWO.format(title="Pooling", a="pool", b="stride"))
    assert build([notes], out, now=1_700_000_000).written
    col, _ = anki(out)
    nids = list(col.find_notes(""))
    review(col, nids)
    reviewed = scheduling(col)
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {"Pooling"}

    moved = notes / "ML" / "pooling.md"  # the user sorts the notes into folders...
    moved.parent.mkdir()
    old.rename(moved)
    moved.write_text(moved.read_text("utf-8") + "\n## Why pad?\n\nTo keep the size.\n", "utf-8")
    result = build([notes], out, now=1_700_000_100)  # ...and builds again
    assert result.written and result.changes.added == 1
    # Their source changed (path and source:: tag), so they are updated; their deck is not.
    assert len(result.changes.moved) == 2 and result.changes.updated == 2
    summary = result.summary()
    assert "moved: 2 notes from deck 'Pooling' to 'ML::Pooling'" in summary
    assert "Change Deck" in summary

    log = import_into(col, out).log
    assert (len(log.new), len(log.updated)) == (1, 2)  # no duplicates: the old notes are known
    deck_of = {
        col.get_note(col.get_card(c).nid)["Question"]: col.decks.name(col.get_card(c).did)
        for c in col.find_cards("")
    }
    # Anki matches decks by name and never moves an existing card on import: the reviewed
    # cards stay in the old deck; only the new note's card arrives in the new one.
    assert deck_of == {"Why pool?": "Pooling", "Why stride?": "Pooling", "Why pad?": "ML::Pooling"}
    assert scheduling(col) == reviewed  # their reviews are untouched
    assert col.note_count() == 3
