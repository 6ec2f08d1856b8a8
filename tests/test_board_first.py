"""The board table: every write keeps, first in the file, a row per contact of what the
board shows; the app's start decodes it alone and the rest of the file after the first
paint, while keys that need whole contacts wait for it. A file whose table cannot be
trusted (changed by hand, by another tool, or older) is read whole as before."""

from __future__ import annotations

import json
import threading

import pytest

import store.layout
import store.storage
from store import checked
from store.db import Store
from store.followups import move_contact
from store.records import Contact
from tests.screen import wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.modals.help import HelpScreen


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
        await pilot.press(">", "right")  # Bo to met (focus follows), then one column on
        assert app.screen.active_stage == "contacted"  # both wait, in order
        assert json.loads(db_path.read_text())["contacts"]["2"]["stage"] == "contacted"
        go_on.set()
        await wait_for_text(pilot, "met 1")
        await wait_until(pilot, lambda: app.screen.active_stage == "thanked", "then right")
        app.flush_writes()
        await app.workers.wait_for_complete()
    assert json.loads(db_path.read_text())["contacts"]["2"]["stage"] == "met"
