"""Who may read the database: it holds people's names, emails and notes about them.

coffeechat creates the file 0600 (its folder 0700) and every write keeps it so; a file
that another user can read (copied, restored, or chmodded by hand) gets one warning.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from store import settings as config
from store.db import Store
from store.errors import CoffeeError

WARNED_SETTING = config.MODE_WARNED  # the mode last warned about, like "0644"


def file_mode(path: Path) -> int | None:
    """The permission bits of `path`, or None when it cannot be looked at."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def open_to_others(mode: int | None) -> bool:
    """True when the group or other users may read, write or enter."""
    return mode is not None and bool(mode & 0o077)


def permission_warning(store: Store) -> str | None:
    """One line when the database can be read by other users, once per file and mode;
    None otherwise. Remembering the warning is a write, and every write leaves the file
    0600, so the line says which it is now."""
    mode = file_mode(store.path)
    if not open_to_others(mode):
        return None
    seen = f"{mode:04o}"
    if config.get(store, WARNED_SETTING) == seen:
        return None
    try:
        config.set_internal(store, WARNED_SETTING, seen)
    except CoffeeError:
        pass  # a read-only file or folder: warn all the same
    if open_to_others(file_mode(store.path)):
        return (
            f"warning: {store.path} can be read by other users (mode {seen}); it holds "
            f"notes about people — make it private with: chmod 600 {store.path}"
        )
    return (
        f"warning: {store.path} could be read by other users (mode {seen}); coffeechat "
        "made it private again (0600)"
    )
