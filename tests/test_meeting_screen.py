"""Meeting mode driven by keys: notes, capture lines, questions, timer, $EDITOR, ending."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from textual import events

from store.db import Store
from store.meetings import WRAP_UP_CUE, save_notes, start_meeting
from store.quickadd import QuickAdd
from store.records import Contact, FollowUp, Meeting
from tests.screen import TIMEOUT, screen_text, wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.screens.meeting import IDLE_SAVE_SECONDS, MeetingScreen
from tui.screens.prep import PrepScreen
from tui.modals.meeting_end import EndMeetingScreen, NewContactScreen


@pytest.fixture
def alice(store) -> Contact:
    boss = store.add_contact(Contact(name="Bob Boss", company="Acme"))
    return store.add_contact(
        Contact(
            name="Alice Wong",
            role="Engineering Manager",
            company="Acme",
            stage="contacted",
            referred_by=boss.id,
            research="Leads payments; ex-Globex.",
        )
    )


@pytest.fixture
def clock_zone(monkeypatch):
    """The user lives in the fixed clock's zone (UTC+1), so dates show as they were typed."""
    monkeypatch.setenv("TZ", "Etc/GMT-1")
    time.tzset()


async def settle(app, pilot):
    app.flush_writes()
    await pilot.pause()


async def open_from_card(app, pilot) -> MeetingScreen:
    await pilot.press("2", "m")  # the contacted column, its first card: its preparation
    app.flush_writes()
    await wait_for_screen(pilot, PrepScreen)
    await pilot.press("f5")  # start the clock
    app.flush_writes()
    return await wait_for_screen(pilot, MeetingScreen)


async def test_a_whole_meeting_from_a_card_to_the_file(store, alice, db_path, clock, clock_zone):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_card(app, pilot)
        assert app.focused is screen.notes
        text = screen_text(app)
        assert "Alice Wong · Engineering Manager @ Acme · referred by Bob Boss" in text
        assert "Leads payments; ex-Globex." in text
        # Prepared with a few questions per TIARA letter, each shown with its letter.
        assert "☐ T Which trends in your field" in text and "☐ I What does a normal" in text

        await pilot.press(*"Great chat about payments.", "enter")  # typed, key by key

        def type_in(text: str) -> None:  # the rest as typed at once: at the cursor, after it
            screen.notes.insert(text, maintain_selection_offset=False)

        type_in("Bob Lee, Director @ Globex -- runs the data team")
        await pilot.press("f2", "end", "enter", "f3")
        type_in("send the article by fri")
        await pilot.press("enter", "f4")
        type_in("The Managers Path")
        await pilot.press("f5")
        assert "☑ T Which trends in your field" in screen_text(app)

        clock.advance(minutes=35)
        await pilot.press("f8")
        summary = await wait_for_screen(pilot, EndMeetingScreen)
        text = screen_text(app)
        assert "+ new target: Bob Lee — Director @ Globex" in text
        assert "send the article — due Fri 27 Nov" in text
        assert "send a thank-you note — due Tue 24 Nov" in text
        assert "The Managers Path" in text
        assert "contacted → met" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert not summary.is_attached and not isinstance(app.screen, MeetingScreen)

    disk = Store(db_path)
    (meeting,) = disk.records(Meeting)
    assert meeting.ended_at == "2026-11-23T10:05:00+01:00"
    assert meeting.notes.splitlines() == [
        "Great chat about payments.",
        "ref: Bob Lee, Director @ Globex -- runs the data team",
        "todo: send the article by fri",
        "read: The Managers Path",
    ]
    assert meeting.questions_asked == ["Which trends in your field are you watching most closely?"]
    assert meeting.resources == ["The Managers Path"]
    bob = disk.resolve("Bob Lee")
    assert (bob.stage, bob.referred_by, bob.notes) == ("target", alice.id, "runs the data team")
    assert meeting.referrals == [bob.id]
    assert {(f.kind, f.text, f.due) for f in disk.records(FollowUp)} == {
        ("todo", "send the article", "2026-11-27T00:00:00+01:00"),
        ("thanks", "send a thank-you note", "2026-11-24T10:05:00+01:00"),
    }
    met = disk.contact(alice.id)
    assert met.stage == "met" and met.stage_history[-1]["at"] == "2026-11-23T10:05:00+01:00"


async def test_the_summary_links_a_namesake_or_adds_on_request(store, alice, db_path):
    bob = store.add_contact(Contact(name="Bob Lee", company="Globex"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_card(app, pilot)
        await pilot.press("f2", *"Bob Lee @ Globex", "f8")
        await wait_for_screen(pilot, EndMeetingScreen)
        assert f"1 link to #{bob.id}: Bob Lee @ Globex" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert f"1 + new target: Bob Lee @ Globex  (1: link #{bob.id} instead)" in screen_text(app)
        await pilot.press("1", "enter")
        await settle(app, pilot)
    disk = Store(db_path)
    assert [c.name for c in disk.contacts()].count("Bob Lee") == 1
    assert disk.contact(bob.id).referred_by == alice.id


async def test_going_back_from_the_summary_keeps_the_meeting(store, alice, db_path):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_card(app, pilot)
        await pilot.press(*"still talking", "f8")
        await wait_for_text(pilot, "did you ask who else to talk to?")
        await pilot.press("n")  # none: on to the summary
        await wait_for_screen(pilot, EndMeetingScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, MeetingScreen)
        assert app.focused is screen.notes
        await pilot.press(*"!")
        assert screen.notes.text == "still talking!"
    (meeting,) = Store(db_path).records(Meeting)
    assert meeting.ended_at is None and meeting.notes == "still talking!"


async def test_notes_reach_the_file_after_typing_stops(store, alice, db_path):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_card(app, pilot)
        await pilot.press(*"They started in support")
        assert screen.notes.border_subtitle == "typing…"
        await wait_until(pilot, lambda: screen.notes.border_subtitle == "saved",
                         "the save after typing stops", timeout=IDLE_SAVE_SECONDS + TIMEOUT)
        app.flush_writes()
        (meeting,) = Store(db_path).records(Meeting)
        assert meeting.notes == "They started in support"
        await pilot.pause()
        assert screen.notes.border_subtitle == "saved"
        assert app.screen is screen


async def test_leaving_saves_and_m_resumes_with_the_notes(store, alice, db_path):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_card(app, pilot)
        await pilot.press(*"first words", "escape")
        await settle(app, pilot)
        (first,) = Store(db_path).records(Meeting)
        assert first.notes == "first words"
        await pilot.press("2", "m")  # a running meeting: m resumes its notes pad at once
        app.flush_writes()
        screen = await wait_for_screen(pilot, MeetingScreen)
        assert screen.meeting.id == first.id
        assert "first words" in screen_text(app)
        await pilot.press(*" and more")
        assert screen.notes.text == "first words and more"


async def test_quitting_mid_sentence_saves_the_notes(store, alice, db_path):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_card(app, pilot)
        await pilot.press(*"last words", "ctrl+q")
    assert Store(db_path).records(Meeting)[0].notes == "last words"


async def test_prefix_keys_work_on_the_current_line(store, alice):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_card(app, pilot)
        await pilot.press(*"Ana Silva?", "f2", "f3", *" x", "enter", "f4", "f4")
        assert screen.notes.text == "todo: Ana Silva? x\nread: "
        assert app.screen is screen  # "?" was typed, not taken as the help key


async def test_keys_arriving_in_one_burst_act_in_order(store, alice):
    """Over SSH or from a fast typist, F-keys arrive in the same read as the keys around
    them: each still acts on the line the keys before it left."""
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_card(app, pilot)
        burst = [("a", "a"), ("f2", None), ("enter", "\r"), ("f3", None), ("b", "b"),
                 ("enter", "\r"), ("f4", None), ("enter", "\r"), ("c", "c"), ("f8", None)]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        summary = await wait_for_screen(pilot, EndMeetingScreen)
        assert screen.notes.text == "ref: a\ntodo: b\nread: \nc"
        assert [r.person.name for r in summary.plan.referrals] == ["a"]
        assert [t.text for t in summary.plan.todos] == ["b"]


def cue_shown(app) -> bool:
    """The next-steps cue on screen (the side panel wraps it after "should I")."""
    text = screen_text(app)
    return WRAP_UP_CUE == "next steps — who else should I talk to?" and \
        "next steps — who else should I" in text and "talk to?" in text


async def test_timer_cue_and_overtime_follow_the_app_clock(store, alice, clock, db_path):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_card(app, pilot)
        assert "⏱ 0:00 / 30:00" in screen_text(app)
        assert not cue_shown(app)
        assert "▶small talk questions next steps" in screen_text(app)
        clock.advance(minutes=6)
        screen.update_timer()
        await pilot.pause()
        assert "small talk ▶questions next steps" in screen_text(app)
        clock.advance(minutes=20)
        screen.update_timer()
        await pilot.pause()
        assert "⏱ 26:00 / 30:00" in screen_text(app) and cue_shown(app)
        assert "small talk questions ▶next steps" in screen_text(app)
        clock.advance(minutes=7)
        screen.update_timer()
        await pilot.pause()
        assert "overtime +3:00" in screen_text(app)
        await pilot.press("f12")
        assert "⏱ 33:00 / 35:00" in screen_text(app) and cue_shown(app)
        await settle(app, pilot)
    assert Store(db_path).records(Meeting)[0].planned_minutes == 35


@contextmanager
def no_terminal():
    yield


async def test_editor_round_trip_and_failures(store, alice, monkeypatch, tmp_path):
    app = make_app(store)
    monkeypatch.setattr(app, "suspend", no_terminal)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_from_card(app, pilot)
        await pilot.press(*"typed here")
        monkeypatch.setenv("EDITOR", "sh -c 'echo todo: call Ana >> \"$1\"' editor")
        await pilot.press("f9")
        assert screen.notes.text == "typed heretodo: call Ana\n"

        monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
        await pilot.press("f9")
        # A notification (a long temp path may wrap it on screen: read its text).
        await wait_until(pilot, lambda: any("no-such-editor failed" in str(n.message)
                                            for n in app._notifications), "the notification")
        assert screen.notes.text == "typed heretodo: call Ana\n"
        assert app.screen is screen

        monkeypatch.delenv("EDITOR")
        monkeypatch.delenv("VISUAL", raising=False)
        await pilot.press("f9")
        await wait_for_text(pilot, "set $EDITOR")
        assert "set $EDITOR" in screen_text(app)


async def test_editor_when_the_terminal_cannot_be_suspended(store, alice, monkeypatch):
    app = make_app(store)
    # the test driver cannot suspend
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_from_card(app, pilot)
        monkeypatch.setenv("EDITOR", "true")
        await pilot.press("f9")
        await wait_for_text(pilot, "cannot open true here")
        assert "cannot open true here" in screen_text(app)
        assert app.screen is screen


async def test_meet_with_a_new_person_asks_first(store, db_path):
    app = make_app(store, meet_with=QuickAdd("New Person", "", "Umbrella"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, NewContactScreen)
        assert "No contact is called New Person. Add them (Umbrella)" in screen_text(app)
        await pilot.press("enter")
        app.flush_writes()
        screen = await wait_for_screen(pilot, MeetingScreen)
        await pilot.press(*"hello")
        assert screen.notes.text == "hello"
    person = Store(db_path).resolve("New Person")
    assert (person.company, person.stage) == ("Umbrella", "target")


async def test_meet_with_a_new_person_can_be_declined(store, db_path):
    app = make_app(store, meet_with=QuickAdd("New Person"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, NewContactScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, (NewContactScreen, MeetingScreen))
    assert Store(db_path).contacts() == []


async def test_meet_with_a_contact_resumes_its_meeting(store, alice):
    meeting = start_meeting(store, alice.id)
    save_notes(store, meeting.id, "[bold]not markup[/]\nline two")
    app = make_app(store, meet_with=alice)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, MeetingScreen)
        assert screen.meeting.id == meeting.id
        assert "[bold]not markup[/]" in screen_text(app)
        assert screen.notes.cursor_location == (1, len("line two"))


def test_snapshot_80x24(snap_compare, store, alice, clock):
    meeting = start_meeting(store, alice.id)
    save_notes(store, meeting.id, "Started in support, moved to payments.\nref: Bob Lee @ Globex")
    clock.advance(minutes=26)
    app = make_app(store, meet_with=alice)

    async def ready(pilot):
        app.flush_writes()
        screen = await wait_for_screen(pilot, MeetingScreen)
        screen.notes.cursor_blink = False
        # A line drawn while the blink had the cursor hidden is cached without it, and that
        # cache does not look at cursor_blink: drop it (on a loaded machine the blink comes
        # first, and the snapshot lost its cursor).
        screen.notes.notify_style_update()
        await pilot.press("f5")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


# -- TIARA: the phases, the cue, "who else?" -----------------------------------------------


async def test_tiara_phases_and_the_next_steps_cue_at_80x24(store, alice, clock):
    meeting = start_meeting(store, alice.id)
    app = make_app(store, meet_with=alice)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, MeetingScreen)
        assert screen.meeting.id == meeting.id
        text = await wait_for_text(pilot, "▶small talk questions next steps")
        assert "☐ T Which trends in your field" in text and not cue_shown(app)
        clock.advance(minutes=5)
        screen.update_timer()
        await wait_for_text(pilot, "small talk ▶questions next steps")
        clock.advance(minutes=20)  # 25 of 30: the last five minutes
        screen.update_timer()
        await wait_for_text(pilot, "small talk questions ▶next steps")
        await wait_until(pilot, lambda: cue_shown(app), "the next-steps cue")
        # The last question, "who else should I talk to?", is scrolled into view.
        await wait_for_text(pilot, "☐ Who else should I talk to?")


async def test_ending_without_a_ref_line_asks_who_else_and_adds_one(store, alice, db_path):
    start_meeting(store, alice.id)
    app = make_app(store, meet_with=alice)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, MeetingScreen)
        await pilot.press(*"good chat", "f8")
        await wait_for_text(pilot, "did you ask who else to talk to?")
        await pilot.press("a")  # add one: a ref: line, typing goes on there
        await wait_for_screen(pilot, MeetingScreen)
        await pilot.press(*"Bob Lee @ Globex", "f8")
        summary = await wait_for_screen(pilot, EndMeetingScreen)  # a ref: line: no question
        assert screen.notes.text == "good chat\nref: Bob Lee @ Globex"
        assert [r.person.name for r in summary.plan.referrals] == ["Bob Lee"]
        await pilot.press("escape")
        await wait_for_screen(pilot, MeetingScreen)
        await pilot.press("ctrl+a")
        screen.notes.replace("no names today", (0, 0), screen.notes.document.end)
        await pilot.press("f8")
        await wait_for_text(pilot, "did you ask who else to talk to?")
        await pilot.press("n")  # none: the summary, and enter ends it
        await wait_for_screen(pilot, EndMeetingScreen)
        await pilot.press("enter")
        app.flush_writes()
        await wait_until(pilot, lambda: not isinstance(app.screen, (MeetingScreen,
                                                                     EndMeetingScreen)))
    (meeting,) = Store(db_path).records(Meeting)
    assert meeting.status == "ended" and meeting.referrals == []


async def test_preparation_starts_from_a_few_questions_per_tiara_letter(store, alice, db_path):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "m")
        app.flush_writes()
        await wait_for_screen(pilot, PrepScreen)
        text = await wait_for_text(pilot, "T Which trends in your field")
        assert "Questions by TIARA" in text
        assert text.index("T Which trends") < text.index("I What does a normal")
    (meeting,) = Store(db_path).records(Meeting)
    assert meeting.questions_planned[0] == "Which trends in your field are you watching most closely?"
    assert meeting.questions_planned[-1] == "Who else should I talk to?"
