"""store.settings: every setting declared once, read as its type, refused when bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import settings as config
from store.db import Store
from store.errors import InputError
from store.followups import Rules
from store.lint import JOB_ASK_ALLOWED, JOB_ASK_PHRASES, phrase_lists
from store.stats import weekly_goal

# key, typed text, the value it reads as, the value in the file.
ROUND_TRIPS = [
    (config.MY_NAME, "  Jo Park ", "Jo Park", "Jo Park"),
    (config.NUDGE_AFTER_DAYS, "3", 3, 3),
    (config.MAX_NUDGES, "0", 0, 0),
    (config.THANK_YOU_AFTER_HOURS, " 48 ", 48, 48),
    (config.WEEKLY_GOAL, "4", 4, 4),
    (config.DAYFIRST, "Yes", True, True),
    (config.JOB_ASK_PHRASES, "internship, Hiring  manager,\ninternship,, referral",
     ("internship", "Hiring manager", "referral"), ["internship", "Hiring manager", "referral"]),
    (config.JOB_ASK_ALLOWED, "", (), []),
    (config.HOLIDAYS, "2026-12-25, 2026-12-24,2026-12-25", ("2026-12-24", "2026-12-25"),
     ["2026-12-24", "2026-12-25"]),
]

# key, typed text, words the message has.
REFUSED = [
    (config.MY_NAME, "Jo\nPark", "a name is one line"),
    (config.MY_NAME, "x" * 101, "at most 100 characters"),
    (config.NUDGE_AFTER_DAYS, "-1", "a nudge delay is a whole number of days from 0 to 365"),
    (config.NUDGE_AFTER_DAYS, "seven", "not 'seven'"),
    (config.NUDGE_AFTER_DAYS, "366", "from 0 to 365"),
    (config.MAX_NUDGES, "1.5", "a number of nudges is a whole number from 0 to 10"),
    (config.THANK_YOU_AFTER_HOURS, "", "a thank-you delay is a whole number of hours"),
    (config.WEEKLY_GOAL, "0", "a weekly goal is a whole number of meetings from 1 to 100"),
    (config.WEEKLY_GOAL, "٣", "a weekly goal is"),
    (config.DAYFIRST, "maybe", "day first is yes or no, not 'maybe'"),
    (config.JOB_ASK_PHRASES, "internship, !!", "a phrase has a letter or digit"),
    (config.JOB_ASK_ALLOWED, "fine, " + "x" * 101, "at most 100 characters"),
]


@pytest.fixture
def written(store, db_path) -> Path:
    """A database file that exists, with one setting in it."""
    config.set(store, config.MY_NAME, "Ada")
    assert db_path.exists()
    return db_path


def test_every_user_setting_is_covered_and_declared_once():
    keys = [s.key for s in config.SETTINGS]
    assert keys == [key for key, *_ in ROUND_TRIPS]
    internal = [s.key for s in config.INTERNAL]
    assert len(set(keys + internal)) == len(keys + internal)
    assert all(s.internal for s in config.INTERNAL) and not any(s.internal for s in config.SETTINGS)
    for s in config.SETTINGS:
        assert s.help and s.label and s.rule
        assert s.check(s.default) == s.default  # every default passes its own rule


@pytest.mark.parametrize("key, text, value, stored", ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_a_setting_round_trips_through_text_and_the_file(store, written, key, text, value, stored):
    assert config.set(store, key, text) == value
    assert config.get(store, key) == value
    assert config.get(Store(written), key) == value  # another process sees it too
    assert json.loads(written.read_text())["settings"]["1"][key] == stored
    setting = config.setting(key)
    assert setting.parse(setting.show(value)) == value  # what is shown can be typed back


@pytest.mark.parametrize("key, text, words", REFUSED, ids=[f"{r[0]}-{i}" for i, r in enumerate(REFUSED)])
def test_a_bad_value_is_refused_clearly_and_nothing_is_written(store, written, key, text, words):
    before = written.read_bytes()
    with pytest.raises(InputError) as refused:
        config.set(store, key, text)
    message = str(refused.value)
    assert words in message and "\n" not in message and len(message) < 200
    assert written.read_bytes() == before


@pytest.mark.parametrize("key, value", [
    (config.WEEKLY_GOAL, True),
    (config.MAX_NUDGES, 2.5),
    (config.DAYFIRST, 1),
    (config.MY_NAME, None),
    (config.JOB_ASK_PHRASES, ["internship", 3]),
    (config.JOB_ASK_ALLOWED, "your job"),  # text is read as text: one phrase, fine
])
def test_values_from_code_are_checked_too(store, written, key, value):
    before = written.read_bytes()
    if isinstance(value, str):
        assert config.set(store, key, value) == ("your job",)
        return
    with pytest.raises(InputError):
        config.set(store, key, value)
    assert written.read_bytes() == before


def test_unknown_and_internal_keys_are_refused(store, written):
    before = written.read_bytes()
    for key in ("my-name", "questions_seeded", "mode_warned"):
        with pytest.raises(InputError, match="no setting .* the settings are my_name, "):
            config.set(store, key, "yes")
    assert written.read_bytes() == before
    with pytest.raises(KeyError):
        config.set_internal(store, config.MY_NAME, "Jo")


def test_defaults_when_missing(store):
    for s in config.SETTINGS + config.INTERNAL:
        assert config.get(store, s.key) == s.default
        assert config.get({}, s.key) == s.default
    assert config.values(store) == {s.key: s.default for s in config.SETTINGS}
    assert Rules.from_settings({}) == Rules()
    assert (Rules().nudge_after_days, Rules().max_nudges, Rules().thank_you_after_hours) == (
        7, 2, 24)
    assert weekly_goal({}) == 2
    assert phrase_lists({}) == (JOB_ASK_PHRASES, JOB_ASK_ALLOWED)
    assert JOB_ASK_PHRASES is config.default(config.JOB_ASK_PHRASES)


UNUSABLE = {
    config.MY_NAME: 5,
    config.NUDGE_AFTER_DAYS: -1,
    config.MAX_NUDGES: "2",
    config.THANK_YOU_AFTER_HOURS: 10**9,
    config.WEEKLY_GOAL: None,
    config.DAYFIRST: "no",
    config.JOB_ASK_PHRASES: "job",
    config.JOB_ASK_ALLOWED: ["fine", 7],
    config.HOLIDAYS: ["Christmas"],
}


def test_an_unusable_value_in_the_file_reads_as_the_default(store):
    assert set(UNUSABLE) == {s.key for s in config.SETTINGS}
    for key, bad in UNUSABLE.items():
        store.set_setting(key, bad)  # as a hand edit or an older version might leave it
    for key in UNUSABLE:
        assert config.get(store, key) == config.default(key)
        with pytest.raises(InputError, match=f"the setting {key} must be "):
            config.get(store, key, strict=True)
    rows = config.describe(store)
    assert all(row.is_default and row.problem and "the default is used" in row.problem
               for row in rows)
    assert Rules.from_settings(store.settings()) == Rules()


def test_stored_phrases_are_tidied_and_blanks_dropped():
    stored = {config.JOB_ASK_PHRASES: ["internship", " ", "Paid  role", "internship"]}
    assert config.get(stored, config.JOB_ASK_PHRASES) == ("internship", "Paid role")


def test_describe_lists_the_user_settings_in_order(store):
    config.set(store, config.WEEKLY_GOAL, "3")
    rows = config.describe(store)
    assert [row.key for row in rows] == [s.key for s in config.SETTINGS]
    goal = next(row for row in rows if row.key == config.WEEKLY_GOAL)
    assert (goal.value, goal.value_text, goal.default_text, goal.is_default, goal.problem) == (
        3, "3", "2", False, None)
    assert goal.help.startswith("Meetings a week")
    day = config.entry(store, config.DAYFIRST)
    assert (day.value_text, day.default_text, day.is_default) == ("no", "no", True)
    phrases = config.entry({}, config.JOB_ASK_PHRASES)
    assert phrases.value_text.startswith("hire me, hiring me, refer me for, ")


def test_internal_bookkeeping_is_kept_but_never_listed(store):
    config.set_internal(store, config.MODE_WARNED, "0644")
    config.set_internal(store, config.QUESTIONS_SEEDED, True)
    assert config.get(store, config.MODE_WARNED) == "0644"
    assert config.get(store, config.QUESTIONS_SEEDED) is True
    assert config.get({config.TEMPLATES_SEEDED: 1}, config.TEMPLATES_SEEDED) is True  # never reseed
    assert not {row.key for row in config.describe(store)} & {s.key for s in config.INTERNAL}


def test_store_modules_go_through_store_settings():
    """No store module reads or writes the settings record by its keys but this one."""
    store_dir = Path(config.__file__).parent
    for path in store_dir.rglob("*.py"):
        if path.name in ("settings.py", "db.py"):
            continue
        text = path.read_text()
        assert "set_setting(" not in text, path
        assert "settings().get(" not in text, path
