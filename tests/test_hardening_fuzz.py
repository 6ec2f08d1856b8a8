"""Any JSON value in any field of any record kind: every CLI command and the app's start
end with exit 0 or 1 and at most one line on stderr, never a traceback, and the file is
unchanged unless the command was a write that succeeded.

One test per record kind (they run in parallel), a few examples each: the value is
written into one field of one record of an otherwise healthy file.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.db import SCHEMA_VERSION, Store
from store.schema import record_kinds
from tests.conftest import FIXED_NOW
from tests.screen import wait_until
from tui.app import make_app
from tui.screens.board import BoardScreen
from tui.cli.main import main

NOW = FIXED_NOW.isoformat()
FEW = settings(max_examples=10, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])
# Values near the edges of what a field holds, then anything JSON can hold.
EDGES = st.sampled_from([
    "", "tagret", "met", "9999-12-31T00:00:00", "0001-01-01", "2026-11-23T10:00:00+01:00",
    "2026-11-23", "not a date", "6w", "\u202eevil", "\x1b[2J", -1, 0, 1, 2**31, 2**63 - 1,
    True, None, [], {}, [1, 2], ["a"], [{"stage": "met", "at": NOW}], [{"stage": 3}],
])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=6,
)
# A record of each kind that fits, naming contact 1 (and 2) where it names a contact (a
# kind without a sample here is tried from its defaults).
SAMPLES = {
    "contacts": {"name": "Ann Adler", "stage": "contacted", "created_at": NOW,
                 "stage_history": [{"stage": "target", "at": NOW},
                                   {"stage": "contacted", "at": NOW}]},
    "interactions": {"contact_id": 1, "kind": "message sent", "channel": "email", "at": NOW},
    "meetings": {"contact_id": 1, "started_at": NOW, "planned_minutes": 30},
    "followups": {"contact_id": 1, "kind": "todo", "text": "send it", "due": NOW,
                  "created_at": NOW},
    "templates": {"key": "outreach-cold", "kind": "outreach", "title": "Cold", "text": "Hi"},
    "questions": {"text": "How did you start?", "tags": ["manager"]},
    "agenda_marks": {"key": "nudge:1", "done_at": NOW},
    "distinct_pairs": {"first": 1, "second": 2},
    "kept_drafts": {"contact_id": 1, "kind": "outreach", "text": "Hi", "at": NOW},
}
# Every command that takes a database, the writes among them marked.
COMMANDS = [
    (["list", "--all"], False), (["list", "--json"], False), (["show", "1"], False),
    (["show", "Ann", "--json"], False), (["stats", "--json"], False), (["agenda"], False),
    (["agenda", "--json"], False), (["export", "csv"], False), (["export", "json"], False),
    (["export", "vcard"], False), (["export", "ics"], False), (["export", "markdown"], False),
    (["export", "markdown", "--activity"], False), (["doctor"], False),
    (["draft", "1"], True), (["move", "1", "met"], True), (["archive", "1"], True),
    (["restore", "1"], True), (["add", "Bo Ray @ Initech", "--referred-by", "1"], True),
]


def run_cli(*args: str) -> tuple[int, str]:
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()  # export
    # writes bytes to sys.stdout.buffer
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def database(table: str, field: str, value: object) -> dict:
    tables = {"contacts": {"1": SAMPLES["contacts"],
                           "2": {"name": "Bo Ray", "company": "Initech", "created_at": NOW}}}
    tables = json.loads(json.dumps({**tables, table: {"1": SAMPLES.get(table, {})}}))
    tables[table]["1"][field] = value
    return {"meta": {"1": {"schema": SCHEMA_VERSION}}, **tables}


async def start_app(path) -> None:
    app = make_app(Store(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.is_mounted,
                         "the board")
    assert app.crash_report is None and app.return_code in (None, 0)


@pytest.mark.long
@pytest.mark.parametrize("table", sorted(record_kinds()))
def test_any_value_in_any_field_never_crashes_a_command(tmp_path_factory, table):
    fields = sorted(name for name in record_kinds()[table]().to_doc())

    @FEW
    @given(field=st.sampled_from(fields), value=EDGES | JSON)
    def check(field, value):
        path = tmp_path_factory.mktemp("db") / "coffeechat.json"
        path.write_text(json.dumps(database(table, field, value)))
        path.chmod(0o600)
        for command, writes in COMMANDS:
            before = path.read_bytes()
            code, err = run_cli("--db", str(path), *command)
            assert code in (0, 1), (command, err)
            assert len(err.splitlines()) <= 1 and "Traceback" not in err, (command, err)
            if not (writes and code == 0):
                assert path.read_bytes() == before, (command, err)
        before = path.read_bytes()
        asyncio.run(start_app(path))
        assert path.read_bytes() == before

    check()
