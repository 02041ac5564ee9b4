"""Notion exports: a Markdown & CSV `Export-….zip` built directly (ids dropped from every name a
user sees, images packaged, toggles and callouts read), a folder of Notion HTML pages, and
hostile archives refused with one line, nothing written, the previous deck left as it was."""

from __future__ import annotations

import io
import json
import stat
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from ankiutil import visible_text
from conftest import FIXTURES

from flashcards.cli import main

ID = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
ID2 = "0f9e8d7c6b5a40312f1e2d3c4b5a6978"
PIXEL = (FIXTURES / "pixel.png").read_bytes()
LECTURE = (
    "# Lecture 3\n"
    "\n"
    "## What is weight decay?\n"
    "\n"
    "A penalty on large weights.\n"
    "\n"
    f"![Untitled](Lecture%203%20{ID}/Untitled.png)\n"
    "\n"
    "## Toggles\n"
    "\n"
    "<details>\n"
    "<summary>Why does dropout regularise?</summary>\n"
    "\n"
    "It trains many thinned networks at once.\n"
    "\n"
    "</details>\n"
    "\n"
    "<aside>\n"
    "💡 Remember\n"
    "\n"
    "\tA callout's content, tab-indented by the export.\n"
    "</aside>\n"
)
SUB_PAGE = (
    "## Why normalise inputs?\n\nSo every feature has the same scale.\n\n"
    "## Why shuffle the data?\n\nSo batches are alike.\n"
)


def notion_zip(path: Path) -> Path:
    """A Markdown & CSV export: a page, its sub-page and image in a folder of the same name, a
    database as CSV; every name with Notion's id."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as export:
        export.writestr(f"Lecture 3 {ID}.md", LECTURE)
        export.writestr(f"Lecture 3 {ID}/Untitled.png", PIXEL)
        export.writestr(f"Lecture 3 {ID}/Sub page {ID2}.md", SUB_PAGE)
        export.writestr(f"Reading list {ID2}.csv", "Name,Tags\nAdam,opt\n")
    return path


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temporary folder, as the build sees it: to check it is left empty."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_notion_zip_builds_without_ids_in_any_name(workdir, build_deck, anki, private_tmp):
    export = notion_zip(workdir / "Export-7f3e.zip")
    apkg, summary = build_deck(export.name)
    assert (summary["decks"], summary["warnings"]) == ("2", "0")
    col, _ = anki(apkg)
    decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
    assert decks == {"Lecture 3", "Lecture 3::Sub page"}
    qa = {col.get_note(n)["Question"]: col.get_note(n) for n in col.find_notes('"note:*Q&A"')}
    assert set(qa) == {
        "What is weight decay?", "Why does dropout regularise?", "Why normalise inputs?",
        "Why shuffle the data?",
    }  # fmt: skip
    decay = qa["What is weight decay?"]
    assert '<img src="fc-' in decay["Answer"]
    assert len(list(Path(col.media.dir()).iterdir())) == 1
    dropout = visible_text(qa["Why does dropout regularise?"]["Answer"])
    assert "It trains many thinned networks" in dropout
    assert visible_text(decay["Source"]).endswith(" Lecture 3.md:3")  # not the archive's name
    every = " ".join(" ".join(col.get_note(n).fields) + " ".join(col.get_note(n).tags)
                     for n in col.find_notes(""))
    assert ID not in every and ID2 not in every
    assert (workdir / "flashcards-ids.jsonl").is_file()  # beside the archive: kept
    assert list(private_tmp.iterdir()) == []  # the unpacked export is gone


def test_a_notion_zip_previews_with_its_images(workdir, runner, private_tmp):
    """The export stays unpacked until the page is written: its images are on the page."""
    notion_zip(workdir / "Export-7f3e.zip")
    result = runner.invoke(main, ["preview", "Export-7f3e.zip", "-o", "page.html"])
    assert result.exit_code == 0, result.output
    page = (workdir / "page.html").read_text(encoding="utf-8")
    assert "What is weight decay?" in page and 'src="data:image/png;base64,' in page
    assert list(private_tmp.iterdir()) == []


def test_a_notion_zip_built_again_is_unchanged(workdir, runner):
    export = notion_zip(workdir / "Export-7f3e.zip")
    first = runner.invoke(main, ["build", export.name, "-o", "out.apkg"])
    again = runner.invoke(main, ["build", export.name, "-o", "out.apkg"])
    assert first.exit_code == again.exit_code == 0, again.output
    assert "0 added, 0 updated, 5 unchanged" in again.output
    default = runner.invoke(main, ["build", export.name, "--dry-run"])
    assert "build/Export-7f3e.apkg" in default.output


def test_a_callout_indented_by_a_tab_is_not_code(workdir, runner):
    (workdir / "callout.md").write_text(
        "# Notes\n\n## Why warm up the learning rate?\n\n<aside>\n💡 Because\n\n"
        "\tEarly steps are noisy.\n</aside>\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["extract", "callout.md"])
    assert '"answer": "💡 Because\\n\\nEarly steps are noisy."' in result.output
    assert "<pre" not in result.output and "aside" not in result.output


NOTION_HTML = (
    '<html><head><meta charset="utf-8"/><title>Lecture 5</title><style>p{color:red}</style>'
    '</head><body><article class="page sans"><header><h1 class="page-title">Lecture 5</h1>'
    '</header><div class="page-body"><h2>Toggles</h2><ul class="toggle"><li><details open="">'
    "<summary>What is batch norm?</summary><p>Normalising <strong>activations</strong> per "
    'mini-batch.</p></details></li></ul><h2>Why does it help?</h2><p>A smoother loss surface.'
    '</p><figure class="image"><a href="Lecture%205%20'
    f'{ID}/Untitled.png"><img style="width:240px" src="Lecture%205%20{ID}/Untitled.png"/>'
    "</a></figure><script>alert(1)</script></div></article></body></html>"
)


def test_a_folder_of_notion_html_pages(workdir, build_deck, anki):
    folder = workdir / "export"
    (folder / f"Lecture 5 {ID}").mkdir(parents=True)
    (folder / f"Lecture 5 {ID}.html").write_text(NOTION_HTML, encoding="utf-8")
    (folder / f"Lecture 5 {ID}" / "Untitled.png").write_bytes(PIXEL)
    apkg, summary = build_deck("export")
    col, _ = anki(apkg)
    qa = {col.get_note(n)["Question"]: col.get_note(n) for n in col.find_notes('"note:*Q&A"')}
    assert set(qa) == {"What is batch norm?", "Why does it help?"}
    batch_norm = visible_text(qa["What is batch norm?"]["Answer"])
    assert "Normalising activations per mini-batch." in batch_norm
    assert '<img src="fc-' in qa["Why does it help?"]["Answer"]
    assert summary["warnings"] == "0"
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {"Lecture 5"}
    assert "alert" not in " ".join(n["Answer"] for n in qa.values())


# --- hostile archives --------------------------------------------------------------------------


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def _good() -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [("Page.md", b"# Page\n\n## Why?\n\nBecause.\n")]


def _symlink() -> bytes:
    link = zipfile.ZipInfo("link.md")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return _zip([*_good(), (link, b"/etc/passwd")])


def _encrypted() -> bytes:
    data = bytearray(_zip(_good()))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + flag_at
        data[at] |= 0x1
    return bytes(data)


HOSTILE = {
    "zip-slip": (lambda: _zip([*_good(), ("../evil.md", b"# Evil\n")]), "leaving the archive"),
    "absolute": (lambda: _zip([*_good(), ("/tmp/evil.md", b"# Evil\n")]), "absolute path"),
    "backslash": (lambda: _zip([*_good(), ("..\\evil.md", b"# Evil\n")]), "leaving the archive"),
    "symlink": (_symlink, "symbolic link"),
    "bomb": (lambda: _zip([*_good(), ("bomb.md", b"a" * 20_000_000)]), "zip bomb"),
    "truncated": (lambda: _zip(_good() * 1)[:-30], "broken or truncated archive"),
    "encrypted": (_encrypted, "encrypted entry"),
    "not-a-zip": (lambda: b"# just text\n", "broken or truncated archive"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_in_one_line(kind, workdir, runner, private_tmp):
    make, reason = HOSTILE[kind]
    (workdir / "Export.zip").write_bytes(_zip(_good()))
    assert runner.invoke(main, ["build", "Export.zip", "-o", "out.apkg"]).exit_code == 0
    before = {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()}
    (workdir / "Export.zip").write_bytes(make())
    before[workdir / "Export.zip"] = (workdir / "Export.zip").read_bytes()

    result = runner.invoke(main, ["build", "Export.zip", "-o", "out.apkg"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("Export.zip: error: "), result.output
    assert reason in errors[0]
    assert {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()} == before
    assert not (workdir.parent / "evil.md").exists() and not Path("/tmp/evil.md").exists()
    assert list(private_tmp.iterdir()) == []  # nothing left in the temporary folder either


def test_an_archive_is_built_on_its_own(workdir, runner):
    (workdir / "Export.zip").write_bytes(_zip(_good()))
    (workdir / "more.md").write_text("# More\n\n## Why?\n\nBecause.\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "Export.zip", "more.md"])
    assert result.exit_code == 1
    assert "Export.zip: error: build an export archive on its own" in result.output


def test_an_export_split_into_parts_is_read_from_its_inner_archives(workdir, runner):
    inner = notion_zip(workdir / "part.zip").read_bytes()
    (workdir / "part.zip").unlink()
    (workdir / "Export.zip").write_bytes(_zip([("Export-Part-1.zip", inner)]))
    result = runner.invoke(main, ["build", "Export.zip", "-o", "out.apkg"])
    assert result.exit_code == 0, result.output
    assert "2 decks, " in result.output
    nested = _zip([("Export-Part-1.zip", _zip([("deeper.zip", inner)]))])
    (workdir / "Export.zip").write_bytes(nested)
    refused = runner.invoke(main, ["build", "Export.zip", "-o", "out.apkg"])
    assert refused.exit_code == 1
    assert "archive inside an archive inside an archive" in refused.output


# --- a new export of the same pages ------------------------------------------------------------
# Notion names every export `Export-<new id>.zip`: that name is the download's, not the notes'.


def test_a_renamed_export_changes_no_note(workdir, runner):
    notion_zip(workdir / "Export-abc123.zip")
    first = runner.invoke(main, ["build", "Export-abc123.zip", "-o", "out.apkg"])
    assert first.exit_code == 0, first.output
    ids_before = (workdir / "flashcards-ids.jsonl").read_text(encoding="utf-8")
    (workdir / "Export-abc123.zip").rename(workdir / "Export-ffff9999.zip")
    again = runner.invoke(main, ["build", "Export-ffff9999.zip", "-o", "out.apkg"])
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 5 unchanged, 0 removed" in again.output
    assert (workdir / "flashcards-ids.jsonl").read_text(encoding="utf-8") == ids_before
    assert "Export" not in ids_before  # entries name a page by its path inside the export


def test_entries_naming_the_archive_keep_their_notes(workdir, runner):
    """An identity file written when entries still named the archive (`Export-….zip/Page.md`):
    every note keeps its GUID, and is updated once, for its new source tag."""
    notion_zip(workdir / "Export-abc123.zip")
    assert runner.invoke(main, ["build", "Export-abc123.zip", "-o", "out.apkg"]).exit_code == 0
    ids = workdir / "flashcards-ids.jsonl"
    lines = ids.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines[1:]]
    for entry in entries:
        entry["file"] = f"Export-abc123.zip/{entry['file']}"
        tags = entry["note"]["tags"]
        entry["note"]["tags"] = [t.replace("source::", "source::Export-abc123.zip::") for t in tags]
        entry["digest"] = "3:0"  # a digest of the old tags: never this build's
    ids.write_text("\n".join([lines[0], *map(json.dumps, entries)]) + "\n", encoding="utf-8")
    again = runner.invoke(main, ["build", "Export-abc123.zip", "-o", "out.apkg"])
    assert "0 added, 5 updated, 0 unchanged, 0 removed" in again.output, again.output
    after = [json.loads(line) for line in ids.read_text(encoding="utf-8").splitlines()[1:]]
    assert sorted(e["guid"] for e in after) == sorted(e["guid"] for e in entries)
    assert not any(e["file"].startswith("Export") for e in after)


def test_a_member_is_known_by_its_path_in_the_export(workdir, build_deck, anki):
    export = notion_zip(workdir / "Export-abc123.zip")
    col, _ = anki(build_deck(export.name)[0])
    notes = [col.get_note(n) for n in col.find_notes("")]
    assert {t for n in notes for t in n.tags if t.startswith("source::")} == {
        "source::Lecture_3", "source::Lecture_3::Sub_page",
    }  # fmt: skip
    sources = {visible_text(n["Source"]) for n in notes}
    assert any(s.endswith(" Lecture 3.md:3") for s in sources), sources
    assert not any("Export" in s for s in sources), sources


def test_diagnostics_in_an_export_name_the_archive(workdir, runner):
    page = "# Page\n\n## Why?\n\nBecause\x01 so.\n"
    (workdir / "Export-abc123.zip").write_bytes(_zip([(f"Page {ID}.md", page.encode())]))
    result = runner.invoke(main, ["build", "Export-abc123.zip", "-o", "out.apkg"])
    assert result.exit_code == 0, result.output
    assert f"Export-abc123.zip/Page {ID}.md:5: warning: control characters" in result.output


def test_an_edit_in_anki_survives_a_renamed_export(tmp_path, workdir):
    from anki.collection import Collection
    from ankiutil import edit_in_anki, import_into

    from flashcards.pipeline import build

    base = int(time.time()) - 10_000
    export = notion_zip(workdir / "Export-abc123.zip")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        assert build([export], workdir / "out.apkg", now=base).written
        import_into(col, workdir / "out.apkg")
        (nid,) = col.find_notes('"Question:What is weight decay?"')
        edit_in_anki(col, nid, "My own answer.", base + 50)
        renamed = export.rename(workdir / "Export-ffff9999.zip")
        again = build([renamed], workdir / "out.apkg", now=base + 100)
        assert again.written and again.changes.unchanged == 5, again.summary()
        response = import_into(col, workdir / "out.apkg")
        assert len(response.log.new) == 0 and len(response.log.updated) == 0
        assert col.get_note(nid)["Answer"] == "My own answer."
        questions = [col.get_note(n).fields[0] for n in col.find_notes("")]
        assert len(questions) == len(set(questions)) == 5
    finally:
        col.close()


# --- archives inside a folder ------------------------------------------------------------------


def test_an_archive_in_a_folder_is_named_not_skipped_silently(workdir, runner):
    (workdir / "d").mkdir()
    notion_zip(workdir / "d" / "Export-abc123.zip")
    (workdir / "d" / "t.md").write_text("# T\n\n## Why t?\n\nBecause.\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "d", "-o", "out.apkg"])
    assert result.exit_code == 0, result.output
    assert (
        "d/Export-abc123.zip: warning: an export archive is built on its own: "
        "flashcards build d/Export-abc123.zip"
    ) in result.stderr
    assert "1 deck, 1 note" in result.stdout


def test_a_folder_holding_only_an_archive_says_how_to_build_it(workdir, runner):
    (workdir / "d").mkdir()
    notion_zip(workdir / "d" / "Export-abc123.zip")
    result = runner.invoke(main, ["build", "d", "-o", "out.apkg"])
    assert result.exit_code == 1
    assert "d: error: no notes here (" in result.stderr and ".zip" in result.stderr
    assert "flashcards build d/Export-abc123.zip" in result.stderr


# --- refused builds ----------------------------------------------------------------------------


def _refused_mixed(workdir: Path) -> list[str]:
    (workdir / "t.md").write_text("# T\n\n## Why t?\n\nBecause.\n", encoding="utf-8")
    return ["Export.zip", "t.md"]


def _refused_hostile(workdir: Path) -> list[str]:
    (workdir / "Export.zip").write_bytes(HOSTILE["zip-slip"][0]())
    return ["Export.zip"]


def _refused_missing(workdir: Path) -> list[str]:
    return ["no-such-notes.md"]


def _refused_output(workdir: Path) -> list[str]:
    (workdir / "mine.apkg").write_text("the user's own file", encoding="utf-8")
    return ["Export.zip", "-o", "mine.apkg"]


REFUSED = {
    "mixed": _refused_mixed,
    "hostile": _refused_hostile,
    "missing": _refused_missing,
    "output": _refused_output,
}


@pytest.mark.parametrize("keep_going", [False, True])
@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_refused_build_claims_no_changes(kind, keep_going, workdir, runner):
    notion_zip(workdir / "Export.zip")
    assert runner.invoke(main, ["build", "Export.zip", "-o", "out.apkg"]).exit_code == 0
    before = {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()}
    args = REFUSED[kind](workdir)
    before = {**before, **{p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()}}
    options = ["--keep-going"] if keep_going else []
    out = [] if "-o" in args else ["-o", "out.apkg"]
    result = runner.invoke(main, ["build", *args, *out, *options])
    assert result.exit_code == 1
    assert result.stdout.startswith("did not write "), result.stdout
    assert "changes:" not in result.stdout and "removed" not in result.stdout, result.stdout
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()} == before
