"""One line to type: a title, a hint, an input; `enter` answers, `esc` declines (None)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.modals.base import Modal
from widgets.safe_text import SafeInput


class AskScreen(Modal[str | None]):
    """Dismisses with the text typed (stripped), or None on esc."""

    def __init__(self, title: str, hint: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield SafeInput(placeholder=self.placeholder, id="ask-input")
            yield Static(self.hint, id="ask-hint", markup=False)

    @on(Input.Submitted, "#ask-input")
    def answer(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)
