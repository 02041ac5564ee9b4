"""The build cache (cache.py, workers.py): whatever the cache holds — nothing, everything,
entries of an older edit, the other merge option, damaged files, or a folder deleted during the
build — and whether files are read in worker processes or in this one, a build writes the same
.apkg and identity file, byte for byte, and prints the same problems, as a build without the
cache. And the cache keeps two entries per note file and one per deck, however often one
rebuilds.

Every comparison is between builds of the same notes folder from the same identity file."""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner
from conftest import ROOT, copy_fixture

import flashcards.cache
import flashcards.workers
from flashcards.cli import main
from flashcards.identity import IDENTITY_FILE
from flashcards.pipeline import build

NOW = int(time.time()) - 100_000  # in the past: a build never waits for its own mod

SHARED = "---\ndeck: CV::Week 3\n---\n# {title}\n\n## Q&A\n\n"
PART_ONE = SHARED.format(title="Transformer 1부") + (
    "- Transformer의 attention은 무엇을 계산하나요?\n\t- query와 key의 유사도로 value를 섞습니다.\n"
    "- positional encoding은 왜 필요한가요?\n\t- Transformer에는 순서 정보가 없어서 넣어 줍니다.\n"
)
PART_TWO = SHARED.format(title="Transformer 2부") + (
    "- Transformer의 attention은 무엇을 계산하나요?\n\t- softmax 가중치로 value를 더합니다.\n"
    "- Vision Transformer는 이미지를 어떻게 넣나요?\n\t- patch로 잘라 token처럼 넣습니다.\n"
)
FIGURES = (
    "# 그림 질문\n\n## Q&A\n\n"
    "- 이 그림은 무엇을 보여 주나요?\n\t- 한 픽셀입니다. ![p](pixel.png)\n"
    "- 사라진 그림은 어디에 있나요?\n\t- 아직 없습니다. ![q](missing.png)\n"
)


class Built(NamedTuple):
    apkg: bytes
    ids: bytes
    printed: list[str]  # every diagnostic, as the CLI prints it


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own cache folder (not yet created)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "flashcards"


def add_decks(folder: Path, shared: str = "week3") -> None:
    """Beside the seed: its glossary, a deck of two files (`shared`/) that ask one question
    twice and both use "Transformer", and a deck with an image and a missing image."""
    shutil.copyfile(ROOT / "source" / "glossary.yaml", folder / "glossary.yaml")
    (folder / shared).mkdir(exist_ok=True)
    (folder / shared / "a.md").write_text(PART_ONE, "utf-8")
    (folder / shared / "b.md").write_text(PART_TWO, "utf-8")
    (folder / "figures.md").write_text(FIGURES, "utf-8")
    copy_fixture("pixel.png", folder)


@pytest.fixture
def notes(seed: Path, cache: Path) -> Path:
    add_decks(seed.parent)
    return seed.parent


def run(notes: Path, out: Path, start: bytes | None, *, merge: bool = True) -> Built:
    """Build `notes` into `out`, starting from the identity file `start` (None: none)."""
    ids = notes / IDENTITY_FILE
    if start is None:  # from nothing: no identity file, and no package to recover it from
        ids.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
    else:
        ids.write_bytes(start)
    result = build([notes], out, now=NOW, merge=merge)
    assert result.written, [d.format() for d in result.diagnostics]
    return Built(out.read_bytes(), ids.read_bytes(), [d.format() for d in result.diagnostics])


def uncached(notes: Path, cache: Path, out: Path, start: bytes | None, **options: Any) -> Built:
    shutil.rmtree(cache, ignore_errors=True)
    return run(notes, out, start, **options)


def entries(cache: Path) -> dict[str, tuple[int, int]]:
    """Every entry → (inode, mtime): an entry written again gets a new inode."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*.pickle")}


def test_builds_from_a_cold_a_warm_and_a_deleted_cache_are_identical(
    notes: Path, cache: Path, tmp_path: Path
) -> None:
    cold = run(notes, tmp_path / "cold.apkg", None)
    written = entries(cache)
    warm = run(notes, tmp_path / "warm.apkg", None)
    assert entries(cache) == written  # every file came from the cache, none was read again
    assert len(written) == 2 * 4 + 3  # two per file, one per deck
    fresh = uncached(notes, cache, tmp_path / "fresh.apkg", None)

    assert warm == cold and fresh == cold
    # The notes hold what the cache must carry: a merge, a missing image, an image, key terms.
    assert any("[merged]" in line for line in cold.printed)
    assert any("missing.png" in line for line in cold.printed)
    assert zipfile.ZipFile(tmp_path / "cold.apkg").read("media") != b"{}"
    assert b'"kind":"term"' in cold.ids
    assert b"source::week3::a" in cold.ids


def edit_notes(notes: Path) -> None:
    """One file of the two-file deck, and a deck of one file."""
    (notes / "week3" / "b.md").write_text(
        PART_TWO.replace("token처럼", "word처럼") + "- 새 질문은 무엇인가요?\n\t- 새 답입니다.\n",
        "utf-8",
    )
    (notes / "figures.md").write_text(FIGURES.replace("아직 없습니다", "찾는 중입니다"), "utf-8")


def edit_glossary(notes: Path) -> None:
    """The definition of a term both kinds of deck use."""
    glossary = notes / "glossary.yaml"
    text = glossary.read_text("utf-8").replace("self-attention으로", "attention으로")
    glossary.write_text(text, "utf-8")


@pytest.mark.parametrize("edit", [edit_notes, edit_glossary])
def test_a_cached_rebuild_after_an_edit_matches_a_build_without_cache(
    notes: Path, cache: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    start = run(notes, tmp_path / "before.apkg", None).ids
    edit(notes)
    cached = run(notes, tmp_path / "cached.apkg", start)
    fresh = uncached(notes, cache, tmp_path / "fresh.apkg", start)
    assert cached == fresh
    assert cached.ids != start and b'"kind":"term"' in cached.ids


def test_the_process_pool_writes_what_one_process_writes(
    notes: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[object] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(flashcards.workers, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(flashcards.workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(flashcards.workers, "_cores", lambda: 2)  # a pool even on one CPU
    pooled = run(notes, tmp_path / "pooled.apkg", None)
    assert len(pools) == 1
    # What the workers left in the cache, read back in this process.
    from_workers = run(notes, tmp_path / "from-workers.apkg", None)
    assert len(pools) == 1
    monkeypatch.setattr(flashcards.workers, "PARALLEL_BYTES", 1 << 40)
    alone = uncached(notes, cache, tmp_path / "alone.apkg", None)
    assert len(pools) == 1

    assert from_workers == pooled and alone == pooled


@pytest.mark.parametrize("shared", ["", "week3"])  # the two-file deck: top level, sub-folder
def test_a_cache_deleted_during_the_build_changes_nothing(
    seed: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: str
) -> None:
    notes = seed.parent
    add_decks(notes, shared)
    expected = run(notes, tmp_path / "expected.apkg", None)
    real_scan = flashcards.workers.Work.scan

    def scan_then_delete(*args: Any, **kwargs: Any) -> Any:
        found = real_scan(*args, **kwargs)
        shutil.rmtree(cache)  # before the two-file deck's notes are loaded from it again
        return found

    monkeypatch.setattr(flashcards.workers.Work, "scan", scan_then_delete)
    assert run(notes, tmp_path / "deleted.apkg", None) == expected


def part_of(name: str) -> str:
    return name.removesuffix(".pickle").rsplit("-", 1)[-1]


@pytest.mark.parametrize(
    ("part", "damage"),
    [
        ("head", b""),  # cut short by a crash: entries are not synced to disk
        ("deck", b"not a pickle"),
        ("parsed", b"not a pickle"),  # a file of the two-file deck is then read again
    ],
)
def test_a_damaged_cache_file_is_only_a_miss(
    notes: Path,
    cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    part: str,
    damage: bytes,
) -> None:
    expected = run(notes, tmp_path / "expected.apkg", None)
    damaged = [p for p in cache.rglob("*.pickle") if part_of(p.name) == part]
    assert damaged
    for path in damaged:
        path.write_bytes(damage)
    assert run(notes, tmp_path / "damaged.apkg", None) == expected
    reads = count_reads(monkeypatch)
    assert run(notes, tmp_path / "mended.apkg", None) == expected
    assert reads == []  # the damaged entries were written again


def test_a_cache_that_cannot_be_written_changes_nothing(
    notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run(notes, tmp_path / "expected.apkg", None)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    reads = count_reads(monkeypatch)
    assert run(notes, tmp_path / "blocked.apkg", None) == expected
    assert sorted(reads) == sorted(set(reads))  # none read twice: nothing was put aside


def test_no_merge_after_a_merged_build_and_back(notes: Path, cache: Path, tmp_path: Path) -> None:
    merged = run(notes, tmp_path / "merged.apkg", None)
    unmerged = run(notes, tmp_path / "unmerged.apkg", None, merge=False)
    fresh = uncached(notes, cache, tmp_path / "fresh.apkg", None, merge=False)
    assert unmerged == fresh
    assert unmerged.apkg != merged.apkg
    assert not any("[merged]" in line for line in unmerged.printed)
    assert run(notes, tmp_path / "merged-again.apkg", None) == merged


def test_the_cache_keeps_two_entries_per_file_however_often_one_edits(
    notes: Path, cache: Path, tmp_path: Path
) -> None:
    for round_ in range(4):
        (notes / "week3" / "a.md").write_text(
            PART_ONE + f"- {round_}번째 질문은 무엇인가요?\n\t- 답 {round_}\n", "utf-8"
        )
        (notes / "figures.md").write_text(FIGURES + f"\n추가 {round_}\n", "utf-8")
        run(notes, tmp_path / f"{round_}.apkg", None)
        parts = sorted(part_of(name) for name in entries(cache))
        assert parts == ["deck"] * 3 + ["head"] * 4 + ["parsed"] * 4
    (notes / "week3" / "b.md").unlink()
    run(notes, tmp_path / "fewer.apkg", None)
    assert len(entries(cache)) == 2 * 3 + 3


def test_other_code_reads_nothing_this_code_cached_and_only_recent_caches_stay(
    notes: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited checkout of the same version is other code: it reads nothing an earlier
    build cached (that could hold fields the edited code renders differently). Two installs
    used in turn each keep their cache; older code's caches are deleted."""
    reads = count_reads(monkeypatch)
    read_per_build, built = [], []
    for code in ("0.1.0-a", "0.1.0-b", "0.1.0-a", "0.1.0-c", "0.1.0-d"):
        monkeypatch.setattr(flashcards.cache, "code_version", lambda code=code: code)
        reads.clear()
        built.append(run(notes, tmp_path / f"{code}.apkg", None))
        read_per_build.append(len(reads))

    assert read_per_build == [4, 4, 0, 4, 4]  # the third build found a's cache again
    assert sorted(p.name for p in cache.glob("*")) == [
        "0.1.0-a",  # used by the third build
        "0.1.0-c",
        "0.1.0-d",
    ]
    assert all(b == built[0] for b in built)


def test_code_digest_follows_the_source_and_the_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    shutil.copytree(ROOT / "flashcards", package)
    libraries = ("pydantic", "no-such-library-here")
    first = flashcards.cache.code_digest(package, libraries)
    assert flashcards.cache.code_digest(package, libraries) == first
    fields = package / "render" / "fields.py"  # in a sub-package
    fields.write_text(fields.read_text("utf-8") + "\n# an edit\n", "utf-8")
    edited = flashcards.cache.code_digest(package, libraries)
    assert edited != first
    monkeypatch.setattr(flashcards.cache.metadata, "version", lambda name: "999")
    assert flashcards.cache.code_digest(package, libraries) not in (first, edited)


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The note files this process decodes from now on (workers.read_source)."""
    reads: list[str] = []
    real = flashcards.workers.read_source

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(flashcards.workers, "read_source", counted)
    return reads


def test_a_file_gone_during_the_build_stops_it_and_is_not_remembered_wrongly(
    notes: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache lost a file of the two-file deck (one this build did not read: b.md was
    edited, a.md was not), and the file cannot be read again."""
    start = run(notes, tmp_path / "first.apkg", None).ids
    edit_notes(notes)
    real_scan = flashcards.workers.Work.scan
    away = tmp_path / "a.md"

    def scan_then_lose(*args: Any, **kwargs: Any) -> Any:
        found = real_scan(*args, **kwargs)
        shutil.rmtree(cache, ignore_errors=True)
        (notes / "week3" / "a.md").rename(away)
        return found

    monkeypatch.setattr(flashcards.workers.Work, "scan", scan_then_lose)
    (notes / IDENTITY_FILE).write_bytes(start)
    failed = build([notes], tmp_path / "failed.apkg", now=NOW)
    assert not failed.written
    assert [d.path for d in failed.errors] == ["source/week3/a.md"]  # shown from the cwd

    # With --keep-going, the rest is built, and the notes of the file not read are kept as
    # they were: neither matched nor removed.
    away.rename(notes / "week3" / "a.md")
    monkeypatch.setattr(flashcards.workers.Work, "scan", real_scan)
    run(notes, tmp_path / "again.apkg", start)  # a.md in the cache again
    monkeypatch.setattr(flashcards.workers.Work, "scan", scan_then_lose)
    (notes / IDENTITY_FILE).write_bytes(start)
    kept = build([notes], tmp_path / "kept.apkg", now=NOW, keep_going=True)
    away.rename(notes / "week3" / "a.md")
    assert kept.written and not kept.changes.removed

    def entries_of_a(ids: bytes) -> list[bytes]:
        return [line.rstrip(b",") for line in ids.splitlines() if b'"file":"week3/a.md"' in line]

    assert entries_of_a(start) == entries_of_a((notes / IDENTITY_FILE).read_bytes())

    monkeypatch.setattr(flashcards.workers.Work, "scan", real_scan)
    cached = run(notes, tmp_path / "cached.apkg", start)
    assert cached == uncached(notes, cache, tmp_path / "fresh.apkg", start)


def test_a_second_cli_build_writes_the_same_bytes(
    notes: Path, cache: Path, runner: CliRunner
) -> None:
    ids = notes / IDENTITY_FILE
    outputs, summaries, cached = [], [], []
    for name in ("first.apkg", "second.apkg"):
        result = runner.invoke(main, ["build", str(notes), "-o", name])
        assert result.exit_code == 0, result.output
        outputs.append((Path(name).read_bytes(), ids.read_bytes(), result.stderr))
        summaries.append(result.stdout.splitlines()[0].replace(name, "deck.apkg"))
        cached.append(entries(cache))
    assert outputs[0] == outputs[1]  # the package, the identity file and the problems printed
    assert summaries[0] == summaries[1] and summaries[0].startswith("wrote deck.apkg: ")
    assert cached[0] == cached[1] and cached[0]  # the second build read every file from it
