"""The whole agenda of a varied database against each contact's own, sorted plainly.

The agenda of everyone is built with indexes and shortcuts (it must be quick at 20,000
contacts); one contact's is read with `find` alone. Here a seeded database with every
kind of record, time zones of every sort, done marks, snoozes, orphans and bad values must
give the same items both ways, in the order the rule states: due (as instants), name, key.
"""

from __future__ import annotations

import contextlib
import random
import time
from datetime import datetime, timedelta, timezone

import pytest

from store.db import Store
from store.errors import InputError
from store.followups import (
    NUDGE_SENT, THANKS_KIND, THANKS_SENT, THEIRS_KIND, agenda, due_items, is_overdue, mark_done,
    overdue_ids, snooze,
)
from store.method import MESSAGE_SENT, business_day_due, count_start
from store.records import (
    MEETING_STATES, REPLY_KIND, STAGES, AgendaMark, Contact, FollowUp, Interaction, Meeting,
)
from tests.conftest import Clock
from tui.app import make_app
from tui.cli import agenda as cli_agenda
from tui.cli.main import main

NOW = datetime(2027, 3, 24, 10, 0, tzinfo=timezone.utc)  # days before Paris moves to summer time
ZONES = [timezone.utc, timezone(timedelta(hours=1)), timezone(timedelta(hours=5, minutes=30)),
         timezone(timedelta(hours=-8)), None]  # None: a time stored without a zone
NAMES = ["Ada Lee", "ada lee", "Bo Chen", "Émile Roy", "Zoë Park", "Bob \x1b[2J Kay", "Cy"]
COMPANIES = ["Acme", "acme ", "Globex", "Initech", ""]
KINDS = [MESSAGE_SENT, MESSAGE_SENT, NUDGE_SENT, NUDGE_SENT, THANKS_SENT, REPLY_KIND, "call",
         "meeting"]
CADENCES = ["", "", "", "6w", "3m", "2d", "every 2 weeks", "often"]  # "often" is unreadable
HOLIDAYS = ["2027-03-26", "2027-04-05"]


def moment(rng: random.Random, days: int = 60) -> str:
    """A time within `days` of NOW, whole minutes, in one of the zones (or none)."""
    at = NOW + timedelta(minutes=rng.randint(-days * 1440, days * 1440))
    zone = rng.choice(ZONES)
    return (at.astimezone(zone) if zone else at.replace(tzinfo=None)).isoformat()


def varied_records(rng: random.Random, count: int) -> list:
    records = []
    for cid in range(1, count + 1):
        stage = rng.choice(STAGES)
        history = [{"stage": "target", "at": moment(rng)}]
        if stage != "target":
            history.append({"stage": rng.choice(STAGES), "at": moment(rng)})
            history.append({"stage": stage, "at": moment(rng)})
        records.append(Contact(
            id=cid, name=rng.choice(NAMES), company=rng.choice(COMPANIES), stage=stage,
            stage_history=history, created_at=moment(rng), archived=rng.random() < 0.1,
            keep_in_touch=rng.choice(CADENCES)))
    for _ in range(count * 3):  # some about contacts that are not there (ids past count)
        records.append(Interaction(contact_id=rng.randint(1, count + 5), kind=rng.choice(KINDS),
                                   at=moment(rng)))
    for _ in range(count // 2):
        scheduled = moment(rng, 10)
        state = rng.choice([*MEETING_STATES, ""])
        records.append(Meeting(
            contact_id=rng.randint(1, count + 5), state=state, scheduled_for=scheduled,
            started_at=moment(rng, 10) if state in ("running", "ended", "") and
            rng.random() < 0.7 else "",
            ended_at=moment(rng, 10) if state in ("ended", "") and rng.random() < 0.5 else None,
            where=rng.choice(["", "Café Lumière"]), medium=rng.choice(["coffee", "call"])))
    for _ in range(count):
        records.append(FollowUp(
            contact_id=rng.randint(1, count + 5),
            kind=rng.choice(["todo", THEIRS_KIND, THANKS_KIND, "call back"]),
            text=rng.choice(["", "send the article", "intro \u202e to Bo"]),
            due=rng.choice([None, moment(rng, 20)]),
            done_at=moment(rng) if rng.random() < 0.3 else None,
            snoozed_until=moment(rng, 20) if rng.random() < 0.2 else None,
            created_at=moment(rng)))
    records.append(AgendaMark(key="nudge:1:2027-01-01T00:00:00+00:00", done_at=moment(rng)))
    return records


def varied_store(db_path, seed: int, count: int) -> Store:
    """A seeded database of `count` contacts with every kind of record, some of its items
    done and snoozed through the agenda."""
    rng = random.Random(seed)
    store = Store(db_path, clock=Clock(NOW))
    store.set_setting("holidays", HOLIDAYS)
    store.insert_many(varied_records(rng, count))
    for item in rng.sample(due_items(store, NOW), 40):
        if rng.random() < 0.5:
            with contextlib.suppress(InputError):  # a thank-you before any meeting
                mark_done(store, item)
        else:
            snooze(store, item, NOW + timedelta(hours=rng.randint(1, 200)))
    return store


def plainly(store: Store, now: datetime) -> list:
    """Every contact's items from its own records, in due order by instant, then name, key."""
    mine = [item for contact in store.contacts(include_archived=True)
            for item in due_items(store, now, only=contact.id)]
    return sorted(mine, key=lambda item: (item.due is None, item.due or now,
                                          item.contact.name.casefold(), item.key))


@pytest.fixture
def paris(monkeypatch):
    """Business days and sections count in local time: one that changes its offset."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()


@pytest.mark.parametrize("seed", [1, 3, 4])
def test_everyones_agenda_is_each_contacts_own_in_due_order(db_path, paris, seed):
    store = varied_store(db_path, seed, 200)
    for now in (NOW, NOW + timedelta(days=3, hours=7)):
        found = due_items(store, now)
        assert {item.source for item in found} >= {
            "followup", "nudge", "quiet", "schedule", "thanks", "meeting", "prepare",
            "reconnect", "3b", "7b"}
        assert found == plainly(store, now)


def test_3b7_dues_count_from_each_message(db_path, paris):
    store = varied_store(db_path, 8, 200)
    off = frozenset(datetime.fromisoformat(day).date() for day in HOLIDAYS)
    snoozed = {mark.key for mark in store.records(AgendaMark)}
    method = [item for item in due_items(store, NOW)
              if item.source in ("3b", "7b") and item.key not in snoozed]
    assert len({count_start(item.since) for item in method}) > 5
    for item in method:
        days = 3 if item.source == "3b" else 7
        assert item.due == business_day_due(item.since, days, off)


def test_the_command_prints_what_the_agenda_holds(db_path, paris, monkeypatch, capsys):
    store = varied_store(db_path, 9, 200)
    monkeypatch.setattr(cli_agenda, "open_store",
                        lambda args, **_: Store(args.db, clock=Clock(NOW)))
    assert main(["agenda", "--days", "30", "--db", str(db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    sections = agenda(plainly(store, NOW), NOW, 30)
    assert len(lines) > 100
    assert lines == cli_agenda.agenda_lines(sections, NOW, 30, colour=False)
    assert any("\\u202e" in line for line in lines) and "\x1b" not in "".join(lines)


def test_who_is_overdue_of_a_whole_list_is_each_items_own(db_path, paris):
    """overdue_ids works out today and each due's day once for a list of items: the same
    contacts as asking is_overdue of every item, up to a minute before local midnight."""
    store = varied_store(db_path, 5, 200)
    for now in (NOW, NOW + timedelta(days=3, hours=7), NOW.replace(hour=22, minute=59)):
        found = due_items(store, now)
        overdue = overdue_ids(found, now)
        assert overdue and overdue == {item.contact.id for item in found
                                       if is_overdue(item, now)}


async def test_the_boards_pass_over_everyone_finds_what_each_contacts_own_finds(db_path,
                                                                                 paris):
    """The board works out everyone's `!`, reply class and next item in one pass after it
    paints; each contact's must be what a pass over that contact alone finds."""
    store = varied_store(db_path, 5, 200)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()  # (the pass's news reaches the board from its thread)
        model = board.model
        alone = board.overdue_news(0, set(model.contacts), list(model.contacts.values()))
        assert model.overdue and model.overdue == alone.overdue
        assert model.reply_classes and model.reply_classes == {
            cid: kind for cid, kind in alone.classes.items() if kind}
        assert model.next_due == {cid: item for cid, item in alone.soonest.items() if item}
