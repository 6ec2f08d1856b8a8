"""`a` on the board — the agenda: Overdue / Today / Next 7 days / Anytime, one line per item.

`enter` goes to the person on the board (on a meeting or "prepare" item: to the meeting's
preparation), `d` marks the item done, `s` snoozes it to a date typed as anywhere else
(`+2d`, `fri`, `tomorrow 9am`), or dates a follow-up that has none. The items are worked out on a
thread (a big network takes a moment) and again after each write to the file, from here
or anywhere else; each section
lists its first 200 (a list of thousands helps nobody, and builds slowly).
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.dates import describe
from store.followups import (
    DEFAULT_DAYS,
    DueItem,
    agenda,
    due_items,
    mark_done,
    section_title,
    snooze,
)
from store.text import printable
from tui.keys import help_key
from tui.messages import DataChanged
from tui.modals.snooze import SnoozeScreen
from tui.threads import hand_back

NAME_WIDTH = 18
SHOWN_PER_SECTION = 200  # the oldest first; done and snooze bring the next ones up


def item_line(item: DueItem, now: datetime, overdue: bool) -> Text:
    """`Mon 16 Nov 10:00  Ada Lee  nudge 1 of 2 · since Mon 9 Nov`: one line, cut to fit;
    user text as plain text."""
    line = Text()
    due = describe(item.due, now=now) if item.due else "anytime"
    line.append(f"{due:<16}  ", style="bold red" if overdue else "")
    name = printable(item.contact.name)
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1] + "…"
    line.append(f"{name:<{NAME_WIDTH}}  ", style="bold")
    line.append(printable(item.what))
    if item.since:
        line.append(f" · since {describe(item.since, now=now, with_time=False)}", style="dim")
    return line


def item_whole(item: DueItem, now: datetime) -> Text:
    """The item under the cursor in full, for the line under the list: nothing cut."""
    due = describe(item.due, now=now) if item.due else "anytime"
    text = Text(printable(item.contact.name), style="bold")
    text.append(f" — {printable(item.what)} · due {due}")
    if item.since:
        text.append(f" · since {describe(item.since, now=now, with_time=False)}", style="dim")
    return text


class AgendaScreen(Screen[int | None]):
    """What is due; dismisses with the id of the contact to show on the board, or None."""

    BINDINGS = [
        help_key("agenda"),
        Binding("escape", "back", "Back", id="agenda.back", tooltip="Back to the board"),
        Binding("enter", "go_to", "Go to", id="agenda.go-to", priority=True,
                tooltip="Back to the board with this person's card focused (a meeting: "
                "its preparation)"),
        Binding("d", "done", "Done", id="agenda.done",
                tooltip="Mark done (a nudge, thank-you or reconnect is logged as sent)"),
        Binding("s", "snooze", "Snooze", id="agenda.snooze",
                tooltip="Hide it until a date you type, e.g. +2d, fri, tomorrow 9am"),
    ]

    DEFAULT_CSS = """
    AgendaScreen #agenda-header {
        dock: top; height: 1; padding: 0 1; background: $panel; text-style: bold;
    }
    AgendaScreen #agenda-list {
        height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    AgendaScreen #agenda-item {
        height: auto; max-height: 3; padding: 0 1; background: $panel;
    }
    """

    def __init__(self, days: int = DEFAULT_DAYS) -> None:
        super().__init__()
        self.days = days
        self.items: dict[str, DueItem] = {}  # by key, the ones listed

    def compose(self) -> ComposeResult:
        yield Static("Agenda", id="agenda-header", markup=False)
        yield OptionList(id="agenda-list", markup=False)
        yield Static(id="agenda-item", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    # -- the list --------------------------------------------------------------------

    def on_data_changed(self, _: DataChanged) -> None:
        self.reload()  # any record can change what is due

    @work(thread=True, exclusive=True, group="agenda")
    def reload(self) -> None:
        now = self.app.clock()
        sections = agenda(due_items(self.app.store, now), now, self.days)
        hand_back(self, self.show, sections, now)

    def show(self, sections: dict[str, list[DueItem]], now: datetime) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted_option.id if listing.highlighted_option else None
        options: list[Option] = []
        self.items = {}
        for section, items in sections.items():
            if section == "anytime" and not items:
                continue
            title = f"{section_title(section, self.days)} ({len(items)})"
            options.append(Option(Text(title, style="bold underline"), disabled=True))
            if not items:
                options.append(Option(Text("  nothing", style="dim"), disabled=True))
            for item in items[:SHOWN_PER_SECTION]:
                self.items[item.key] = item
                options.append(Option(item_line(item, now, section == "overdue"), id=item.key))
            if len(items) > SHOWN_PER_SECTION:
                more = f"  … and {len(items) - SHOWN_PER_SECTION} more (coffeechat agenda lists all)"
                options.append(Option(Text(more, style="dim"), disabled=True))
        listing.set_options(options)
        self._highlight(listing, highlighted)
        total = sum(len(items) for items in sections.values())
        header = f"Agenda · {describe(now, now=now)} · {total} due"
        self.query_one("#agenda-header", Static).update(header)

    def _highlight(self, listing: OptionList, key: str | None) -> None:
        """Keep the cursor on the same item, else on the first item."""
        keys = [option.id for option in listing.options]
        if key is not None and key in keys:
            listing.highlighted = keys.index(key)
        elif self.items:
            listing.highlighted = keys.index(next(iter(self.items)))

    def current(self) -> DueItem | None:
        option = self.query_one(OptionList).highlighted_option
        return self.items.get(option.id) if option is not None and option.id else None

    def _drop(self, item: DueItem) -> None:
        """Take the item off the list at once; the reload after saving has the truth."""
        listing = self.query_one(OptionList)
        index = listing.get_option_index(item.key)
        listing.remove_option(item.key)
        del self.items[item.key]
        options = listing.options
        for near in [*range(index, len(options)), *range(index - 1, -1, -1)]:
            if options[near].id:
                listing.highlighted = near
                break

    # -- actions ---------------------------------------------------------------------

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        item = self.current()
        self.query_one("#agenda-item", Static).update(
            item_whole(item, self.app.clock()) if item else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_go_to()

    def action_go_to(self) -> None:
        item = self.current()
        if item is None:
            return
        if item.meeting_id is not None:
            from tui.screens.prep import open_preparation

            open_preparation(self.app, item.contact.id)
        else:
            self.dismiss(item.contact.id)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_done(self) -> None:
        item = self.current()
        if item is None:
            return
        self._drop(item)
        self.app.write(mark_done, self.app.store, item, undo=f"done: {item.what}")
        self.notify(f"done: {printable(item.what)} — {printable(item.contact.name)}",
                    timeout=3, markup=False)

    def action_snooze(self) -> None:
        item = self.current()
        if item is None:
            return

        def chosen(until: datetime | None) -> None:
            if until is not None:
                self._drop(item)
                self.app.write(snooze, self.app.store, item, until, undo=f"snooze: {item.what}")

        self.app.push_screen(SnoozeScreen(item), chosen)
