"""SVG snapshots of every screen but the board (tests/test_snapshots_board.py) at the
three sizes people use: a phone over SSH (60x20), a laptop split (80x24), a wide
terminal (120x40). One small network, one fixed clock."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from store.db import Store
from store.meetings import save_notes, start_meeting
from tests.screen import wait_for_screen
from tests.test_people_screens import small_network
from tui.app import make_app
from tui.modals.form import EditScreen
from tui.modals.meeting_end import EndMeetingScreen
from tui.modals.quick_add import QuickAddScreen
from tui.modals.settings import SettingsScreen
from tui.screens.agenda import AgendaScreen
from tui.screens.contact import ContactScreen
from tui.screens.draft import DraftScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.stats import StatsScreen
from tui.screens.tree import TreeScreen

SIZES = [(60, 20), (80, 24), (120, 40)]

# What to press on the board, and the screen that shows once it is done. Bob Lee (met)
# is the third column's card.
FROM_THE_BOARD = {
    "contact": (["3", "enter"], ContactScreen),
    "edit": (["3", "e"], EditScreen),
    "quick_add": (["n", *"Ana Lima, PM @ Initech"], QuickAddScreen),
    "agenda": (["a"], AgendaScreen),
    "draft": (["3", "w"], DraftScreen),
    "tree": (["t"], TreeScreen),
    "stats": (["s"], StatsScreen),
    "palette": (["ctrl+p", *"bob"], CommandPalette),
    "settings": (["comma"], SettingsScreen),
}


def still_cursor(screen) -> None:
    """Stop the focused field's cursor blinking: a snapshot taken while it is hidden
    differs from one taken while it shows."""
    focused = screen.focused
    if focused is not None and hasattr(focused, "cursor_blink"):
        focused.cursor_blink = False
        focused.notify_style_update()


async def settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def network(db_path, clock) -> Store:
    store = Store(db_path, clock=clock)
    small_network(store)
    store.set_setting("my_name", "Jo Park")
    return store


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", list(FROM_THE_BOARD))
def test_screen(snap_compare, network, name, size):
    keys, screen_type = FROM_THE_BOARD[name]

    async def shown(pilot):
        await pilot.press(*keys)
        screen = await wait_for_screen(pilot, screen_type)
        await settled(pilot)
        still_cursor(screen)

    assert snap_compare(make_app(network), terminal_size=size, run_before=shown)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("ending", [False, True], ids=["meeting", "end_summary"])
def test_meeting(snap_compare, network, clock, ending, size):
    bob = network.resolve("Bob Lee")
    meeting = start_meeting(network, bob.id)
    save_notes(network, meeting.id, "Started in support, moved to payments.\n"
                                    "ref: Cat Wong @ Initech\ntodo: send the article")
    clock.advance(minutes=26)
    app = make_app(network, meet_with=bob)

    async def shown(pilot):
        screen = await wait_for_screen(pilot, MeetingScreen)
        still_cursor(screen)  # the notes show under the end summary too
        if ending:
            await pilot.press("f8")
            still_cursor(await wait_for_screen(pilot, EndMeetingScreen))

    assert snap_compare(app, terminal_size=size, run_before=shown)
