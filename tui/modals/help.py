"""`?` — every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.modals.base import Modal

KEY_NAMES = {
    "question_mark": "?", "greater_than_sign": ">", "less_than_sign": "<", "slash": "/",
    "escape": "esc", "pageup": "pgup", "pagedown": "pgdn", "enter": "⏎",
}


def _rank(active: ActiveBinding) -> int:
    """The screen's own keys first, then the focused widget's, then the app's; Textual's
    own (tab, copy, the palette: they have no id) last."""
    if active.binding.id is None:
        return 3
    if isinstance(active.node, Screen):
        return 0
    return 2 if isinstance(active.node, App) else 1


class HelpScreen(Modal[None]):
    """A list of the keys; esc, q, ? or F1 closes it. A description longer than the line
    wraps under itself (a hanging indent), never back to the keys' column."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "cancel", "Close", id="help.close",
                        tooltip="Back to the screen")]

    DEFAULT_CSS = "HelpScreen > VerticalScroll { width: 80; }"

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__()
        rows: dict[str, list[str]] = {}
        for key, active in sorted(bindings.items(), key=lambda item: _rank(item[1])):
            binding = active.binding
            rows.setdefault(binding.tooltip or binding.description or binding.action, []).append(
                KEY_NAMES.get(key, key)
            )
        self._rows = [(" ".join(keys), what) for what, keys in rows.items()]

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2, 0, 0))
        table.add_column(justify="right", no_wrap=True, style="bold")
        table.add_column(overflow="fold")
        for keys, what in self._rows:
            table.add_row(Text(keys), Text(what))
        return table

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Help — esc to close"
            yield Static(Text("Keys", style="bold"))
            yield Static(self._table())
