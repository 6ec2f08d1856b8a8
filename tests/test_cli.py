"""The command line as a script meets it: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def cc(db_path, *args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args, "--db", str(db_path)],
        capture_output=True, text=True, input=stdin, timeout=60,
    )


def test_add_prints_the_id_and_list_shows_it(db_path):
    first = cc(db_path, "add", "Jane Doe, VP Engineering @ Acme, fintech")
    assert (first.returncode, first.stdout, first.stderr) == (0, "1\n", "")
    second = cc(db_path, "add", "Bob Lee @ Globex", "--stage", "met", "--referred-by", "jane",
                "--email", "bob@globex.com", "--tag", "data", "--tag", "manager")
    assert second.stdout == "2\n"
    listed = cc(db_path, "list")
    assert listed.stdout.splitlines() == [
        "1  target     Jane Doe — VP Engineering @ Acme",
        "2  met        Bob Lee — @ Globex",
    ]


def test_list_json_has_the_contract_fields(db_path):
    cc(db_path, "add", "Jane Doe @ Acme")
    (record,) = json.loads(cc(db_path, "list", "--json").stdout)
    assert set(record) == {
        "id", "name", "role", "company", "industry", "email", "phone", "linkedin", "location",
        "how_we_know", "referred_by", "stage", "stage_history", "tags", "notes", "research",
        "culture", "connected_on", "keep_in_touch", "created_at", "updated_at", "archived", "merged_into",
    }
    assert record["stage_history"][0]["stage"] == "target"
    assert record["created_at"][-6] in "+-"  # an offset, not a naive time


def test_show_move_archive_restore(db_path):
    cc(db_path, "add", "Jane Doe @ Acme")
    cc(db_path, "add", "Bob Lee", "--referred-by", "1")
    assert cc(db_path, "move", "bob", "contacted").stdout == "Bob Lee: target → contacted\n"
    shown = cc(db_path, "show", "bob").stdout
    assert "Bob Lee (#2) — contacted" in shown and "referred_by: Jane Doe (#1)" in shown
    assert json.loads(cc(db_path, "show", "2", "--json").stdout)["stage"] == "contacted"
    assert "archived Bob Lee" in cc(db_path, "archive", "bob").stdout
    assert "Bob Lee" not in cc(db_path, "list").stdout
    assert "Bob Lee" in cc(db_path, "list", "--all").stdout
    assert cc(db_path, "restore", "bob").returncode == 0
    assert "Bob Lee" in cc(db_path, "list", "--stage", "contacted").stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("show", "zed"), "coffeechat: no contact matches 'zed'\n"),
        (("show", "j"), "coffeechat: 'j' matches 2 contacts (1 Jane Doe; 2 John Roe): use the id\n"),
        (("move", "jane", "hired"),
         "coffeechat: unknown stage 'hired': use one of target, contacted, met, thanked, referred\n"),
        (("add", ", CTO @ Acme"),
         'coffeechat: a name comes first, like "Jane Doe, VP Engineering @ Acme, fintech"\n'),
    ],
)
def test_user_errors_exit_1_with_one_line(db_path, args, message):
    cc(db_path, "add", "Jane Doe")
    cc(db_path, "add", "John Roe")
    result = cc(db_path, *args)
    assert (result.returncode, result.stderr, result.stdout) == (1, message, "")


def test_usage_errors_exit_2(db_path):
    assert cc(db_path, "move", "jane").returncode == 2
    assert cc(db_path, "frobnicate").returncode == 2


def test_a_bad_file_is_one_line_and_untouched(db_path):
    db_path.write_text("{not json")
    result = cc(db_path, "list")
    assert result.returncode == 1
    assert result.stderr.startswith(f"coffeechat: {db_path}: is not valid JSON")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert db_path.read_text() == "{not json"


def test_opening_the_app_on_a_bad_file_is_the_same_line(db_path):
    db_path.write_text("")
    result = cc(db_path)
    assert result.returncode == 1 and f"{db_path}: is empty" in result.stderr


def test_env_var_names_the_database(tmp_path):
    db = tmp_path / "env.json"
    result = subprocess.run([sys.executable, "-m", "tui.cli", "add", "Jane"], capture_output=True,
                            text=True, env={**_env(), "COFFEECHAT_DB": str(db)})
    assert result.returncode == 0 and db.exists()


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "COFFEECHAT_DB"}


def test_control_characters_are_escaped_in_output(db_path):
    cc(db_path, "add", "Eve \x1b[2J\x1b]52;c;aGk=\x07")
    out = cc(db_path, "list").stdout
    assert "\x1b" not in out and "\\x1b[2J" in out and "\\x07" in out


def test_demo_writes_a_network_and_refuses_a_real_database(db_path, tmp_path):
    demo = tmp_path / "demo.json"
    result = cc(demo, "demo", "--contacts", "50", "--seed", "3", "--no-open")
    assert result.returncode == 0
    contacts = json.loads(cc(demo, "list", "--json").stdout)
    assert len(contacts) == 50
    assert any(c["referred_by"] for c in contacts)
    assert {c["stage"] for c in contacts} >= {"target", "met"}
    data = json.loads(demo.read_text())
    assert data["meetings"] and data["followups"] and data["interactions"]
    cc(db_path, "add", "Jane Doe")
    refused = cc(db_path, "demo", "--no-open")
    assert refused.returncode == 1 and "already holds 1 contacts" in refused.stderr


def test_demo_is_reproducible(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        cc(path, "demo", "--contacts", "30", "--seed", "9", "--no-open")
    names = [json.loads(cc(p, "list", "--json").stdout) for p in (a, b)]
    assert [c["name"] for c in names[0]] == [c["name"] for c in names[1]]


def test_printing_commands_do_not_import_textual(db_path):
    cc(db_path, "add", "Jane Doe")
    code = (
        "import sys; from tui.cli.main import main; "
        f"main(['list', '--db', {str(db_path)!r}]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    demo = tmp_path / "demo.json"
    cc(demo, "demo", "--contacts", "2000", "--no-open")
    child = subprocess.Popen([sys.executable, "-m", "tui.cli", "list", "--db", str(demo)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.read(100)  # like `| head`: read a little, then go away
    child.stdout.close()
    assert child.wait(timeout=60) == 0
    assert child.stderr.read() == b""
