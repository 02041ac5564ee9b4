"""Export archives (Notion's `Export-….zip`): checked whole, then unpacked into the build's own
temporary folder, and read from there like a folder of notes.

An archive is hostile input until checked. Before a byte is written, every entry is checked:
one that leaves the archive (`../`, an absolute path, a drive), a symlink, an encrypted entry,
or entries that would expand past the limits below (a zip bomb) refuse the whole archive, with
one line saying why. Then only notes and images are unpacked (anything else is never written),
each read with a cap on its size whatever its header claims, into a folder no other build
uses and that is removed after the build. A broken or truncated archive is refused too.
Archives inside the archive (Notion splits big exports into parts) are unpacked the same way,
one level deep, within the same limits.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from io import BytesIO
from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostic, error, shorten

ARCHIVE_SUFFIXES = (".zip",)
MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # as for a note file (sources.MAX_FILE_BYTES)
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for entries over a megabyte
_UNPACKED = (
    ".md", ".markdown", ".txt", ".html", ".htm", ".ipynb", ".yaml",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif",
)  # fmt: skip
_CHUNK = 1024 * 1024


class Refused(Exception):
    """Why an archive is not read (caught here: never leaves this module)."""


def is_archive(path: Path) -> bool:
    return path.suffix.lower() in ARCHIVE_SUFFIXES and path.is_file()


def unpack(archive: Path, into: Path, shown: str) -> Diagnostic | None:
    """Unpack the notes and images of `archive` into the new folder `into`; or why not."""
    budget = [MAX_TOTAL_BYTES]
    try:
        into.mkdir()
        with zipfile.ZipFile(archive) as zipped:
            _unpack(zipped, into, budget, nested=True)
    except Refused as exc:
        return error("archive", shown, None, f"refused archive: {exc}")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        reason = shorten(str(exc) or exc.__class__.__name__, 80)
        return error("archive", shown, None, f"broken or truncated archive ({reason})")
    except NotImplementedError as exc:
        return error("archive", shown, None, f"unsupported archive ({shorten(str(exc), 80)})")
    except (OSError, ValueError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        return error("archive", shown, None, f"cannot read archive: {shorten(reason, 80)}")
    return None


def _unpack(zipped: zipfile.ZipFile, into: Path, budget: list[int], nested: bool) -> None:
    entries = zipped.infolist()
    if len(entries) > MAX_ENTRIES:
        raise Refused(f"more than {MAX_ENTRIES:,} entries")
    wanted = [(entry, _checked(entry)) for entry in entries]
    for entry, parts in wanted:
        if not parts or entry.is_dir() or not parts[-1].lower().endswith((*_UNPACKED, ".zip")):
            continue
        data = _read(zipped, entry, budget)
        if parts[-1].lower().endswith(".zip"):
            if not nested:
                raise Refused(f"archive inside an archive inside an archive: {entry.filename}")
            with zipfile.ZipFile(BytesIO(data)) as inner:
                _unpack(inner, into, budget, nested=False)
            continue
        target = into.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("xb") as out:
                out.write(data)
        except FileExistsError:
            raise Refused(f"entry twice: {shorten(entry.filename, 80)}") from None


def _checked(entry: zipfile.ZipInfo) -> list[str]:
    """The entry's path parts inside the archive, or `Refused` why it may not be unpacked."""
    name = entry.filename
    shown = shorten(name, 80)
    if entry.flag_bits & 0x1:
        raise Refused(f"encrypted entry: {shown}")
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise Refused(f"symbolic link: {shown}")
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":") or "\x00" in path:
        raise Refused(f"entry with an absolute path: {shown}")
    parts = [part for part in PurePosixPath(path).parts if part not in ("", ".")]
    if ".." in parts:
        raise Refused(f"entry leaving the archive: {shown}")
    if entry.file_size > MAX_ENTRY_BYTES:
        raise Refused(f"entry larger than {MAX_ENTRY_BYTES // 2**20} MB: {shown}")
    big = entry.file_size > 2**20
    if big and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        raise Refused(f"entry expands {MAX_RATIO}× past its size (a zip bomb?): {shown}")
    return parts


def _read(zipped: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """The entry's bytes, never more than its header said nor than the budget left."""
    cap = min(entry.file_size, MAX_ENTRY_BYTES, budget[0])
    if entry.file_size > cap:
        raise Refused(f"expands past {MAX_TOTAL_BYTES // 2**20} MB in all (a zip bomb?)")
    chunks: list[bytes] = []
    read = 0
    with zipped.open(entry) as stream:
        while chunk := stream.read(min(_CHUNK, cap + 1 - read)):
            read += len(chunk)
            if read > cap:
                raise Refused(f"entry larger than it says: {shorten(entry.filename, 80)}")
            chunks.append(chunk)
    budget[0] -= read
    return b"".join(chunks)

