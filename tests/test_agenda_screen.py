"""The agenda screen and the board's `!`, driven by keys; checked on screen and on disk."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from store.db import Store
from store.demo import demo_records
from store.followups import move_contact
from store.records import Contact, FollowUp
from tests.conftest import FIXED_NOW
from tests.disk import tables_on_disk
from tests.screen import screen_text, wait_for_screen
from tui.screens.agenda import AgendaScreen
from tui.modals.snooze import SnoozeScreen
from tui.app import make_app
from tui.screens.board import BoardScreen

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def paris(monkeypatch):
    """Local time is the clock's +01:00, as it is for a user in Paris in November."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()


def seed(store, clock) -> dict[str, int]:
    """Ada promised something two days ago; Bob has gone a week without a reply."""
    ada = store.add_contact(Contact(name="Ada Lee", stage="thanked"))
    store.insert(FollowUp(contact_id=ada.id, kind="todo", text="send the article",
                          due=(clock() - 2 * DAY).isoformat(), created_at=store.now()))
    bob = store.add_contact(Contact(name="Bob [red]Kay[/]", stage="target"))
    move_contact(store, bob.id, "contacted", at=clock() - 7 * DAY)
    store.add_contact(Contact(name="Cy Calm", stage="target"))
    return {"ada": ada.id, "bob": bob.id}


def followups_on_disk(db_path) -> list[dict]:
    return list(tables_on_disk(db_path)["followups"].values())


async def settle(pilot):
    """Let the screen's thread work out the items and show them."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_agenda(pilot) -> AgendaScreen:
    await pilot.press("a")
    screen = await wait_for_screen(pilot, AgendaScreen)
    await settle(pilot)
    return screen


async def test_agenda_lists_overdue_and_today_with_since(store, clock):
    seed(store, clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agenda(pilot)
        lines = screen_text(app).splitlines()
        assert lines[0].strip() == "Agenda · Mon 23 Nov 09:30 · 2 due"
        overdue = next(n for n, line in enumerate(lines) if line.strip() == "Overdue (1)")
        assert "Sat 21 Nov 09:30  Ada Lee" in lines[overdue + 1]
        assert "todo: send the article · since Mon 23 Nov" in lines[overdue + 1]
        assert "Today (1)" in lines[overdue + 2]
        assert "Mon 23 Nov 09:30  Bob [red]Kay[/]" in lines[overdue + 3]  # literally
        assert "nudge 1 of 2 · since Mon 16 Nov" in lines[overdue + 3]
        assert "Next 7 days (0)" in lines[overdue + 4] and "nothing" in lines[overdue + 5]
        assert "Cy Calm" not in screen_text(app)


async def test_board_cards_show_overdue_and_done_clears_it_on_disk(store, db_path, clock):
    ids = seed(store, clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        await app.workers.wait_for_complete()  # the board marks overdue cards after it paints
        await pilot.pause()
        assert board.model.overdue == {ids["ada"]}
        assert "Ada Lee" in screen_text(app) and " !" in screen_text(app)
        agenda = await open_agenda(pilot)
        assert agenda.current().contact.name == "Ada Lee"
        await pilot.press("d")
        app.flush_writes()
        [todo] = followups_on_disk(db_path)
        assert todo["done_at"] == clock().isoformat()
        await settle(pilot)
        assert "Overdue (0)" in screen_text(app)
        assert agenda.current().contact.name == "Bob [red]Kay[/]"
        await pilot.press("escape")
        await settle(pilot)
        assert board.model.overdue == set()
        assert " !" not in screen_text(app)


async def test_snooze_shows_what_it_understood_and_refuses_garbage(store, db_path, clock):
    seed(store, clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agenda(pilot)
        before = db_path.read_text()
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozeScreen)
        await pilot.press(*"whenever", "enter")
        assert isinstance(app.screen, SnoozeScreen)
        assert "cannot read 'whenever' as a date" in screen_text(app)
        await pilot.press(*["backspace"] * 8, *"-1d", "enter")
        assert isinstance(app.screen, SnoozeScreen)
        assert "has passed" in screen_text(app)
        app.flush_writes()
        assert db_path.read_text() == before  # nothing saved
        await pilot.press(*["backspace"] * 3, *"+2d")
        assert "→ Wed 25 Nov 09:30" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, AgendaScreen)
        app.flush_writes()
        [todo] = followups_on_disk(db_path)
        assert todo["snoozed_until"] == "2026-11-25T09:30:00+01:00"
        assert todo["done_at"] is None
        await settle(pilot)
        assert "Overdue (0)" in screen_text(app) and "Next 7 days (1)" in screen_text(app)


async def test_snoozing_a_nudge_keeps_it_off_today(store, db_path, clock):
    seed(store, clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agenda(pilot)
        await pilot.press("down", "s")
        await wait_for_screen(pilot, SnoozeScreen)
        await pilot.press(*"fri", "enter")
        await wait_for_screen(pilot, AgendaScreen)
        app.flush_writes()
        [mark] = tables_on_disk(db_path)["agenda_marks"].values()
        assert mark["snoozed_until"] == "2026-11-27T00:00:00+01:00"
        await settle(pilot)
        assert "Today (0)" in screen_text(app)
        await pilot.press("escape")
        await wait_for_screen(pilot, BoardScreen)


async def test_enter_goes_to_the_person_on_the_board(store, clock):
    ids = seed(store, clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agenda(pilot)
        await pilot.press("down", "enter")
        board = await wait_for_screen(pilot, BoardScreen)
        assert board.focused_contact().id == ids["bob"]


async def test_escape_on_the_snooze_saves_nothing(store, db_path, clock):
    seed(store, clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agenda(pilot)
        before = db_path.read_text()
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozeScreen)
        await pilot.press(*"+2d", "escape")
        await wait_for_screen(pilot, AgendaScreen)
        app.flush_writes()
        assert db_path.read_text() == before
        assert "Overdue (1)" in screen_text(app)


def test_snapshot_agenda(snap_compare, db_path, clock):
    store = Store(db_path, clock=clock)
    store.insert_many(demo_records(60, 7, FIXED_NOW))
    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=open_agenda)


async def test_a_long_section_lists_its_oldest_and_counts_the_rest(store, clock, monkeypatch):
    monkeypatch.setattr("tui.screens.agenda.SHOWN_PER_SECTION", 2)
    ada = store.add_contact(Contact(name="Ada Lee", stage="thanked"))
    for days in (3, 2, 1):
        store.insert(FollowUp(contact_id=ada.id, kind="todo", text=f"promise {days}",
                              due=(clock() - days * DAY).isoformat(), created_at=store.now()))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agenda(pilot)
        text = screen_text(app)
        assert "Overdue (3)" in text
        assert "promise 3" in text and "promise 2" in text and "promise 1" not in text
        assert "… and 1 more (coffeechat agenda lists all)" in text
        await pilot.press("d")
        app.flush_writes()
        await settle(pilot)
        assert "promise 1" in screen_text(app) and "more" not in screen_text(app)


async def test_the_item_under_the_cursor_is_shown_whole_at_60x20(store, clock):
    ada = store.add_contact(Contact(name="Adaeze Okonkwo-Lindqvist", stage="thanked"))
    store.insert(FollowUp(contact_id=ada.id, kind="todo", due=(clock() - 2 * DAY).isoformat(),
                          text="send the article about the payments team's on-call rota",
                          created_at=store.now()))
    app = make_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_agenda(pilot)
        text = screen_text(app)
        assert "on-call rota" not in next(line for line in text.splitlines() if "Adaeze" in line)
        whole = " ".join(line.strip() for line in text.splitlines()[-4:-1])
        assert "Adaeze Okonkwo-Lindqvist — todo: send the article about the payments" in whole
        assert "team's on-call rota · due Sat 21 Nov" in whole
        assert text.splitlines()[-2].strip().endswith("since Mon 23 Nov")  # above the footer
