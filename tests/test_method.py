"""The method's clocks: business days (weekends, the noon rule, holidays) and 3B7 in the
agenda, appearing and going away on a reply."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from store import settings as config
from store.db import Store
from store.followups import (
    MESSAGE_SENT, due_items, log_interaction, logged_by_move, mark_done, move_contact,
)
from store.method import add_business_days, business_day_due, count_start, reply_classes
from store.records import Contact
from store.stats import REPLY_KIND
from tests.conftest import Clock
from tests.conftest import at_cet as at
from tui.cli import agenda as cli_agenda
from tui.cli.main import main

pytestmark = pytest.mark.usefixtures("local_zone_is_cet")


@pytest.mark.parametrize("sent, holidays, three_b, seven_b", [
    ("2026-12-04 15:00", (), "2026-12-10", "2026-12-16"),  # Fri after noon: the method's example
    ("2026-12-04 10:00", (), "2026-12-09", "2026-12-15"),  # Fri morning counts Friday
    ("2026-12-04 12:00", (), "2026-12-09", "2026-12-15"),  # noon itself is not after noon
    ("2026-12-05 09:00", (), "2026-12-10", "2026-12-16"),  # a Saturday starts on Monday
    ("2026-12-06 18:00", (), "2026-12-10", "2026-12-16"),  # so does a Sunday evening
    ("2026-11-23 09:30", (), "2026-11-26", "2026-12-02"),  # Monday morning
    ("2026-12-21 09:00", ("2026-12-24", "2026-12-25"), "2026-12-28", "2027-01-01"),
    ("2026-12-23 14:00", ("2026-12-24", "2026-12-25"), "2026-12-31", "2027-01-06"),
])
def test_business_days(sent, holidays, three_b, seven_b):
    off = [date.fromisoformat(d) for d in holidays]
    assert business_day_due(at(sent), 3, off) == at(three_b + " 00:00")
    assert business_day_due(at(sent), 7, off) == at(seven_b + " 00:00")


@pytest.mark.parametrize("start, days, holidays, expected", [
    ("2026-12-04", 0, (), "2026-12-04"),
    ("2026-12-04", 1, (), "2026-12-07"),
    ("2026-12-04", 5, (), "2026-12-11"),
    ("2026-12-31", 1, ("2027-01-01",), "2027-01-04"),
])
def test_add_business_days(start, days, holidays, expected):
    off = [date.fromisoformat(d) for d in holidays]
    assert add_business_days(date.fromisoformat(start), days, off) == date.fromisoformat(expected)


def test_count_start_skips_a_holiday_morning():
    assert count_start(at("2026-12-24 09:00"), [date(2026, 12, 24), date(2026, 12, 25)]) == \
        date(2026, 12, 28)


def method_items(store, now):
    return [(i.source, i.what, i.due) for i in due_items(store, now)
            if i.source in ("3b", "7b")]


def test_3b7_items_appear_and_a_reply_stops_them(db_path):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    priya = store.add_contact(Contact(name="Priya Rao", company="Globex"))
    store.add_contact(Contact(name="Bob Lee", company="globex "))
    store.add_contact(Contact(name="Cy Ito", company="Initech"))
    move_contact(store, priya.id, "contacted")  # logs the message sent, Fri 15:00
    assert method_items(store, clock()) == [
        ("3b", "3B: try a second contact at Globex: Bob Lee", at("2026-12-10 00:00")),
        ("7b", "7B: follow up once with Priya Rao", at("2026-12-16 00:00")),
    ]
    clock.advance(days=6)
    log_interaction(store, priya.id, REPLY_KIND, at=clock())
    assert method_items(store, clock()) == []


def test_3b_says_find_one_when_there_is_no_other_target(store, clock):
    ana = store.add_contact(Contact(name="Ana Lee", company="Acme"))
    log_interaction(store, ana.id, MESSAGE_SENT, at=clock())
    move_contact(store, ana.id, "contacted", at=clock())
    whats = [what for _, what, _ in method_items(store, clock())]
    assert whats == ["3B: try a second contact at Acme: find one",
                     "7B: follow up once with Ana Lee"]


def test_3b_names_three_targets_and_counts_the_rest(store, clock):
    ana = store.add_contact(Contact(name="Ana Lee", company="Acme"))
    for name in ["Eve Ng", "Bo Li", "Di Wu", "Al Ho", "Cy Oh"]:
        store.add_contact(Contact(name=name, company="Acme"))
    move_contact(store, ana.id, "contacted", at=clock())
    whats = [what for _, what, _ in method_items(store, clock())]
    assert whats[0] == "3B: try a second contact at Acme: Al Ho, Bo Li, Cy Oh and 2 more"


def test_holidays_setting_moves_the_items_and_agenda_json_has_the_rule(db_path, capsys,
                                                                      monkeypatch):
    clock = Clock(at("2026-12-21 09:00"))
    store = Store(db_path, clock=clock)
    config.set(store, config.HOLIDAYS, "2026-12-24, 2026-12-25")
    ana = store.add_contact(Contact(name="Ana Lee", company="Acme"))
    move_contact(store, ana.id, "contacted")
    monkeypatch.setattr(cli_agenda, "open_store", lambda args, **_: Store(args.db, clock=clock))
    assert main(["agenda", "--json", "--days", "30", "--db", str(db_path)]) == 0
    items = {i["rule"]: i for i in json.loads(capsys.readouterr().out)}
    assert items["3b"]["due"] == "2026-12-28T00:00:00+01:00"
    assert items["7b"]["due"] == "2027-01-01T00:00:00+01:00"
    assert items["7b"]["what"] == "7B: follow up once with Ana Lee"


def test_a_bad_holiday_is_refused_and_the_file_untouched(db_path, capsys):
    Store(db_path).set_setting("my_name", "Jo")
    before = db_path.read_bytes()
    assert main(["config", "holidays", "2026-02-30", "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == "coffeechat: 2026-02-30 is not a day of the calendar\n"
    assert db_path.read_bytes() == before


def test_the_count_starts_on_the_local_day_whatever_offset_was_stored():
    # 11:30 UTC is 12:30 on the local (UTC+1) wall: after noon, so Friday does not count.
    sent = datetime(2026, 12, 4, 11, 30, tzinfo=timezone.utc)
    assert business_day_due(sent, 3) == at("2026-12-10 00:00")
    assert business_day_due(sent, 3).utcoffset() == timedelta(hours=1)
    # 23:30 UTC on Sunday is already Monday 00:30 locally: Monday counts.
    late = datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)
    assert business_day_due(late, 3) == at("2026-12-10 00:00")


def test_the_7b_is_the_first_follow_up_no_nudge_beside_it(db_path):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    priya = store.add_contact(Contact(name="Priya Rao", company="Globex"))
    solo = store.add_contact(Contact(name="Sam Solo"))  # no company: no 3B7, the nudges
    move_contact(store, priya.id, "contacted")
    move_contact(store, solo.id, "contacted")
    clock.advance(days=14)
    whats = {(i.contact.name, i.source) for i in due_items(store, clock())}
    assert ("Priya Rao", "7b") in whats and ("Priya Rao", "nudge") not in whats
    assert ("Sam Solo", "nudge") in whats
    seven_b = next(i for i in due_items(store, clock()) if i.source == "7b")
    mark_done(store, seven_b)  # logs the follow-up as a nudge sent
    clock.advance(days=8)
    whats = [i.what for i in due_items(store, clock()) if i.contact.id == priya.id]
    assert "nudge 2 of 2" in whats and not any(w.startswith("7B") for w in whats)


def test_one_contacts_items_from_the_contacts_a_caller_holds_are_its_items_in_the_file(db_path):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    priya = store.add_contact(Contact(name="Priya Rao", company="Globex"))
    store.add_contact(Contact(name="Bob Lee", company="globex "))
    store.add_contact(Contact(name="Old Target", company="Globex", archived=True))
    move_contact(store, priya.id, "contacted")
    held = store.contacts(include_archived=True)  # as the board holds them
    mine = due_items(store, clock(), priya.id, held)
    assert mine == due_items(store, clock(), priya.id)
    assert [i.what for i in mine if i.source == "3b"] == [
        "3B: try a second contact at Globex: Bob Lee"]


@pytest.mark.parametrize("before, stage", [("target", "contacted"), ("contacted", "met")])
def test_a_move_counted_before_it_is_written_has_the_items_and_class_it_will_have(
        db_path, before, stage):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    priya = store.add_contact(Contact(name="Priya Rao", company="Globex"))
    store.add_contact(Contact(name="Bob Lee", company="Globex"))
    if before == "contacted":
        move_contact(store, priya.id, "contacted")
        clock.advance(days=3)  # met on Monday: a booster, the meeting standing for a reply
    priya = store.contact(priya.id)
    now, when = clock(), store.now()
    moved = priya.replace(stage=stage,
                          stage_history=[*priya.stage_history, {"stage": stage, "at": when}])
    held = [moved if c.id == priya.id else c for c in store.contacts()]  # as a board shows it
    logged = logged_by_move(priya.id, before, stage, when)

    def shown(items):
        return [(i.key, i.what, i.due) for i in items]

    counted = (shown(due_items(store, now, priya.id, held, logged)),
               reply_classes(store, now, priya.id, held, logged))
    move_contact(store, priya.id, stage, when, before)
    assert counted == (shown(due_items(store, now, priya.id)),
                       reply_classes(store, now, priya.id))
    assert counted[0] and counted[1] == ({} if stage == "contacted" else {priya.id: "booster"})
