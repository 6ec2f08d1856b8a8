"""Scheduling a meeting from the app, and `r` (a reply), which offers it.

The time is typed as anywhere else (`thu 3pm`, `next tue 9:30`, `+2d`); what it understood
shows as you type. `tab` goes on to the medium and the place; `enter` saves, `esc` cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from store.dates import EXAMPLES, DateError, dayfirst_setting, describe, parse_when
from store.followups import log_reply
from store.meetings import MEDIUMS, schedule_meeting, unfinished_meeting
from store.records import Contact
from store.text import printable
from tui.modals.base import Modal
from widgets.safe_text import SafeInput

HINT = "when? e.g. thu 3pm, next tue 9:30 · tab: medium, place · enter saves, esc cancels"


@dataclass(frozen=True)
class Slot:
    """What the dialog returns: when, how and where."""

    when: datetime
    medium: str
    where: str


class ScheduleScreen(Modal[Slot | None]):
    """A time (and medium and place) for the meeting with one contact."""

    DEFAULT_CSS = """
    ScheduleScreen > Vertical { width: 70; }
    ScheduleScreen #schedule-understood { color: $text-muted; }
    ScheduleScreen #schedule-understood.error { color: $error; text-style: bold; }
    """

    def __init__(self, contact: Contact, title: str = "Schedule the meeting") -> None:
        super().__init__()
        self.contact = contact
        self.title = title
        self.when: datetime | None = None

    def compose(self) -> ComposeResult:
        meeting = unfinished_meeting(self.app.store, self.contact.id)
        with Vertical() as box:
            box.border_title = Content(printable(f"{self.title} with {self.contact.name}"))
            yield SafeInput(placeholder="thu 3pm", id="schedule-when")
            yield Static(HINT, id="schedule-understood", markup=False)
            yield SafeInput(meeting.medium if meeting else MEDIUMS[0],
                            placeholder=" / ".join(MEDIUMS), id="schedule-medium")
            yield SafeInput(meeting.where if meeting else "", placeholder="where (or the link)",
                            id="schedule-where")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "schedule-when":
            self.read(event.value, final=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        medium = self.query_one("#schedule-medium", Input).value.strip().lower()
        if not self.read(self.query_one("#schedule-when", Input).value, final=True):
            self.query_one("#schedule-when", Input).focus()
        elif medium not in MEDIUMS:
            self.show(f"the medium is one of {', '.join(MEDIUMS)}", error=True)
        else:
            self.dismiss(Slot(self.when, medium, self.query_one("#schedule-where", Input).value))

    def show(self, text: str, *, error: bool) -> None:
        understood = self.query_one("#schedule-understood", Static)
        understood.update(text)
        understood.set_class(error, "error")

    def read(self, text: str, *, final: bool) -> bool:
        """Show what `text` means; True when it is a time to schedule the meeting at."""
        now = self.app.clock()
        self.when = None
        if not text.strip() and not final:
            self.show(HINT, error=False)
            return False
        try:
            when = parse_when(text, now, dayfirst=dayfirst_setting(self.app.store.settings()))
        except DateError as exc:
            self.show(str(exc) if final else f"? e.g. {EXAMPLES}", error=final)
            return False
        if when <= now:
            self.show(f"→ {describe(when, now=now)} has passed: pick a later time", error=final)
            return False
        self.when = when
        self.show(f"→ {describe(when, now=now)}", error=False)
        return True


def offer_schedule(app: App, contact: Contact, title: str = "Schedule the meeting") -> None:
    """Ask for a time; saved (undoable) when one is given."""

    def chosen(slot: Slot | None) -> None:
        if slot is None:
            return

        def saved(_) -> None:
            app.notify(printable(f"{slot.medium} with {contact.name}: "
                                 f"{describe(slot.when, now=app.clock())}"),
                       title="Scheduled", timeout=4, markup=False)

        app.write(partial(schedule_meeting, medium=slot.medium, where=slot.where), app.store,
                  contact.id, slot.when, on_saved=saved, undo="schedule")

    app.push_screen(ScheduleScreen(contact, title), chosen)


def reply(app: App, contact: Contact) -> None:
    """`r`: log their reply now (undoable), then offer to schedule the meeting."""
    app.write(log_reply, app.store, contact.id, undo="reply")
    app.notify(printable(f"reply from {contact.name} logged: no more nudges"), timeout=4,
               markup=False)
    offer_schedule(app, contact, "They replied: schedule the meeting")
