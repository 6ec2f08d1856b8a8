"""`s` in the agenda — a date for the snooze, typed as anywhere else (`+2d`, `fri`,
`tomorrow 9am`): what it understood shows as you type, `enter` saves, `esc` cancels."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from store.dates import EXAMPLES, DateError, dayfirst_setting, describe, parse_when
from store.followups import DueItem
from store.text import printable
from tui.modals.base import Modal


class SnoozeScreen(Modal[datetime | None]):
    """A date for the snooze: shows what it understood as you type; enter saves."""

    DEFAULT_CSS = """
    SnoozeScreen > Vertical { width: 64; }
    SnoozeScreen #snooze-understood { color: $text-muted; }
    SnoozeScreen #snooze-understood.error { color: $error; text-style: bold; }
    """

    def __init__(self, item: DueItem) -> None:
        super().__init__()
        self.item = item
        self.until: datetime | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            title = f"Snooze: {self.item.what} — {self.item.contact.name}"
            box.border_title = Content(printable(title))
            yield Input(placeholder="+2d, fri, tomorrow 9am, Dec 3", id="snooze-input")
            yield Static("until when? enter to snooze, esc to cancel", id="snooze-understood",
                         markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.read(event.value, final=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.read(event.value, final=True):
            self.dismiss(self.until)

    def read(self, text: str, *, final: bool) -> bool:
        """Show what `text` means; True when it is a time to snooze until."""
        understood = self.query_one("#snooze-understood", Static)
        now = self.app.clock()
        self.until = None
        if not text.strip() and not final:
            understood.update("until when? enter to snooze, esc to cancel")
            understood.remove_class("error")
            return False
        try:
            until = parse_when(text, now, dayfirst=dayfirst_setting(self.app.store.settings()))
        except DateError as exc:
            understood.update(str(exc) if final else f"? e.g. {EXAMPLES}")
            understood.set_class(final, "error")
            return False
        if until <= now:
            understood.update(f"→ {describe(until, now=now)} has passed: pick a later time")
            understood.set_class(final, "error")
            return False
        self.until = until
        understood.update(f"→ {describe(until, now=now)}")
        understood.remove_class("error")
        return True
