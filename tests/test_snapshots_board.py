"""SVG snapshots of the board on a fixed demo network and a fixed clock, at the sizes
people use: 60x20 (a phone over SSH), 80x24 and 120x40."""

from __future__ import annotations

import pytest

from store.db import Store
from store.demo import demo_records
from tests.conftest import FIXED_NOW
from tests.screen import wait_until
from tui.app import make_app

SIZES = [(60, 20), (80, 24), (120, 40)]


@pytest.fixture
def demo_app(db_path, clock):
    store = Store(db_path, clock=clock)
    store.insert_many(demo_records(60, 7, FIXED_NOW))
    return make_app(store)


async def overdue_marks_shown(pilot):
    """The board paints first; the footer and the overdue marks come a moment later."""
    board = pilot.app.screen
    await wait_until(pilot, lambda: board.filter_input.parent is not None, "after the paint")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
def test_board(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, press=["l", "j"],
                        run_before=overdue_marks_shown)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
def test_board_zoom_toggled(snap_compare, demo_app, size):
    """`z`: zoomed at 120x40; all five columns, however narrow, at 60x20 and 80x24."""
    assert snap_compare(demo_app, terminal_size=size, press=["l", "j", "z"],
                        run_before=overdue_marks_shown)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
def test_board_no_color(snap_compare, demo_app, monkeypatch, size):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_app.store)
    assert snap_compare(app, terminal_size=size, press=["l", "j", "v"],
                        run_before=overdue_marks_shown)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
def test_help(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, press=["question_mark"],
                        run_before=overdue_marks_shown)


def test_board_filtered(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["slash", *"fintech"],
                        run_before=overdue_marks_shown)
