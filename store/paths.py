"""Where the database lives unless the user says otherwise, and where coffeechat keeps\nits cache and crash reports."""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir, user_state_dir

from store.errors import StoreError
from store.files import private_folder, write_private

ENV_VAR = "COFFEECHAT_DB"


def data_dir() -> Path:
    return Path(user_data_dir("coffeechat", appauthor=False))


def default_db_path(env: Mapping[str, str] = os.environ) -> Path:
    """COFFEECHAT_DB if set, else coffeechat.json in the platform's user data folder."""
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return data_dir() / "coffeechat.json"


def demo_db_path() -> Path:
    """The demo's own file: `coffeechat demo` never touches the real database."""
    return data_dir() / "demo.json"


def cache_dir() -> Path:
    return Path(user_cache_dir("coffeechat", appauthor=False))


def cache_entry(folder: str, path: Path) -> Path:
    """The file the cache's `folder` keeps for the database at `path` (one a database)."""
    return cache_dir() / folder / hashlib.sha256(os.fsencode(path)).hexdigest()


def keep_in_cache(entry: Path, data: bytes) -> None:
    """Write a cache file (0600, its folders 0700). A folder that cannot be written costs
    only what the cache would have saved."""
    try:
        private_folder(entry.parent)
        write_private(entry, [data], durable=False)
    except (OSError, StoreError):
        pass


def crash_dir() -> Path:
    return Path(user_state_dir("coffeechat", appauthor=False))


def write_crash_report(exc_info) -> Path:
    """Write the traceback of an unexpected error to a new file (0600, in a 0700 folder
    of the user's state folder); its path."""
    folder = crash_dir()
    private_folder(folder)
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(traceback.format_exception(*exc_info)))
    return path
