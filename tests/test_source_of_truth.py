"""One source of truth: after every in-app action and every write from elsewhere, the
screens show what is on disk, and no write drops a change made meanwhile.

Each test presses keys as a user would, then checks both the screen and the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual import events

from store.db import Store
from store.followups import move_contact
from store.quickadd import parse_quick_add
from store.records import Contact, Interaction
from tests.disk import tables_on_disk
from tests.screen import screen_text, started, wait_for_screen
from tui.screens.agenda import AgendaScreen
from tui.modals.snooze import SnoozeScreen
from tui.app import make_app
from tui.screens.board import BoardScreen
from tui.modals.choice import ChoiceScreen
from tui.modals.conflict import ConflictScreen
from tui.screens.contact import ContactScreen
from tui.screens.draft import DraftScreen
from tui.modals.form import EditScreen
from tui.screens.meeting import MeetingScreen
from tui.modals.meeting_end import EndMeetingScreen

FIXTURES = Path(__file__).parent / "fixtures"
TIMEOUT = 10.0


def file_contacts(db_path) -> dict[str, dict]:
    return tables_on_disk(db_path).get("contacts", {})


def by_name(db_path, name: str) -> dict:
    (doc,) = [d for d in file_contacts(db_path).values() if d["name"] == name]
    return doc


async def until(pilot, condition, what: str) -> None:
    """Wait for `condition()` to hold (the writer thread and the feed take a moment)."""
    steps = int(TIMEOUT / 0.02)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}\n{screen_text(pilot.app)}")


def column_names(app, stage: str) -> list[str]:
    board = next(s for s in app.screen_stack if isinstance(s, BoardScreen))
    return [card.name for card in board.column(stage).cards]


def header(app) -> str:
    board = next(s for s in app.screen_stack if isinstance(s, BoardScreen))
    return str(board.query_one("#board-header").render())


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def seed(store, *lines_and_stages) -> list[int]:
    return [store.add_contact(parse_quick_add(line).contact(stage=stage)).id
            for line, stage in lines_and_stages]


# -- meeting end ---------------------------------------------------------------------------


async def end_meeting_with_a_referral(app, pilot) -> None:
    screen = await wait_for_screen(pilot, MeetingScreen)
    screen.notes.insert("small talk\nref: Bob Lee, Director @ Globex\n")
    await pilot.press("f8")
    await wait_for_screen(pilot, EndMeetingScreen)
    await pilot.press("enter")


async def test_meeting_end_from_m_shows_on_the_board(store, db_path):
    seed(store, ("Ana Lee @ Acme", "contacted"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "Ana Lee" in column_names(app, "contacted"), "the card")
        await pilot.press("2", "m", "f5")  # prepare, then start
        await end_meeting_with_a_referral(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, BoardScreen)
                    and "Ana Lee" in column_names(app, "met")
                    and "Bob Lee" in column_names(app, "target"), "the board after the meeting")
        assert "Ana Lee" not in column_names(app, "contacted")
        assert "2 contacts" in header(app)
    assert by_name(db_path, "Ana Lee")["stage"] == "met"
    assert by_name(db_path, "Bob Lee")["referred_by"] == int(
        next(k for k, d in file_contacts(db_path).items() if d["name"] == "Ana Lee"))


async def test_meeting_end_from_coffeechat_meet_shows_on_the_board(store, db_path):
    (ana,) = seed(store, ("Ana Lee @ Acme", "target"))
    app = make_app(store, meet_with=store.contact(ana))
    async with app.run_test(size=(120, 40)) as pilot:
        await end_meeting_with_a_referral(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, BoardScreen)
                    and "Ana Lee" in column_names(app, "met")
                    and "Bob Lee" in column_names(app, "target"), "the board after the meeting")
        assert column_names(app, "target") == ["Bob Lee"]
        assert "2 contacts" in header(app)
    assert by_name(db_path, "Ana Lee")["stage"] == "met"


# -- drafts marked sent --------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "kind", "logged", "moved_to"), [
    ("target", "outreach", "message sent", "contacted"),
    ("contacted", "nudge", "nudge sent", "contacted"),
    ("met", "thanks", "thank-you sent", "thanked"),
    ("thanked", "keep-in-touch", "message sent", "thanked"),
    ("referred", "referrer", "thank-you sent", "referred"),
])
async def test_f5_on_each_draft_kind_shows_on_the_board(store, db_path, clock, stage, kind,
                                                       logged, moved_to):
    store.set_setting("my_name", "Jo Park")
    (ana,) = seed(store, ("Ana Lee @ Acme", stage))
    clock.advance(days=10)  # a nudge or a thank-you is overdue by now: the card shows `!`
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        column = str(["target", "contacted", "met", "thanked", "referred"].index(stage) + 1)
        await pilot.press(column)
        if kind in ("nudge", "thanks"):
            await until(pilot, lambda: ana in app.screen.model.overdue, "the overdue mark")
        await pilot.press("w")
        draft = await wait_for_screen(pilot, DraftScreen)
        assert draft.template.kind == kind
        asks = bool(draft.problems())  # a {placeholder} left: F5 asks first
        await pilot.press("f5")
        if asks:
            await wait_for_screen(pilot, ChoiceScreen)
            await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen)
                    and column_names(app, moved_to) == ["Ana Lee"]
                    and ana not in app.screen.model.overdue, "the board after F5")
        await until(pilot, lambda: "Ana Lee  !" not in screen_text(app)
                    and "d !" not in screen_text(app), "no overdue mark")
    assert by_name(db_path, "Ana Lee")["stage"] == moved_to
    kinds = [i.kind for i in Store(db_path).find(Interaction, contact_id=ana)]
    assert logged in kinds


# -- the agenda ----------------------------------------------------------------------------


async def test_agenda_done_and_snooze_show_on_the_board_and_the_file(store, db_path, clock):
    ana, ben = seed(store, ("Ana Lee", "contacted"), ("Ben Okafor", "contacted"))
    clock.advance(days=10)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.model.overdue == {ana, ben}, "both overdue")
        await pilot.press("a")
        await wait_for_screen(pilot, AgendaScreen)
        await until(pilot, lambda: "Ben Okafor" in screen_text(app), "the agenda")
        await pilot.press("d")  # the first item: Ana Lee's nudge
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozeScreen)
        await pilot.press(*"+3d", "enter")
        await until(pilot, lambda: "nothing" in screen_text(app), "an empty agenda")
        await pilot.press("escape")
        board = await wait_for_screen(pilot, BoardScreen)
        await until(pilot, lambda: board.model.overdue == set(), "no overdue mark")
        assert "!" not in "".join(c.marker for c in board.column("contacted").cards)
    store = Store(db_path)
    assert [i.kind for i in store.find(Interaction, contact_id=ana)][-1] == "nudge sent"
    marks = tables_on_disk(db_path)["agenda_marks"]
    assert sorted((bool(m.get("done_at")), m.get("snoozed_until")) for m in marks.values()) == [
        (False, "2026-12-06T09:30:00+01:00"), (True, None)]


# -- edits ---------------------------------------------------------------------------------


async def test_an_edit_on_the_contact_screen_shows_on_the_board(store, db_path):
    seed(store, ("Ana Lee, Analyst @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, ContactScreen)
        await pilot.press("e")
        form = await wait_for_screen(pilot, EditScreen)
        form.query_one("#field-role").value = "Director"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Director @ Acme" in screen_text(app), "the contact screen")
        await pilot.press("escape")
        await wait_for_screen(pilot, BoardScreen)
        await until(pilot, lambda: "Director @ Acme" in screen_text(app), "the card")
        await pilot.press("u")
        await until(pilot, lambda: "Analyst @ Acme" in screen_text(app), "the edit undone")
    assert by_name(db_path, "Ana Lee")["role"] == "Analyst"


async def test_an_external_move_while_the_form_is_open_is_shown_and_nothing_is_lost(
        store, db_path):
    (ana,) = seed(store, ("Ana Lee, Analyst @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        form = await wait_for_screen(pilot, EditScreen)
        other = Store(db_path)  # another shell
        move_contact(other, ana, "met")
        other.update(Contact, ana, {"role": "VP Data"})
        form.query_one("#field-role").value = "Director"
        form.query_one("#field-location").value = "Lisbon"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConflictScreen)
        text = screen_text(app)
        assert "role" in text and "on disk: VP Data" in text and "yours:   Director" in text
        assert by_name(db_path, "Ana Lee")["role"] == "VP Data"  # nothing written yet
        await pilot.press("1", "enter")  # keep mine for the role
        await until(pilot, lambda: by_name(db_path, "Ana Lee")["role"] == "Director",
                    "the chosen role saved")
        await until(pilot, lambda: "Ana Lee" in column_names(app, "met"), "the move shown")
    doc = by_name(db_path, "Ana Lee")
    assert (doc["stage"], doc["role"], doc["location"]) == ("met", "Director", "Lisbon")
    assert [h["stage"] for h in doc["stage_history"]] == ["target", "met"]


async def test_escape_on_a_conflict_keeps_the_file_and_says_so(store, db_path):
    (ana,) = seed(store, ("Ana Lee, Analyst @ Acme", "target"))
    app = make_app(store, )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("e")
        form = await wait_for_screen(pilot, EditScreen)
        Store(db_path).update(Contact, ana, {"role": "VP Data"})
        form.query_one("#field-role").value = "Director"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConflictScreen)
        await pilot.press("escape")
        await until(pilot, lambda: "were not saved" in notices(app), "the notice")
        await until(pilot, lambda: "VP Data @ Acme" in screen_text(app), "the file's role")
    assert by_name(db_path, "Ana Lee")["role"] == "VP Data"


# -- the board's own keys --------------------------------------------------------------------


async def test_quick_add_archive_and_undo_on_the_board_and_the_file(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.press(*"Ana Lee @ Acme", "enter")
        await until(pilot, lambda: column_names(app, "target") == ["Ana Lee"], "the new card")
        assert "1 contact" in header(app)
        assert by_name(db_path, "Ana Lee")["stage"] == "target"
        await pilot.press("x")
        await until(pilot, lambda: column_names(app, "target") == [], "the card archived")
        await until(pilot, lambda: by_name(db_path, "Ana Lee")["archived"], "archived on disk")
        await pilot.press("u")
        await until(pilot, lambda: column_names(app, "target") == ["Ana Lee"], "undone")
        await until(pilot, lambda: not by_name(db_path, "Ana Lee")["archived"], "undone on disk")
        await pilot.press("u")  # the quick add
        await until(pilot, lambda: file_contacts(db_path) == {}, "the add undone on disk")
        await until(pilot, lambda: column_names(app, "target") == [], "the add undone")


async def test_an_external_restore_and_archive_appear(store, db_path):
    ana, ben = seed(store, ("Ana Lee", "target"), ("Ben Okafor", "target"))
    Store(db_path).set_archived(ben, True)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: column_names(app, "target") == ["Ana Lee"], "the board")
        other = Store(db_path)
        other.set_archived(ben, False)
        other.set_archived(ana, True)
        await until(pilot, lambda: column_names(app, "target") == ["Ben Okafor"], "the swap")
        assert "1 contact · 1 archived" in header(app)


async def test_an_external_add_then_move_in_the_same_burst(store, db_path):
    seed(store, ("Ana Lee", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: column_names(app, "target") == ["Ana Lee"], "the board")
        Store(db_path).add_contact(Contact(name="Xavier New"))  # `coffeechat add` elsewhere
        app.post_message(events.Key("greater_than_sign", ">"))
        await until(pilot, lambda: "Xavier New" in column_names(app, "target")
                    and "Ana Lee" in column_names(app, "contacted"), "both changes")
        assert "2 contacts" in header(app)
    assert {d["name"]: d["stage"] for d in file_contacts(db_path).values()} == {
        "Ana Lee": "contacted", "Xavier New": "target"}


async def test_a_move_from_a_stale_card_moves_nothing(store, db_path):
    (ana,) = seed(store, ("Ana Lee", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await started(app, pilot)  # no read of the file is on its way
        # The board has not seen the other shell's move yet: its disk check finds nothing.
        app.store.changed_on_disk = lambda: False
        move_contact(Store(db_path), ana, "met")
        await pilot.press(">")
        await until(pilot, lambda: "is in met now" in notices(app), "the notice")
        await until(pilot, lambda: column_names(app, "met") == ["Ana Lee"], "the card refreshed")
    doc = by_name(db_path, "Ana Lee")
    assert [h["stage"] for h in doc["stage_history"]] == ["target", "met"]
    assert [i.kind for i in Store(db_path).records(Interaction)] == []


async def test_undo_of_an_archive_keeps_an_external_move(store, db_path):
    (ana,) = seed(store, ("Ana Lee", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await until(pilot, lambda: by_name(db_path, "Ana Lee")["archived"], "archived")
        move_contact(Store(db_path), ana, "referred")  # `coffeechat move ID referred`
        await pilot.press("u")
        await until(pilot, lambda: not by_name(db_path, "Ana Lee")["archived"], "restored")
        await until(pilot, lambda: column_names(app, "referred") == ["Ana Lee"], "shown")
    doc = by_name(db_path, "Ana Lee")
    assert doc["stage"] == "referred"
    assert [h["stage"] for h in doc["stage_history"]] == ["target", "referred"]


async def test_undo_of_a_move_is_refused_when_the_stage_moved_on(store, db_path):
    (ana,) = seed(store, ("Ana Lee", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press(">")
        await until(pilot, lambda: by_name(db_path, "Ana Lee")["stage"] == "contacted", "moved")
        move_contact(Store(db_path), ana, "met")
        await pilot.press("u")
        await until(pilot, lambda: "cannot undo move to contacted" in notices(app), "refused")
        await until(pilot, lambda: column_names(app, "met") == ["Ana Lee"], "the file's stage")
    assert by_name(db_path, "Ana Lee")["stage"] == "met"


async def test_import_from_the_palette_shows_on_the_board(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        from tui.modals.transfer import TransferScreen

        app.push_screen(TransferScreen("import"))
        screen = await wait_for_screen(pilot, TransferScreen)
        screen.query_one("#transfer-format").value = "csv"
        screen.query_one("#transfer-path").value = str(FIXTURES / "contacts_sheet.csv")
        await pilot.press("enter")
        await until(pilot, lambda: "imported contacts_sheet.csv" in screen_text(app), "report")
        await pilot.press("escape")
        await wait_for_screen(pilot, BoardScreen)
        n = len(file_contacts(db_path))
        await until(pilot, lambda: f"{n} contacts" in header(app), "the header count")
        assert "Priya Patel" in column_names(app, "contacted")


# -- a crash -------------------------------------------------------------------------------


def test_a_crash_exits_1_and_names_the_traceback_file(tmp_path):
    """The app raising an unexpected error: exit 1, one line naming the file."""
    script = (
        "import sys\n"
        "from tui import app as a\n"
        "from tui.cli.main import main\n"
        "a.CoffeeChatApp.on_ready = lambda self: 1 / 0\n"
        f"sys.exit(main(['--db', {str(tmp_path / 'c.json')!r}]))\n"
    )
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "PATH": "/usr/bin:/bin",
           "TERM": "xterm-256color", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).parent.parent, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    reports = list((tmp_path / "state").rglob("crash-*.txt"))
    assert len(reports) == 1 and "ZeroDivisionError" in reports[0].read_text()
    assert f"the traceback is in {reports[0]}" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
