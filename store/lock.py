"""The inter-process lock beside the database: `flock` on a file of its own.

The same lock as any other `flock` on that file (so tools that use one share it), in a
few lines of the standard library: every command takes it, so it must load fast.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time

POLL_SECONDS = 0.05


class LockTimeout(TimeoutError):
    """The lock stayed taken for longer than the timeout."""


class FileLock:
    """An exclusive lock on the file at `path` (created `mode` if missing), waited for up
    to `timeout` seconds. Not re-entrant: its owner takes it once at a time."""

    def __init__(self, path: str | os.PathLike, *, timeout: float, mode: int) -> None:
        self.path = os.fspath(path)
        self.timeout = timeout
        self.mode = mode
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock; LockTimeout after `timeout` seconds, OSError if the file cannot
        be opened."""
        deadline = time.monotonic() + self.timeout
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, self.mode)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"{self.path}: still locked after {self.timeout:g} s") \
                        from None
                time.sleep(POLL_SECONDS)
                continue
            if _same_file(fd, self.path):  # not removed or replaced while we waited
                self._fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _same_file(fd: int, path: str) -> bool:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)
