"""Writing files that hold people's data: private, whole, and never through a link.

Every file coffeechat writes is a new temporary file created exclusively (O_EXCL, 0600)
in the target's folder, fsynced, then renamed over the target: a rename replaces a
symbolic link at the target instead of writing where it points, and a reader never sees
half a file. Folders coffeechat creates are 0700 at every level, whatever the umask.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from store.errors import StoreError

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def real_path(path: str | os.PathLike) -> Path:
    """The file `path` names, with `~` expanded and every symbolic link followed: every
    path to one file gives the same answer (one lock, and writes replace the file)."""
    return Path(os.path.realpath(Path(path).expanduser()))


def private_folder(folder: Path) -> None:
    """Make `folder` and any missing folder above it, each 0700. An existing folder is
    used as it is, unless it is a symbolic link (coffeechat's own folders are real)."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    if not missing and folder.is_symlink():
        raise StoreError(f"{folder}: is a symbolic link; coffeechat writes only into a real "
                         "folder here — replace it with a folder")
    for level in reversed(missing):
        try:
            level.mkdir(mode=FOLDER_MODE)
            os.chmod(level, FOLDER_MODE)  # the umask may have taken bits away
        except OSError as exc:
            raise StoreError(f"{level}: cannot create the folder ({exc.strerror})") from exc


def write_private(path: Path, pieces: Iterable[bytes], *, durable: bool = True) -> None:
    """Write `pieces` as the file `path` (0600), whole or not at all; OSError on failure,
    with nothing left behind. Not `durable` (a cache, whose loss costs nothing): without
    the fsyncs that make it survive a power cut."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_folder(path.parent)


def read_chunks(path: Path, size: int = 1 << 20) -> Iterable[bytes]:
    """The bytes of a regular file, a piece at a time (never a FIFO or a device)."""
    with open_regular(path) as f:
        while piece := f.read(size):
            yield piece


def open_regular(path: Path):
    """`path` opened to read, refusing (OSError EINVAL, saying what it is) anything but a
    regular file, and
    never waiting: a FIFO would block the open, a device would never end."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, f"is {kind_of(st)}, not a database file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def kind_of(st: os.stat_result) -> str:
    """What a stat says is at a path, as a message names it."""
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
