"""The files: private modes, the warning when others can read the database, and
`coffeechat doctor` (each finding, and restoring the newest good backup)."""

from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
import sys

import pytest

from store.db import SCHEMA_VERSION, Store
from store.errors import StoreError
from store.permissions import permission_warning
from store.settings import MODE_WARNED
from store.quickadd import parse_quick_add
from store.records import Contact
from tests.inprocess import run_main
from tests.screen import screen_text, wait_for_text
from tui.app import make_app


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add(store: Store, line: str, **fields) -> Contact:
    return store.add_contact(parse_quick_add(line).contact(**fields))


def run(db, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), *args],
                          capture_output=True, text=True, **kwargs)


def doctor(db, *args: str) -> subprocess.CompletedProcess:
    """`coffeechat doctor` without a terminal, in this process (answer_on_a_terminal runs
    it in its own, on a pty)."""
    return run_main("--db", str(db), "doctor", *args)


def write_db(path, tables: dict) -> None:
    path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION}}, **tables}))
    path.chmod(0o600)


def contact(name: str, **fields) -> dict:
    return {**Contact(name=name, **fields).to_doc()}


# -- modes ----------------------------------------------------------------------------


def test_everything_coffeechat_writes_is_private_whatever_the_umask(tmp_path, clock):
    old = os.umask(0)
    try:
        db = tmp_path / "data" / "coffeechat.json"
        db.parent.mkdir(mode=0o700)
        db.write_text(json.dumps({"contacts": {}}))  # an old file: migrated, a copy kept
        store = Store(db, clock=clock)
        add(store, "Jane Doe")
        clock.advance(days=1)
        add(store, "Bob Lee")  # the first write of a day keeps a backup
    finally:
        os.umask(old)
    backups = db.parent / "coffeechat-backups"
    assert mode(db) == 0o600 and mode(db.parent) == 0o700 and mode(backups) == 0o700
    assert mode(db.with_name("coffeechat.json.lock")) == 0o600
    assert mode(db.with_name("coffeechat.json.schema-0.bak")) == 0o600
    assert [mode(b) for b in backups.iterdir()] == [0o600, 0o600]


def test_a_database_others_can_read_is_warned_about_once_on_stderr(store, db_path):
    add(store, "Jane Doe")
    db_path.chmod(0o644)

    first = run(db_path, "list")
    second = run(db_path, "list")

    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout and "Jane Doe" in first.stdout
    (line,) = first.stderr.splitlines()
    assert line == (f"warning: {db_path} could be read by other users (mode 0644); "
                    "coffeechat made it private again (0600)")
    assert second.stderr == ""
    assert mode(db_path) == 0o600
    assert Store(db_path).settings()[MODE_WARNED] == "0644"


def test_the_warning_says_how_to_fix_a_file_coffeechat_cannot_write(store, db_path,
                                                                     monkeypatch):
    db_path.chmod(0o640)

    def read_only(*args):
        raise StoreError("read-only file system")

    monkeypatch.setattr(store, "set_setting", read_only)
    warning = permission_warning(store)
    assert warning == (f"warning: {db_path} can be read by other users (mode 0640); it holds "
                       f"notes about people — make it private with: chmod 600 {db_path}")
    assert mode(db_path) == 0o640


def test_a_private_database_gets_no_warning_and_no_write(store, db_path):
    before = db_path.stat().st_mtime_ns
    assert permission_warning(store) is None
    assert db_path.stat().st_mtime_ns == before


async def test_the_app_warns_once_in_a_notification(store, db_path):
    add(store, "Jane Doe")
    db_path.chmod(0o604)
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.flush_writes()
        await wait_for_text(pilot, "Private data")
        assert "Private data" in screen_text(app)
        assert [n.message for n in app._notifications] == [
            f"warning: {db_path} could be read by other users (mode 0604); coffeechat made "
            "it private again (0600)"]
    assert mode(db_path) == 0o600
    db_path.chmod(0o604)  # the same mode again: already said
    app = make_app(Store(db_path))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.flush_writes()  # the check is done; its answer is queued for the app
        await pilot.pause()  # and handled
        assert "Private data" not in screen_text(app) and not app._notifications


# -- doctor: what it finds ------------------------------------------------------------


def test_a_healthy_database(store, db_path):
    ann = add(store, "Ann Adler @ Acme", email="ann@acme.example")
    add(store, "Bob Lee @ Globex", referred_by=ann.id, email="bob@globex.example")

    done = doctor(db_path)

    assert done.returncode == 0, done.stdout
    assert done.stdout == (f"ok: {db_path}: 2 contacts, 0 meetings, 0 interactions, "
                           f"0 followups; schema {SCHEMA_VERSION}; mode 0600\n")
    assert json.loads(db_path.read_text())["contacts"]["2"]["referred_by"] == ann.id


BROKEN = {
    "a referrer that does not exist": (
        {"contacts": {"1": contact("Ann", referred_by=9)}},
        ["contact #1 Ann: referred_by #9, a contact that does not exist"],
    ),
    "a referral loop": (
        {"contacts": {"1": contact("Ann", referred_by=3), "2": contact("Bob", referred_by=1),
                      "3": contact("Cat", referred_by=2), "4": contact("Dan", referred_by=3)}},
        ["referral loop: #1 Ann → #3 Cat → #2 Bob → #1 Ann"],
    ),
    "duplicates": (
        {"contacts": {
            "1": contact("José Díaz", company="ACME"), "2": contact("jose diaz", company="Acme"),
            "3": contact("Eve", email="Eve@X.example"), "4": contact("Eve B", email="eve@x.example"),
            "10": contact("Li", linkedin="https://www.linkedin.com/in/li/"),
            "9": contact("Li Wei", linkedin="linkedin.com/in/LI?trk=x"),
        }},
        ["possible duplicates (same LinkedIn URL): #9 Li Wei, #10 Li",
         "possible duplicates (same email): #3 Eve, #4 Eve B",
         "possible duplicates (same name and company): #1 José Díaz, #2 jose diaz"],
    ),
    "records that are not their type": (
        {"contacts": {"1": {**contact("Ann"), "stage": "boss", "tags": "vip"},
                      "2": {**contact("Bob"), "name": 7, "archived": "no"},
                      "x": contact("Cat")},
         "meetings": {"1": {"contact_id": 1, "planned_minutes": True, "started_at": None}}},
        ["contacts #1: stage 'boss' is not one of target, contacted, met, thanked, referred",
         "contacts #1: tags is str 'vip', not list",
         "contacts #2: name is int 7, not str",
         "contacts #2: archived is str 'no', not bool",
         "contacts #x: the id is not a number",
         "meetings #1: started_at is NoneType None, not str",
         "meetings #1: planned_minutes is bool True, not int"],
    ),
    "records of a contact that does not exist": (
        {"contacts": {"1": contact("Ann")},
         "interactions": {"1": {"contact_id": 5, "kind": "message sent"}},
         "meetings": {"1": {"contact_id": 1, "referrals": [1, 8]}},
         "followups": {"1": {"contact_id": 6, "text": "call"}}},
        ["interactions #1: contact_id #5, a contact that does not exist",
         "followups #1: contact_id #6, a contact that does not exist",
         "meetings #1: referrals #8 do not exist"],
    ),
    "a newer schema and a table coffeechat does not keep": (
        {"meta": {"1": {"schema": SCHEMA_VERSION + 1}}, "plugins": {"1": {"x": 1}}},
        [f"schema {SCHEMA_VERSION + 1}: written by a newer coffeechat (this one reads up to "
         f"{SCHEMA_VERSION})",
         "table 'plugins': not one coffeechat keeps (left alone)"],
    ),
}


@pytest.mark.parametrize("tables, lines", BROKEN.values(), ids=BROKEN.keys())
def test_each_problem_is_one_line_and_exit_1(db_path, tables, lines):
    write_db(db_path, tables)
    before = db_path.read_bytes()

    done = doctor(db_path)

    assert done.returncode == 1
    assert done.stdout.splitlines() == lines
    assert db_path.read_bytes() == before


def test_stray_temp_files_and_files_others_can_read(store, db_path, clock):
    add(store, "Jane Doe")
    clock.advance(days=1)
    add(store, "Bob Lee")
    backup = max((db_path.parent / "coffeechat-backups").iterdir())
    stray = db_path.parent / ".coffeechat.json.k3j4.tmp"
    stray.write_text("half a write")
    db_path.chmod(0o644)
    backup.chmod(0o604)

    done = doctor(db_path)

    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{stray}: a temp file left by an interrupted write; safe to delete",
        f"{db_path}: other users may read it (mode 0644); chmod 600 {db_path}",
        f"{backup}: other users may read it (mode 0604); chmod 600 {backup}",
    ]
    assert stray.exists() and mode(db_path) == 0o644  # doctor only looks


def test_a_missing_database(tmp_path):
    done = doctor(tmp_path / "nowhere.json")
    assert done.returncode == 1
    assert done.stdout == f"{tmp_path / 'nowhere.json'}: no database file here\n"
    assert not (tmp_path / "nowhere.json").exists()


# -- doctor: a file that cannot be used, and its backups -------------------------------


@pytest.fixture
def backups(store, db_path, clock) -> list:
    """Three days of backups (1, 2 and 3 contacts), then the file is ruined."""
    for day, name in enumerate(("Ann A", "Bob B", "Cat C", "Dan D")):
        add(store, name)
        clock.advance(days=1)
    db_path.write_bytes(b'{"contacts": {"1": {"name": "Ann A"')
    return sorted((db_path.parent / "coffeechat-backups").iterdir())


def test_a_corrupt_file_is_named_with_its_good_backup(db_path, backups):
    done = doctor(db_path)

    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{db_path}: is not valid JSON (unexpected end of data at byte 35); the file was not "
        "touched",
        f"the newest good backup is {backups[-1]} (3 contacts): coffeechat doctor --restore "
        "puts it back (the file is kept aside)",
    ]


def test_restore_refuses_without_a_terminal_unless_yes(db_path, backups):
    done = doctor(db_path, "--restore")

    assert done.returncode == 1
    assert done.stderr == ("coffeechat: --restore asks before replacing the file, and there "
                           "is no terminal to ask: add --yes to restore anyway\n")
    assert db_path.read_bytes() == b'{"contacts": {"1": {"name": "Ann A"'
    assert not list(db_path.parent.glob("*.corrupt-*"))


def test_restore_yes_keeps_the_corrupt_file_aside(db_path, backups):
    done = doctor(db_path, "--restore", "--yes")

    (kept,) = db_path.parent.glob("coffeechat.json.corrupt-*")
    assert done.returncode == 0
    assert done.stdout.splitlines()[1:] == [
        f"restored {backups[-1]} (3 contacts) to {db_path}; the unusable file is kept as {kept}"]
    assert kept.read_bytes() == b'{"contacts": {"1": {"name": "Ann A"'
    assert db_path.read_bytes() == backups[-1].read_bytes() and mode(db_path) == 0o600
    assert [c.name for c in Store(db_path).contacts()] == ["Ann A", "Bob B", "Cat C"]
    assert doctor(db_path).returncode == 0


def test_restore_takes_the_newest_backup_that_loads(db_path, backups):
    backups[-1].write_text("[]")  # the newest is no database either
    done = doctor(db_path, "--restore", "--yes")
    assert done.returncode == 0
    assert done.stdout.splitlines()[1].startswith(f"restored {backups[-2]} (2 contacts)")
    assert [c.name for c in Store(db_path).contacts()] == ["Ann A", "Bob B"]


def test_no_good_backup_changes_nothing(db_path, backups):
    for backup in backups:
        backup.write_text("")
    done = doctor(db_path, "--restore", "--yes")
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == (
        f"no good backup to restore (none in {db_path.parent / 'coffeechat-backups'} loads)")
    assert db_path.read_bytes() == b'{"contacts": {"1": {"name": "Ann A"'


def test_restore_on_a_healthy_database_does_nothing(store, db_path):
    add(store, "Jane Doe")
    before = db_path.read_bytes()
    done = doctor(db_path, "--restore", "--yes")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "nothing to restore: the database can be read"
    assert db_path.read_bytes() == before


def answer_on_a_terminal(db, answer: bytes) -> tuple[int, str]:
    """`coffeechat doctor --restore` on a pty, typing `answer` at its question."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the pty
        os.execv(sys.executable, [sys.executable, "-m", "tui.cli", "--db", str(db), "doctor",
                                  "--restore"])
    output = b""
    while b"[y/N]" not in output:
        output += os.read(fd, 4096)
    os.write(fd, answer + b"\n")
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode()


def test_on_a_terminal_it_asks_and_no_keeps_the_file(db_path, backups):
    code, output = answer_on_a_terminal(db_path, b"n")
    assert code == 1 and "nothing was changed" in output
    assert f"Restore {backups[-1]} (3 contacts) over {db_path}? [y/N]" in output
    assert db_path.read_bytes() == b'{"contacts": {"1": {"name": "Ann A"'


def test_on_a_terminal_yes_restores(db_path, backups):
    code, output = answer_on_a_terminal(db_path, b"y")
    assert code == 0 and f"restored {backups[-1]} (3 contacts)" in output
    assert len(Store(db_path).contacts()) == 3
    assert len(list(db_path.parent.glob("coffeechat.json.corrupt-*"))) == 1


def test_referrals_that_are_not_ids_are_named_once_not_a_crash(db_path):
    write_db(db_path, {"meetings": {"1": {"contact_id": 0, "referrals": [[], 5]}}})

    done = doctor(db_path)

    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "meetings #1: referrals[0]: is list [], not int" in done.stdout
    assert "meetings #1: referrals #5 do not exist" in done.stdout
