"""`n` — one line like `coffeechat add`, into the focused stage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.errors import InputError
from store.quickadd import EXAMPLE, QuickAdd, parse_quick_add
from tui.modals.base import Modal
from widgets.safe_text import SafeInput


class QuickAddScreen(Modal[QuickAdd | None]):
    """Returns the parsed line, or None when cancelled."""

    DEFAULT_CSS = """
    QuickAddScreen #quick-add-error { color: $error; text-style: bold; }
    """

    def __init__(self, stage: str) -> None:
        super().__init__()
        self.stage = stage

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"New contact in {self.stage}"
            yield SafeInput(placeholder=EXAMPLE.strip('"'), id="quick-add-input")
            yield Static("name, role @ company, industry — note · enter to add, esc to cancel",
                         id="quick-add-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            parsed = parse_quick_add(event.value)
        except InputError as exc:
            self.query_one("#quick-add-error", Static).update(str(exc))
            return
        self.dismiss(parsed)
