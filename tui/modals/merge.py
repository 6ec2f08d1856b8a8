"""Merging from the app: pick the other contact, then see the merge field by field.

The picker lists the likely duplicate first, then everyone, narrowed as you type (case
and accents ignored). The merge view shows what the kept contact will hold and where each
value comes from; `1`–`9` switch a conflicting field to the other value, `enter` merges
(undoable with `u` on the board), `d` says they are two people instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.merge import MergePlan
from store.records import Contact
from store.text import fold, printable
from tui.modals.base import Modal
from widgets.safe_text import SafeInput

SHOWN = 50  # contacts listed at a time; typing narrows them


def _label(contact: Contact, note: str = "") -> Text:
    label = Text(printable(contact.name), style="bold")
    if contact.headline:
        label.append(f"  {printable(contact.headline)}", style="dim")
    label.append(f"  #{contact.id} · {contact.stage}" + (" · archived" if contact.archived else ""))
    if note:
        label.append(f"  {note}", style="italic")
    return label


class PickContactScreen(Modal[int | None]):
    """Which contact to merge into `keep`; dismisses with its id."""

    DEFAULT_CSS = """
    PickContactScreen #pick-list { height: auto; max-height: 16; border: none; }
    """

    def __init__(self, keep: Contact, contacts: Iterable[Contact], twin: Contact | None) -> None:
        super().__init__()
        self.keep = keep
        self.contacts = sorted(contacts, key=lambda c: fold(c.name))
        self.twin = twin

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(printable(f"Merge into {self.keep.name}: which contact?"))
            yield SafeInput(placeholder="type a name", id="pick-filter")
            yield OptionList(id="pick-list", markup=False)

    def on_mount(self) -> None:
        self.show("")

    @on(Input.Changed, "#pick-filter")
    def narrow(self, event: Input.Changed) -> None:
        self.show(event.value)

    def show(self, typed: str) -> None:
        wanted = fold(typed)
        options = []
        if self.twin is not None and wanted in fold(self.twin.name):
            options.append(Option(_label(self.twin, "looks like the same person"),
                                  id=str(self.twin.id)))
        for contact in self.contacts:
            if len(options) == SHOWN:
                break
            if contact is not self.twin and wanted in fold(contact.name):
                options.append(Option(_label(contact), id=str(contact.id)))
        listing = self.query_one(OptionList)
        listing.set_options(options)
        listing.highlighted = 0 if options else None

    @on(Input.Submitted, "#pick-filter")
    def choose(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.dismiss(int(option.id))

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


class MergeScreen(Modal[MergePlan | str | None]):
    """The merge field by field; dismisses with the plan as chosen, "distinct", or None."""

    BINDINGS = [
        Binding("enter", "merge", "Merge", priority=True, id="merge.confirm",
                tooltip="Merge as shown (u on the board undoes it)"),
        Binding("d", "distinct", "Two people", id="merge.distinct",
                tooltip="Not a duplicate: stop naming them as one"),
        *[Binding(str(n), f"toggle({n - 1})", show=False, id=f"merge.toggle-{n}",
                  tooltip="Take the other value of this conflict") for n in range(1, 10)],
    ]

    def __init__(self, plan: MergePlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            keep, other = self.plan.keep, self.plan.other
            box.border_title = Content(printable(
                f"Merge #{other.id} {other.name} into #{keep.id} {keep.name}"))
            yield Static(id="merge-view", markup=False)

    def on_mount(self) -> None:
        self.render_plan()

    def render_plan(self) -> None:
        plan, text = self.plan, Text()
        keep, other = plan.keep, plan.other
        conflicts = plan.conflicts
        for choice in plan.fields:
            if not choice.keep and not choice.other:
                continue
            number = conflicts.index(choice) + 1 if choice in conflicts else None
            text.append(f"{number or ' '} {choice.name.replace('_', ' '):<13} ",
                        style="bold" if number else "dim")
            text.append(printable(_shown(choice.value)) or "—")
            if number:
                loser = choice.keep if choice.take_other else choice.other
                text.append(f"   (not: {printable(_shown(loser))})", style="dim")
            elif choice.take_other and choice.other != choice.keep:
                text.append(f"   (from #{other.id})", style="dim")
            text.append("\n")
        moved = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in plan.moved.items() if n)
        text.append(f"\nMoves to #{keep.id}: {moved or 'no records'}; "
                    f"{plan.referred} contact(s) it referred.\n"
                    f"#{other.id} stays in the file, archived, merged into #{keep.id}.\n\n",
                    style="dim")
        text.append("1–9 switch a conflict · enter merges · d two people · esc cancel")
        self.query_one("#merge-view", Static).update(text)

    def action_toggle(self, index: int) -> None:
        conflicts = self.plan.conflicts
        if index < len(conflicts):
            conflicts[index].take_other = not conflicts[index].take_other
            self.render_plan()

    def action_merge(self) -> None:
        self.dismiss(self.plan)

    def action_distinct(self) -> None:
        self.dismiss("distinct")


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")
