"""A question with a few answers, one key each: "send it anyway?", "keep the draft?",
"delete and clear the links?". `enter` gives the default answer (for a risky action the
safe one), `esc` cancels (None)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from store.text import printable
from tui.modals.base import Modal


class ChoiceScreen(Modal[object]):
    """Dismisses with the value of the answer whose key was pressed."""

    def __init__(self, title: str, text: str, answers: list[tuple[str, str, object]],
                 default: object = None) -> None:
        """`answers`: (key, what it does, value); `default`: what enter answers."""
        super().__init__()
        self.title_text = title
        self.text = text
        self.answers = answers
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(printable(self.title_text))
            yield Static(printable(self.text, keep_newlines=True), id="choice-text",
                         markup=False)
            keys = Text()
            for key, label, value in self.answers:
                keys.append(f"{key}", style="bold")
                keys.append(f" {label}" + (" (enter)" if value == self.default else "") + " · ")
            keys.append("esc", style="bold")
            keys.append(" cancel")
            yield Static(keys, id="choice-keys")

    def on_key(self, event: events.Key) -> None:
        for key, _, value in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return
        if event.key == "enter":
            event.stop()
            self.dismiss(self.default)
