"""One stage of the board: a virtual list of fixed-height cards.

Only the visible lines are rendered (the line API), so a column of 20,000 cards costs
no more to paint or scroll than one of twenty. The column owns its cursor; the screen
owns the data and hands it cards. Collapsed (a zoomed board on a narrow terminal), the
column is a strip showing its count and its stage's name, one letter a line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.text import printable

CARD_HEIGHT = 3  # name line, "role @ company" line, a blank line between cards


@dataclass(frozen=True)
class Card:
    """What a card shows; `marker` is the text at the right of the name line; an
    archived card is dimmed and its marker says so in words (readable without colour)."""

    contact_id: int
    name: str
    role: str = ""
    company: str = ""
    marker: str = ""
    dimmed: bool = False

    @property
    def headline(self) -> str:
        if self.role and self.company:
            return f"{self.role} @ {self.company}"
        return self.role or (f"@ {self.company}" if self.company else "")


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


def fit_headline(role: str, company: str, width: int) -> str:
    """"role @ company" in exactly `width` cells; short of room the role is cut, not the
    company: the company is what a glance at a card looks for."""
    if not (role and company):
        return fit(role or (f"@ {company}" if company else ""), width)
    suffix = f" @ {company}"
    if cell_len(role) + cell_len(suffix) <= width:
        return fit(role + suffix, width)
    if cell_len(suffix) + 2 <= width:
        room = width - cell_len(suffix)
        return set_cell_size(role, room - 1) + "…" + suffix
    return fit(company, width)


def wrap(text: str, width: int) -> list[str]:
    """Words to lines of at most `width` cells (a longer word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return [fit(line, width) for line in lines]


class StageColumn(ScrollView, can_focus=False, inherit_bindings=False):
    """The cards of one stage, with a cursor.

    The column never takes the focus: the screen keeps one column `active` and sends it
    the cursor keys, so moving between columns changes no focus (and no footer)."""

    COMPONENT_CLASSES = {
        "stage-column--name",
        "stage-column--headline",
        "stage-column--cursor",
        "stage-column--dimmed",
        "stage-column--hint",
    }

    DEFAULT_CSS = """
    StageColumn {
        /* A rule on top for the title, no sides: a repainted card line is then the
           card alone on the wire (a side border costs ~25 bytes a line); the columns
           stand apart by a one-cell gap. */
        border-top: round $panel-lighten-2;
        border-title-align: left;
        margin-right: 1;
        overflow-x: hidden;
        overflow-y: hidden;  /* the column draws its own scroll bar, in its lines */
        height: 1fr;
        width: 1fr;
    }
    StageColumn > .stage-column--name { text-style: bold; }
    StageColumn > .stage-column--headline { color: $text-muted; }
    StageColumn > .stage-column--cursor { background: $accent 30%; }
    StageColumn > .stage-column--dimmed { color: $text-disabled; text-style: italic; }
    StageColumn > .stage-column--hint { color: $text-muted; }
    StageColumn.-collapsed { width: auto; }
    """

    # No repaint of the whole column: watch_cursor repaints the two cards that change
    # (an arrow key costs ~0.9 kB on the wire instead of ~6.9 kB at 120x40).
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    # Which column is active shows in its title (and its cursor card), not its border:
    # a border repaints the whole column, a title one line.
    active: reactive[bool] = reactive(False, repaint=False)
    collapsed: reactive[bool] = reactive(False, layout=True)
    # Shown, wrapped, when the column has no card (the empty board's first step).
    hint: reactive[str] = reactive("")

    def __init__(self, stage: str, *, id: str | None = None, collapsed: bool = False) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.cards = Cards([], self._no_card)
        self.set_reactive(StageColumn.collapsed, collapsed)
        self.set_class(collapsed, "-collapsed")
        self.border_title = stage

    # -- data ------------------------------------------------------------------------

    def set_cards(self, cards: Cards, *, select: int | None = None) -> None:
        """Show these cards; keep the cursor on the card with id `select` if given."""
        before, thumb_before = len(self.cards), self._thumb()
        digits = len(str(before))
        self.cards = cards
        self._update_title()
        self._set_virtual_height(len(cards) * CARD_HEIGHT)
        if self.collapsed and len(str(len(cards))) != digits:
            self.refresh(layout=True)  # the strip is as wide as its count
        index = cards.index_of(select) if select is not None else None
        self.cursor = self.cursor if index is None else index
        self._refresh_cards(max(before, len(cards)), set(thumb_before) | set(self._thumb()))

    def _refresh_cards(self, cards: int, thumb: set[int]) -> None:
        """Repaint the lines the cards are on: not the blank line between two cards nor
        the lines below the last card (blank before and after), unless the scroll bar's
        thumb is there; not the title (it repaints its own line when it changes)."""
        width, height = self.size
        top = round(self.scroll_offset.y)
        if self.collapsed or not self.hint == "" or top % CARD_HEIGHT or not width:
            self.refresh(Region(0, 0, width, height))
            return
        lines = {y for y in range(min(height, cards * CARD_HEIGHT - top))
                 if y % CARD_HEIGHT != CARD_HEIGHT - 1} | {y for y in thumb if y < height}
        self.refresh(*(Region(0, y, width, 1) for y in sorted(lines)))

    def _set_virtual_height(self, height: int) -> None:
        """The scrollable height, without a layout of the whole screen (and a second
        frame) for a column whose size on screen stays the same."""
        size = Size(0, height)
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.size:
            self.virtual_size = size  # before the first layout: that layout sizes it
            return
        self.set_reactive(StageColumn.virtual_size, size)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

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
        self._update_title()
        if self.cards:
            self.refresh_lines(self.cursor * CARD_HEIGHT, CARD_HEIGHT)

    def watch_collapsed(self, collapsed: bool) -> None:
        self.set_class(collapsed, "-collapsed")
        self._update_title()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Collapsed: as wide as the count, with a space either side."""
        return len(str(len(self.cards))) + 2

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

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

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_to(y=self.scroll_y + CARD_HEIGHT, animate=False, force=True)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_to(y=self.scroll_y - CARD_HEIGHT, animate=False, force=True)

    def _thumb(self) -> range:
        """The lines of the scroll bar's thumb (none when every card fits). Drawn by the
        column in the last cell of its lines, in their style: Textual's scroll bar is a
        widget of its own, shown a layout after the first and repainted (once more) with
        every change of the column."""
        height, total = self.scrollable_content_region.height, self.virtual_size.height
        if total <= height or height <= 0:
            return range(0)
        size = max(height * height // total, 1)
        start = round(self.scroll_offset.y * (height - size) / max(total - height, 1))
        return range(start, start + size)

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.cards) * CARD_HEIGHT)
        self._update_title()

    def _update_title(self) -> None:
        """"stage count" (the active column's "▶ stage count"); a narrow column shortens
        the stage name, never the count."""
        count = str(len(self.cards))
        if self.collapsed:
            title = ""  # the strip shows the count and the name itself
        else:
            # "─ ▶ name count ─": six cells around the name and count
            room = self.outer_size.width - 7 - len(count) if self.outer_size.width else 99
            name = self.stage if len(self.stage) <= room else self.stage[: max(room - 1, 1)] + "…"
            # The active column: ▶ and reverse video, readable without colour.
            title = f"[reverse bold] ▶ {name} {count} [/]" if self.active else f" {name} {count} "
        self._set_title(title)

    def _set_title(self, title: str) -> None:
        """Set only when it changes, and then repaint the top border alone (Textual's
        border_title repaints the whole column)."""
        if title == getattr(self, "_title_markup", None):
            return
        self._title_markup = title
        if not self.is_mounted or not self.size:
            self.border_title = title
            return
        self._border_title = self.render_str(title).expand_tabs(4).split()[0]
        self.refresh(Region(-1, -1, self.outer_size.width, 1))  # content coordinates

    # -- rendering -------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles, the width and the scroll bar are worked out once per repaint, not
        # once per line: `rich_style` walks the ancestors each time it is read, and the
        # content region is worked out anew each time (a third of the lines' time).
        self._styles = {"base": self.rich_style} | {
            name: self.get_component_rich_style(f"stage-column--{name}")
            for name in ("name", "headline", "cursor", "dimmed", "hint")
        }
        self._width, self._thumb_lines = self.scrollable_content_region.width, self._thumb()
        return super().render_lines(crop)

    def _strip_line(self, y: int, width: int) -> Strip:
        """A collapsed column: its count, a blank line, then its stage one letter a line."""
        text = [str(len(self.cards)), "", *self.stage][y] if y < len(self.stage) + 2 else ""
        style = self._styles["base"] + (self._styles["name"] if y == 0 else Style())
        return Strip([Segment(text.center(width), style)], width)

    def render_line(self, y: int) -> Strip:
        width = self._width
        if self.collapsed:
            return self._strip_line(y, width)
        # The last cell is the scroll bar's (blank when every card fits), in the line's
        # own style: no style change, no bytes, for it.
        text, style = self._card_line(y, width - 1)
        return Strip([Segment(text + ("▐" if y in self._thumb_lines else " "), style)], width)

    def _card_line(self, y: int, width: int) -> tuple[str, Style]:
        """The text of line `y` (`width` cells) and its style: one style a line."""
        line = round(self.scroll_offset.y) + y
        index, row = divmod(line, CARD_HEIGHT)
        styles = self._styles
        style = styles["base"]
        if not self.cards and self.hint:
            lines = wrap(self.hint, max(width - 2, 1))
            text = " " + lines[y] + " " if y < len(lines) else " " * width
            return fit(text, width), style + styles["hint"]
        if index >= len(self.cards) or row == CARD_HEIGHT - 1:
            return " " * width, style
        card = self.cards[index]
        if card.dimmed:
            style += styles["dimmed"]
        # One cursor on the board: only the active column shows its cursor card, by a bar
        # at the left as well as by colour (NO_COLOR, mono).
        here = index == self.cursor and self.active
        if here:
            style += styles["cursor"]
        bar = "▌" if here else " "
        body = width - 1
        # One style a line: each change of style costs ~25 bytes on the wire, and a move
        # repaints two whole columns.
        if row == 0:
            marker = printable(card.marker) + " " if card.marker else ""  # a space before the bar
            room = max(body - cell_len(marker) - 1, 1) if marker else body
            text = fit(printable(card.name), room) + (fit(" " + marker, body - room) if marker else "")
            return bar + text, style + styles["name"]
        headline = fit_headline(printable(card.role), printable(card.company), body)
        return bar + headline, style + styles["headline"]
