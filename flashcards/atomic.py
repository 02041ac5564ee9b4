"""Write files so that a failed or killed run never leaves half of one behind.

The content goes to a temporary file beside the target, which is then renamed over it: readers
see the old file or the new one, never a mix, and two runs at once cannot interleave their bytes.
A run holds a lock on its temporary file while it writes, so the next run can tell the
temporary files of runs that were killed (the lock died with them) from those of a run still
writing, and remove only the former (`remove_stale`).
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def replacing(target: Path, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, else it is removed.
    `durable` waits until the content is on disk before the rename: without it, a crash soon
    after may leave the target empty or cut short."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when this run closes it, or dies
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; use the usual mode
        if durable:
            with temporary.open("rb") as written:
                os.fsync(written.fileno())  # on disk before the rename, or a crash could empty it
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def remove_stale(target: Path) -> None:
    """Remove the temporary files runs that were killed left beside `target`. One made in the
    last minute is left alone: its run may not have locked it yet."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        with suppress(OSError):
            if stale.stat().st_mtime > time.time() - 60:
                continue
            fd = os.open(stale, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a run writes it
                stale.unlink()
            finally:
                os.close(fd)


def write_bytes(target: Path, data: bytes, durable: bool = True) -> None:
    with replacing(target, durable) as temporary:
        temporary.write_bytes(data)


_SQLITE = b"SQLite format 3\x00"
_ZIP = b"PK\x03\x04"


def replace_refusal(target: Path, ours: Callable[[Path], bool], what: str) -> str | None:
    """Why `target` must not be replaced, or None when it may: nothing is there, an empty file,
    or a file `ours` recognises (`what` names such a file). A folder, a collection, any other
    file belongs to the user: an output path given by mistake must never destroy it."""
    if not target.exists() and not target.is_symlink():
        return None
    if target.is_dir():
        found = "a folder"
    elif not target.is_file():
        found = "something that is not a regular file"
    else:
        try:
            with target.open("rb") as file:
                head = file.read(len(_SQLITE))
        except OSError as exc:
            return f"refusing to replace a file that cannot be read ({exc.strerror or exc})"
        if not head or ours(target):
            return None
        found = (
            "an SQLite database (an Anki collection?)" if head == _SQLITE
            else "a zip file" if head.startswith(_ZIP)
            else "a file"
        )  # fmt: skip
    return f"refusing to replace {found} that is not {what}; choose another output path"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
