"""`coffeechat stats [--json] [--goal N]` on a hand-made database."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from store.db import Store
from store.records import Meeting
from tests.test_stats import interactions, meetings, network
from tui.cli import stats as cli_stats
from tui.cli.main import main


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, clock):
    """The command's store sees the tests' fixed clock, not the wall clock."""
    monkeypatch.setattr(cli_stats, "open_store", lambda args, **_: Store(args.db, clock=clock))


def fill(store: Store) -> None:
    store.insert_many([*network(), *interactions(), *meetings()])


def test_stats_json_has_the_documented_fields(store, capsys):
    fill(store)
    assert main(["stats", "--json", "--db", str(store.path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {
        "contacts", "funnel", "conversions", "reply_rate", "median_days_target_to_contacted",
        "median_days_contacted_to_met", "meetings_per_week", "meetings_held", "referrals",
        "referrals_per_meeting", "weekly_goal", "referral_tree", "reply_rate_normal",
        "reply_classes",
    }
    assert doc["funnel"]["met"] == 3 and len(doc["meetings_per_week"]) == 12


def test_stats_text_names_each_figure(store, capsys):
    fill(store)
    assert main(["stats", "--db", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "  contacted       5" in out
    assert "contacted → met: 60%" in out
    assert "reply rate: 80%" in out
    assert "median contacted → met: 7.5 days" in out
    assert "meetings per week (last 12, oldest first): 1 0 0 0 0 0 0 0 0 0 1 2" in out
    assert "referrals per meeting: 0.60 (3 referrals, 5 meetings)" in out
    assert "weekly goal: 2 of 2 meetings this week" in out


def test_stats_on_an_empty_database_shows_dashes(db_path, capsys):
    assert main(["stats", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "reply rate: —" in out and "referrals per meeting: — (0 referrals, 0 meetings)" in out


def test_a_meeting_started_on_a_bare_date_is_not_counted_and_crashes_nothing(store, capsys):
    """A hand edit may leave a start with no time of day (and so no zone): it cannot be
    placed in a week, so it is left out, as any unreadable time is."""
    fill(store)
    store.insert(Meeting(contact_id=1, started_at="2026-11-23"))
    assert main(["stats", "--db", str(store.path)]) == 0
    assert "referrals per meeting: 0.60 (3 referrals, 5 meetings)" in capsys.readouterr().out


def test_goal_is_saved_and_a_bad_goal_is_exit_1(db_path, capsys):
    assert main(["stats", "--goal", "4", "--json", "--db", str(db_path)]) == 0
    assert json.loads(capsys.readouterr().out)["weekly_goal"]["goal"] == 4
    assert Store(db_path).settings()["weekly_goal"] == 4
    assert main(["stats", "--goal", "none", "--db", str(db_path)]) == 1
    assert "weekly goal is a whole number" in capsys.readouterr().err
    assert Store(db_path).settings()["weekly_goal"] == 4


def test_stats_does_not_import_textual(db_path):
    code = (
        "import sys; from tui.cli.main import main; main(['stats', '--db', sys.argv[1]]); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True, capture_output=True)
