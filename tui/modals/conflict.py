"""The dialog a conflict opens: a field this screen changed was changed on disk meanwhile.

Each such field shows both values; `1`–`9` pick which one to keep for a field (the one
on disk at first), `enter` saves the choice, `esc` keeps everything as it is on disk.
Either way the user decided: nothing is dropped silently.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from store.changes import ConflictError
from store.text import printable
from tui.modals.base import Modal


def shown(value: object) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return printable("" if value is None else str(value)) or "(empty)"


class ConflictScreen(Modal[dict | None]):
    """Returns {field: the user's value} for the fields where they keep theirs (empty:
    keep what is on disk everywhere, then saves the rest of their change), or None."""

    BINDINGS = [
        Binding("enter", "save", "Save the choice", priority=True, id="conflict.save",
                tooltip="Save: each field as chosen"),
        Binding("escape", "cancel", "Keep the file's", id="conflict.cancel",
                tooltip="Keep what is on disk; save nothing of this change"),
        *[Binding(str(n), f"toggle({n - 1})", show=False, id=f"conflict.toggle-{n}",
                  tooltip="Keep the other value of this field") for n in range(1, 10)],
    ]

    DEFAULT_CSS = """
    ConflictScreen > Vertical { border: round $warning; }
    """

    def __init__(self, error: ConflictError) -> None:
        super().__init__()
        self.error = error
        self.keep_mine = [False] * len(error.conflicts)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Changed elsewhere while you edited"
            yield Static(id="conflict-body", markup=False)

    def on_mount(self) -> None:
        self.render_choices()

    def render_choices(self) -> None:
        text = Text(printable(str(self.error)) + "\n")
        for n, (conflict, mine) in enumerate(zip(self.error.conflicts, self.keep_mine), 1):
            text.append(f"\n{n}  {conflict.field.replace('_', ' ')}\n", style="bold")
            text.append("   on disk: ", style="dim")
            text.append(shown(conflict.stored), style="" if mine else "bold reverse")
            text.append("\n   yours:   ", style="dim")
            text.append(shown(conflict.mine), style="bold reverse" if mine else "")
        text.append("\n\n1–9 switch a field · enter saves the highlighted values · "
                    "esc keeps the file's", style="dim")
        self.query_one("#conflict-body", Static).update(text)

    def action_toggle(self, index: int) -> None:
        if index < len(self.keep_mine):
            self.keep_mine[index] = not self.keep_mine[index]
            self.render_choices()

    def action_save(self) -> None:
        self.dismiss({c.field: c.mine
                      for c, mine in zip(self.error.conflicts, self.keep_mine) if mine})
