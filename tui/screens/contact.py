"""`enter` on a card — one contact: every field, the links to who referred them and whom
they referred, the stage history, the timeline, open follow-ups, research and culture.

It shows the file as it is now: any write that concerns the contact (from here, another
screen or another process) reads it again; an edit saves only the fields it changed.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.changes import CONTACTS, Changes
from store.dates import describe
from store.errors import CoffeeError
from store.method import CLASS_MEANING
from store.profile import Event, Profile, profile
from store.records import Contact
from store.records import parse_iso
from store.text import printable
from store.validate import FORM_FIELDS
from tui.keys import help_key
from tui.modals.entry import EntryScreen
from tui.modals.form import EditScreen
from tui.messages import DataChanged

SHOWN_FIELDS = [f for f in FORM_FIELDS if f not in ("name", "referred_by", "notes", "research",
                                                      "culture")]
LONG_FIELDS = {
    "notes": "Notes",
    "research": "Research — what to know before the meeting",
    "culture": "Culture — what to watch for at their office",
}
LABELS = {"how_we_know": "how we know", "keep_in_touch": "keep in touch"}


def when(iso: str | None, now: datetime) -> str:
    moment = parse_iso(iso)
    return describe(moment, now=now) if moment else "no date"


def line(text: str) -> str:
    return printable(text)


def heading(title: str) -> Text:
    return Text(title, style="bold underline")


def entry_line(event: Event, now: datetime) -> Text:
    """A timeline entry on one line: when, what, and the first line of what was said."""
    label = Text(f"{when(event.at, now):<18} ")
    label.append(line(event.kind), style="bold")
    text = event.meeting.notes if event.meeting is not None else event.detail
    if event.meeting is not None:
        label.append(f"  {line(event.detail)}", style="dim")
    first, *rest = text.strip().splitlines() or [""]
    if first:
        label.append(f"  {line(first)}")
    if rest:
        label.append(f"  … +{len(rest)} line{'s' if len(rest) > 1 else ''}", style="dim")
    return label


def entry_text(event: Event, now: datetime) -> Text:
    """A timeline entry whole, lines kept."""
    meeting = event.meeting
    text = Text(f"{event.at or 'no date'} ({when(event.at, now)})\n", style="dim")
    if meeting is None:
        text.append(printable(event.detail, keep_newlines=True) or "(nothing written)")
        return text
    text.append(f"{printable(event.detail)}, planned {meeting.planned_minutes} min"
                + (f", ended {meeting.ended_at}" if meeting.ended_at else "") + "\n\n",
                style="dim")
    text.append(printable(meeting.notes, keep_newlines=True) or "(no notes)")
    for question in meeting.questions_asked:
        text.append(f"\nasked: {line(question)}", style="dim")
    return text


def contact_label(contact: Contact, relation: str) -> Text:
    label = Text(f"{relation}: ", style="dim")
    label.append(line(contact.name), style="bold")
    label.append(f"  {contact.stage}" + ("  (archived)" if contact.archived else ""))
    if contact.headline:
        label.append(f"  {line(contact.headline)}", style="dim")
    return label


class ContactScreen(Screen):
    """One contact, everything about them; links lead to other contacts."""

    BINDINGS = [
        help_key("contact"),
        Binding("escape", "back", "Back", id="contact.back",
                tooltip="Back to where you came from"),
        Binding("e", "edit", "Edit", id="contact.edit", tooltip="Edit every field"),
        Binding("r", "reply", "Reply", id="contact.reply",
                tooltip="They replied: log it (no more nudges) and schedule the meeting"),
        Binding("m", "meeting", "Meet", id="contact.meeting",
                tooltip="Prepare the meeting (F5 there starts it); a running one resumes"),
        Binding("w", "draft", "Write", id="contact.draft",
                tooltip="Write a note: the draft the stage calls for, checked for job asks"),
        # The page scrolls whatever has focus: the lists' own page keys would only move
        # their highlight inside a page that does not move.
        Binding("pageup", "scroll('page_up')", "Page up", show=False, priority=True,
                id="contact.page-up", tooltip="Scroll the page up"),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False,
                priority=True, id="contact.page-down", tooltip="Scroll the page down"),
        Binding("home", "scroll('scroll_home')", "Top", show=False, priority=True,
                id="contact.top", tooltip="Scroll to the top of the page"),
        Binding("end", "scroll('scroll_end')", "Bottom", show=False, priority=True,
                id="contact.bottom", tooltip="Scroll to the end of the page"),
    ]

    DEFAULT_CSS = """
    ContactScreen #contact-header {
        dock: top; height: 1; padding: 0 1; background: $panel; text-style: bold;
    }
    ContactScreen #contact-body { padding: 0 1; }
    ContactScreen #links, ContactScreen #timeline {
        height: auto; max-height: 10; border: none; padding: 0; background: $surface;
    }
    ContactScreen #links:focus, ContactScreen #timeline:focus {
        background: $boost; border-left: thick $accent;
    }
    ContactScreen .section { margin-top: 1; }
    ContactScreen #contact-columns { height: auto; }
    ContactScreen #contact-columns > * { width: 1fr; height: auto; }
    ContactScreen #fields { margin-right: 2; }
    """

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.profile: Profile | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="contact-header", markup=False)
        with VerticalScroll(id="contact-body", can_focus=False):
            yield OptionList(id="links", markup=False)
            with Horizontal(id="contact-columns", classes="section"):
                yield Static(id="fields", markup=False)
                with Vertical():
                    yield Static(id="stages", markup=False)
                    yield Static(id="followups", markup=False, classes="section")
            yield Static(id="long-fields", markup=False, classes="section")
            yield Static(heading("Timeline (newest first; enter opens an entry whole)"),
                         classes="section")
            yield OptionList(id="timeline", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.reload():
            self.query_one("#links", OptionList).focus()

    def reload(self) -> bool:
        """Read the contact again and show it; False (and back) when it is gone."""
        try:
            self.profile = profile(self.app.store, self.contact_id)
        except CoffeeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.dismiss()
            return False
        self.render_profile(self.profile, self.app.clock())
        return True

    # -- rendering -------------------------------------------------------------------

    def render_profile(self, p: Profile, now: datetime) -> None:
        c = p.contact
        header = f"{line(c.name)} — {line(c.headline) or 'no role yet'} · {c.stage} · #{c.id}"
        if p.reply_class:
            header += f" · {p.reply_class}"
        self.query_one("#contact-header", Static).update(
            Text(header + ("  (archived)" if c.archived else ""))
        )
        self.render_links(p)
        self.query_one("#fields", Static).update(self.fields_text(c, now))
        self.query_one("#long-fields", Static).update(self.long_fields_text(c))
        self.query_one("#stages", Static).update(self.stages_text(p, now))
        self.query_one("#followups", Static).update(self.followups_text(p, now))
        self.render_timeline(p.timeline, now)

    def render_links(self, p: Profile) -> None:
        links = self.query_one("#links", OptionList)
        highlighted = links.highlighted
        links.clear_options()
        c = p.contact
        if p.referrer is not None:
            links.add_option(Option(contact_label(p.referrer, "referred by"), id=str(p.referrer.id)))
        elif c.referred_by is not None:
            links.add_option(Option(Text(f"referred by: a deleted contact (#{c.referred_by})"),
                                    disabled=True))
        links.add_options(
            Option(contact_label(r, "referred"), id=str(r.id)) for r in p.referred
        )
        if not links.option_count:
            links.add_option(Option(Text("nobody referred them; they have referred nobody yet"),
                                    disabled=True))
        enabled = [i for i, option in enumerate(links.options) if not option.disabled]
        if enabled:
            links.highlighted = highlighted if highlighted in enabled else enabled[0]

    @staticmethod
    def fields_text(c: Contact, now: datetime) -> Text:
        text = heading("Details (e to edit)")
        width = max(len(LABELS.get(name, name)) for name in SHOWN_FIELDS)
        for name in SHOWN_FIELDS:
            value = getattr(c, name)
            shown = ", ".join(value) if isinstance(value, list) else str(value or "")
            text.append(f"\n{LABELS.get(name, name):<{width}} ", style="dim")
            text.append(line(shown) or "—")
        text.append(f"\n{'added':<{width}} ", style="dim")
        text.append(when(c.created_at, now))
        return text

    @staticmethod
    def long_fields_text(c: Contact) -> Text:
        text = Text()
        for name, title in LONG_FIELDS.items():
            if text:
                text.append("\n\n")
            text.append_text(heading(title))
            text.append("\n" + (printable(getattr(c, name), keep_newlines=True) or "—"))
        return text

    @staticmethod
    def stages_text(p: Profile, now: datetime) -> Text:
        text = heading("Stage history (days in each)")
        if p.reply_class:
            text.append(f"\n{p.reply_class}: {CLASS_MEANING[p.reply_class]}", style="bold")
        for span in p.spans:
            text.append(f"\n{span.stage:<9} {describe(span.at, now=now):<16} {span.days:5.1f}")
        if not p.spans:
            text.append("\n—")
        return text

    @staticmethod
    def followups_text(p: Profile, now: datetime) -> Text:
        text = heading("Open follow-ups")
        for followup in p.followups:
            due = f"due {when(followup.due, now)}" if followup.due else "no due date"
            text.append(f"\n{line(followup.text)} ")
            text.append(f"({followup.kind}, {due})", style="dim")
        if not p.followups:
            text.append("\nnothing open")
        return text

    def render_timeline(self, events: list[Event], now: datetime) -> None:
        timeline = self.query_one("#timeline", OptionList)
        highlighted = timeline.highlighted
        timeline.clear_options()
        timeline.add_options(Option(entry_line(event, now)) for event in events)
        if not events:
            timeline.add_option(Option(Text("nothing logged yet"), disabled=True))
        else:
            timeline.highlighted = min(highlighted or 0, len(events) - 1)

    # -- actions ---------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#links")
    def open_link(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_contact(int(event.option.id))

    @on(OptionList.OptionSelected, "#timeline")
    def open_entry(self, event: OptionList.OptionSelected) -> None:
        if self.profile is not None and self.profile.timeline:
            entry = self.profile.timeline[event.option_index]
            now = self.app.clock()
            title = f"{line(self.profile.contact.name)} — {entry.kind}, {when(entry.at, now)}"
            self.app.push_screen(EntryScreen(title, entry_text(entry, now)))

    def open_contact(self, contact_id: int) -> None:
        self.app.push_screen(ContactScreen(contact_id))

    def on_data_changed(self, message: DataChanged) -> None:
        p, changes = self.profile, message.changes
        shown = {self.contact_id} | ({p.referrer.id} if p and p.referrer else set())
        shown |= {r.id for r in p.referred} if p else set()
        if (changes.everything or self.contact_id in changes.contact_ids
                or shown & changes.ids(CONTACTS) or self._refers_here(changes)):
            self.reload()

    def _refers_here(self, changes: Changes) -> bool:
        """A contact now (or no longer) referred by this one."""
        return any(doc and doc.get("referred_by") == self.contact_id
                   for change in changes.changes if change.table == CONTACTS
                   for doc in (change.before, change.after))

    def action_back(self) -> None:
        self.dismiss()

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#contact-body", VerticalScroll), how)(animate=False)

    def action_meeting(self) -> None:
        from tui.screens.prep import open_preparation

        open_preparation(self.app, self.contact_id)

    def action_draft(self) -> None:
        from tui.screens.draft import open_draft

        open_draft(self.app, self.contact_id, lambda _: None)

    def action_reply(self) -> None:
        from tui.modals.schedule import reply

        if self.profile is not None:
            reply(self.app, self.profile.contact)

    def action_edit(self) -> None:
        if self.profile is None:
            return
        contact, referrer = self.profile.contact, self.profile.referrer

        def edited(result: Contact | None) -> None:
            if result is not None:
                self.app.patch(contact, result)

        screen = EditScreen(contact, referrer.name if referrer else "", self.app.store.resolve)
        self.app.push_screen(screen, edited)
