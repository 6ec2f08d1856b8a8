"""Editing a stored text in the app: a template, or the question bank as lines.

Job asks are flagged as you type, as in a draft. F2 saves (returns the text), esc cancels.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static, TextArea

from store.lint import lint
from tui.modals.base import Modal
from widgets.flagged_text import FlaggedTextArea


class TextEditScreen(Modal[str | None]):
    """A title, a hint line and the text; dismisses with the text on F2, None on esc."""

    BINDINGS = [
        Binding("f2", "save", "Save", priority=True, id="text-edit.save",
                tooltip="Save the text and close"),
    ]
    DEFAULT_CSS = """
    TextEditScreen > #text-edit-box {
        width: 100%; height: 1fr; max-height: 100%; border: none; padding: 0;
    }
    TextEditScreen #text-edit-title { text-style: bold; padding: 0 1; background: $panel; }
    TextEditScreen #text-edit-hint { color: $text-muted; padding: 0 1; }
    TextEditScreen #text-edit-area { height: 1fr; }
    """

    def __init__(self, title: str, text: str, hint: str, settings: Mapping) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.hint = hint
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical(id="text-edit-box"):
            yield Static(Text(self.title_text), id="text-edit-title")
            yield Static(Text(self.hint), id="text-edit-hint")
            yield FlaggedTextArea(self.text, id="text-edit-area")
        yield Footer()

    def on_mount(self) -> None:
        self.flag(self.text)
        self.query_one(FlaggedTextArea).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.flag(event.text_area.text)

    def flag(self, text: str) -> None:
        findings = lint(text, settings=self.settings).findings
        self.query_one(FlaggedTextArea).set_flags(
            [(f.start, f.end) for f in findings if f.check == "job ask"]
        )

    def action_save(self) -> None:
        self.dismiss(self.query_one(FlaggedTextArea).text)
