"""Shared fixtures: a fixed clock, a database in tmp_path, a quiet environment."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from store.db import Store

# Monday 23 November 2026, 09:30 in a UTC+1 zone: every test sees the same "now".
FIXED_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=1)))


class Clock:
    """A clock tests can move: call it for "now", advance() it by a timedelta's args."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("TEXTUAL_ANIMATION", "none")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))  # crash reports
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COFFEECHAT_DB", raising=False)
    time.tzset()
    yield
    time.tzset()


# The business-day tests run where the clock is: local time UTC+1 all year.
CET = timezone(timedelta(hours=1))


def at_cet(text: str) -> datetime:
    """An ISO date and time without offset, as a moment in CET."""
    return datetime.fromisoformat(text).replace(tzinfo=CET)


@pytest.fixture
def local_zone_is_cet(monkeypatch):
    """Business days count in local time: make the local zone the clock's UTC+1."""
    monkeypatch.setenv("TZ", "Etc/GMT-1")
    time.tzset()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "coffeechat.json"


@pytest.fixture
def store(db_path, clock) -> Store:
    return Store(db_path, clock=clock)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "long: a test that takes many seconds; runs first")


def pytest_collection_modifyitems(items) -> None:
    """The long tests (marked, and every property test) first, the rest in file order:
    a worker that starts one late is the last to finish while the other waits; first, the
    other worker takes the short ones meanwhile (--dist worksteal steals from the end)."""
    from hypothesis import is_hypothesis_test

    def long(item) -> bool:
        return (item.get_closest_marker("long") is not None
                or is_hypothesis_test(getattr(item, "obj", None)))

    items.sort(key=lambda item: not long(item))  # stable: file order within each part


def pytest_terminal_summary(terminalreporter) -> None:
    """The job-ask corpus figures under every run (workers' prints are not shown)."""
    from tests.job_ask_corpus import measure

    terminalreporter.write_line(measure().line())
