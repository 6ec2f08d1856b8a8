"""Meeting mode: the notes pad for the coffee itself, with questions, research and a timer.

It opens once the clock runs: from the preparation (`F5`), or straight away with
`coffeechat meet REF`. `F7` discards a meeting started by mistake.

The notes save themselves on the app's writer thread a second after typing stops and
when the screen closes, so a killed process loses at most that second; opening meeting
mode again for the same contact resumes the unfinished meeting.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from store.errors import CoffeeError
from store.meetings import (
    PREFIXES,
    EndPlan,
    begin_meeting,
    end_meeting,
    plan_end,
    save_notes,
    set_planned_minutes,
    set_questions_asked,
    timer_text,
)
from store.questions import question_letters
from store.quickadd import QuickAdd
from store.records import Contact, Meeting, parse_iso
from store.text import printable
from store import tiara
from tui.external_editor import edit_in_editor
from tui.modals.choice import ChoiceScreen
from tui.modals.meeting_end import EndMeetingScreen, NewContactScreen
from widgets.checklist import Checklist
from widgets.safe_text import SafeTextArea

IDLE_SAVE_SECONDS = 1.0
TIMER_SECONDS = 1.0
LENGTH_STEP = 5
NOTES_PLACEHOLDER = ("Notes… lines starting ref: todo: they: read: are captured when the "
                     "meeting ends")


def open_meeting(app: App, target: Contact | QuickAdd) -> None:
    """Start or resume the meeting with a contact (a new one after asking) and show it."""

    def show(started: tuple[Meeting, list[str]]) -> None:
        app.push_screen(MeetingScreen(*started))

    def answered(yes: bool | None) -> None:
        if yes:
            app.write(begin_meeting, app.store, target, on_saved=show)

    if isinstance(target, QuickAdd):
        app.push_screen(NewContactScreen(target), answered)
    else:
        answered(True)


def _headline(contact: Contact, referrer: Contact | None) -> Text:
    text = Text(printable(contact.name), style="bold")
    for part in (
        contact.headline,
        f"referred by {referrer.name}" if referrer else "",
        contact.how_we_know if not referrer or referrer.name not in contact.how_we_know else "",
    ):
        if part:
            text.append(" · ")
            text.append(printable(part))
    return text


class MeetingScreen(Screen):
    """One meeting: type notes; the side panel shows what to ask and how long it has run."""

    # Priority bindings, so the notes pad never sees these keys; the actions that read or
    # change the notes run through after_typing(), behind the keys typed before them.
    BINDINGS = [
        # The footer shows the first that fit (60 columns: about five): end and help first.
        Binding("f8", "end", "end", priority=True, id="meeting.end",
                tooltip="End the meeting: a summary to confirm"),
        Binding("f1", "app.help", "help", priority=True, id="meeting.help",
                tooltip="Every key of this screen"),
        Binding("f2", "prefix('ref')", "ref:", priority=True, id="meeting.ref",
                tooltip="Start the line with ref: — someone they suggest (name, role @ company)"),
        Binding("f3", "prefix('todo')", "todo:", priority=True, id="meeting.todo",
                tooltip="Start the line with todo: — something you promised (… by fri)"),
        Binding("f4", "prefix('read')", "read:", priority=True, id="meeting.read",
                tooltip="Start the line with read: — a book, article or URL"),
        Binding("f6", "prefix('they')", "they:", priority=True, id="meeting.they",
                tooltip="Start the line with they: — something they promised (… by fri)"),
        Binding("f5", "tick", "tick", priority=True, id="meeting.tick",
                tooltip="Tick the next prepared question"),
        Binding("shift+f5", "untick", "untick", priority=True, show=False,
                id="meeting.untick", tooltip="Untick the last ticked question"),
        Binding("f9", "editor", "editor", priority=True, id="meeting.editor",
                tooltip="Edit the notes in $EDITOR and come back"),
        Binding("f7", "discard", "discard", priority=True, show=False, id="meeting.discard",
                tooltip="Discard the meeting (asks first): it will not count as held"),
        Binding("f12", f"length({LENGTH_STEP})", f"+{LENGTH_STEP}m", priority=True,
                id="meeting.longer", tooltip="Plan the meeting 5 minutes longer"),
        Binding("shift+f12", f"length(-{LENGTH_STEP})", f"-{LENGTH_STEP}m", priority=True,
                show=False, id="meeting.shorter", tooltip="Plan the meeting 5 minutes shorter"),
        Binding("escape", "leave", "back", id="meeting.leave",
                tooltip="Back to the board; the meeting stays open (m resumes it)"),
    ]

    DEFAULT_CSS = """
    MeetingScreen #meeting-header { height: auto; padding: 0 1; background: $panel; }
    MeetingScreen #meeting-body { height: 1fr; }
    MeetingScreen #meeting-notes { width: 1fr; }
    MeetingScreen #meeting-side { width: 35; max-width: 45%; padding: 0 0 0 1; }
    MeetingScreen #meeting-timer { text-style: bold; }
    MeetingScreen #meeting-cue { text-style: bold reverse; color: $warning; }
    MeetingScreen #meeting-cue.overtime { color: $error; }
    MeetingScreen #meeting-phases { height: auto; }
    MeetingScreen .meeting-title { text-style: bold; color: $accent; margin-top: 1; }
    MeetingScreen #meeting-questions-box { height: auto; max-height: 60%; }
    MeetingScreen #meeting-research-box { height: 1fr; }
    """

    def __init__(self, meeting: Meeting, questions: list[str]) -> None:
        super().__init__()
        self.meeting = meeting
        self.questions = questions
        self._saved_notes = meeting.notes
        self._save_timer: Timer | None = None
        self._phase = 0  # where the meeting was at the last tick of the timer

    # -- building --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        store = self.app.store
        self.contact = store.contact(self.meeting.contact_id)
        referrer = None
        if self.contact.referred_by is not None:
            try:
                referrer = store.contact(self.contact.referred_by)
            except CoffeeError:
                referrer = None
        questions = self.questions
        asked = frozenset(i for i, q in enumerate(questions) if q in self.meeting.questions_asked)
        yield Static(_headline(self.contact, referrer), id="meeting-header")
        with Horizontal(id="meeting-body"):
            self.notes = SafeTextArea(
                self.meeting.notes,
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=NOTES_PLACEHOLDER,
                id="meeting-notes",
            )
            yield self.notes
            with Vertical(id="meeting-side"):
                yield Static(id="meeting-timer", markup=False)
                yield Static(id="meeting-phases", markup=False)
                yield Static(id="meeting-cue", markup=False)
                yield Static("Questions · TIARA (F5 ticks)", classes="meeting-title")
                with VerticalScroll(id="meeting-questions-box", can_focus=False):
                    labels = tiara.labelled(questions, question_letters(store))
                    yield Checklist(questions, asked, labels, id="meeting-questions")
                yield Static("Research", classes="meeting-title")
                with VerticalScroll(id="meeting-research-box", can_focus=False):
                    yield Static(printable(self.contact.research, keep_newlines=True) or "—",
                                 id="meeting-research",
                                 markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.notes.border_title = "notes"
        self.notes.move_cursor(self.notes.document.end)
        self.notes.focus()
        self.update_timer()
        self.set_interval(TIMER_SECONDS, self.update_timer)

    # -- the timer ---------------------------------------------------------------------

    def update_timer(self) -> None:
        shown, cue = timer_text(
            self.meeting.started_at, self.app.clock(), self.meeting.planned_minutes
        )
        self.query_one("#meeting-timer", Static).update(f"⏱ {shown}")
        self.query_one("#meeting-phases", Static).update(self.phases_text())
        cue_widget = self.query_one("#meeting-cue", Static)
        cue_widget.update(cue)
        cue_widget.display = bool(cue)
        cue_widget.set_class(cue.startswith("overtime"), "overtime")

    def phases_text(self) -> Text:
        """small talk › questions › next steps, the current one marked ▶ and bold."""
        started = parse_iso(self.meeting.started_at)
        elapsed = self.app.clock() - started if started else timedelta(0)
        now = tiara.phase(max(elapsed, timedelta(0)),
                          timedelta(minutes=self.meeting.planned_minutes))
        if now == len(tiara.PHASES) - 1 and self._phase != now:
            # Next steps: bring "who else should I talk to?" (the last question) into view,
            # once the box is laid out (on mount it is not yet: nothing to scroll).
            box = self.query_one("#meeting-questions-box")
            box.call_after_refresh(box.scroll_end, animate=False, immediate=True)
        self._phase = now
        text = Text()
        for index, name in enumerate(tiara.PHASES):
            if index:
                text.append(" ")
            text.append(f"▶{name}" if index == now else name,
                        style="bold reverse" if index == now else "dim")
        return text

    def action_length(self, delta: int) -> None:
        minutes = max(self.meeting.planned_minutes + delta, LENGTH_STEP)
        self.meeting.planned_minutes = minutes
        self.update_timer()
        self.app.write(set_planned_minutes, self.app.store, self.meeting.id, minutes)

    # -- saving the notes --------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._show_saved(self.notes.text == self._saved_notes)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(IDLE_SAVE_SECONDS, self.save_now)

    def save_now(self) -> None:
        """Send the notes to the writer thread if they changed since the last save."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        text = self.notes.text
        if text == self._saved_notes:
            return

        def saved(_: object) -> None:
            self._saved_notes = text
            if self.is_attached:
                self._show_saved(self.notes.text == text)

        self.app.write(save_notes, self.app.store, self.meeting.id, text, on_saved=saved)

    def _show_saved(self, saved: bool) -> None:
        self.notes.border_subtitle = "saved" if saved else "typing…"

    def on_unmount(self) -> None:
        self.save_now()

    def action_leave(self) -> None:
        self.on_screen_after_typing(self._leave)

    def _leave(self) -> None:
        self.dismiss()  # not awaited: this runs in the screen's own message loop

    def after_typing(self, callback, *args) -> None:
        """Run callback in the notes pad's queue, after every key typed before this one:
        over SSH and from fast typists, keys arrive in bursts."""
        self.notes.call_later(callback, *args)

    def on_screen_after_typing(self, callback) -> None:
        """after_typing, then on the screen (for what closes or covers the notes pad)."""
        self.after_typing(self.call_later, callback)

    # -- capture lines and questions ---------------------------------------------------

    def action_prefix(self, prefix: str) -> None:
        self.after_typing(self._set_prefix, prefix)

    def _set_prefix(self, prefix: str) -> None:
        """Put `prefix: ` at the start of the cursor's line, replacing another prefix."""
        notes = self.notes
        row = notes.cursor_location[0]
        line = notes.document.get_line(row)
        head = line.lstrip()
        indent = len(line) - len(head)
        old = next((p for p in PREFIXES if head.lower().startswith(f"{p}:")), None)
        if old == prefix:
            return
        end = indent + len(old) + 1 if old else indent
        if old and line[end : end + 1] == " ":
            end += 1
        notes.replace(f"{prefix}: ", (row, indent), (row, end))

    def action_tick(self) -> None:
        checklist = self.query_one(Checklist)
        if checklist.tick_next() is None:
            self.notify("every prepared question is ticked", timeout=2)
            return
        self._save_asked(checklist)

    def action_untick(self) -> None:
        checklist = self.query_one(Checklist)
        if checklist.untick_last() is not None:
            self._save_asked(checklist)

    def _save_asked(self, checklist: Checklist) -> None:
        self.meeting.questions_asked = checklist.ticked_items
        self.app.write(set_questions_asked, self.app.store, self.meeting.id,
                       checklist.ticked_items)

    # -- $EDITOR -------------------------------------------------------------------------

    def action_editor(self) -> None:
        self.on_screen_after_typing(self._edit_in_editor)

    def _edit_in_editor(self) -> None:
        text, problem = edit_in_editor(self.app, self.notes.text, prefix="coffeechat-notes-",
                                       suffix=".md")
        if problem is not None:
            self.notify(problem, title="Notes unchanged", severity="error", timeout=8,
                        markup=False)
        elif text is not None and text != self.notes.text:
            self.notes.replace(text, (0, 0), self.notes.document.end)
            self.save_now()

    # -- discarding and ending ---------------------------------------------------------

    def action_discard(self) -> None:
        from tui.screens.prep import discard

        self.on_screen_after_typing(lambda: discard(self.app, self.meeting, self.contact, self))

    def action_end(self) -> None:
        self.on_screen_after_typing(self._summarise)

    def _summarise(self) -> None:
        try:
            plan = plan_end(self.app.store, self.meeting.id, self.notes.text)
        except CoffeeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if plan.referrals:
            self.app.push_screen(EndMeetingScreen(plan), self._confirmed)
            return

        def answered(answer: str | None) -> None:
            if answer == "none":
                self.app.push_screen(EndMeetingScreen(plan), self._confirmed)
            elif answer == "add":
                self._add_ref_line()
            else:
                self.notes.focus()

        self.app.push_screen(ChoiceScreen(
            "Next steps", f"No ref: line in the notes — {tiara.WHO_ELSE}",
            [("a", "add one (a ref: line)", "add"), ("n", "none: end the meeting", "none")],
            default="add"), answered)

    def _add_ref_line(self) -> None:
        """A new last line `ref: ` with the cursor on it, to name who they suggested."""
        notes = self.notes
        end = notes.document.end
        last = notes.document.get_line(end[0])
        notes.insert(("\n" if last.strip() else "") + "ref: ", end)
        notes.move_cursor(notes.document.end)
        notes.focus()

    def _confirmed(self, plan: EndPlan | None) -> None:
        if plan is None:
            self.notes.focus()
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self.app.write(end_meeting, self.app.store, plan, on_saved=self._saved_end,
                       undo="end meeting")

    def _saved_end(self, meeting: Meeting) -> None:
        self._saved_notes = meeting.notes  # ending wrote them; nothing left to autosave
        parts = [f"meeting with {printable(self.contact.name)} saved"]
        if meeting.referrals:
            parts.append(f"{len(meeting.referrals)} referred")
        parts.append(f"{len(meeting.todos) + 1} follow-ups")
        self.app.notify(" · ".join(parts), timeout=5, markup=False)
        if self.is_attached:
            self.dismiss()
