"""Editing a text in the user's $VISUAL / $EDITOR while the app steps aside."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App


def edit_in_editor(app: App, text: str, *, prefix: str, suffix: str = ".txt") -> tuple[str | None, str | None]:
    """(the edited text, None), or (None, what went wrong) — never raises.

    The text goes to a private temporary file that is removed afterwards; the app is
    suspended while the editor runs and comes back whatever the editor does.
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return None, "set $EDITOR (or $VISUAL) to use your editor"
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    path = Path(name)
    edited = problem = None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            with app.suspend():
                try:
                    subprocess.run([*shlex.split(editor), str(path)], check=True)
                    edited = path.read_text(encoding="utf-8", errors="replace")
                except (OSError, ValueError, subprocess.SubprocessError) as exc:
                    problem = f"{editor} failed: {exc}"
        except Exception as exc:  # SuspendNotSupported (e.g. under a test pilot) and the like
            problem = f"cannot open {editor} here: {exc}"
    finally:
        path.unlink(missing_ok=True)
    app.refresh()
    return edited, problem
