"""Hardening II: bad records, odd files and folders, backups that delete nothing.

Each case is tried as a careless user or an attacker would, and checked by what the user
sees (exit code, the one line on stderr, the screen) and what is on disk afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date

import pytest

from store.db import SCHEMA_VERSION, Store
from store.errors import StoreError
from store.quickadd import parse_quick_add
from store.storage import backup_folder
from tests.conftest import FIXED_NOW
from tests.inprocess import run_main
from tests.screen import screen_text, wait_for_text, wait_until
from tui.app import make_app

TODAY = FIXED_NOW.date()


def run(db, *args: str) -> subprocess.CompletedProcess:
    """A command in this process (tests/inprocess.py)."""
    return run_main("--db", str(db), *args)


def run_process(db, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """A command in its own process, for a path that could hang it or fill its memory."""
    return subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=timeout)


def add(store: Store, line: str):
    return store.add_contact(parse_quick_add(line).contact())


def write_db(path, tables: dict) -> bytes:
    path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION}}, **tables}))
    path.chmod(0o600)
    return path.read_bytes()


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def one_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    return line


# -- backups ---------------------------------------------------------------------------


def days_of_backups(store, clock, days: int) -> None:
    for day in range(days):
        add(store, f"Person {day}")
        clock.advance(days=1)


def test_rotation_deletes_only_its_own_dated_backups(store, db_path, clock, tmp_path):
    folder = backup_folder(db_path)
    folder.mkdir(mode=0o700)
    mine = {name: folder / name for name in ("keep-7.json", "notes.json", "2020-13-45.json")}
    for path in mine.values():
        path.write_text("the user's own")
    planted = folder / "2099-01-01.json"
    planted.write_bytes(db_path.read_bytes())
    elsewhere = tmp_path / "precious.json"
    elsewhere.write_text("not a backup")
    (folder / "2000-01-01.json").symlink_to(elsewhere)

    days_of_backups(store, clock, 10)

    dated = sorted(p.name for p in folder.iterdir() if p.name[:2] == "20" and
                   p.name[4] == "-" and p.name not in ("2020-13-45.json",))
    ours = [n for n in dated if n not in ("2099-01-01.json", "2000-01-01.json")]
    last_write = TODAY.toordinal() + 9
    assert len(ours) == 7 and ours[-1] == f"{date.fromordinal(last_write).isoformat()}.json"
    assert all(p.read_text() == "the user's own" for p in mine.values())
    assert planted.exists() and elsewhere.read_text() == "not a backup"
    assert (folder / "2000-01-01.json").is_symlink()


def test_doctor_offers_the_newest_real_backup_not_a_planted_one(store, db_path, clock):
    days_of_backups(store, clock, 3)
    folder = backup_folder(db_path)
    newest = max(p for p in folder.iterdir())
    (folder / "2099-01-01.json").write_bytes(newest.read_bytes())
    (folder / "keep-7.json").write_bytes(newest.read_bytes())
    db_path.write_text("{ruined")

    done = run(db_path, "doctor")

    assert done.returncode == 1
    assert f"the newest good backup is {newest} (" in done.stdout
    assert (f"{folder / '2099-01-01.json'}: named like a backup but not one coffeechat wrote "
            "(dated after today); it is never offered nor rotated") in done.stdout.splitlines()


def test_a_failed_backup_leaves_no_temp_file(store, db_path, clock, monkeypatch):
    import store.storage as storage

    add(store, "Ann A")
    clock.advance(days=1)

    def disk_full(path):
        yield b"{"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "read_chunks", disk_full)
    for _ in range(3):
        with pytest.raises(StoreError, match="No space left"):
            add(store, "Bob B")
    assert [p.name for p in backup_folder(db_path).iterdir()] == [f"{TODAY.isoformat()}.json"]
    assert [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_linked_backup_folder_is_never_written_through(store, db_path, clock, tmp_path):
    add(store, "Ann A")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(backup_folder(db_path))
    backup_folder(db_path).symlink_to(elsewhere)
    clock.advance(days=1)
    before = db_path.read_bytes()

    done = run(db_path, "add", "Bob B")

    assert done.returncode == 1
    assert "is a symbolic link" in one_line(done)
    assert list(elsewhere.iterdir()) == [] and db_path.read_bytes() == before
    assert "is a symbolic link; coffeechat keeps backups only in a real folder" in run(
        db_path, "doctor").stdout


def test_wide_or_foreign_backups_get_the_one_time_warning(store, db_path, clock):
    days_of_backups(store, clock, 2)
    folder = backup_folder(db_path)
    folder.chmod(0o755)

    first, second = run(db_path, "list"), run(db_path, "list")

    assert first.returncode == second.returncode == 0
    assert one_line(first) == (f"warning: {folder}: other users may read it (mode 0755); "
                               f"chmod 700 {folder}")
    assert second.stderr == ""
    folder.chmod(0o700)
    backup = min(folder.iterdir())
    os.chown(backup, 65534, 65534)  # another user's (the tests run as root)
    assert one_line(run(db_path, "list")).startswith(
        f"warning: {backup}: owned by another user (uid 65534)")


# -- records that do not fit their kind ------------------------------------------------


def test_a_file_with_bad_records_opens_read_only(db_path):
    before = write_db(db_path, {"contacts": {
        "1": {"name": "Ann A", "stage": "target"},
        "2": {"name": 5, "stage_history": 3},
        "01": {"name": "Merged?"},
        "3": {"name": "Typo", "stage": "tagret"},
    }})

    listed = run(db_path, "list")
    moved = run(db_path, "move", "Ann", "met")

    assert listed.returncode == 0 and listed.stdout.split() == ["1", "target", "Ann", "A"]
    assert listed.stderr.splitlines() == [
        f"warning: {db_path}: contacts #2: name is int 5, not str; the file is read-only "
        "until that is fixed (coffeechat doctor)",
        f"warning: {db_path}: contacts #01: the id is not written plainly (1, 2, …: no "
        "leading zero, not 0); the file is read-only until that is fixed (coffeechat doctor)",
        f"warning: {db_path}: contacts #3: stage 'tagret' is not one of target, contacted, "
        "met, thanked, referred; the file is read-only until that is fixed (coffeechat doctor)",
    ]
    assert moved.returncode == 1
    assert one_line(moved) == (
        f"coffeechat: {db_path}: read-only until 3 bad records are fixed (contacts #2: name "
        "is int 5, not str; contacts #01: the id is not written plainly (1, 2, …: no leading "
        "zero, not 0); contacts #3: stage 'tagret' is not one of target, contacted, met, "
        "thanked, referred); nothing was saved — coffeechat doctor lists them")
    for command in (["show", "Ann"], ["export", "csv"], ["export", "json"], ["stats"],
                    ["agenda"]):
        done = run(db_path, *command)
        assert done.returncode == 0 and "Traceback" not in done.stderr, command
    drafted = run(db_path, "draft", "1")  # its first use stores the templates: a write
    assert drafted.returncode == 1 and "read-only until 3 bad records" in one_line(drafted)
    assert db_path.read_bytes() == before


async def test_the_app_opens_a_read_only_file_and_says_so(db_path):
    write_db(db_path, {"contacts": {"1": {"name": "Ann A"}, "2": {"name": "Typo",
                                                                  "stage": "tagret"}}})
    before = db_path.read_bytes()
    app = make_app(Store(db_path))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_text(pilot, "Ann A")
        await wait_for_text(pilot, "Read-only")
        await pilot.press(">")
        await wait_until(pilot, lambda: any("nothing was saved" in n.message
                                            for n in app._notifications), "the refusal")
        assert "Typo" not in screen_text(app)
    assert app.return_code in (None, 0) and db_path.read_bytes() == before


def test_an_import_with_bad_records_changes_nothing_and_names_each(store, db_path, tmp_path):
    add(store, "Ann A")
    before = db_path.read_bytes()
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({"contacts": {"1": {"name": 5, "stage_history": 3},
                                               "²": {"name": "Sup"}, "١": {"name": "Arabic"}}}))

    done = run(db_path, "import", "json", str(backup), "--replace")

    assert done.returncode == 1
    assert one_line(done) == (
        "coffeechat: " + str(backup) + ": 3 records do not fit their kind: contacts #1: "
        "name is int 5, not str; contacts #²: the id is not a number; contacts #١: the id is "
        "not a number; nothing was imported")
    assert db_path.read_bytes() == before


def test_a_negative_schema_is_refused_and_nothing_is_written(db_path):
    db_path.write_text('{"meta": {"1": {"schema": -1}}, "contacts": {}}')
    before = db_path.read_bytes()

    done = run(db_path, "list")

    assert done.returncode == 1
    assert "its schema version is -1, not a whole number from 0" in one_line(done)
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["coffeechat.json",
                                                                 "coffeechat.json.lock"]


def test_a_date_out_of_range_is_refused_where_it_enters(store, db_path):
    add(store, "Ann A")
    before = db_path.read_bytes()

    done = run(db_path, "move", "Ann", "contacted", "--at", "9999-12-31")

    assert done.returncode == 1
    assert one_line(done) == ("coffeechat: '9999-12-31' is in the year 9999: use a date from "
                              "1900 to 2200")
    assert db_path.read_bytes() == before


def test_doctor_lists_ids_dates_and_stages_that_do_not_fit(db_path):
    write_db(db_path, {"contacts": {
        "1": {"name": "Ann", "stage_history": [{"stage": "met", "at": "9999-12-31T00:00:00"}]},
        "01": {"name": "Zero"}, "²": {"name": "Sup"}, "2": {"name": "Bo", "stage": "tagret"},
    }})

    lines = run(db_path, "doctor").stdout.splitlines()

    assert lines == [
        "contacts #1: stage_history[0]: at is '9999-12-31T00:00:00', not an ISO date from "
        "1900 to 2200",
        "contacts #01: the id is not written plainly (1, 2, …: no leading zero, not 0)",
        "contacts #²: the id is not a number",
        "contacts #2: stage 'tagret' is not one of target, contacted, met, thanked, referred",
    ]


# -- odd files at the database path ----------------------------------------------------


def test_a_fifo_is_refused_at_once_and_holds_no_lock(tmp_path):
    fifo = tmp_path / "coffeechat.json"
    os.mkfifo(fifo)

    done = run_process(fifo, "list", timeout=20)  # it used to wait forever for a writer

    assert done.returncode == 1
    assert one_line(done).startswith(f"coffeechat: {fifo}: is a named pipe (FIFO), not a "
                                     "database file; the file was not touched")
    assert f"{fifo}: is a named pipe (FIFO)" in run_process(fifo, "doctor", timeout=20).stdout


@pytest.mark.parametrize("target, what", [("/dev/zero", "a device"), ("/", "a folder")])
def test_a_link_to_a_device_or_folder_is_refused(tmp_path, target, what):
    link = tmp_path / "coffeechat.json"
    link.symlink_to(target)
    done = run_process(link, "list", timeout=20)
    assert done.returncode == 1 and f"is {what}, not a database file" in one_line(done)


@pytest.mark.parametrize("db", ["", "/", "x" * 252 + ".json"])
def test_paths_that_name_no_file_get_one_line(tmp_path, db):
    done = subprocess.run([sys.executable, "-m", "tui.cli", "--db", db, "list"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and one_line(done).startswith("coffeechat: ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("make, cause", [
    (lambda lock: lock.mkdir(), "cannot open the lock file (Is a directory)"),
    (lambda lock: lock.symlink_to("/tmp/elsewhere"), "(it is a symbolic link)"),
])
def test_a_lock_that_cannot_be_made_says_why(db_path, make, cause):
    make(db_path.with_name("coffeechat.json.lock"))
    done = run(db_path, "list")
    assert done.returncode == 1
    line = one_line(done)
    assert cause in line and "locked by another" not in line and "delete" not in line


# -- symbolic links ----------------------------------------------------------------------


def test_a_linked_database_is_written_in_place_with_one_lock(tmp_path, clock):
    real = tmp_path / "real" / "coffeechat.json"
    real.parent.mkdir()
    add(Store(real, clock=clock), "Ann A")
    link = tmp_path / "link.json"
    link.symlink_to(real)

    done = run(link, "add", "Bob B")

    assert done.returncode == 0
    assert link.is_symlink() and "Bob B" in real.read_text()
    assert Store(link).path == Store(real).path == real
    assert not (tmp_path / "link.json.lock").exists()


def test_the_migration_copy_replaces_a_link_instead_of_writing_through(db_path, tmp_path):
    db_path.write_text(json.dumps({"contacts": {"1": {"name": "Ann"}}}))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    copy = db_path.with_name("coffeechat.json.schema-0.bak")
    copy.symlink_to(victim)

    Store(db_path)

    assert victim.read_text() == "keep me"
    assert not copy.is_symlink() and mode(copy) == 0o600 and '"Ann"' in copy.read_text()


def test_a_draft_file_replaces_a_link_instead_of_writing_through(store, tmp_path):
    from tui.screens.draft import draft_file

    ann = add(store, "Ann A")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "drafts").mkdir(mode=0o700)
    (tmp_path / "drafts" / f"{ann.id}-ann-a-outreach.txt").symlink_to(victim)

    path = draft_file(tmp_path, ann, "outreach", "Hi Ann")

    assert victim.read_text() == "keep me"
    assert path.read_text() == "Hi Ann" and not path.is_symlink() and mode(path) == 0o600


# -- folder modes under umask 000 ------------------------------------------------------


def test_every_folder_coffeechat_creates_is_private_under_umask_000(tmp_path, clock):
    old = os.umask(0)
    try:
        db = tmp_path / "a" / "b" / "c" / "coffeechat.json"
        store = Store(db, clock=clock)
        add(store, "Ann A")
        clock.advance(days=1)
        add(store, "Bob B")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", db.parent, backup_folder(db)):
        assert mode(folder) == 0o700, folder
    assert {mode(p) for p in (db, *backup_folder(db).iterdir())} == {0o600}


# -- text --------------------------------------------------------------------------------


def test_bidi_controls_are_shown_escaped_in_the_cli(store, db_path):
    add(store, "Ann \u202eevil\u202c Lee")
    done = run(db_path, "list")
    assert "Ann \\u202eevil\\u202c Lee" in done.stdout and "\u202e" not in done.stdout


async def test_bidi_controls_are_shown_escaped_on_the_board(store):
    add(store, "Ann \u202eevil\u202c Lee")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = await wait_for_text(pilot, "Ann \\u202eevil")
        assert "\u202e" not in shown


def test_backup_days_are_real_dates_not_after_today(store, db_path, clock):
    from store.storage import backups

    days_of_backups(store, clock, 2)
    folder = backup_folder(db_path)
    (folder / "2026-02-30.json").write_bytes(db_path.read_bytes())
    assert [p.name for p in backups(db_path, date(2026, 11, 24))] == ["2026-11-24.json",
                                                                        "2026-11-23.json"]
