"""`coffeechat draft` and `coffeechat lint` through a real subprocess."""

from __future__ import annotations

import subprocess
import sys

from store.db import Store
from store.records import Contact


def run(*args: str, stdin: str | None = None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=60, env=env,
    )


def test_draft_prints_the_filled_note_for_the_stage(db_path):
    store = Store(db_path)
    ben = store.add_contact(Contact(name="Ben Okafor"))
    store.add_contact(Contact(name="Ana Lee", role="CTO", company="Acme", industry="fintech",
                              referred_by=ben.id))
    done = run("draft", "ana", "--my-name", "Jo Park", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Subject: Ben Okafor suggested I get in touch"
    assert lines[2] == "Hi Ana,"
    assert lines[-1] == "Jo Park"
    assert done.stderr == ""
    assert Store(db_path).settings()["my_name"] == "Jo Park"

    nudge = run("draft", "ana", "--kind", "nudge", "--db", str(db_path))
    assert "bringing my earlier note back to the top" in nudge.stdout
    assert nudge.stdout.rstrip().endswith("Jo Park")


def test_draft_reports_unfilled_placeholders_on_stderr(db_path):
    Store(db_path).add_contact(Contact(name="Ana\x1b[2J Lee", stage="met"))
    done = run("draft", "1", "--db", str(db_path))
    assert done.returncode == 0
    assert "Hi Ana\\x1b[2J," in done.stdout and "\x1b" not in done.stdout
    assert "{meeting_date}" in done.stdout
    assert done.stderr == (
        "coffeechat: not filled in: {meeting_date}, {company}, {industry}, {promise}, "
        "{resource}, {my_name}\n"
    )


def test_draft_errors(db_path):
    Store(db_path)
    missing = run("draft", "zed", "--db", str(db_path))
    assert missing.returncode == 1
    assert missing.stderr == "coffeechat: no contact matches 'zed'\n"
    bad_kind = run("draft", "zed", "--kind", "letter", "--db", str(db_path))
    assert bad_kind.returncode == 2


def test_lint_exits_1_on_a_job_ask_and_prints_each_line(tmp_path, db_path):
    note = tmp_path / "note.txt"
    note.write_text("Hi Ana,\n\nI'm Jo. Are you hiring?\nCould you pass my CV on?\n")
    done = run("lint", str(note), "--db", str(db_path))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f'{note}:3:9: job ask: "Are you hiring" reads as asking for a job',
        f'{note}:4:11: job ask: "pass my CV" reads as asking for a job',
        f"{note}: basics: seems to be missing: how you know them, why them, a small time ask",
        f'{note}: short email: no ask found — ask for 15–20 minutes, ending in "?"',
        f"{note}: short email: the first sentence does not say how you know them — open "
        "with the connection",
        f"{note}: short email: say your interest narrowly (their work, their team) and "
        "broadly (the field)",
    ]
    assert not db_path.exists()  # linting never creates a database


def test_lint_advice_alone_exits_0(tmp_path):
    done = run("lint", "-", "--kind", "thanks", stdin="Thanks {first_name}! " + "so " * 200)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "<stdin>:1:8: placeholder: {first_name} is not filled in",
        "<stdin>: brief: 202 words — cut 2",
    ]


def test_lint_uses_the_phrases_setting(tmp_path, db_path):
    Store(db_path).set_setting("job_ask_phrases", ["internship"])
    text = "I'm Jo; we met at PyCon. I admire your work. Coffee? Internships? Hiring?"
    done = run("lint", "-", "--db", str(db_path), stdin=text)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        '<stdin>:1:54: job ask: "Internships" reads as asking for a job')
    clean = run("lint", "-", stdin="We met at PyCon. I'm Jo, new to the field. Your work on "
                "search is what I'd love to hear about. Coffee?")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_lint_missing_file(tmp_path):
    done = run("lint", str(tmp_path / "nope.txt"))
    assert done.returncode == 1
    assert done.stderr == f"coffeechat: {tmp_path / 'nope.txt'}: cannot be read (No such file or directory)\n"


def test_cli_does_not_import_textual(db_path):
    code = (
        "import sys; from tui.cli.main import main; main(['lint', '-', '--db', %r]); "
        "assert 'textual' not in sys.modules, 'textual imported'" % str(db_path)
    )
    done = subprocess.run([sys.executable, "-c", code], input="hello", capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
