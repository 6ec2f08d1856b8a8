"""`E` on the board — the employers (the LAMP list): sorted by Motivation, then Posting,
then Advocacy, the top 5 active ones marked ★ (the ones to work now).

`m`, `p`, `a` and `s` step the highlighted employer's motivation (0→3), posting (1→3),
advocacy (yes/no) and status (active, parked, done); each is a patch of that one field
with the revision read, through the app's writer. `n` adds an employer by name. `enter`
shows its contacts and where each is in 3B7. The list is read on a thread, and again on
every write to the file, from here or from another process (`coffeechat employer …`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from store.employers import (
    TOP_MARK, AtEmployer, EmployerRow, employer_contacts, employer_rows, lamp_text, next_score,
    set_employer,
)
from store.records import Employer
from store.text import printable
from tui.keys import help_key
from tui.messages import DataChanged
from tui.threads import hand_back

NAME_WIDTH = 28
SCORE_KEYS = {"motivation": "M", "posting": "P", "advocacy": "A", "status": "status"}


def employer_line(row: EmployerRow) -> Text:
    """`★ Globex   M3 P2 A✓  active  2 contacts`: one line; the name as plain text."""
    e = row.employer
    line = Text(f"{TOP_MARK if row.top else ' '} ", style="bold yellow" if row.top else "")
    name = printable(e.name)
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1] + "…"
    line.append(f"{name:<{NAME_WIDTH}}  ", style="bold" if row.top else "")
    line.append(f"{lamp_text(e)}  ")
    line.append(f"{e.status:<6}  ", style="" if e.status == "active" else "dim")
    line.append(f"{row.contacts} contact{'' if row.contacts == 1 else 's'}", style="dim")
    return line


def contacts_text(employer: Employer, people: list[AtEmployer]) -> Text:
    text = Text(f"{printable(employer.name)}: contacts and 3B7", style="bold underline")
    if not people:
        text.append("\nno contacts there yet: add a target with n on the board", style="dim")
    for at in people:
        text.append(f"\n{printable(at.contact.name)}", style="bold")
        text.append(f"  {at.position}")
        if at.reply_class:
            text.append(f"  ({at.reply_class})", style="dim")
    return text


class EmployersScreen(Screen[None]):
    """The LAMP list; scores change with one key each."""

    BINDINGS = [
        help_key("employers"),
        Binding("escape", "back", "Back", id="employers.back",
                tooltip="Close the contacts, else back to the board"),
        Binding("m", "step('motivation')", "M+", id="employers.motivation",
                tooltip="Motivation one up: 0 → 1 → 2 → 3 → 0"),
        Binding("p", "step('posting')", "P+", id="employers.posting",
                tooltip="Posting one up (roles in your field): 1 → 2 → 3 → 1"),
        Binding("a", "step('advocacy')", "A yes/no", id="employers.advocacy",
                tooltip="Advocacy yes / no: you know someone there"),
        Binding("s", "step('status')", "Status", id="employers.status",
                tooltip="Status: active → parked → done → active"),
        Binding("n", "new", "New", id="employers.new", tooltip="Add an employer by name"),
        Binding("enter", "contacts", "Contacts", id="employers.contacts", priority=True,
                tooltip="Show the employer's contacts and where each is in 3B7"),
    ]

    DEFAULT_CSS = """
    EmployersScreen #employers-header {
        dock: top; height: 1; padding: 0 1; background: $panel; text-style: bold;
    }
    EmployersScreen #employers-list {
        height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    EmployersScreen #employer-contacts {
        height: auto; max-height: 10; padding: 0 1; border-top: solid $accent; display: none;
    }
    EmployersScreen #employer-contacts.shown { display: block; }
    EmployersScreen #employer-new-box { dock: bottom; height: auto; display: none; }
    EmployersScreen #employer-new-box.shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, EmployerRow] = {}  # by option id (the employer id)

    def compose(self) -> ComposeResult:
        yield Static("Employers", id="employers-header", markup=False)
        yield OptionList(id="employers-list", markup=False)
        yield Static(id="employer-contacts", markup=False)
        with Vertical(id="employer-new-box"):
            yield Input(placeholder="new employer: its name (enter adds, esc cancels)",
                        id="employer-new")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    # -- the list --------------------------------------------------------------------

    def on_data_changed(self, _: DataChanged) -> None:
        self.reload()  # an employer, or a contact at one, may have changed

    @work(thread=True, exclusive=True, group="employers")
    def reload(self) -> None:
        store = self.app.store
        rows = employer_rows(store)
        hand_back(self, self.show, rows)

    def show(self, rows: list[EmployerRow]) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted_option.id if listing.highlighted_option else None
        self.rows = {str(row.employer.id): row for row in rows}
        listing.set_options(Option(employer_line(row), id=str(row.employer.id)) for row in rows)
        ids = list(self.rows)
        if highlighted in self.rows:
            listing.highlighted = ids.index(highlighted)
        elif ids:
            listing.highlighted = 0
        top = sum(row.top for row in rows)
        header = (f"Employers · {len(rows)} · {TOP_MARK} top {top} active: work these now · "
                  "sorted by M, P, A")
        if not rows:
            header = "Employers · none yet: n adds one (a LinkedIn import adds its companies)"
        self.query_one("#employers-header", Static).update(header)
        if self.query_one("#employer-contacts").has_class("shown"):
            self.load_contacts()

    def current(self) -> EmployerRow | None:
        option = self.query_one(OptionList).highlighted_option
        return self.rows.get(option.id) if option is not None and option.id else None

    @on(OptionList.OptionHighlighted)
    def _follow(self, _: OptionList.OptionHighlighted) -> None:
        if self.query_one("#employer-contacts").has_class("shown"):
            self.load_contacts()

    # -- the contacts at the employer ------------------------------------------------

    def action_contacts(self) -> None:
        if self.query_one("#employer-new-box").has_class("shown"):
            self._add_name(self.query_one("#employer-new", Input).value)
            return
        panel = self.query_one("#employer-contacts")
        panel.toggle_class("shown")
        if panel.has_class("shown"):
            self.load_contacts()

    def load_contacts(self) -> None:
        row = self.current()
        if row is not None:
            self._read_contacts(row.employer)

    @work(thread=True, exclusive=True, group="employer-contacts")
    def _read_contacts(self, employer: Employer) -> None:
        now: datetime = self.app.clock()
        people = employer_contacts(self.app.store, employer, now)
        hand_back(self, self._show_contacts, employer, people)

    def _show_contacts(self, employer: Employer, people: list[AtEmployer]) -> None:
        self.query_one("#employer-contacts", Static).update(contacts_text(employer, people))

    # -- scores ------------------------------------------------------------------------

    def action_step(self, name: str) -> None:
        row = self.current()
        if row is None:
            return
        before = row.employer
        after = before.replace(**{name: next_score(before, name)})
        # Shown at once; the reload after the write re-sorts it with the file's truth.
        self.rows[str(before.id)] = replace(row, employer=after)
        self.query_one(OptionList).replace_option_prompt(str(before.id),
                                                         employer_line(self.rows[str(before.id)]))
        self.app.patch(before, after, label=f"{SCORE_KEYS[name]} of {before.name}",
                       on_error=lambda _: self.reload())  # refused: show the file again

    # -- a new employer ----------------------------------------------------------------

    def action_new(self) -> None:
        self.query_one("#employer-new-box").add_class("shown")
        self.query_one("#employer-new", Input).focus()

    def close_new(self) -> None:
        self.query_one("#employer-new-box").remove_class("shown")
        self.query_one("#employer-new", Input).value = ""
        self.query_one(OptionList).focus()

    @on(Input.Submitted, "#employer-new")
    def _add(self, event: Input.Submitted) -> None:
        self._add_name(event.value)

    def _add_name(self, typed: str) -> None:
        name = typed.strip()
        self.close_new()
        if name:
            self.app.write(set_employer, self.app.store, name, {}, undo=f"add {name}",
                           on_error=lambda _: None)

    def action_back(self) -> None:
        if self.query_one("#employer-new-box").has_class("shown"):
            self.close_new()
        elif self.query_one("#employer-contacts").has_class("shown"):
            self.query_one("#employer-contacts").remove_class("shown")
        else:
            self.dismiss(None)

