"""The whole conversation loop driven by keys on a fresh file, and discarding a meeting."""

from __future__ import annotations

import json
import time

import pytest

from store import settings
from store.db import Store
from store.records import Contact, Interaction, Meeting
from store.stats import compute_stats
from tests.screen import screen_text, wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.cli import stats as cli_stats
from tui.cli.main import main
from tui.modals.meeting_end import DiscardScreen, EndMeetingScreen
from tui.modals.quick_add import QuickAddScreen
from tui.modals.schedule import ScheduleScreen
from tui.screens.agenda import AgendaScreen
from tui.screens.board import BoardScreen
from tui.screens.contact import ContactScreen
from tui.screens.draft import DraftScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.prep import PrepScreen


@pytest.fixture
def clock_zone(monkeypatch):
    """The user lives in the fixed clock's zone (UTC+1), so times show as they were typed."""
    monkeypatch.setenv("TZ", "Etc/GMT-1")
    time.tzset()


def on_disk(db_path) -> Store:
    return Store(db_path)


def person(db_path, name: str) -> Contact:
    return next(c for c in on_disk(db_path).contacts() if c.name == name)


async def until_on_disk(app, pilot, condition, what: str):
    def holds():
        app.flush_writes()
        return condition()

    return await wait_until(pilot, holds, what)


async def test_the_whole_loop_on_a_fresh_file(db_path, clock, clock_zone, monkeypatch, capsys):
    store = Store(db_path, clock=clock)
    settings.set(store, settings.MY_NAME, "Sam Park")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        # add → outreach draft → sent
        await pilot.press("n")
        quick_add = await wait_for_screen(pilot, QuickAddScreen)
        quick_add.query_one("#quick-add-input").value = "Ada Lee, Director @ Acme, fintech"
        await pilot.press("enter")
        await until_on_disk(app, pilot, lambda: on_disk(db_path).contacts(), "Ada added")
        await pilot.press("w")
        await wait_for_screen(pilot, DraftScreen)
        assert "cold outreach" in screen_text(app)
        await pilot.press("f5")
        await until_on_disk(app, pilot, lambda: person(db_path, "Ada Lee").stage == "contacted",
                            "Ada contacted")
        await wait_for_screen(pilot, BoardScreen)

        # reply → schedule
        await pilot.press("r")
        await wait_for_screen(pilot, ScheduleScreen)
        await pilot.press(*"thu 3pm")
        await wait_for_text(pilot, "→ Thu 26 Nov 15:00")
        await pilot.press("enter")
        await until_on_disk(app, pilot, lambda: on_disk(db_path).records(Meeting),
                            "the meeting scheduled")

        # the agenda: prepare the day before, the meeting, never a nudge
        await pilot.press("a")
        agenda = await wait_for_screen(pilot, AgendaScreen)
        text = await wait_for_text(pilot, "prepare for the coffee")
        assert "upcoming coffee" in text and "Thu 26 Nov 15:00" in text
        assert "nudge" not in text and "schedule the meeting" not in text
        clock.advance(days=3)  # Thursday 09:30: the day of the coffee
        await pilot.press("enter")  # on "prepare": the preparation

        # prepare → start
        await wait_for_screen(pilot, PrepScreen)
        text = screen_text(app)
        assert "Preparing Ada Lee · Director @ Acme" in text
        assert "coffee Thu 26 Nov 15:00" in text and "only if they ask" in text
        await pilot.press("space")  # choose the first question
        await until_on_disk(app, pilot,
                            lambda: on_disk(db_path).records(Meeting)[0].questions_planned,
                            "the chosen question")
        chosen = on_disk(db_path).records(Meeting)[0].questions_planned
        clock.advance(hours=5, minutes=30)
        await pilot.press("f5")
        meeting_screen = await wait_for_screen(pilot, MeetingScreen)
        assert meeting_screen.questions == chosen

        # capture ref: / todo: / they: → end
        def type_in(text: str) -> None:  # as typed: at the cursor, which ends after it
            meeting_screen.notes.insert(text, maintain_selection_offset=False)

        type_in("Bob Lee, Analyst @ Acme")
        await pilot.press("f2", "end", "enter", "f3")
        type_in("send the article by fri")
        await pilot.press("enter", "f6")
        type_in("intro me to Lena by mon")
        clock.advance(minutes=40)
        await pilot.press("f8")
        await wait_for_screen(pilot, EndMeetingScreen)
        text = screen_text(app)
        assert "+ new target: Bob Lee — Analyst @ Acme" in text
        assert "intro me to Lena — check in Thu 3 Dec" in text
        assert "→ referred once thanked: they introduced 1" in text
        await pilot.press("enter")
        await until_on_disk(app, pilot, lambda: person(db_path, "Ada Lee").stage == "met",
                            "Ada met")

        # thank, from the agenda
        assert await wait_for_screen(pilot, AgendaScreen) is agenda
        await wait_for_text(pilot, "send a thank-you note")
        while agenda.current().what != "send a thank-you note":
            await pilot.press("down")
        await pilot.press("d")
        await until_on_disk(app, pilot, lambda: person(db_path, "Ada Lee").stage == "referred",
                            "Ada referred")
        await wait_for_text(pilot, "check in on their promise: intro me to Lena")

    ada, bob = person(db_path, "Ada Lee"), person(db_path, "Bob Lee")
    assert [entry["stage"] for entry in ada.stage_history] == [
        "target", "contacted", "met", "thanked", "referred"]
    assert ada.stage_history[-1]["reason"] == "introduced Bob Lee"
    assert (bob.stage, bob.referred_by) == ("target", ada.id)
    kinds = [i.kind for i in on_disk(db_path).records(Interaction)]
    assert kinds == ["message sent", "reply received", "thank-you sent"]

    monkeypatch.setattr(cli_stats, "open_store", lambda args, **_: Store(args.db, clock=clock))
    capsys.readouterr()
    assert main(["stats", "--json", "--db", str(db_path)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["reply_rate"] == 1.0 and kinds.count("reply received") == 1
    assert stats["meetings_held"] == 1
    assert stats["referrals"] == 1
    assert stats["funnel"]["referred"] == 1


async def test_a_meeting_opened_by_mistake_is_discarded_and_counts_for_nothing(
        store, db_path, clock):
    ada = store.add_contact(Contact(name="Ada Lee", stage="contacted"))
    before = compute_stats(store).to_json()
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "m")  # by mistake
        await wait_for_screen(pilot, PrepScreen)
        await pilot.press("f5")  # and started, by mistake again
        await wait_for_screen(pilot, MeetingScreen)
        clock.advance(minutes=2)
        await pilot.press("f7")
        await wait_for_screen(pilot, DiscardScreen)
        assert "It will not count as held" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, BoardScreen)
        await until_on_disk(app, pilot,
                            lambda: on_disk(db_path).records(Meeting)[0].status == "discarded",
                            "the meeting discarded")
    assert compute_stats(Store(db_path, clock=clock)).to_json() == before
    assert Store(db_path).contact(ada.id).stage == "contacted"


async def test_discarding_from_the_preparation_asks_first(store, db_path):
    store.add_contact(Contact(name="Ada Lee", stage="contacted"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "m")
        await wait_for_screen(pilot, PrepScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, DiscardScreen)
        await pilot.press("escape")  # kept
        await wait_for_screen(pilot, PrepScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, DiscardScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, BoardScreen)
        await until_on_disk(app, pilot,
                            lambda: on_disk(db_path).records(Meeting)[0].status == "discarded",
                            "the meeting discarded")
        await pilot.press("u")  # undone: preparing again
        await until_on_disk(app, pilot,
                            lambda: on_disk(db_path).records(Meeting)[0].status == "preparing",
                            "the discard undone")


async def test_r_on_the_contact_screen_logs_the_reply(store, db_path):
    ada = store.add_contact(Contact(name="Ada Lee", stage="contacted"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "enter")
        await wait_for_screen(pilot, ContactScreen)
        await pilot.press("r")
        await wait_for_screen(pilot, ScheduleScreen)
        await pilot.press("escape")  # not now
        await wait_for_screen(pilot, ContactScreen)
        await wait_for_text(pilot, "reply received")  # on the timeline
    assert [i.kind for i in Store(db_path).find(Interaction, contact_id=ada.id)] == [
        "reply received"]
    assert Store(db_path).records(Meeting) == []


async def test_coffeechat_prep_opens_the_preparation(store, db_path, clock, clock_zone):
    ada = store.add_contact(Contact(name="Ada Lee", stage="contacted", research="Runs payments"))
    app = make_app(store, prepare=ada)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, PrepScreen)
        text = await wait_for_text(pilot, "Runs payments")
        assert "coffee, no time yet (F6 schedules)" in text
        await pilot.press("f6")
        await wait_for_screen(pilot, ScheduleScreen)
        await pilot.press(*"tomorrow 9am", "tab", "ctrl+u", *"call", "enter")
        await wait_for_screen(pilot, PrepScreen)
        await wait_for_text(pilot, "call Tue 24 Nov 09:00")
    [meeting] = Store(db_path).records(Meeting)
    assert (meeting.status, meeting.medium) == ("preparing", "call")
