"""The one base of every dialog: a box centred over the screen, `esc` to close.

A dialog composes one container (the box); the look of the box is here once, and a
dialog's own DEFAULT_CSS changes only what differs (its width, its height). `esc` runs
`action_cancel`, which dismisses with None unless the dialog says otherwise.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Modal(ModalScreen[ResultType]):
    """A dialog box; dismisses with None on `esc`."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="modal.cancel",
                        tooltip="Close without saving")]

    DEFAULT_CSS = """
    Modal { align: center middle; }
    Modal > * {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)
