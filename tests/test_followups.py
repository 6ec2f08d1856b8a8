"""Follow-up rules with a fixed, movable clock; done and snooze as they land on disk."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from store.db import Store
from store.errors import InputError, RefError
from store.followups import (
    AgendaMark,
    DueItem,
    agenda,
    due_items,
    log_interaction,
    mark_done,
    move_contact,
    overdue_contact_ids,
    snooze,
    step_contact,
)
from store.records import Contact, FollowUp, Interaction, Meeting

DAY = timedelta(days=1)


def add(store, name="Ada Lee", stage="target", **fields) -> Contact:
    return store.add_contact(Contact(name=name, stage=stage, **fields))


def items(store, clock, source=None) -> list[DueItem]:
    found = due_items(store, clock())
    return [i for i in found if source is None or i.source == source]


def only(store, clock, source) -> DueItem:
    found = items(store, clock, source)
    assert len(found) == 1, found
    return found[0]


def on_disk(db_path, table) -> list[dict]:
    return list(json.loads(db_path.read_text()).get(table, {}).values())


# -- interactions and moves ----------------------------------------------------------------


def test_log_interaction_is_stored_with_now_by_default(store, db_path, clock):
    ada = add(store)
    log_interaction(store, ada.id, "call", channel="phone", text="20 minutes")
    [stored] = Store(db_path).records(Interaction)
    assert (stored.contact_id, stored.kind, stored.channel, stored.text) == (
        ada.id, "call", "phone", "20 minutes")
    assert stored.at == clock().isoformat()


def test_log_interaction_refuses_nobody_and_no_kind(store):
    ada = add(store)
    with pytest.raises(RefError):
        log_interaction(store, 999, "call")
    with pytest.raises(InputError):
        log_interaction(store, ada.id, "  ")
    assert store.records(Interaction) == []


def test_moving_to_contacted_logs_a_message_sent_once(store, db_path, clock):
    ada = add(store)
    sent_at = clock() - 2 * DAY
    move_contact(store, ada.id, "contacted", at=sent_at)
    move_contact(store, ada.id, "contacted")  # already there: nothing new
    [sent] = Store(db_path).records(Interaction)
    assert (sent.kind, sent.at) == ("message sent", sent_at.isoformat())
    assert Store(db_path).contact(ada.id).stage_since == sent_at.isoformat()
    move_contact(store, ada.id, "met")
    step_contact(store, ada.id, +1)
    assert [i.kind for i in store.records(Interaction)] == ["message sent"]
    assert store.contact(ada.id).stage == "thanked"


def test_stepping_into_contacted_logs_too(store):
    ada = add(store)
    step_contact(store, ada.id, +1)
    assert [i.kind for i in store.records(Interaction)] == ["message sent"]


# -- the nudge -----------------------------------------------------------------------------


def test_nudge_after_seven_days_of_silence(store, clock):
    ada = add(store)
    sent = clock()
    move_contact(store, ada.id, "contacted")
    nudge = only(store, clock, "nudge")
    assert (nudge.what, nudge.due, nudge.since) == ("nudge 1 of 2", sent + 7 * DAY, sent)
    clock.advance(days=7)
    assert nudge.key in [i.key for i in agenda(items(store, clock), clock())["today"]]
    assert overdue_contact_ids(store, clock()) == set()
    clock.advance(days=1)
    assert overdue_contact_ids(store, clock()) == {ada.id}


def test_any_interaction_restarts_the_silence_clock(store, clock):
    ada = add(store)
    move_contact(store, ada.id, "contacted")
    clock.advance(days=5)
    log_interaction(store, ada.id, "call", channel="phone")
    assert only(store, clock, "nudge").due == clock() + 7 * DAY


def test_two_nudges_then_gone_quiet(store, clock):
    ada = add(store)
    move_contact(store, ada.id, "contacted")
    for n in (1, 2):
        clock.advance(days=8)
        nudge = only(store, clock, "nudge")
        assert nudge.what == f"nudge {n} of 2"
        mark_done(store, nudge)  # logs the nudge as sent: the clock starts again
    assert [i.kind for i in store.records(Interaction)].count("nudge sent") == 2
    assert items(store, clock, "nudge") == []
    quiet = only(store, clock, "quiet")
    assert quiet.what.startswith("gone quiet") and quiet.due == clock() + 7 * DAY
    clock.advance(days=8)
    mark_done(store, quiet)
    assert items(store, clock) == []


def test_a_meeting_ahead_replaces_the_nudge_with_upcoming(store, clock):
    ada = add(store)
    move_contact(store, ada.id, "contacted")
    start = clock() + 10 * DAY
    store.insert(Meeting(contact_id=ada.id, started_at=start.isoformat(), medium="video"))
    clock.advance(days=8)
    [upcoming] = items(store, clock)
    assert (upcoming.source, upcoming.what, upcoming.due) == ("meeting", "upcoming video", start)
    clock.advance(days=3)  # the meeting has started: no longer upcoming
    assert items(store, clock, "meeting") == []


def test_nudge_rules_come_from_settings(store, clock):
    store.set_setting("nudge_after_days", 3)
    store.set_setting("max_nudges", 1)
    ada = add(store)
    move_contact(store, ada.id, "contacted")
    nudge = only(store, clock, "nudge")
    assert (nudge.what, nudge.due) == ("nudge 1 of 1", clock() + 3 * DAY)


# -- thank-you -----------------------------------------------------------------------------


def test_thank_you_due_a_day_after_met_until_sent(store, clock):
    ada = add(store, stage="contacted")
    move_contact(store, ada.id, "met")
    thanks = only(store, clock, "thanks")
    assert (thanks.what, thanks.due) == ("send a thank-you note", clock() + DAY)
    clock.advance(hours=30)
    mark_done(store, thanks)
    assert items(store, clock) == []
    assert [i.kind for i in store.records(Interaction)] == ["thank-you sent"]


def test_meeting_modes_thank_you_follow_up_stands_for_the_rule(store, clock):
    ada = add(store, stage="met")
    store.insert(FollowUp(contact_id=ada.id, kind="thanks", text="send a thank-you note",
                          due=(clock() + DAY).isoformat(), created_at=clock().isoformat()))
    [item] = items(store, clock)
    assert item.source == "followup" and item.what == "send a thank-you note"
    mark_done(store, item)
    assert items(store, clock) == []
    assert [i.kind for i in store.records(Interaction)] == ["thank-you sent"]


# -- promises ------------------------------------------------------------------------------


def promise(store, clock, contact, text="send the article", days=2) -> FollowUp:
    return store.insert(FollowUp(contact_id=contact.id, kind="todo", text=text,
                                 due=(clock() + days * DAY).isoformat(),
                                 created_at=clock().isoformat()))


def test_todo_due_on_its_date_then_done_on_disk(store, db_path, clock):
    ada = add(store, stage="thanked")
    todo = promise(store, clock, ada)
    item = only(store, clock, "followup")
    assert (item.what, item.due, item.since) == ("todo: send the article", clock() + 2 * DAY,
                                                  clock())
    assert item.key == f"followup:{todo.id}"
    clock.advance(days=3)
    assert overdue_contact_ids(store, clock()) == {ada.id}
    mark_done(store, item)
    [stored] = on_disk(db_path, "followups")
    assert stored["done_at"] == clock().isoformat()
    assert due_items(Store(db_path, clock=clock), clock()) == []


def test_snoozed_todo_is_due_when_the_snooze_ends(store, db_path, clock):
    ada = add(store, stage="thanked")
    promise(store, clock, ada, days=-1)
    until = clock() + 2 * DAY
    snooze(store, only(store, clock, "followup"), until)
    [stored] = on_disk(db_path, "followups")
    assert stored["snoozed_until"] == until.isoformat()
    assert only(Store(db_path, clock=clock), clock, "followup").due == until
    assert overdue_contact_ids(store, clock()) == set()


def test_snooze_into_the_past_is_refused(store, clock):
    ada = add(store, stage="thanked")
    promise(store, clock, ada)
    with pytest.raises(InputError):
        snooze(store, only(store, clock, "followup"), clock() - DAY)


def test_snoozed_rule_item_is_kept_as_a_mark(store, db_path, clock):
    ada = add(store)
    move_contact(store, ada.id, "contacted")
    clock.advance(days=9)
    nudge = only(store, clock, "nudge")
    until = clock() + 2 * DAY
    snooze(store, nudge, until)
    [mark] = Store(db_path).records(AgendaMark)
    assert (mark.key, mark.snoozed_until) == (nudge.key, until.isoformat())
    assert only(store, clock, "nudge").due == until


# -- keep in touch -------------------------------------------------------------------------


def test_reconnect_on_the_keep_in_touch_cadence(store, clock):
    ada = add(store, stage="thanked", keep_in_touch="6w")
    item = only(store, clock, "reconnect")
    assert (item.what, item.due) == ("reconnect (every 6w)", clock() + timedelta(weeks=6))
    clock.advance(days=20)
    log_interaction(store, ada.id, "call")  # restarts the keep-in-touch clock
    assert only(store, clock, "reconnect").due == clock() + timedelta(weeks=6)
    clock.advance(weeks=7)
    mark_done(store, only(store, clock, "reconnect"))
    assert only(store, clock, "reconnect").due == clock() + timedelta(weeks=6)


def test_monthly_cadence_and_unreadable_cadence(store, clock):
    add(store, "Ben", stage="thanked", keep_in_touch="3m")
    add(store, "Cy", stage="thanked", keep_in_touch="now and then")
    [item] = items(store, clock)
    assert item.contact.name == "Ben"
    assert item.due == datetime(2027, 2, 23, 9, 30, tzinfo=clock().tzinfo)


# -- the agenda ----------------------------------------------------------------------------


def test_archived_contacts_have_nothing_due(store, clock):
    ada = add(store, stage="thanked", keep_in_touch="1w")
    promise(store, clock, ada)
    store.set_archived(ada.id, True)
    assert items(store, clock) == []


def test_sections_by_local_day(store, clock):
    ada = add(store, stage="thanked")
    for days in (-1, 0, 1, 7, 8):
        promise(store, clock, ada, text=f"in {days}", days=days)
    sections = agenda(items(store, clock), clock())
    assert {name: [i.what for i in found] for name, found in sections.items()} == {
        "overdue": ["todo: in -1"],
        "today": ["todo: in 0"],
        "anytime": [],
        "next": ["todo: in 1", "todo: in 7"],
    }
    assert [i.what for i in agenda(items(store, clock), clock(), days=1)["next"]] == [
        "todo: in 1"]


def test_items_are_sorted_by_due_then_name(store, clock):
    bea, al = add(store, "Bea", stage="thanked"), add(store, "Al", stage="thanked")
    promise(store, clock, bea, days=1)
    promise(store, clock, al, days=1)
    promise(store, clock, bea, days=0)
    assert [(i.contact.name, i.due) for i in items(store, clock)] == [
        ("Bea", clock()), ("Al", clock() + DAY), ("Bea", clock() + DAY)]


def test_one_contacts_items_are_the_full_lists_share(store, clock):
    """The board asks for one contact after a move; it must see what the agenda sees."""
    from store.demo import demo_records
    from store.followups import due_items, overdue_contact_ids

    store.insert_many(demo_records(120, 5, clock()))
    now = clock()
    everything = due_items(store, now)
    for contact in store.contacts(include_archived=True)[:60]:
        mine = [(i.what, i.due, i.key) for i in due_items(store, now, only=contact.id)]
        assert mine == [(i.what, i.due, i.key) for i in everything if i.contact.id == contact.id]
    overdue = overdue_contact_ids(store, now)
    assert overdue and all(overdue_contact_ids(store, now, only=cid) == {cid} for cid in overdue)
