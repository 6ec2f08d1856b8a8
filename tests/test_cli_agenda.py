"""`coffeechat agenda`: plain text in a pipe, colour on a terminal, JSON, exit codes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from store.db import Store
from store.followups import log_interaction, move_contact
from store.records import Contact, FollowUp, Interaction
from tests.conftest import Clock
from tui.cli import agenda as cli_agenda
from tui.cli.main import main

DAY = timedelta(days=1)


@pytest.fixture
def cli_clock(monkeypatch, clock):
    """The CLI opens the store with the test's clock instead of the wall clock."""
    monkeypatch.setattr(cli_agenda, "open_store", lambda args, **_: Store(args.db, clock=clock))
    return clock


def todo(store, contact, text, due):
    store.insert(FollowUp(contact_id=contact.id, kind="todo", text=text, due=due.isoformat(),
                          created_at=store.now()))


def seed(store, clock):
    ada = store.add_contact(Contact(name="Ada Lee", stage="thanked"))
    todo(store, ada, "send the article", clock() - 2 * DAY)
    todo(store, ada, "share my notes", clock() + timedelta(hours=3))
    bob = store.add_contact(Contact(name="Bob [bold]Kay[/] \x1b[2J", stage="target"))
    move_contact(store, bob.id, "contacted", at=clock() - 4 * DAY)
    far = store.add_contact(Contact(name="Cy Far", stage="thanked"))
    todo(store, far, "call back", clock() + 30 * DAY)


def run(capsys, *args) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_plain_text_sections_when_not_a_terminal(store, db_path, cli_clock, capsys):
    seed(store, cli_clock)
    code, out = run(capsys, "agenda", "--db", str(db_path))
    assert code == 0
    bob = "Bob [bold]Kay[/] \\x1b[2J"  # shown literally, escapes escaped: 24 characters
    assert out.splitlines() == [
        "Overdue (1)",
        f"  Sat 21 Nov 08:30  {'Ada Lee':<24}  todo: send the article · since Mon 23 Nov 08:30",
        "Today (1)",
        f"  Mon 23 Nov 11:30  {'Ada Lee':<24}  todo: share my notes · since Mon 23 Nov 08:30",
        "Next 7 days (1)",
        f"  Thu 26 Nov 08:30  {bob}  nudge 1 of 2 · since Thu 19 Nov 08:30",
    ]
    assert "\x1b" not in out


def test_days_widens_the_window(store, db_path, cli_clock, capsys):
    seed(store, cli_clock)
    _, out = run(capsys, "agenda", "--days", "40", "--db", str(db_path))
    assert "Next 40 days (2)" in out and "call back" in out
    _, out = run(capsys, "agenda", "--days", "0", "--db", str(db_path))
    assert "Next" not in out and "Today (1)" in out


def test_nothing_due_still_exits_zero(store, db_path, cli_clock, capsys):
    store.add_contact(Contact(name="Ada Lee"))
    assert run(capsys, "agenda", "--db", str(db_path)) == (0, "nothing due in the next 7 days\n")


def test_json_items(store, db_path, cli_clock, capsys):
    seed(store, cli_clock)
    _, out = run(capsys, "agenda", "--json", "--db", str(db_path))
    items = json.loads(out)
    assert [(i["section"], i["what"]) for i in items] == [
        ("overdue", "todo: send the article"),
        ("today", "todo: share my notes"),
        ("next", "nudge 1 of 2"),
    ]
    first = items[0]
    assert set(first) == {"section", "contact_id", "name", "what", "due", "since", "key",
                          "rule"}
    assert first["rule"] == "followup"
    assert first["name"] == "Ada Lee"
    assert first["due"] == (cli_clock() - 2 * DAY).isoformat()


@pytest.mark.parametrize("days", ["-1", "soon", "99999"])
def test_bad_days_is_a_usage_error(db_path, days, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["agenda", "--days", days, "--db", str(db_path)])
    assert exit_.value.code == 2
    assert "--days" in capsys.readouterr().err


def test_move_at_logs_the_message_sent_then(store, db_path, cli_clock, monkeypatch, capsys):
    monkeypatch.setattr("tui.cli.main.open_store", lambda args: Store(args.db, clock=cli_clock))
    ada = store.add_contact(Contact(name="Ada Lee"))
    code, out = run(capsys, "move", "Ada", "contacted", "--at", "yesterday 15:00",
                    "--db", str(db_path))
    assert (code, out) == (0, "Ada Lee: target → contacted\n")
    [sent] = Store(db_path).records(Interaction)
    assert (sent.contact_id, sent.kind, sent.at) == (
        ada.id, "message sent", "2026-11-22T15:00:00+01:00")
    assert main(["move", "Ada", "met", "--at", "whenever", "--db", str(db_path)]) == 1
    assert "cannot read 'whenever'" in capsys.readouterr().err
    assert Store(db_path).contact(ada.id).stage == "contacted"


# -- the real command in a pipe and on a terminal ----------------------------------------------


@pytest.fixture
def old_db(db_path):
    """A database from 2020: what it holds is overdue whatever the wall clock says."""
    clock = Clock(datetime(2020, 3, 2, 10, 0, tzinfo=timezone.utc))
    store = Store(db_path, clock=clock)
    ada = store.add_contact(Contact(name="Ada Lee", stage="met"))
    log_interaction(store, ada.id, "meeting")
    return db_path


def command(db_path) -> list[str]:
    return [sys.executable, "-m", "tui.cli", "agenda", "--db", str(db_path)]


def environment(**changes) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return {**env, **changes}


def run_on_terminal(args, env) -> tuple[int, str]:
    main_fd, terminal_fd = pty.openpty()
    with subprocess.Popen(args, stdout=terminal_fd, stderr=subprocess.PIPE, env=env) as proc:
        os.close(terminal_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # EIO: the command closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait()
    os.close(main_fd)
    return proc.returncode, b"".join(chunks).decode()


def test_terminal_gets_colour(old_db):
    code, out = run_on_terminal(command(old_db), environment())
    assert code == 0
    assert "\x1b[1mOverdue (1)\x1b[0m" in out
    assert "\x1b[31mTue 3 Mar 2020 10:00" in out and "send a thank-you note" in out


def test_no_color_on_a_terminal_means_no_escape_codes(old_db):
    code, out = run_on_terminal(command(old_db), environment(NO_COLOR="1"))
    assert code == 0 and "Overdue (1)" in out
    assert "\x1b" not in out


def test_pipe_gets_plain_text_and_textual_is_not_imported(old_db):
    probe = (
        "import sys; from tui.cli.main import main; code = main(sys.argv[1:]); "
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", probe, "agenda", "--db", str(old_db)],
                          capture_output=True, text=True, env=environment())
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Overdue (1)\n  Tue 3 Mar 2020 10:00  Ada Lee  send a thank")
    assert "\x1b" not in done.stdout
