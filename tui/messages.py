"""The app's messages, in one place: what the store's writes tell the screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from store.changes import Changes, UndoEntry


@dataclass
class DataChanged(Message, bubble=False):
    """The file changed: here, on another screen, on the writer thread or in another
    process. Every screen on the stack gets one and re-reads what it names."""

    changes: Changes


@dataclass
class Saved(Message):
    """A write finished on the writer thread; `then` runs on the UI thread."""

    then: Callable | None
    result: object
    undo: UndoEntry | None


@dataclass
class SaveFailed(Message):
    """A write was refused or failed; nothing of it was saved."""

    error: Exception
    on_error: Callable[[Exception], object] | None
    undo: UndoEntry | None
