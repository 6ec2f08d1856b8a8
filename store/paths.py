"""Where the database lives unless the user says otherwise."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir

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
