"""Preparing a meeting (`m` on a card, the agenda's "prepare" item, `coffeechat prep REF`):
when and where, the research, the questions to ask (chosen here: the first time, a few
per TIARA letter are chosen already), what to bring. `F5`
starts the clock and opens the notes pad; `F7` discards a meeting opened by mistake.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, SelectionList, Static

from store.dates import describe
from store.errors import CoffeeError
from store.meetings import begin_meeting, discard_meeting, preparation, set_planned_questions
from store import tiara
from store.questions import question_letters
from store.records import Contact, Meeting, parse_iso
from store.text import printable
from tui.messages import DataChanged
from tui.modals.meeting_end import DiscardScreen
from tui.modals.schedule import offer_schedule

BRING = (
    "• the questions you chose, and one line on who you are and what you are exploring\n"
    "• something to write on; their name, role and company by heart\n"
    "• your resume: offer it only if they ask — you came to learn, not for a job\n"
    "• the meeting runs small talk → questions → next steps; next steps: who else should "
    "I talk to?"
)


def open_preparation(app: App, contact_id: int) -> None:
    """The preparation of the contact's meeting (a new one if none is open); a meeting
    already running opens its notes pad instead."""

    def show(prepared: tuple[Meeting, list[str]]) -> None:
        from tui.screens.meeting import MeetingScreen

        meeting, questions = prepared
        running = meeting.status == "running"
        app.push_screen(MeetingScreen(meeting, questions) if running
                        else PrepScreen(meeting, questions))

    app.write(preparation, app.store, contact_id, on_saved=show, undo="prepare meeting")


def when_text(meeting: Meeting, now) -> str:
    """"coffee Thu 26 Nov 15:00 at Blue Bottle · 30 min", or that it has no time yet."""
    when = parse_iso(meeting.scheduled_for, aware=True)
    text = f"{meeting.medium} {describe(when, now=now)}" if when else (
        f"{meeting.medium}, no time yet (F6 schedules)")
    if meeting.where:
        text += f" at {meeting.where}"
    return f"{text} · {meeting.planned_minutes} min"


class PrepScreen(Screen):
    """One meeting before it starts: choose the questions, read up, start the clock."""

    BINDINGS = [
        Binding("f5", "start", "Start", priority=True, id="prep.start",
                tooltip="Start the meeting: the clock runs, the notes pad opens"),
        Binding("f6", "schedule", "Schedule", priority=True, id="prep.schedule",
                tooltip="Set or change when, how and where"),
        Binding("f7", "discard", "Discard", priority=True, id="prep.discard",
                tooltip="Discard this meeting (asks first); it counts for nothing"),
        Binding("e", "edit", "Edit contact", id="prep.edit",
                tooltip="Edit the contact (research, culture, notes…)"),
        Binding("escape", "leave", "Back", id="prep.leave",
                tooltip="Back; the meeting stays as it is, with the questions chosen"),
    ]

    DEFAULT_CSS = """
    PrepScreen #prep-header { height: auto; padding: 0 1; background: $panel; }
    PrepScreen #prep-body { height: 1fr; }
    PrepScreen #prep-questions { width: 1fr; height: 1fr; }
    PrepScreen #prep-side { width: 45%; padding: 0 1; }
    PrepScreen .prep-title { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, meeting: Meeting, questions: list[str]) -> None:
        super().__init__()
        self.meeting = meeting
        self.questions = questions

    def compose(self) -> ComposeResult:
        chosen = set(self.meeting.questions_planned)
        labels = tiara.labelled(self.questions, question_letters(self.app.store))
        yield Static(id="prep-header")
        with Horizontal(id="prep-body"):
            selection = SelectionList[str](
                *[(printable(label), q, q in chosen) for label, q in zip(labels, self.questions)],
                id="prep-questions")
            selection.border_title = ("Questions by TIARA: Trends, Insights, Advice, Resources, "
                                      "Assignments (space chooses)")
            yield selection
            with VerticalScroll(id="prep-side", can_focus=False):
                yield Static("Research (e edits)", classes="prep-title")
                yield Static(id="prep-research", markup=False)
                yield Static("Bring", classes="prep-title")
                yield Static(BRING, markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self.show(self.app.store.contact(self.meeting.contact_id))

    def show(self, contact: Contact) -> None:
        self.contact = contact
        header = Text("Preparing ", style="dim")
        header.append(printable(contact.name), style="bold")
        if contact.headline:
            header.append(f" · {printable(contact.headline)}")
        header.append(f"\n{printable(when_text(self.meeting, self.app.clock()))}")
        self.query_one("#prep-header", Static).update(header)
        self.query_one("#prep-research", Static).update(
            printable(contact.research, keep_newlines=True) or "—")

    def on_data_changed(self, message: DataChanged) -> None:
        changes = message.changes
        if not (changes.everything or self.meeting.contact_id in changes.contact_ids):
            return
        try:
            self.meeting = self.app.store.get(Meeting, self.meeting.id)
            contact = self.app.store.contact(self.meeting.contact_id)
        except CoffeeError:
            return  # deleted elsewhere: esc leaves
        if self.meeting.status in ("ended", "discarded") and self.app.screen is self:
            self.notify(f"this meeting was {self.meeting.status} elsewhere", timeout=4)
            self.dismiss()
            return
        self.show(contact)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        chosen = list(event.selection_list.selected)
        if chosen != self.meeting.questions_planned:
            self.meeting.questions_planned = chosen
            self.app.write(set_planned_questions, self.app.store, self.meeting.id, chosen)

    def action_start(self) -> None:
        from tui.screens.meeting import MeetingScreen

        def started(begun: tuple[Meeting, list[str]]) -> None:
            if self.is_attached:
                self.app.switch_screen(MeetingScreen(*begun))

        self.app.write(begin_meeting, self.app.store, self.contact, on_saved=started,
                       undo="start meeting")

    def action_schedule(self) -> None:
        offer_schedule(self.app, self.contact)

    def action_discard(self) -> None:
        discard(self.app, self.meeting, self.contact, self)

    def action_edit(self) -> None:
        from tui.modals.form import EditScreen

        contact = self.contact

        def edited(result: Contact | None) -> None:
            if result is not None:
                self.app.patch(contact, result)

        self.app.push_screen(EditScreen(contact, "", self.app.store.resolve), edited)

    def action_leave(self) -> None:
        self.dismiss()


def discard(app: App, meeting: Meeting, contact: Contact, screen: Screen) -> None:
    """Ask, then discard the meeting (undoable) and close `screen`."""

    def answered(yes: bool | None) -> None:
        if yes:
            app.write(discard_meeting, app.store, meeting.id, undo="discard meeting")
            app.notify(printable(f"discarded the meeting with {contact.name}"), timeout=4,
                       markup=False)
            if screen.is_attached:
                screen.dismiss()

    app.push_screen(DiscardScreen(contact, started=bool(meeting.started_at)), answered)
