"""The file leaves out every field at its kind's default (store.records.lean_doc): what
is on disk, and that every reader takes a missing field for its default."""

from __future__ import annotations

import json

import pytest

from store.db import Store
from store.doctor import check
from store.errors import InputError
from store.exporting import export_json
from store.importing import ImportReport, restore_json
from store.records import Contact, FollowUp, defaults
from store.storage import board_table

NOW = "2026-11-23T09:30:00+01:00"


def stored(db_path) -> dict:
    return json.loads(db_path.read_bytes())


def full_file(db_path, *names: str) -> None:
    """A file as coffeechat wrote it before: every field of every contact written out
    (no revision until written), and no board table."""
    contacts = {}
    for n, name in enumerate(names, 1):
        doc = {**defaults(Contact), "name": name, "created_at": NOW, "updated_at": NOW,
               "stage_history": [{"stage": "target", "at": NOW}]}
        del doc["rev"]
        contacts[str(n)] = doc
    db_path.write_text(json.dumps({"meta": {"1": {"schema": 1}}, "contacts": contacts}))
    db_path.chmod(0o600)  # (doctor names a file others may read)


def test_a_contact_is_stored_without_its_default_fields_and_reads_back_the_same(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee", company="Acme"))
    assert stored(db_path)["contacts"][str(ana.id)] == {
        "name": "Ana Lee", "company": "Acme", "created_at": NOW, "updated_at": NOW,
        "stage_history": [{"stage": "target", "at": NOW}]}
    again = Store(db_path).contact(ana.id)
    assert again == ana
    assert (again.stage, again.archived, again.referred_by, again.tags) == ("target", False,
                                                                            None, [])


def test_a_field_set_back_to_its_default_leaves_the_file(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee"))
    store.set_archived(ana.id, True)
    assert stored(db_path)["contacts"]["1"]["archived"] is True
    store.set_archived(ana.id, False)
    assert "archived" not in stored(db_path)["contacts"]["1"]
    assert stored(db_path)["contacts"]["1"]["rev"] == 2


def test_find_and_the_archived_filter_take_a_missing_field_for_its_default(store):
    ana = store.add_contact(Contact(name="Ana Lee"))
    bob = store.add_contact(Contact(name="Bob Ray", stage="met", referred_by=ana.id))
    cat = store.add_contact(Contact(name="Cat Kim"))
    store.set_archived(cat.id, True)
    store.insert(FollowUp(contact_id=bob.id, text="send the article", created_at=NOW))
    assert [c.name for c in store.find(Contact, stage="target")] == ["Ana Lee", "Cat Kim"]
    assert [c.name for c in store.find(Contact, archived=False)] == ["Ana Lee", "Bob Ray"]
    assert [c.name for c in store.find(Contact, referred_by=None)] == ["Ana Lee", "Cat Kim"]
    assert [c.name for c in store.find(Contact, stage="target", archived=False)] == ["Ana Lee"]
    assert [f.text for f in store.find(FollowUp, kind="todo")] == ["send the article"]
    assert [c.name for c in store.contacts()] == ["Ana Lee", "Bob Ray"]
    assert len(store.contacts(include_archived=True)) == 3


def test_the_board_table_is_made_whole_from_lean_contacts(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee", role="Analyst"))
    store.move(ana.id, "met")
    store.add_contact(Contact(name="Bob Ray"))
    data = stored(db_path)
    board = data.pop("board")
    assert board == board_table(data)
    assert board["2"] == {"archived": False, "company": "", "id": 2, "industry": "",
                          "name": "Bob Ray", "rev": 0, "role": "", "since": NOW,
                          "stage": "target"}


def test_a_change_from_a_full_document_names_only_the_field_that_changed(db_path, clock):
    full_file(db_path, "Ana Lee")
    store = Store(db_path, clock=clock)
    with store.recording() as changed:
        store.set_archived(1, True)
    [change] = changed().changes
    assert change.fields == {"archived"}
    store.revert(changed(), "archive")
    assert not store.contact(1).archived


def test_undo_refused_names_the_field_that_moved_on(store, db_path, clock):
    ana = store.add_contact(Contact(name="Ana Lee"))
    with store.recording() as changed:
        store.set_archived(ana.id, True)
    other = Store(db_path, clock=clock)
    other.set_archived(ana.id, False)
    other.move(ana.id, "met")
    with pytest.raises(InputError, match=r"different archived now \(false\)"):
        store.revert(changed(), "archive")


def test_an_older_full_file_reads_checks_and_writes_only_what_changed(db_path, clock):
    full_file(db_path, "Ana Lee", "Bob Ray")
    assert check(db_path).healthy
    store = Store(db_path, clock=clock)
    assert [c.name for c in store.find(Contact, stage="target", archived=False)] == [
        "Ana Lee", "Bob Ray"]
    store.move(2, "met")
    contacts = stored(db_path)["contacts"]
    assert contacts["1"]["archived"] is False and contacts["1"]["notes"] == ""  # untouched
    assert "archived" not in contacts["2"] and contacts["2"]["stage"] == "met"
    assert check(db_path).healthy
    assert [(c.name, c.stage) for c in Store(db_path).contacts()] == [("Ana Lee", "target"),
                                                                      ("Bob Ray", "met")]


def test_a_backup_holds_every_field_and_restoring_it_stores_them_lean(store, db_path, tmp_path):
    store.add_contact(Contact(name="Ana Lee"))
    backup = json.loads(export_json(store))
    assert backup["contacts"]["1"] == {**defaults(Contact), "name": "Ana Lee",
                                       "created_at": NOW, "updated_at": NOW,
                                       "stage_history": [{"stage": "target", "at": NOW}]}
    fresh = Store(tmp_path / "fresh.json")
    report = ImportReport("json")
    restore_json(fresh, json.dumps(backup), tmp_path / "backup.json", report, replace=False)
    assert report.new == 1
    assert stored(tmp_path / "fresh.json")["contacts"] == stored(db_path)["contacts"]
    del backup["contacts"]["1"]["rev"]  # (as an older coffeechat exported it: never written)
    again = ImportReport("json")
    restore_json(fresh, json.dumps(backup), tmp_path / "backup.json", again, replace=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
