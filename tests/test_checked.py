"""A file coffeechat wrote, or checked whole and found to fit, is not checked again on
open (store.checked); anything else is: a hand edit, a kept answer that cannot be
read, or a change of the rules."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest

import store.db
from store import checked
from store.db import Store
from store.paths import cache_dir
from store.records import Contact


@pytest.fixture
def unchecked(monkeypatch) -> list[int]:
    """Counts the whole-file checks from here on (they still run)."""
    calls: list[int] = []
    check = store.db.invalid_records

    def counted(data):
        calls.append(1)
        return check(data)

    monkeypatch.setattr(store.db, "invalid_records", counted)
    return calls


def written(db_path) -> Store:
    store = Store(db_path)
    store.add_contact(Contact(name="Ann Lee", company="Acme"))
    return store


def test_a_file_coffeechat_wrote_opens_without_the_check(db_path, unchecked):
    written(db_path)
    again = Store(db_path)
    assert [c.name for c in again.contacts()] == ["Ann Lee"]
    assert unchecked == [] and again.invalid == []


def test_a_file_checked_once_is_not_checked_on_the_next_open(db_path, unchecked):
    written(db_path)
    data = json.loads(db_path.read_text())
    data["contacts"]["1"]["notes"] = "edited by hand"
    db_path.write_text(json.dumps(data))
    assert Store(db_path).contacts()[0].notes == "edited by hand"
    assert Store(db_path).contacts()[0].notes == "edited by hand"
    assert len(unchecked) == 1


def test_a_bad_hand_edit_is_found_on_every_open(db_path, unchecked):
    written(db_path)
    data = json.loads(db_path.read_text())
    data["contacts"]["1"]["stage"] = "tagret"  # (a contact at its first stage: left out)
    db_path.write_text(json.dumps(data))
    for _ in range(2):
        reopened = Store(db_path)
        assert [str(i) for i in reopened.invalid] == [
            "contacts #1: stage 'tagret' is not one of target, contacted, met, thanked, "
            "referred"]
        assert reopened.contacts() == []
    assert len(unchecked) == 2


@pytest.mark.parametrize("entry", ["", "garbage\n", "\udcff"])
def test_a_kept_answer_that_cannot_be_read_means_a_check(db_path, unchecked, entry):
    written(db_path)
    (kept,) = (cache_dir() / "checked").iterdir()
    kept.write_bytes(entry.encode("utf-8", "surrogateescape"))
    assert Store(db_path).contacts()[0].name == "Ann Lee"
    assert len(unchecked) == 1


def test_new_rules_check_every_file_again(db_path, unchecked, monkeypatch):
    written(db_path)
    monkeypatch.setattr(checked, "rules", lambda: "other rules")
    Store(db_path)
    assert len(unchecked) == 1


def test_the_kept_answer_is_private_and_whole(db_path):
    written(db_path)
    folder = cache_dir() / "checked"
    (kept,) = folder.iterdir()  # (no temporary file left beside it)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept.read_text().splitlines()[1] == hashlib.sha256(db_path.read_bytes()).hexdigest()
