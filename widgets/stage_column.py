"""One stage of the board: a virtual list of fixed-height cards.

Only the visible lines are rendered (the line API), so a column of 20,000 cards costs
no more to paint or scroll than one of twenty. The column owns its cursor; the screen
owns the data and hands it cards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.text import printable

CARD_HEIGHT = 3  # name line, "role @ company" line, a blank line between cards


@dataclass(frozen=True)
class Card:
    """What a card shows; `marker` is the text at the right of the name line."""

    contact_id: int
    name: str
    headline: str
    marker: str = ""
    dimmed: bool = False


class Cards(Sequence[Card]):
    """The cards of a column in order, each made when first asked for: a column of
    20,000 contacts builds only the few cards on screen."""

    def __init__(self, ids: list[int], make: Callable[[int], Card]) -> None:
        self.ids = ids
        self._make = make

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> Card:
        return self._make(self.ids[index])

    def index_of(self, contact_id: int) -> int | None:
        try:
            return self.ids.index(contact_id)
        except ValueError:
            return None


def fit(text: str, width: int) -> str:
    """Exactly `width` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class StageColumn(ScrollView, can_focus=False, inherit_bindings=False):
    """The cards of one stage, with a cursor.

    The column never takes the focus: the screen keeps one column `active` and sends it
    the cursor keys, so moving between columns changes no focus (and no footer)."""

    COMPONENT_CLASSES = {
        "stage-column--name",
        "stage-column--headline",
        "stage-column--cursor",
        "stage-column--dimmed",
    }

    DEFAULT_CSS = """
    StageColumn {
        border: round $panel-lighten-2;
        border-title-align: left;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        height: 1fr;
        width: 1fr;
    }
    StageColumn.-active {
        border: heavy $accent;
        border-title-style: bold;
    }
    StageColumn > .stage-column--name { text-style: bold; }
    StageColumn > .stage-column--headline { color: $text-muted; }
    StageColumn > .stage-column--cursor { background: $boost; }
    StageColumn.-active > .stage-column--cursor { background: $accent 30%; }
    StageColumn > .stage-column--dimmed { color: $text-disabled; text-style: italic; }
    """

    # No repaint of the whole column: watch_cursor repaints the two cards that change
    # (an arrow key costs ~0.9 kB on the wire instead of ~6.9 kB at 120x40).
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    active: reactive[bool] = reactive(False)

    def __init__(self, stage: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.cards = Cards([], self._no_card)
        self.border_title = stage

    # -- data ------------------------------------------------------------------------

    def set_cards(self, cards: Cards, *, select: int | None = None) -> None:
        """Show these cards; keep the cursor on the card with id `select` if given."""
        self.cards = cards
        self._update_title()
        self.virtual_size = Size(0, len(cards) * CARD_HEIGHT)
        index = cards.index_of(select) if select is not None else None
        self.cursor = self.cursor if index is None else index
        self.refresh()

    @staticmethod
    def _no_card(contact_id: int) -> Card:
        raise IndexError(contact_id)  # an empty column has no card to make

    @property
    def highlighted(self) -> Card | None:
        return self.cards[self.cursor] if self.cards else None

    # -- cursor ----------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return min(max(value, 0), max(len(self.cards) - 1, 0))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_lines(old * CARD_HEIGHT, CARD_HEIGHT)
        self.refresh_lines(new * CARD_HEIGHT, CARD_HEIGHT)
        if self.cards:
            self.scroll_to_region(
                Region(0, new * CARD_HEIGHT, 1, CARD_HEIGHT), animate=False, force=True
            )

    def watch_active(self, active: bool) -> None:
        self.set_class(active, "-active")

    def move_cursor(self, delta: int) -> None:
        self.cursor += delta

    def cursor_to(self, index: int) -> None:
        """To the card at index; a negative index counts from the end."""
        self.cursor = index if index >= 0 else len(self.cards) + index

    def page(self, direction: int) -> None:
        self.cursor += direction * max(self.scrollable_content_region.height // CARD_HEIGHT, 1)

    def refresh_lines(self, y: int, count: int = 1) -> None:
        """Repaint content lines y.. y+count (content coordinates)."""
        top = y - round(self.scroll_offset.y)
        self.refresh(Region(0, top, self.size.width, count))

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.cards) * CARD_HEIGHT)
        self._update_title()

    def _update_title(self) -> None:
        """"stage count"; a narrow column shortens the stage name, never the count."""
        count = str(len(self.cards))
        room = self.outer_size.width - 7 - len(count) if self.outer_size.width else 99
        name = self.stage if len(self.stage) <= room else self.stage[: max(room - 1, 1)] + "…"
        self.border_title = f"{name} {count}"

    # -- rendering -------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are worked out once per repaint, not once per line: `rich_style`
        # walks the ancestors each time it is read.
        self._styles = {"base": self.rich_style} | {
            name: self.get_component_rich_style(f"stage-column--{name}")
            for name in ("name", "headline", "cursor", "dimmed")
        }
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_offset.y) + y
        index, row = divmod(line, CARD_HEIGHT)
        styles = self._styles
        style = styles["base"]
        if index >= len(self.cards) or row == CARD_HEIGHT - 1:
            return Strip([Segment(" " * width, style)], width)
        card = self.cards[index]
        if card.dimmed:
            style += styles["dimmed"]
        if index == self.cursor:
            style += styles["cursor"]
        # The cursor shows by a bar at the left as well as by colour (NO_COLOR, mono).
        bar = "▌" if index == self.cursor else " "
        body = width - 1
        if row == 0:
            marker = printable(card.marker)
            room = max(body - cell_len(marker) - 1, 1) if marker else body
            segments = [Segment(bar, style),
                        Segment(fit(printable(card.name), room), style + styles["name"])]
            if marker:
                segments.append(Segment(fit(" " + marker, body - room), style))
        else:
            segments = [Segment(bar, style),
                        Segment(fit(printable(card.headline), body), style + styles["headline"])]
        return Strip(segments, width)
