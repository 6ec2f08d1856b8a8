"""A TextArea that marks given stretches of its text (flagged words) as you type."""

from __future__ import annotations

from rich.text import Text
from widgets.safe_text import SafeTextArea

Location = tuple[int, int]  # (row, column), 0-based, as TextArea counts them


class FlaggedTextArea(SafeTextArea):
    """Soft-wrapped text whose `flags` (start, end) stretches show underlined on red.

    The owner decides what is flagged (it listens to `TextArea.Changed` and calls
    `set_flags`); the widget only draws it.
    """

    COMPONENT_CLASSES = {"flagged-text--flag"}
    DEFAULT_CSS = """
    FlaggedTextArea > .flagged-text--flag {
        background: $error 45%;
        text-style: bold underline;
    }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, soft_wrap=True, **kwargs)
        self._flags: dict[int, list[tuple[int, int | None]]] = {}

    def set_flags(self, spans: list[tuple[Location, Location]]) -> None:
        by_row: dict[int, list[tuple[int, int | None]]] = {}
        for (start_row, start_col), (end_row, end_col) in spans:
            for row in range(start_row, end_row + 1):
                first = start_col if row == start_row else 0
                last = end_col if row == end_row else None
                by_row.setdefault(row, []).append((first, last))
        if by_row != self._flags:
            self._flags = by_row
            self.notify_style_update()  # drops the cached lines
            self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        spans = self._flags.get(line_index)
        if spans:
            style = self.get_component_rich_style("flagged-text--flag")
            for start, end in spans:
                line.stylize(style, start, end)
        return line
