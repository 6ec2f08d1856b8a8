"""The store: records, stages, archive, REF resolution, schema and the file on disk."""

from __future__ import annotations

import errno
import gc
import json
import os
import stat
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

import store.db as store_db
from store.db import SCHEMA_VERSION, Store
from store.errors import InputError, RefError, StoreError
from store.quickadd import parse_quick_add
from store.records import STAGES, Contact


def on_disk(path) -> dict:
    return json.loads(path.read_text())


def add(store, line, **fields) -> Contact:
    return store.add_contact(parse_quick_add(line).contact(**fields))


def test_stages_in_order():
    assert STAGES == ("target", "contacted", "met", "thanked", "referred")


def test_add_records_stage_history_with_aware_timestamp(store, db_path):
    jane = add(store, "Jane Doe, VP Engineering @ Acme, fintech")
    doc = on_disk(db_path)["contacts"][str(jane.id)]
    assert doc["name"] == "Jane Doe" and doc["company"] == "Acme"
    assert doc["stage_history"] == [{"stage": "target", "at": "2026-11-23T09:30:00+01:00"}]
    assert doc["created_at"] == "2026-11-23T09:30:00+01:00"


def test_move_appends_history_and_is_durable(store, db_path, clock):
    jane = add(store, "Jane Doe @ Acme")
    clock.advance(days=2)
    store.move(jane.id, "met")
    store.step(jane.id, -1)
    history = Store(db_path).contact(jane.id).stage_history
    assert [h["stage"] for h in history] == ["target", "met", "contacted"]
    assert history[1]["at"] == "2026-11-25T09:30:00+01:00"


def test_step_stays_at_the_ends(store):
    jane = add(store, "Jane Doe")
    assert store.step(jane.id, -1).stage == "target"
    store.move(jane.id, "referred")
    assert store.step(jane.id, 1).stage == "referred"


def test_unknown_stage_lists_the_valid_ones(store):
    jane = add(store, "Jane Doe")
    with pytest.raises(InputError, match="target, contacted, met, thanked, referred"):
        store.move(jane.id, "interviewed")


def test_archive_hides_and_restore_brings_back(store, db_path):
    jane = add(store, "Jane Doe")
    store.set_archived(jane.id, True)
    assert store.contacts() == []
    assert on_disk(db_path)["contacts"][str(jane.id)]["archived"] is True
    store.set_archived(jane.id, False)
    assert [c.name for c in Store(db_path).contacts()] == ["Jane Doe"]


def test_purge_is_the_only_delete(store):
    jane = add(store, "Jane Doe")
    store.purge(jane.id)
    assert store.contacts(include_archived=True) == []


def test_resolve_by_id_prefix_and_exact_name(store):
    jane = add(store, "Jane Doe")
    janet = add(store, "Janet Roe")
    assert store.resolve(str(janet.id)).name == "Janet Roe"
    assert store.resolve("jane doe").id == jane.id
    assert store.resolve("JANET").id == janet.id
    with pytest.raises(RefError, match=r"matches 2 contacts \(1 Jane Doe; 2 Janet Roe\)"):
        store.resolve("jan")
    with pytest.raises(RefError, match="no contact matches 'zed'"):
        store.resolve("zed")


def test_referred_by_must_exist(store):
    with pytest.raises(RefError):
        store.add_contact(Contact(name="Bob", referred_by=99))


def test_contacts_come_in_id_order_past_nine(store):
    store.insert_many([Contact(name=f"P{i}") for i in range(12)])
    assert [c.id for c in store.contacts()] == list(range(1, 13))


# -- quick add ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "line, expected",
    [
        ("Jane Doe, VP Engineering @ Acme, fintech",
         ("Jane Doe", "VP Engineering", "Acme", "fintech", "")),
        ("Jane Doe @ Acme", ("Jane Doe", "", "Acme", "", "")),
        ("Jane Doe, VP Engineering", ("Jane Doe", "VP Engineering", "", "", "")),
        ("Jane Doe", ("Jane Doe", "", "", "", "")),
        ("Bob Lee, Director @ Globex — runs the data team",
         ("Bob Lee", "Director", "Globex", "", "runs the data team")),
        ("  Jane   Doe ,  CTO @Acme ", ("Jane Doe", "CTO", "Acme", "", "")),
    ],
)
def test_quick_add_lines(line, expected):
    parsed = parse_quick_add(line)
    assert (parsed.name, parsed.role, parsed.company, parsed.industry, parsed.note) == expected


@pytest.mark.parametrize("line", ["", "   ", ", CTO @ Acme", "@ Acme"])
def test_quick_add_needs_a_name(line):
    with pytest.raises(InputError, match="a name comes first"):
        parse_quick_add(line)


@given(st.text())
def test_quick_add_never_crashes(text):
    try:
        parse_quick_add(text)
    except InputError:
        pass


part = st.text(
    alphabet=st.characters(blacklist_characters=",@—–-", blacklist_categories=("Cc", "Zs", "Zl", "Zp", "Cs")),
    min_size=1, max_size=12,
)


@given(part, part, part, part)
def test_quick_add_round_trips_the_four_fields(name, role, company, industry):
    parsed = parse_quick_add(f"{name}, {role} @ {company}, {industry}")
    assert (parsed.name, parsed.role, parsed.company, parsed.industry) == (
        name, role, company, industry)


# -- the file -------------------------------------------------------------------------

def test_new_file_is_private_and_versioned(tmp_path):
    path = tmp_path / "fresh" / "db.json"
    Store(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert on_disk(path)["meta"] == {"1": {"schema": SCHEMA_VERSION}}


def test_file_has_a_line_per_document_in_id_order_with_sorted_keys(store, db_path):
    for n in range(11):
        add(store, f"Person {n}")
    lines = db_path.read_text().splitlines()
    start = lines.index(' "contacts": {')
    documents = lines[start + 1 : start + 12]
    ids = [line.split(":", 1)[0].strip().strip('"') for line in documents]
    assert ids == [str(n) for n in range(1, 12)]  # "10" after "9", not after "1"
    doc = json.loads(documents[9].split(": ", 1)[1].rstrip(","))
    assert doc["name"] == "Person 9" and list(doc) == sorted(doc)
    assert lines[start + 12] == " }," and json.loads("\n".join(lines)) == on_disk(db_path)


def test_unversioned_file_is_migrated_with_a_copy_kept(db_path):
    old = {"contacts": {"1": {"name": "Old Timer", "stage": "met"}}}
    db_path.write_text(json.dumps(old))
    store = Store(db_path)
    assert store.contact(1).tags == [] and store.contact(1).stage == "met"
    assert on_disk(db_path)["meta"]["1"]["schema"] == SCHEMA_VERSION
    kept = db_path.with_name("coffeechat.json.schema-0.bak")
    assert json.loads(kept.read_text()) == old


def test_newer_schema_is_refused_and_untouched(db_path):
    db_path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}}))
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer coffeechat"):
        Store(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "is empty"),
        (b'{"contacts": {"1": {"name": "Jane"', "is not valid JSON"),
        (b"hello", "is not valid JSON"),
        (b"[1, 2, 3]", "wrong shape"),
        (b'{"contacts": [1, 2]}', "wrong shape"),
    ],
)
def test_bad_files_get_one_clear_line_and_stay_untouched(db_path, content, problem):
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    message = str(caught.value)
    assert problem in message and str(db_path) in message and "\n" not in message
    assert db_path.read_bytes() == content


def test_bad_file_message_names_the_newest_backup(store, db_path, clock):
    add(store, "Jane Doe")
    clock.advance(days=1)
    add(store, "Bob Lee")  # first write of the day copies yesterday's file
    db_path.write_text("garbage")
    with pytest.raises(StoreError, match="coffeechat-backups/2026-11-24.json"):
        Store(db_path)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_unreadable_file(db_path, monkeypatch):
    import store.storage

    db_path.write_text("{}")

    def denied(*args, **kwargs):  # what a 0000 file gives a user who is not root
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store.storage, "open_regular", denied)
    with pytest.raises(StoreError, match="permission denied"):
        Store(db_path)
    assert db_path.read_text() == "{}"


def test_locked_for_too_long(db_path):
    from filelock import FileLock

    Store(db_path)
    with FileLock(f"{db_path}.lock"):
        with pytest.raises(StoreError, match="locked by another coffeechat"):
            Store(db_path, lock_timeout=0.2)


def test_backups_keep_a_week(store, db_path, clock):
    for day in range(10):
        add(store, f"Person {day}")
        clock.advance(days=1)
    backups = sorted(p.name for p in (db_path.parent / "coffeechat-backups").iterdir())
    assert len(backups) == 7 and backups[-1] == "2026-12-02.json"
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600
               for p in (db_path.parent / "coffeechat-backups").iterdir())


def test_stray_temp_files_are_removed_on_open(store, db_path):
    stray = db_path.parent / ".coffeechat.json.abc123.tmp"
    stray.write_text("half")
    Store(db_path)
    assert not stray.exists()


def test_disk_full_keeps_the_old_file_and_reports_nothing_saved(store, db_path, monkeypatch):
    add(store, "Jane Doe")
    before = db_path.read_bytes()

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(StoreError, match="No space left on device"):
        add(store, "Bob Lee")
    monkeypatch.undo()
    assert db_path.read_bytes() == before
    assert [c.name for c in store.contacts()] == ["Jane Doe"]
    assert not list(db_path.parent.glob(".*.tmp"))


def test_a_failed_transaction_writes_nothing(store, db_path):
    add(store, "Jane Doe")
    before = db_path.read_bytes()
    with pytest.raises(RuntimeError):
        with store.transaction():
            add(store, "Bob Lee")
            raise RuntimeError("halfway")
    assert db_path.read_bytes() == before
    assert [c.name for c in store.contacts()] == ["Jane Doe"]


def test_sees_writes_of_another_store_on_the_same_file(store, db_path):
    other = Store(db_path)
    add(other, "Jane Doe")
    assert store.changed_on_disk()
    add(store, "Bob Lee")  # must not overwrite Jane, nor reuse her id
    assert sorted((c.id, c.name) for c in Store(db_path).contacts()) == [
        (1, "Jane Doe"), (2, "Bob Lee")]


def test_if_idle_never_waits_for_another_thread_nor_reads_the_file_again(store):
    writing, done = threading.Event(), threading.Event()

    def write():
        with store.transaction():  # e.g. waiting for another process's lock
            writing.set()
            done.wait(10)

    writer = threading.Thread(target=write)
    writer.start()
    writing.wait(10)
    with store.if_idle() as idle:
        assert not idle
    done.set()
    writer.join()
    with store.if_idle() as idle:
        assert idle
    Store(store.path).add_contact(Contact(name="Ana Lee"))  # another process: read it first
    with store.if_idle() as idle:
        assert not idle
    assert [c.name for c in store.contacts()] == ["Ana Lee"]
    with store.if_idle() as idle:
        assert idle


def test_hostile_text_round_trips(store, db_path):
    name = "[bold]x[/] \x1b[2J \x1b]52;c;aGk=\x07 \x00 مرحبا 😀 漢字 \ud800"
    jane = store.add_contact(Contact(name=name))
    stored = Store(db_path).contact(jane.id).name
    assert stored == name.replace("\ud800", "\ufffd")


# -- the edit form's checks -----------------------------------------------------------

def test_form_shows_the_referrer_by_id_so_duplicate_names_still_save(store):
    from store.validate import apply_form, form_values

    first = add(store, "Sam Lee @ Acme")
    add(store, "Sam Lee @ Globex")
    bob = add(store, "Bob Roe", referred_by=first.id)
    values = form_values(bob, "Sam Lee")
    assert values["referred_by"] == f"#{first.id} Sam Lee"
    edited, errors = apply_form(bob, {**values, "role": "CTO"}, store.resolve)
    assert errors == {} and edited.referred_by == first.id and edited.role == "CTO"


def test_form_refuses_a_referral_loop_and_explains_fields(store):
    from store.validate import apply_form, form_values

    ann = add(store, "Ann A")
    ben = add(store, "Ben B", referred_by=ann.id)
    cat = add(store, "Cat C", referred_by=ben.id)
    values = {**form_values(ann), "referred_by": str(cat.id), "email": "nope",
              "keep_in_touch": "often"}
    edited, errors = apply_form(ann, values, store.resolve)
    assert edited is None
    assert set(errors) == {"referred_by", "email", "keep_in_touch"}
    assert "loop" in errors["referred_by"]
    _, errors = apply_form(ann, {**form_values(ann), "referred_by": str(ann.id)}, store.resolve)
    assert "loop" in errors["referred_by"]


def test_records_read_from_the_file_are_out_of_the_cycle_collectors_way(store):
    """20,000 contacts read are 20,000 objects the collector never walks (their lists
    are its to follow), and each has its own lists, not the storage's."""
    store.add_contact(Contact(name="Ann Lee", tags=["fintech"]))
    (read,) = store.contacts()
    assert not gc.is_tracked(read) and gc.is_tracked(read.tags)
    read.tags.append("changed")
    assert store.contact(read.id).tags == ["fintech"]


def test_a_long_read_gives_way_between_its_steps(store, monkeypatch):
    monkeypatch.setattr(store_db, "STEP", 2)
    for name in ("Ann Lee", "Bo Ng", "Cy Oh", "Di Wu", "Ed Yu"):
        store.add_contact(Contact(name=name))
    steps: list[int] = []
    store.give_way = lambda: steps.append(1)
    assert [c.name for c in store.contacts()] == ["Ann Lee", "Bo Ng", "Cy Oh", "Di Wu", "Ed Yu"]
    assert len(steps) == 3  # after 2, 4 and 5 contacts
    assert len(store.records(Contact)) == 5 and len(steps) == 6
