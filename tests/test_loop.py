"""The steps between the stages, without the screens: reply, schedule, a meeting's life,
thanks by every path, `referred`, their promises and undated follow-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store.db import Store
from store.drafts import mark_sent
from store.errors import InputError
from store.exporting import export_ics
from store.followups import (
    agenda, due_items, log_reply, mark_done, move_contact, promote_referrer, snooze, thank,
)
from store.meetings import (
    discard_meeting, end_meeting, plan_end, prepare_meeting, save_notes, schedule_meeting,
    start_meeting,
)
from store.records import Contact, FollowUp, Interaction, Meeting
from store.stats import compute_stats
from tests.disk import tables_on_disk

DAY = timedelta(days=1)


@pytest.fixture
def ada(store) -> Contact:
    contact = store.add_contact(Contact(name="Ada Lee", role="Director"))
    move_contact(store, contact.id, "contacted")
    return store.contact(contact.id)


def whats(store, clock, contact_id=None) -> list[str]:
    return [i.what for i in due_items(store, clock()) if contact_id in (None, i.contact.id)]


def met(store, clock, contact: Contact, notes: str = "") -> Meeting:
    meeting = start_meeting(store, contact.id)
    save_notes(store, meeting.id, notes)
    clock.advance(minutes=30)
    return end_meeting(store, plan_end(store, meeting.id))


# -- reply and schedule ----------------------------------------------------------------------


def test_after_a_reply_the_agenda_never_asks_for_a_nudge(store, clock, ada):
    clock.advance(days=8)
    assert whats(store, clock) == ["nudge 1 of 2"]
    log_reply(store, ada.id, channel="email", note="happy to chat")
    for _ in range(6):  # however long the silence after it
        assert not [w for w in whats(store, clock) if "nudge" in w or "quiet" in w]
        assert whats(store, clock) == ["they replied: schedule the meeting"]
        clock.advance(days=10)
    [reply] = store.find(Interaction, kind="reply received")
    assert (reply.channel, reply.text) == ("email", "happy to chat")
    assert compute_stats(store).reply_rate == 1.0


def test_a_reply_from_a_target_moves_it_to_contacted_as_of_the_reply(store, clock):
    bob = store.add_contact(Contact(name="Bob Stone"))
    contact = log_reply(store, bob.id, at=clock() - DAY)
    assert contact.stage == "contacted"
    assert contact.stage_history[-1] == {"stage": "contacted",
                                         "at": (clock() - DAY).isoformat()}
    assert [i.kind for i in store.records(Interaction)] == ["reply received"]  # no fake send


def test_a_reply_from_the_future_is_refused(store, clock, ada, db_path):
    before = db_path.read_bytes()
    with pytest.raises(InputError, match="later than now"):
        log_reply(store, ada.id, at=clock() + DAY)
    assert db_path.read_bytes() == before


def test_scheduling_shows_upcoming_and_prepare_the_day_before(store, clock, ada):
    log_reply(store, ada.id)
    when = clock() + 3 * DAY
    schedule_meeting(store, ada.id, when, medium="video", where="meet.example/ada")
    items = {i.source: i for i in due_items(store, clock())}
    assert set(items) == {"meeting", "prepare"}
    assert (items["meeting"].what, items["meeting"].due) == (
        "upcoming video at meet.example/ada", when)
    assert (items["prepare"].what, items["prepare"].due) == ("prepare for the video", when - DAY)


def test_scheduling_again_moves_the_same_meeting(store, clock, ada):
    first = schedule_meeting(store, ada.id, clock() + DAY, where="Blue Bottle")
    again = schedule_meeting(store, ada.id, clock() + 2 * DAY, minutes=45)
    assert again.id == first.id and len(store.records(Meeting)) == 1
    assert (again.where, again.planned_minutes, again.scheduled_for) == (
        "Blue Bottle", 45, (clock() + 2 * DAY).isoformat())


@pytest.mark.parametrize("when, options, message", [
    (-DAY, {}, "has passed"),
    (DAY, {"minutes": 0}, "1 to 600 minutes"),
    (DAY, {"medium": "lunch"}, "unknown medium"),
])
def test_bad_schedules_change_nothing(store, clock, ada, db_path, when, options, message):
    before = db_path.read_bytes()
    with pytest.raises(InputError, match=message):
        schedule_meeting(store, ada.id, clock() + when, **options)
    assert db_path.read_bytes() == before


def test_a_running_meeting_cannot_be_rescheduled(store, clock, ada):
    start_meeting(store, ada.id)
    with pytest.raises(InputError, match="going on"):
        schedule_meeting(store, ada.id, clock() + DAY)


def test_a_scheduled_meeting_goes_into_the_ics_calendar(store, clock, ada):
    schedule_meeting(store, ada.id, clock() + DAY, where="Blue Bottle")
    ics = export_ics(store)
    assert "SUMMARY:coffee with Ada Lee" in ics and "LOCATION:Blue Bottle" in ics
    assert "DTSTART:20261124T083000Z" in ics
    discard_meeting(store, store.records(Meeting)[0].id)
    assert "VEVENT" not in export_ics(store)


# -- a meeting's life ------------------------------------------------------------------------


def test_scheduled_preparing_running_ended(store, clock, ada):
    meeting = schedule_meeting(store, ada.id, clock() + DAY)
    assert (meeting.status, meeting.held) == ("scheduled", False)
    assert prepare_meeting(store, ada.id).status == "preparing"
    clock.advance(days=1)
    running = start_meeting(store, ada.id)
    assert (running.id, running.status, running.started_at) == (
        meeting.id, "running", clock().isoformat())
    clock.advance(minutes=30)
    ended = end_meeting(store, plan_end(store, meeting.id))
    assert (ended.status, ended.held) == ("ended", True)
    assert compute_stats(store).meetings_held == 1


def test_a_discarded_meeting_leaves_the_stats_unchanged(store, clock, ada):
    before = compute_stats(store).to_json()
    meeting = start_meeting(store, ada.id)  # `m` … F5 by mistake
    clock.advance(minutes=1)
    assert compute_stats(store).meetings_held == 1
    discarded = discard_meeting(store, meeting.id)
    assert discarded.status == "discarded" and not discarded.held
    after = compute_stats(store).to_json()
    assert after == before
    assert store.contact(ada.id).stage == "contacted"
    with pytest.raises(InputError, match="discarded"):
        plan_end(store, meeting.id)
    assert start_meeting(store, ada.id).id != meeting.id  # the next one is a new meeting


def test_an_ended_meeting_cannot_be_discarded(store, clock, ada):
    meeting = met(store, clock, ada)
    with pytest.raises(InputError, match="has ended"):
        discard_meeting(store, meeting.id)


def test_meetings_from_before_the_states_read_as_they_did(store, clock, ada):
    store.insert_many([
        Meeting(contact_id=ada.id, started_at=(clock() - DAY).isoformat()),
        Meeting(contact_id=ada.id, started_at=(clock() - 2 * DAY).isoformat(),
                ended_at=(clock() - 2 * DAY).isoformat()),
    ])
    going, ended = store.records(Meeting)
    assert (going.status, ended.status) == ("running", "ended")
    assert compute_stats(store).meetings_held == 2
    assert start_meeting(store, ada.id).id == going.id  # resumed, as before


# -- thanks: one path ------------------------------------------------------------------------


def by_agenda(store, clock, contact):
    [item] = [i for i in due_items(store, clock()) if i.source == "followup"
              and i.what == "send a thank-you note"]
    mark_done(store, item)


def by_draft(store, clock, contact):
    mark_sent(store, contact.id, "thanks", "Thank you!")


def by_cli(store, clock, contact):
    thank(store, contact.id)


@pytest.mark.parametrize("path", [by_agenda, by_draft, by_cli])
def test_thanking_is_the_same_from_the_agenda_the_draft_and_the_cli(store, clock, ada, path):
    met(store, clock, ada)
    clock.advance(hours=2)
    path(store, clock, ada)
    contact = store.contact(ada.id)
    assert contact.stage == "thanked"
    assert contact.stage_history[-1]["at"] == clock().isoformat()
    assert [i.kind for i in store.records(Interaction)].count("thank-you sent") == 1
    assert all(f.done_at for f in store.find(FollowUp, kind="thanks"))
    assert whats(store, clock) == []


def test_thanks_undo_puts_everything_back(store, clock, ada):
    met(store, clock, ada)
    before = store.data()
    with store.recording() as changed:
        thank(store, ada.id)
    store.revert(changed(), "thank")
    after = store.data()
    assert after["contacts"][str(ada.id)]["stage"] == "met"
    assert after["followups"] == before["followups"]
    assert after["interactions"] == before["interactions"]


def test_no_thank_you_before_a_meeting(store, ada, db_path):
    before = db_path.read_bytes()
    with pytest.raises(InputError, match="follows a meeting"):
        thank(store, ada.id)
    assert db_path.read_bytes() == before


# -- referred --------------------------------------------------------------------------------


def test_thanked_with_a_referral_moves_to_referred_with_the_reason(store, clock, ada):
    met(store, clock, ada, "ref: Bob Lee, Analyst @ Acme")
    assert store.contact(ada.id).stage == "met"  # not yet: the thank-you comes first
    clock.advance(hours=3)
    contact = thank(store, ada.id)
    assert contact.stage == "referred"
    assert contact.stage_history[-2:] == [
        {"stage": "thanked", "at": clock().isoformat()},
        {"stage": "referred", "at": clock().isoformat(), "reason": "introduced Bob Lee"},
    ]
    assert compute_stats(store).funnel["referred"] == 1


def test_a_referral_after_the_thank_you_moves_them_then(store, clock, ada):
    met(store, clock, ada)
    thank(store, ada.id)
    assert store.contact(ada.id).stage == "thanked"
    clock.advance(days=5)
    met(store, clock, store.contact(ada.id), "ref: Cy Young @ Globex")  # a second coffee
    contact = store.contact(ada.id)
    assert contact.stage == "referred"
    assert contact.stage_history[-1]["reason"] == "introduced Cy Young"


def test_promote_leaves_others_alone(store, clock, ada):
    assert promote_referrer(store, ada.id).stage == "contacted"  # nobody introduced
    met(store, clock, ada)
    thank(store, ada.id)
    assert promote_referrer(store, ada.id).stage == "thanked"  # still nobody


# -- their promises and undated follow-ups -----------------------------------------------------


def test_their_promises_are_check_ins_a_few_days_after_their_date(store, clock, ada):
    met(store, clock, ada, "they: intro me to Lena by fri\nthey: send the deck\ntodo: read it")
    theirs = {f.text: f.due for f in store.find(FollowUp, kind="theirs")}
    end = clock()
    assert theirs == {
        "check in on their promise: intro me to Lena": "2026-11-30T00:00:00+01:00",
        "check in on their promise: send the deck": (end + 3 * DAY).isoformat(),
    }
    assert [f.text for f in store.find(FollowUp, kind="todo")] == ["read it"]


def test_undated_follow_ups_are_listed_under_anytime_and_can_be_dated(store, clock, ada):
    met(store, clock, ada, "todo: read the handbook")
    thank(store, ada.id)
    sections = agenda(due_items(store, clock()), clock())
    [item] = sections["anytime"]
    assert (item.what, item.due) == ("todo: read the handbook", None)
    snooze(store, item, clock() + 2 * DAY)
    [dated] = due_items(store, clock())
    assert dated.due == clock() + 2 * DAY
    assert store.find(FollowUp, kind="todo")[0].due == (clock() + 2 * DAY).isoformat()
    mark_done(store, dated)
    assert due_items(store, clock()) == []


def test_the_file_keeps_the_meeting_state_as_a_field(store, clock, ada, db_path):
    schedule_meeting(store, ada.id, clock() + DAY, medium="call")
    [doc] = tables_on_disk(db_path)["meetings"].values()
    assert (doc["state"], doc["medium"], doc["started_at"]) == ("scheduled", "call", "")
    assert Store(db_path).records(Meeting)[0].status == "scheduled"
