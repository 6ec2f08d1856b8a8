"""SVG snapshots of the board on a fixed demo network and a fixed clock."""

from __future__ import annotations

import pytest

from store.db import Store
from store.demo import demo_records
from tests.conftest import FIXED_NOW
from tui.app import make_app


@pytest.fixture
def demo_app(db_path, clock):
    store = Store(db_path, clock=clock)
    store.insert_many(demo_records(60, 7, FIXED_NOW))
    return make_app(store)


async def overdue_marks_shown(pilot):
    """The board paints first and marks overdue cards a moment later: wait for that."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_board(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, press=["l", "j"],
                        run_before=overdue_marks_shown)


def test_board_no_color(snap_compare, demo_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_app.store)
    assert snap_compare(app, terminal_size=(80, 24), press=["l", "j"],
                        run_before=overdue_marks_shown)


def test_board_filtered(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["slash", *"fintech"],
                        run_before=overdue_marks_shown)
