"""The board table: every write keeps, first in the file, a row per contact of what the
board shows; the app's start decodes it alone and the rest of the file after the first
paint, while keys that need whole contacts wait for it. A file whose table cannot be
trusted (changed by hand, by another tool, or older) is read whole as before."""

from __future__ import annotations

import json
import re
import threading
from contextlib import asynccontextmanager

import pytest

import store.layout
import store.storage
from store import checked, marks
from store.db import Store
from store.paths import cache_entry
from store.followups import move_contact
from store.records import REPLY_KIND, Contact, Interaction
from store.board import BoardModel, DueNews
from tests.disk import tables_on_disk
from tests.screen import screen_text, wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.modals.help import HelpScreen
from tui.screens.board import BoardScreen


def people(db_path, clock) -> Store:
    store = Store(db_path, clock=clock)
    for name, company in (("Ann Lee", "Acme"), ("Bo Diaz", "Globex"), ("Cy Ng", "")):
        store.add_contact(Contact(name=name, role="Analyst", company=company, notes="met at X"))
    move_contact(store, 2, "contacted")
    store.set_archived(3, True)
    return store


def board_is_derived(db_path) -> bool:
    """The file's board table is the one its contacts give."""
    data = json.loads(db_path.read_text())
    return data["board"] == store.storage.board_table(data)


def shown(contacts) -> list[tuple]:
    return [(c.id, c.name, c.headline, c.industry, c.stage, c.stage_since, c.archived, c.rev)
            for c in contacts]


def test_every_write_keeps_the_board_table_first_in_the_file(db_path, clock):
    store = people(db_path, clock)
    text = db_path.read_text()
    assert text.startswith('{\n "board": {\n  "1": {"archived":false,"company":"Acme",')
    board = json.loads(text)["board"]
    bo = store.contact(2)
    assert board["2"] == {"archived": False, "company": "Globex", "id": 2, "industry": "",
                          "name": "Bo Diaz", "rev": bo.rev, "role": "Analyst",
                          "since": bo.stage_since, "stage": "contacted"}
    assert board["3"]["archived"] is True
    assert board_is_derived(db_path)
    assert "board" not in store.data()  # derived: no table of the database's own


def test_a_row_of_a_document_missing_fields_shows_what_its_record_does():
    from store.board_rows import board_rows
    from store.records import board_row

    for doc in ({}, {"name": "Old", "stage": "met"},
                {"stage": "met", "stage_history": [{"stage": "met", "at": "2026-01-02T10:00"}]}):
        (row,) = board_rows(json.dumps({"7": board_row(7, doc)}).encode())
        assert shown([row]) == shown([Contact.from_doc(doc, 7)])


def test_a_board_first_open_shows_the_board_table_and_reads_the_rest_later(db_path, clock):
    people(db_path, clock)
    whole = Store(db_path)
    first = Store(db_path, board_first=True)
    assert first.reading
    assert shown(first.board_contacts()) == shown(whole.contacts(include_archived=True))
    first.read_rest()
    assert not first.reading
    assert first.data() == whole.data()
    assert first.contact(1).notes == "met at X"


def test_the_rest_is_decoded_a_few_documents_at_a_time(db_path, clock, monkeypatch):
    people(db_path, clock)
    monkeypatch.setattr(store.storage, "DECODE_STEP", 2)
    first = Store(db_path, board_first=True)
    first.board_contacts()
    steps = 0
    while not first._storage.decode_some():
        steps += 1
    assert steps >= 2  # 3 contacts two at a time, then the other tables
    assert first.data() == Store(db_path).data()


def test_a_write_while_reading_decodes_the_rest_first_and_loses_nothing(db_path, clock):
    people(db_path, clock)
    before = Store(db_path).data()
    first = Store(db_path, board_first=True, clock=clock)
    first.board_contacts()
    move_contact(first, 1, "contacted")
    after = Store(db_path).data()
    assert after["contacts"]["1"]["stage"] == "contacted"
    assert {k: v for k, v in after["contacts"].items() if k != "1"} == {
        k: v for k, v in before["contacts"].items() if k != "1"}
    assert len(after["interactions"]) > len(before["interactions"])
    assert board_is_derived(db_path)  # rows of the table as read, and Ann's made anew
    move_contact(first, 2, "met")
    assert board_is_derived(db_path)


def test_another_process_writing_while_reading_makes_the_next_read_whole(db_path, clock):
    people(db_path, clock)
    first = Store(db_path, board_first=True)
    heard = []
    first.subscribe(heard.append)
    first.board_contacts()
    move_contact(Store(db_path, clock=clock), 1, "met")
    assert first.contact(1).stage == "met"
    assert not first.reading
    assert heard[-1].everything and heard[-1].external  # nothing to compare a half read to


def written_as_coffeechat_does(db_path, data: dict) -> None:
    """A hand edit that keeps the file's layout (the board table first, a line each)."""
    db_path.write_bytes(b"".join(store.layout.encode(data)))


def test_a_hand_edited_file_is_read_whole_and_its_stale_table_never_shown(db_path, clock):
    people(db_path, clock)
    data = json.loads(db_path.read_text())
    data["contacts"]["1"]["name"] = "Ann Edited"  # the board table still says Ann Lee
    written_as_coffeechat_does(db_path, data)
    first = Store(db_path, board_first=True)
    assert not first.reading
    assert [c.name for c in first.board_contacts()][0] == "Ann Edited"  # whole contacts
    # Checked whole and found to fit, but its board table is stale: not kept as known,
    # so the next open checks it again rather than trust the table.
    contents = checked.digest(db_path.read_bytes()).hexdigest()
    assert not checked.known_to_fit(first.path, contents)
    move_contact(first, 2, "met")  # the next write puts the table right
    assert json.loads(db_path.read_text())["board"]["1"]["name"] == "Ann Edited"
    assert Store(db_path, board_first=True).reading


def test_a_file_from_before_the_board_table_is_read_whole_and_gets_it(db_path, clock):
    people(db_path, clock)
    data = json.loads(db_path.read_text())
    del data["board"]
    db_path.write_text(json.dumps(data))
    Store(db_path)  # checked whole: fits
    first = Store(db_path, board_first=True)
    assert not first.reading and [c.name for c in first.board_contacts()][0] == "Ann Lee"
    move_contact(first, 2, "met")
    assert set(json.loads(db_path.read_text())["board"]) == {"1", "2", "3"}


def test_a_long_number_keeps_a_file_read_whole_until_coffeechat_writes_it(db_path, clock):
    people(db_path, clock)
    text = db_path.read_text()  # (an edit by hand: no JSON encoder writes such a number)
    db_path.write_text(text.replace('"notes":', '"kept_by_another_tool":123456789012345678901234,'
                                    '"notes":', 1))
    for _ in range(2):  # never kept as known: read whole every time, as orjson reads it
        first = Store(db_path, board_first=True, clock=clock)
        assert not first.reading
    assert first.data()["contacts"]["1"]["kept_by_another_tool"] == pytest.approx(1.2345678901e23)
    move_contact(first, 2, "met")  # written as read (a float): known from now on
    again = Store(db_path, board_first=True)
    assert again.reading
    again.read_rest()
    assert again.data() == Store(db_path).data()


# -- the app: keys that need whole contacts wait for them --------------------------------

async def test_keys_wait_for_the_rest_of_the_file_and_then_run_in_order(db_path, clock):
    people(db_path, clock)
    first = Store(db_path, board_first=True, clock=clock)
    go_on = threading.Event()
    read_rest = first.read_rest

    def held_back() -> None:  # the rest of a large file, still being read
        go_on.wait(30)
        read_rest()

    first.read_rest = held_back
    app = make_app(first)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Bo Diaz")
        await pilot.press("question_mark")  # help works at once
        await wait_for_screen(pilot, HelpScreen)
        await pilot.press("escape")
        await pilot.press("right")  # looking around works at once: the contacted column
        await wait_until(pilot, lambda: getattr(app.screen, "active_stage", "") == "contacted",
                         "moved right")
        await pilot.press("x", "right")  # archive Bo, then one column on
        assert app.screen.active_stage == "contacted"  # both wait, in order
        assert tables_on_disk(db_path)["contacts"]["2"]["archived"] is False
        go_on.set()
        await wait_for_text(pilot, "2 archived")
        await wait_until(pilot, lambda: app.screen.active_stage == "met", "then right")
        app.flush_writes()
        await app.workers.wait_for_complete()
    assert tables_on_disk(db_path)["contacts"]["2"]["archived"] is True


# -- the app: `>` and `<` move a card at once, before the rest of the file is read ---------

def held_reading(first: Store) -> tuple[threading.Event, list]:
    """The board's read of the rest of the file (the first read_rest) waits for the event;
    a write's (the writer thread steps through the rest itself) does not. The list: the
    calls so far."""
    go_on, calls = threading.Event(), []
    read_rest = first.read_rest

    def held_back() -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            go_on.wait(30)
        read_rest()

    first.read_rest = held_back
    return go_on, calls


@asynccontextmanager
async def reading_held(db_path, clock):
    """The app on the people's file opened board first: (app, pilot, go_on) once the board
    shows and its read of the rest of the file has begun, held until go_on is set."""
    people(db_path, clock)
    first = Store(db_path, board_first=True, clock=clock)
    go_on, calls = held_reading(first)
    app = make_app(first)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        await wait_until(pilot, lambda: calls, "the reading started")
        yield app, pilot, go_on


def on_disk(db_path) -> dict:
    return tables_on_disk(db_path)["contacts"]


async def the_board_equals_the_file(app, pilot, db_path) -> None:
    """Once the reading and every write are done, the board holds what a fresh read does,
    in the same order."""
    await wait_until(pilot, lambda: not app.screen.reading, "the rest read")
    app.flush_writes()
    await app.workers.wait_for_complete()
    fresh = BoardModel()
    fresh.load(Store(db_path).contacts(include_archived=True))

    def equal() -> bool:
        model = app.screen.model
        return (model.stage_order == fresh.stage_order and
                {cid: (c.stage, c.stage_history, c.archived, c.rev)
                 for cid, c in model.contacts.items()} ==
                {cid: (c.stage, c.stage_history, c.archived, c.rev)
                 for cid, c in fresh.contacts.items()})

    await wait_until(pilot, equal, "the board equal to the file")


async def test_a_move_shows_at_once_while_the_file_is_read_and_is_written(db_path, clock):
    async with reading_held(db_path, clock) as (app, pilot, go_on):
        await pilot.press(">")  # Ann, the first target, to contacted
        await wait_for_text(pilot, "contacted 2")
        assert app.screen.reading and app.screen.active_stage == "contacted"
        assert on_disk(db_path)["1"]["stage"] == "target"  # saved once the rest is read
        go_on.set()
        await the_board_equals_the_file(app, pilot, db_path)
        assert "contacted 2" in screen_text(app)
    ann = on_disk(db_path)["1"]
    assert [entry["stage"] for entry in ann["stage_history"]] == ["target", "contacted"]
    assert board_is_derived(db_path)


async def test_a_read_from_before_the_write_never_puts_the_moved_card_back(db_path, clock):
    async with reading_held(db_path, clock) as (app, pilot, go_on):
        writing = threading.Event()  # the writer thread busy until set
        app._writer.submit(writing.wait, 30)
        await pilot.press(">")
        await wait_for_text(pilot, "contacted 2")
        go_on.set()  # the rest is read, Ann still in target on disk
        await wait_until(pilot, lambda: not app.screen.reading, "the rest read")
        assert on_disk(db_path)["1"]["stage"] == "target"
        ann = app.screen.model.contacts[1]
        assert isinstance(ann, Contact) and ann.stage == "contacted"  # whole, and moved
        assert ann.notes == "met at X"
        assert "contacted 2" in screen_text(app)
        writing.set()
        await the_board_equals_the_file(app, pilot, db_path)
    assert on_disk(db_path)["1"]["stage"] == "contacted"


async def test_moves_while_reading_and_a_key_that_waits_run_in_order(db_path, clock):
    async with reading_held(db_path, clock) as (app, pilot, go_on):
        await pilot.press(">", ">")  # Ann to contacted, then on to met, at once
        await wait_for_text(pilot, "met 1")
        await pilot.press("x")  # archiving waits for the whole contact
        assert on_disk(db_path)["1"]["archived"] is False
        go_on.set()
        await wait_for_text(pilot, "2 archived")
        await the_board_equals_the_file(app, pilot, db_path)
    ann = on_disk(db_path)["1"]
    assert [entry["stage"] for entry in ann["stage_history"]] == ["target", "contacted", "met"]
    assert ann["stage"] == "met" and ann["archived"] is True


async def test_undo_of_a_move_made_while_reading(db_path, clock):
    async with reading_held(db_path, clock) as (app, pilot, go_on):
        before = on_disk(db_path)["1"]
        await pilot.press(">", "u")  # `u` waits for the rest of the file
        await wait_for_text(pilot, "contacted 2")
        go_on.set()
        await wait_for_text(pilot, "undid move to contacted")
        await the_board_equals_the_file(app, pilot, db_path)
        assert "contacted 1" in screen_text(app)
    assert on_disk(db_path)["1"] == before


async def test_a_move_refused_on_disk_while_reading_shows_where_the_file_has_it(db_path, clock):
    async with reading_held(db_path, clock) as (app, pilot, go_on):
        move_contact(Store(db_path, clock=clock), 1, "met")  # another process
        await pilot.press(">")  # the board still shows Ann in target
        await wait_for_text(pilot, "is in met now")  # the write refused, and why
        await wait_until(pilot, lambda: app.screen.model.contacts[1].stage == "met",
                         "Ann where the file has her")
        go_on.set()
        await the_board_equals_the_file(app, pilot, db_path)
        assert "met 1" in screen_text(app)
    assert on_disk(db_path)["1"]["stage"] == "met"


# -- the marks the last pass found: in the first frame -------------------------------------

async def bo_first_and_after(db_path, clock) -> tuple[str, str]:
    """Bo's card as the board's first frame shows it, its reading of the rest of the file
    (and so its pass over every record) held; and once that pass is shown."""
    first = Store(db_path, board_first=True, clock=clock)
    go_on, _ = held_reading(first)
    app = make_app(first)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Bo Diaz")
        shown = bo_card(screen_text(app))
        go_on.set()
        await wait_until(pilot, lambda: not app.screen.reading, "the rest read")
        await app.workers.wait_for_complete()  # (the pass, and the marks kept)
        await pilot.pause()
        return shown, bo_card(screen_text(app))


def bo_card(text: str) -> str:
    return re.search(r"Bo Diaz[^▌▐\n]*", text).group().rstrip()


async def test_the_first_frame_shows_the_marks_the_last_pass_found(db_path, clock):
    """The `!` and reply letters the last pass over every record found are kept and shown
    by the next start's first frame, before the rest of the file is read; the pass after
    the reading repaints what changed since, here in another process."""
    people(db_path, clock)  # Bo contacted now
    clock.advance(days=10)  # and never answered: his nudge is overdue

    first, after = await bo_first_and_after(db_path, clock)
    assert not first.endswith("!") and after.endswith("10d !")  # nothing kept yet

    first, after = await bo_first_and_after(db_path, clock)
    assert first.endswith("10d !") and after == first

    other = Store(db_path, clock=clock)
    other.insert(Interaction(contact_id=2, kind=REPLY_KIND, channel="email", at=other.now()))
    first, after = await bo_first_and_after(db_path, clock)
    assert first.endswith("10d !")  # as kept: a hint until the pass
    assert after.endswith("o 10d")  # he replied, late: an obligate, nothing overdue


def test_marks_that_cannot_be_read_are_no_marks(db_path):
    marks.keep(db_path, DueNews(1, set(), {}, {1: "booster"}, everyone=True))
    assert marks.kept(db_path).class_of() == {1: "booster"}
    for garbage in (b"", b"{", b'{"overdue_from": {"x": ["1"]}, "classes": {}}', b"\xff"):
        cache_entry("marks", db_path).write_bytes(garbage)
        assert marks.kept(db_path) is None


async def test_the_marks_kept_at_quit_are_those_the_keys_left(db_path, clock):
    """A key that changes a card's marks after the pass (here `>`: Bo met, his nudge no
    longer due) is what the next start's first frame shows, not the pass's older news."""
    people(db_path, clock)
    clock.advance(days=10)
    await bo_first_and_after(db_path, clock)  # the pass keeps Bo overdue
    app = make_app(Store(db_path, clock=clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.screen.model.told() is not None, "the pass")
        await pilot.press("2", ">")  # Bo, contacted, to met
        await wait_until(pilot, lambda: "met 1" in screen_text(app), "Bo met")
        app.flush_writes()
        await app.workers.wait_for_complete()
    first, _ = await bo_first_and_after(db_path, clock)
    assert first.endswith("0d") and "!" not in first  # in met since now, nothing overdue


async def test_a_card_focused_before_the_first_pass_shows_its_next_item_at_once(
        db_path, clock, monkeypatch):
    """The detail bar's next item for a card a key focuses is worked out then, from the
    card's own records, not when the pass over everyone ends (held here)."""
    people(db_path, clock)
    clock.advance(days=10)
    go_on = threading.Event()
    pass_over_everyone = BoardScreen.news_of_everyone

    def held(self, *args):
        go_on.wait()  # (set by the test, whatever happens)
        return pass_over_everyone(self, *args)

    monkeypatch.setattr(BoardScreen, "news_of_everyone", held)
    app = make_app(Store(db_path, clock=clock))
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await wait_for_text(pilot, "Bo Diaz")
            assert "next:" not in screen_text(app)
            await pilot.press("2")  # Bo: his 3B item is the soonest
            await wait_for_text(pilot, "curmudgeon · next: 3B: try a second contact at Globex")
        finally:
            go_on.set()
        await app.workers.wait_for_complete()
