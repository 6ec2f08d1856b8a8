"""`?` — every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_label(key: str) -> str:
    names = {
        "question_mark": "?", "greater_than_sign": ">", "less_than_sign": "<",
        "slash": "/", "full_stop": ".", "escape": "esc", "pageup": "pgup", "pagedown": "pgdn",
    }
    return names.get(key, key)


class HelpScreen(ModalScreen[None]):
    """A list of the keys; any key closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close",
                        tooltip="Back to the screen")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__()
        rows: dict[str, list[str]] = {}
        for key, active in bindings.items():
            description = active.binding.description or active.binding.action
            if active.binding.tooltip:
                description = f"{description} — {active.binding.tooltip}"
            rows.setdefault(description, []).append(key_label(key))
        self._text = Text()
        self._text.append("Keys\n", style="bold")
        for description, keys in rows.items():
            self._text.append(f"{' '.join(keys):>16}  ", style="bold")
            self._text.append(f"{description}\n")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._text)
