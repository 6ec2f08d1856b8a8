"""A read-only checklist: items shown as ☐/☑ lines, ticked by the screen that owns it."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from store.text import printable


class Checklist(Static):
    """Items in order; `ticked` holds the ticked items' indexes. Never takes the focus."""

    DEFAULT_CSS = """
    Checklist { height: auto; }
    """

    ticked: reactive[frozenset[int]] = reactive(frozenset, init=False)

    def __init__(self, items: list[str], ticked: frozenset[int] = frozenset(),
                 labels: list[str] | None = None, **kwargs) -> None:
        """`labels`: how each item is shown, when not as itself (a TIARA letter before it)."""
        super().__init__(**kwargs)
        self.items = list(items)
        self.labels = list(labels) if labels is not None else list(items)
        self.set_reactive(Checklist.ticked, frozenset(ticked))

    def on_mount(self) -> None:
        self.update(self._render_items())

    def watch_ticked(self) -> None:
        self.update(self._render_items())

    def _render_items(self) -> Text:
        if not self.items:
            return Text("no prepared questions", style="dim")
        text = Text()
        for index in range(len(self.items)):
            done = index in self.ticked
            text.append("☑ " if done else "☐ ", style="bold green" if done else "bold")
            text.append(printable(self.labels[index]), style="dim strike" if done else "")
            if index < len(self.items) - 1:
                text.append("\n")
        return text

    def tick_next(self) -> int | None:
        """Tick the first unticked item; its index, or None when all are ticked."""
        index = next((i for i in range(len(self.items)) if i not in self.ticked), None)
        if index is not None:
            self.ticked = self.ticked | {index}
        return index

    def untick_last(self) -> int | None:
        """Untick the highest ticked item; its index, or None when none is ticked."""
        if not self.ticked:
            return None
        index = max(self.ticked)
        self.ticked = self.ticked - {index}
        return index

    @property
    def ticked_items(self) -> list[str]:
        return [item for index, item in enumerate(self.items) if index in self.ticked]
