"""`enter` on a timeline entry — the entry whole: every line of a meeting's notes, the
questions asked, a message's full text; it scrolls, whatever its length."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.modals.base import Modal


class EntryScreen(Modal[None]):
    """One timeline entry in a scrolling box; esc, enter or q closes it."""

    BINDINGS = [
        Binding("enter,q", "cancel", "Close", id="entry.close", tooltip="Back to the contact"),
    ]

    DEFAULT_CSS = """
    EntryScreen > VerticalScroll { height: auto; max-height: 90%; }
    EntryScreen > VerticalScroll:focus { border: round $accent; }
    """

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="entry") as box:
            box.border_title = self.title_text
            box.border_subtitle = "pgup/pgdn/home/end scroll · esc closes"
            yield Static(self.body, markup=False)

    def on_mount(self) -> None:
        self.query_one("#entry", VerticalScroll).focus()
