"""The settings, from the palette ("Settings") or `,` on the board: every setting of
store.settings with its value, default and help. `enter` edits the highlighted one (the
value is checked as you press enter: a bad one is explained and nothing is saved), `esc`
leaves the field, then the screen. What `coffeechat config` prints, editable."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store import settings
from store.errors import InputError
from store.text import printable
from tui.messages import DataChanged
from tui.modals.base import Modal
from widgets.safe_text import SafeInput


VALUE_WIDTH = 56  # a long list of phrases shows its start; enter shows it whole


def entry_label(entry: settings.Entry) -> Group:
    """The setting, its value, and under it the help and any problem, indented as a
    block so that a wrapped line keeps the indent."""
    label = Text(f"{entry.setting.label}: ", style="bold")
    value = printable(entry.value_text) or "—"
    label.append(value if len(value) <= VALUE_WIDTH else value[: VALUE_WIDTH - 1] + "…")
    if not entry.is_default:
        label.append(f"  (default {printable(entry.default_text) or '—'})", style="dim")
    notes = Text(entry.help, style="dim")
    if entry.problem:
        notes.append(f"\n{entry.problem}", style="italic")
    return Group(label, Padding(notes, (0, 0, 0, 2)))


class SettingsScreen(Modal[None]):
    """Every user-facing setting; edits are written through store.settings (undoable)."""

    DEFAULT_CSS = """
    SettingsScreen > Vertical { width: 84; }
    SettingsScreen #settings-list { height: auto; max-height: 24; border: none; }
    SettingsScreen #settings-input { display: none; }
    SettingsScreen #settings-input.editing { display: block; }
    SettingsScreen #settings-error { color: $error; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.editing: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Settings — enter edits, esc closes"
            yield OptionList(id="settings-list", markup=False)
            yield SafeInput(id="settings-input")
            yield Static("", id="settings-error", markup=False)

    def on_mount(self) -> None:
        self.show()
        self.query_one(OptionList).focus()

    def on_data_changed(self, _: DataChanged) -> None:
        self.show()

    def show(self) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.set_options(Option(entry_label(entry), id=entry.key)
                            for entry in settings.describe(self.app.store))
        listing.highlighted = highlighted or 0

    @on(OptionList.OptionSelected)
    def edit(self, event: OptionList.OptionSelected) -> None:
        entry = settings.entry(self.app.store, event.option.id)
        self.editing = entry.key
        field = self.query_one("#settings-input", Input)
        field.placeholder = entry.setting.rule
        field.value = entry.value_text
        field.add_class("editing")
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#settings-input")
    def save(self, event: Input.Submitted) -> None:
        key = self.editing
        try:
            settings.parse(key, event.value)
        except InputError as exc:
            self.query_one("#settings-error", Static).update(str(exc))
            return
        self.app.write(settings.set, self.app.store, key, event.value, undo=f"setting {key}")
        self.stop_editing()

    def stop_editing(self) -> None:
        self.editing = None
        self.query_one("#settings-error", Static).update("")
        self.query_one("#settings-input", Input).remove_class("editing")
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        if self.editing is not None:
            self.stop_editing()
        else:
            self.dismiss(None)
