"""A thread's result that arrives after its screen closed is dropped, not shown in a
screen whose widgets are gone (that crashed the app when it quit right after start); a
thread's long read or pass gives way to a key until the key's frame is shown."""

from __future__ import annotations

import asyncio
import threading

from store.db import Store
from store.paths import crash_dir
from tests.screen import wait_for_text, wait_until
from tests.test_board import seed
import tui.app
from tui.app import CoffeeChatApp, make_app
from tui.screens.agenda import AgendaScreen
from tui.screens.board import BoardScreen
from tui.threads import hand_back


async def test_a_result_for_a_closed_screen_is_dropped_and_an_open_one_shows_it(store):
    seed(store, ("Ann Lee @ Acme", "contacted"))
    app = make_app(store)
    shown: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AgendaScreen), "the agenda")
        agenda = app.screen
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not agenda and not agenda.is_attached,
                         "the agenda closed")
        board = app.screen
        # (a thread: hand_back waits for the UI thread, which runs this test)
        await asyncio.to_thread(hand_back, agenda, shown.append, "to the agenda")
        await asyncio.to_thread(hand_back, board, shown.append, "to the board")
    assert shown == ["to the board"]
    assert app.return_code in (None, 0)


async def test_quitting_as_the_first_frame_shows_is_no_crash(store, db_path):
    seed(store, ("Ann Lee @ Acme", "contacted"))

    class QuitAtOnce(CoffeeChatApp):
        def on_ready(self) -> None:  # `q` typed before the board's first frame is shown
            super().on_ready()
            self.exit()

    app = QuitAtOnce(Store(db_path, board_first=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: not app.is_running, "the app quit")
    assert app.return_code in (None, 0) and app._exception is None
    assert not crash_dir().exists() or not list(crash_dir().glob("crash-*"))


async def test_a_thread_gives_way_to_a_key_until_the_keys_frame_is_shown(store, monkeypatch):
    monkeypatch.setattr(tui.app, "KEY_FIRST_SECONDS", 60)  # (only the frame lets it go on)
    seed(store, ("Ann Lee @ Acme", "target"), ("Bo Ng @ Initech", "target"))
    app = make_app(store)
    went_on = threading.Event()
    during_the_key: list[bool] = []
    cursor = BoardScreen.action_cursor

    def action_cursor(screen, delta: int) -> None:
        # A thread's read steps while the key is handled: it waits at its next step.
        threading.Thread(target=lambda: (store.give_way(), went_on.set())).start()
        store.give_way()  # (the UI thread itself never waits, nor the writer: a key's write)
        app.write(store.give_way).result(timeout=5)
        during_the_key.append(went_on.wait(0.05))
        cursor(screen, delta)

    monkeypatch.setattr(BoardScreen, "action_cursor", action_cursor)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_text(pilot, "Bo Ng")
        await asyncio.wait_for(asyncio.to_thread(store.give_way), 5)  # no key: no wait
        await pilot.press("down")
        await wait_until(pilot, went_on.is_set, "the thread went on after the frame")
        assert during_the_key == [False]
        assert app.screen.focused_column().cursor == 1
