"""`coffeechat meet REF`: which REFs open the app, and which are refused before it starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from store.quickadd import QuickAdd
from store.records import Contact
from tui import app as tui_app
from tui.cli.main import main


@pytest.fixture
def opened(monkeypatch):
    """What the command would open meeting mode for (the app itself is not run)."""
    seen = []

    class FakeApp:
        return_code = 0
        crash_report = None

        def __init__(self, meet_with):
            self.meet_with = meet_with

        def run(self):
            seen.append(self.meet_with)

    monkeypatch.setattr(tui_app, "make_app", lambda store, meet_with, prepare: FakeApp(meet_with))
    return seen


def test_a_known_ref_opens_its_contact(store, opened):
    alice = store.add_contact(Contact(name="Alice Wong", company="Acme"))
    assert main(["meet", "ali", "--db", str(store.path)]) == 0
    assert main(["meet", str(alice.id), "--db", str(store.path)]) == 0
    assert [c.id for c in opened] == [alice.id, alice.id]


def test_an_unknown_one_liner_is_offered_as_a_new_contact(store, opened):
    assert main(["meet", "New Person, Editor @ Umbrella", "--db", str(store.path)]) == 0
    assert opened == [QuickAdd("New Person", "Editor", "Umbrella")]
    assert store.contacts() == []  # nothing is added before the user says yes


@pytest.mark.parametrize("ref", ["Bob", "42", ", Director @ Globex"])
def test_ambiguous_or_unusable_refs_exit_1_without_the_app(store, ref):
    store.add_contact(Contact(name="Bob Lee", company="Globex"))
    store.add_contact(Contact(name="Bob Stone", company="Initech"))
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "meet", ref, "--db", str(store.path)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("coffeechat: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""
