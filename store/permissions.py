"""Who may read the database: it holds people's names, emails and notes about them.

coffeechat creates the file 0600 (its folder 0700) and every write keeps it so; a file
that another user can read (copied, restored, or chmodded by hand), and a backup folder
or backup that others can read or that another user owns, gets one warning.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from store.db import Store
from store.errors import CoffeeError
from store.storage import BACKUP_NAME, backup_folder


def file_mode(path: Path) -> int | None:
    """The permission bits of `path`, or None when it cannot be looked at."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def open_to_others(mode: int | None) -> bool:
    """True when the group or other users may read, write or enter."""
    return mode is not None and bool(mode & 0o077)


def private_problem(place: Path) -> str | None:
    """Why `place` (the database, its backup folder, a backup) is not private to the
    user, as a finding with its fix; None when it is."""
    try:
        st = os.stat(place)
    except OSError:
        return None
    if st.st_uid != os.geteuid():
        return (f"{place}: owned by another user (uid {st.st_uid}), who can read it; "
                f"move it away or chown it to yourself")
    mode = stat.S_IMODE(st.st_mode)
    if open_to_others(mode):
        return (f"{place}: other users may read it (mode {mode:04o}); chmod "
                f"{'700' if stat.S_ISDIR(st.st_mode) else '600'} {place}")
    return None


def _backup_problems(store: Store) -> list[str]:
    folder = backup_folder(store.path)
    if not folder.is_dir() or folder.is_symlink():
        return []
    named = sorted(p for p in folder.iterdir()  # whoever owns them: that is the point
                   if BACKUP_NAME.fullmatch(p.name) and not p.is_symlink())
    return [line for place in (folder, *named) if (line := private_problem(place))]


def permission_warning(store: Store) -> str | None:
    """One line when the database, its backup folder or a backup can be read by other
    users (or another user owns them), once per file and mode; None otherwise.
    Remembering the warning is a write, and every write leaves the file 0600, so the line
    says which it is now."""
    mode = file_mode(store.path)
    backup_problems = _backup_problems(store)
    if not open_to_others(mode) and not backup_problems:
        return None
    shown = f"{mode or 0:04o}"
    seen = " | ".join([shown, *backup_problems])  # what was warned about: the same, once
    from store import settings as config  # (only for a file others can read)

    if config.get(store, config.MODE_WARNED) == seen:
        return None
    try:
        config.set_internal(store, config.MODE_WARNED, seen)
    except CoffeeError:
        pass  # a read-only file or folder: warn all the same
    if not open_to_others(mode):
        more = len(backup_problems) - 1
        return (f"warning: {backup_problems[0]}"
                + (f" (and {more} more: coffeechat doctor lists them)" if more else ""))
    if open_to_others(file_mode(store.path)):
        return (
            f"warning: {store.path} can be read by other users (mode {shown}); it holds "
            f"notes about people — make it private with: chmod 600 {store.path}"
        )
    return (
        f"warning: {store.path} could be read by other users (mode {shown}); coffeechat "
        "made it private again (0600)"
    )
