"""Meeting mode's store part: start/resume, notes, capture lines, the timer, ending."""

from __future__ import annotations

from datetime import datetime

import pytest

from store.db import Store
from store.errors import CoffeeError, InputError
from store.meetings import (
    THANKS_TEXT,
    WRAP_UP_CUE,
    end_meeting,
    meeting_target,
    parse_notes,
    parse_todo,
    plan_end,
    prepared_questions,
    save_notes,
    set_planned_minutes,
    set_questions_asked,
    start_meeting,
    start_meeting_with_new,
    timer_text,
)
from store.quickadd import QuickAdd
from store.records import Contact, FollowUp, Meeting

NOTES = """Talked about the data team.
ref: Bob Lee, Director @ Globex — runs the data team
  TODO: send the article by 2026-11-27
todo: introduce them to the team led by Ana
read: The Manager's Path
ref:
a line that says ref: in the middle is no capture
"""


@pytest.fixture
def alice(store) -> Contact:
    return store.add_contact(Contact(name="Alice Wong", company="Acme", stage="contacted"))


def fresh(db_path) -> Store:
    return Store(db_path)


# -- parsing ---------------------------------------------------------------------------------


def test_parse_notes_reads_each_capture_line(clock):
    captures = parse_notes(NOTES, clock())
    assert [(r.name, r.role, r.company, r.note) for r in captures.refs] == [
        ("Bob Lee", "Director", "Globex", "runs the data team")
    ]
    assert [(t.text, t.due and t.due.date().isoformat()) for t in captures.todos] == [
        ("send the article", "2026-11-27"),
        ("introduce them to the team led by Ana", None),
    ]
    assert captures.reads == ["The Manager's Path"]
    assert captures.problems == ["line 6: nothing after ref:"]


def test_todo_due_date_takes_the_clock_zone(clock):
    todo = parse_todo("send notes by 2026-12-01", clock())
    assert todo.text == "send notes"
    assert todo.due == datetime(2026, 12, 1, tzinfo=clock().tzinfo)


def test_todo_due_words_and_day_first_dates(clock):
    assert parse_todo("send the article by fri", clock()).due == datetime(
        2026, 11, 27, tzinfo=clock().tzinfo
    )
    assert parse_todo("call by 3/12", clock(), dayfirst=True).due.date().isoformat() == (
        "2026-12-03"
    )


def test_todo_without_by_is_undated(clock):
    assert parse_todo("call back", clock()).due is None


def test_a_ref_without_a_name_is_a_problem(clock):
    captures = parse_notes("ref: , Director @ Globex", clock())
    assert captures.refs == []
    assert captures.problems and captures.problems[0].startswith("line 1:")


# -- start, resume, save -----------------------------------------------------------------------


def test_start_then_resume_the_unfinished_meeting(store, alice, db_path, clock):
    meeting = start_meeting(store, alice.id)
    save_notes(store, meeting.id, "first words")
    clock.advance(minutes=5)
    again = start_meeting(fresh(db_path), alice.id)
    assert again.id == meeting.id
    assert again.notes == "first words"
    assert again.started_at == "2026-11-23T09:30:00+01:00"


def test_a_new_meeting_after_the_last_one_ended(store, alice):
    first = start_meeting(store, alice.id)
    end_meeting(store, plan_end(store, first.id))
    second = start_meeting(store, alice.id)
    assert second.id != first.id
    assert second.notes == ""


def test_save_notes_writes_only_the_notes(store, alice, db_path):
    meeting = start_meeting(store, alice.id)
    set_questions_asked(store, meeting.id, ["What surprised you?"])
    set_planned_minutes(store, meeting.id, 45)
    save_notes(store, meeting.id, "notes")
    on_disk = fresh(db_path).get(Meeting, meeting.id)
    assert (on_disk.notes, on_disk.planned_minutes, on_disk.questions_asked) == (
        "notes",
        45,
        ["What surprised you?"],
    )


def test_planned_minutes_must_be_positive(store, alice):
    meeting = start_meeting(store, alice.id)
    with pytest.raises(InputError):
        set_planned_minutes(store, meeting.id, 0)


def test_meeting_target_finds_or_proposes(store, alice):
    bob = store.add_contact(Contact(name="Bob Lee", company="Globex"))
    store.add_contact(Contact(name="Bob Lee", company="Initech"))
    assert meeting_target(store, "ali").id == alice.id
    assert meeting_target(store, "bob lee @ GLOBEX").id == bob.id
    assert meeting_target(store, "New Person @ Umbrella") == QuickAdd("New Person", "", "Umbrella")
    for ref in ("Bob", "Bob Lee", "99"):
        with pytest.raises(CoffeeError):
            meeting_target(store, ref)


def test_start_with_a_new_contact(store, db_path):
    meeting = start_meeting_with_new(store, QuickAdd("New Person", "Editor", "Umbrella"))
    person = fresh(db_path).contact(meeting.contact_id)
    assert (person.name, person.role, person.company, person.stage) == (
        "New Person", "Editor", "Umbrella", "target"
    )


def test_prepared_questions_follow_the_contact_tags(store, alice):
    untagged = prepared_questions(store, alice)
    assert "Who else should I talk to?" in untagged
    assert "How is your team organised, and how are decisions made?" not in untagged
    alice.tags = ["Manager"]
    tagged = prepared_questions(store, alice)
    assert set(untagged) < set(tagged)
    assert "How is your team organised, and how are decisions made?" in tagged


# -- the timer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "shown", "cue"),
    [
        (12.05, "12:03 / 30:00", ""),
        (24.9, "24:54 / 30:00", ""),
        (25, "25:00 / 30:00", WRAP_UP_CUE),
        (30, "30:00 / 30:00", "overtime +0:00"),
        (33.5, "33:30 / 30:00", "overtime +3:30"),
    ],
)
def test_timer_text(clock, minutes, shown, cue):
    started = clock().isoformat()
    clock.advance(minutes=minutes)
    assert timer_text(started, clock(), 30) == (shown, cue)


# -- ending -----------------------------------------------------------------------------------


def test_end_applies_the_whole_summary(store, alice, db_path, clock):
    meeting = start_meeting(store, alice.id)
    save_notes(store, meeting.id, NOTES)
    clock.advance(minutes=40)
    plan = plan_end(store, meeting.id)
    assert plan.new_stage == "met"
    end_meeting(store, plan)

    disk = fresh(db_path)
    done = disk.get(Meeting, meeting.id)
    assert done.ended_at == "2026-11-23T10:10:00+01:00"
    assert done.resources == ["The Manager's Path"]
    bob = disk.resolve("Bob Lee")
    assert (bob.stage, bob.referred_by, bob.company, bob.notes) == (
        "target",
        alice.id,
        "Globex",
        "runs the data team",
    )
    assert done.referrals == [bob.id]
    followups = {(f.kind, f.text, f.due, f.meeting_id) for f in disk.records(FollowUp)}
    assert followups == {
        ("todo", "send the article", "2026-11-27T00:00:00+01:00", meeting.id),
        ("todo", "introduce them to the team led by Ana", None, meeting.id),
        ("thanks", THANKS_TEXT, "2026-11-24T10:10:00+01:00", meeting.id),
    }
    assert sorted(done.todos) == sorted(f.id for f in disk.records(FollowUp) if f.kind == "todo")
    moved = disk.contact(alice.id)
    assert moved.stage == "met"
    assert moved.stage_history[-1] == {"stage": "met", "at": "2026-11-23T10:10:00+01:00"}


def test_end_offers_to_link_an_existing_contact(store, alice, db_path):
    bob = store.add_contact(Contact(name="bob lee", company="GLOBEX"))
    meeting = start_meeting(store, alice.id)
    plan = plan_end(store, meeting.id, NOTES + "ref: Bob Lee @ Globex\n")
    assert len(plan.referrals) == 1
    assert plan.referrals[0].existing.id == bob.id and plan.referrals[0].link
    end_meeting(store, plan)
    disk = fresh(db_path)
    assert len(disk.contacts()) == 2
    assert disk.contact(bob.id).referred_by == alice.id
    assert disk.get(Meeting, meeting.id).referrals == [bob.id]


def test_end_can_create_a_namesake_instead_of_linking(store, alice, db_path):
    store.add_contact(Contact(name="Bob Lee", company="Globex"))
    meeting = start_meeting(store, alice.id)
    plan = plan_end(store, meeting.id, NOTES)
    plan.referrals[0].link = False
    end_meeting(store, plan)
    bobs = [c for c in fresh(db_path).contacts() if c.name == "Bob Lee"]
    assert [b.referred_by for b in bobs] == [None, alice.id]


def test_end_leaves_a_later_stage_alone(store, db_path):
    carol = store.add_contact(Contact(name="Carol", stage="thanked"))
    meeting = start_meeting(store, carol.id)
    plan = plan_end(store, meeting.id)
    assert plan.new_stage is None
    end_meeting(store, plan)
    assert fresh(db_path).contact(carol.id).stage == "thanked"


def test_end_is_one_write_and_all_or_nothing(store, alice, db_path, monkeypatch):
    meeting = start_meeting(store, alice.id)
    plan = plan_end(store, meeting.id, NOTES)
    before = db_path.read_bytes()
    monkeypatch.setattr(Store, "move", _boom)
    with pytest.raises(RuntimeError):
        end_meeting(store, plan)
    assert db_path.read_bytes() == before
    monkeypatch.undo()
    writes = []
    real = store._storage._write_file
    monkeypatch.setattr(store._storage, "_write_file", lambda data: (writes.append(1), real(data)))
    end_meeting(store, plan)
    assert len(writes) == 1


def test_a_meeting_ends_once(store, alice):
    meeting = start_meeting(store, alice.id)
    plan = plan_end(store, meeting.id)
    end_meeting(store, plan)
    with pytest.raises(InputError):
        end_meeting(store, plan)
    with pytest.raises(InputError):
        plan_end(store, meeting.id)


def _boom(*args, **kwargs):
    raise RuntimeError("boom")
