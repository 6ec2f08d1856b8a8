"""`coffeechat reply`, `schedule`, `thank` and `prep`: what they print and write, and bad
input refused with one line, exit 1 and the file byte for byte as it was."""

from __future__ import annotations

import json
import time

import pytest

from store.db import Store
from store.followups import move_contact
from store.meetings import end_meeting, plan_end, start_meeting
from store.records import Contact, Interaction, Meeting
from tui import app as tui_app
from tui.cli import agenda as cli_agenda
from tui.cli import loop as cli_loop
from tui.cli.main import main


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, clock):
    """The commands' store sees the tests' fixed clock, not the wall clock."""
    for module in (cli_loop, cli_agenda):
        monkeypatch.setattr(module, "open_store", lambda args, **_: Store(args.db, clock=clock))


@pytest.fixture
def ada(store) -> Contact:
    contact = store.add_contact(Contact(name="Ada Lee"))
    move_contact(store, contact.id, "contacted")
    return contact


@pytest.fixture
def clock_zone(monkeypatch):
    """The user lives in the fixed clock's zone (UTC+1), so times show as they were typed."""
    monkeypatch.setenv("TZ", "Etc/GMT-1")
    time.tzset()


def run(store, *argv: str) -> int:
    return main([*argv, "--db", str(store.path)])


def test_reply_logs_it_and_says_what_comes_next(store, ada, capsys):
    assert run(store, "reply", "ada", "--at", "yesterday 17:00", "--channel", "email",
               "--note", "Thursday works") == 0
    assert capsys.readouterr().out == (
        f"Ada Lee: reply logged (contacted); schedule the meeting: coffeechat schedule "
        f"{ada.id} WHEN\n")
    [reply] = Store(store.path).find(Interaction, kind="reply received")
    assert (reply.at, reply.channel, reply.text) == (
        "2026-11-22T17:00:00+01:00", "email", "Thursday works")


def test_schedule_prints_the_slot_and_the_agenda_lists_it(store, ada, capsys, clock_zone):
    assert run(store, "schedule", "ada", "thu 3pm", "--medium", "video", "--minutes", "45",
               "--where", "meet.example/ada") == 0
    assert capsys.readouterr().out == (
        "Ada Lee: video Thu 26 Nov 15:00 (45 min) at meet.example/ada\n")
    [meeting] = Store(store.path).records(Meeting)
    assert (meeting.status, meeting.scheduled_for) == ("scheduled", "2026-11-26T15:00:00+01:00")
    assert run(store, "agenda", "--json") == 0
    listed = {item["what"] for item in json.loads(capsys.readouterr().out)}
    assert listed == {"upcoming video at meet.example/ada", "prepare for the video"}


def test_thank_after_a_meeting_moves_to_thanked(store, ada, clock, capsys):
    meeting = start_meeting(store, ada.id)
    end_meeting(store, plan_end(store, meeting.id))
    assert run(store, "thank", "Ada Lee", "--channel", "email") == 0
    assert capsys.readouterr().out == "Ada Lee: thank-you logged; met → thanked\n"
    assert Store(store.path).contact(ada.id).stage == "thanked"


def test_prep_opens_the_app_on_the_preparation(store, ada, monkeypatch):
    opened = []

    class FakeApp:
        return_code = 0
        crash_report = None

        def run(self):
            pass

    def make_app(store, meet_with, prepare):
        opened.append((meet_with, prepare.id))
        return FakeApp()

    monkeypatch.setattr(tui_app, "make_app", make_app)
    assert run(store, "prep", "ada") == 0
    assert opened == [(None, ada.id)]


def test_undated_follow_ups_print_under_anytime(store, ada, capsys):
    meeting = start_meeting(store, ada.id)
    end_meeting(store, plan_end(store, meeting.id, "todo: read the handbook"))
    assert run(store, "agenda") == 0
    out = capsys.readouterr().out
    assert "Anytime (1)\n  anytime" in out and "todo: read the handbook" in out
    assert run(store, "agenda", "--json") == 0
    [anytime] = [i for i in json.loads(capsys.readouterr().out) if i["section"] == "anytime"]
    assert anytime["due"] is None


@pytest.mark.parametrize("argv, message", [
    (["reply", "Nobody"], "no contact matches 'Nobody'"),
    (["reply", "ada", "--at", "someday"], "someday"),
    (["reply", "ada", "--at", "+2d"], "a reply cannot be later than now"),
    (["schedule", "Nobody", "thu 3pm"], "no contact matches"),
    (["schedule", "ada", "whenever"], "whenever"),
    (["schedule", "ada", "yesterday"], "that time has passed"),
    (["schedule", "ada", "thu 3pm", "--minutes", "0"], "1 to 600 minutes"),
    (["thank", "ada"], "Ada Lee is at contacted: a thank-you follows a meeting"),
    (["thank", "Nobody"], "no contact matches"),
    (["thank", "ada", "--at", "31/31"], "31/31"),
    (["prep", "Nobody"], "no contact matches"),
])
def test_bad_input_is_one_line_exit_1_and_the_file_untouched(store, ada, capsys, argv,
                                                             message):
    before = store.path.read_bytes()
    assert run(store, *argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("coffeechat: ") and captured.err.count("\n") == 1
    assert message in captured.err
    assert store.path.read_bytes() == before


def test_an_unknown_medium_is_a_usage_error(store, ada, capsys):
    before = store.path.read_bytes()
    with pytest.raises(SystemExit) as exited:
        run(store, "schedule", "ada", "thu 3pm", "--medium", "lunch")
    assert exited.value.code == 2
    assert store.path.read_bytes() == before
