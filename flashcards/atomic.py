"""Write files so that a failed or killed run never leaves half of one behind.

The content goes to a temporary file beside the target, which is then renamed over it: readers
see the old file or the new one, never a mix, and two runs at once cannot interleave their bytes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, else it is removed.
    `durable` waits until the content is on disk before the rename: without it, a crash soon
    after may leave the target empty or cut short."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; use the usual mode
        if durable:
            with temporary.open("rb") as written:
                os.fsync(written.fileno())  # on disk before the rename, or a crash could empty it
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes, durable: bool = True) -> None:
    with replacing(target, durable) as temporary:
        temporary.write_bytes(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
