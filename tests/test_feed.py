"""The change feed, revisions, patches and undo in the store; and a property test that
mixes the app's keys with writes from another process and checks the board against a
fresh read of the file."""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.worker import WorkerCancelled

from store.board import BoardModel, DueNews
from store.changes import ConflictError
from store.db import Store
from store.errors import CoffeeError, InputError
from store.followups import move_contact
from store.records import STAGES, Contact, Interaction
from tests.conftest import Clock
from tui.app import make_app


def test_a_transaction_reports_each_record_it_changed_once(store):
    heard = []
    store.subscribe(heard.append)
    ana = store.add_contact(Contact(name="Ana"))
    with store.transaction():
        move_contact(store, ana.id, "contacted")
        store.update(Contact, ana.id, {"role": "CTO"})
    assert len(heard) == 2
    changes = heard[1]
    assert {(c.table, c.id) for c in changes.changes} == {("contacts", ana.id),
                                                            ("interactions", 1)}
    (contact,) = [c for c in changes.changes if c.table == "contacts"]
    assert contact.fields == {"stage", "stage_history", "role"}
    assert changes.contact_ids == {ana.id} and not changes.external


def test_another_process_write_is_reported_even_when_a_write_reads_it_first(store, db_path):
    heard = []
    ana = store.add_contact(Contact(name="Ana"))
    store.subscribe(heard.append)
    other = Store(db_path)
    bob = other.add_contact(Contact(name="Bob"))
    store.update(Contact, ana.id, {"role": "CTO"})  # this write reads Bob's add first
    external = [c for c in heard if c.external]
    assert [(c.table, c.id, c.after["name"]) for c in external[0].changes] == [
        ("contacts", bob.id, "Bob")]
    assert store.contact(bob.id).name == "Bob"


def test_a_patch_writes_only_its_fields_and_bumps_the_revision(store, db_path):
    ana = store.add_contact(Contact(name="Ana", role="Analyst"))
    move_contact(Store(db_path), ana.id, "met")  # meanwhile, elsewhere
    store.update(Contact, ana.id, {"role": "CTO"}, seen={"role": "Analyst"}, rev=ana.rev)
    doc = json.loads(db_path.read_text())["contacts"][str(ana.id)]
    assert (doc["stage"], doc["role"], doc["rev"]) == ("met", "CTO", 2)


def test_a_patch_over_a_field_changed_meanwhile_is_refused_with_both_values(store, db_path):
    ana = store.add_contact(Contact(name="Ana", role="Analyst"))
    Store(db_path).update(Contact, ana.id, {"role": "VP"})
    before = db_path.read_bytes()
    with pytest.raises(ConflictError) as refused:
        store.update(Contact, ana.id, {"role": "CTO", "location": "Lisbon"},
                     seen={"role": "Analyst", "location": ""}, rev=ana.rev)
    (conflict,) = refused.value.conflicts
    assert (conflict.field, conflict.seen, conflict.stored, conflict.mine) == (
        "role", "Analyst", "VP", "CTO")
    assert db_path.read_bytes() == before


def test_a_stale_whole_record_is_never_saved(store, db_path):
    ana = store.add_contact(Contact(name="Ana"))
    Store(db_path).update(Contact, ana.id, {"role": "VP"})
    ana.notes = "stale copy"
    with pytest.raises(ConflictError):
        store.save(ana)
    assert store.contact(ana.id).role == "VP"


def test_a_move_names_the_stage_it_comes_from(store, db_path):
    ana = store.add_contact(Contact(name="Ana"))
    move_contact(Store(db_path), ana.id, "met")
    with pytest.raises(ConflictError, match="is in met now"):
        move_contact(store, ana.id, "contacted", from_stage="target")
    assert store.contact(ana.id).stage == "met" and not store.records(Interaction)


def test_revert_puts_back_exactly_what_a_write_changed(store, db_path):
    ana = store.add_contact(Contact(name="Ana"))
    before = db_path.read_bytes()
    heard = []
    store.subscribe(heard.append)
    move_contact(store, ana.id, "contacted")
    store.revert(heard[-1], "move")
    after = json.loads(db_path.read_bytes())
    assert after.pop("interactions") == {}  # the table the move's message made stays, empty
    assert after == json.loads(before)


def test_revert_is_refused_when_the_record_moved_on_in_those_fields(store, db_path):
    ana = store.add_contact(Contact(name="Ana"))
    heard = []
    store.subscribe(heard.append)
    store.set_archived(ana.id, True)
    archive = heard[-1]
    move_contact(Store(db_path), ana.id, "referred")
    store.revert(archive, "archive")  # archived was not touched since: allowed
    assert (store.contact(ana.id).stage, store.contact(ana.id).archived) == ("referred", False)
    with pytest.raises(InputError, match="different archived now"):
        store.revert(archive, "archive")  # undone already: archived is False now


# -- what is due: passes end in any order, the latest asked for is shown ------------------

PASSES = st.lists(st.tuples(st.one_of(st.none(), st.sets(st.integers(1, 4), min_size=1)),
                            st.sets(st.integers(1, 4)),
                            st.dictionaries(st.integers(1, 4), st.sampled_from(["booster",
                                                                                "obligate"]))),
                  min_size=1, max_size=6)


@given(passes=PASSES, data=st.data())
def test_a_pass_that_ends_late_never_overwrites_a_later_ones_news(passes, data):
    """Each pass covers everyone (None) or some contacts; they end in any order. What
    the board shows of each contact is what the last pass asked for that covered it
    found, as if they had ended in the order they were asked for."""
    def run(order: list[int]) -> tuple:
        model = BoardModel()
        model.load(Contact(id=cid, name=f"C{cid}") for cid in range(1, 5))
        news = []
        for covered, overdue, classes in passes:
            ids = range(1, 5) if covered is None else sorted(covered)
            news.append(DueNews(model.ask(), overdue & set(ids), dict.fromkeys(ids),
                                {cid: classes.get(cid) for cid in ids}, covered is None))
        for index in order:
            model.take(news[index])
        return model.overdue, model.reply_classes

    in_turn = list(range(len(passes)))
    shuffled = data.draw(st.permutations(in_turn))
    assert run(shuffled) == run(in_turn)


# -- the property: the board equals the file, nothing external lost --------------------------

APP_KEYS = st.sampled_from([">", "<", "x", "u", "down", "right", "left", "v"])
EXTERNAL = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["Ada", "Bo", "Cy", "Di"])),
    st.tuples(st.just("move"), st.integers(1, 6), st.sampled_from(STAGES)),
    st.tuples(st.just("archive"), st.integers(1, 6), st.booleans()),
    st.tuples(st.just("role"), st.integers(1, 6), st.sampled_from(["CTO", "VP", "Analyst"])),
)
STEPS = st.lists(st.one_of(st.tuples(st.just("key"), APP_KEYS), EXTERNAL), min_size=1,
                 max_size=12)


def board_view(model: BoardModel) -> dict:
    """What the board shows of each contact, and the order of every stage."""
    return {
        "contacts": {cid: (c.name, c.role, c.stage, c.archived, c.stage_history)
                     for cid, c in model.contacts.items()},
        "order": model.stage_order,
    }


def fresh_view(path: Path) -> dict:
    model = BoardModel()
    model.load(Store(path).contacts(include_archived=True))
    return board_view(model)


async def play(path: Path, steps, board_first: bool = False) -> None:
    """`board_first`: the app opens the file as `coffeechat` does, and its reading of the
    rest waits until every step is taken (keys that move cards run meanwhile)."""
    clock = Clock()
    store = Store(path, clock=clock)
    for name in ("Ann", "Ben"):
        store.add_contact(Contact(name=name))
    other = Store(path, clock=clock)  # another process: its own cache and lock handle
    roles: dict[int, str] = {}
    added: list[str] = []
    steps_taken = threading.Event()
    if board_first:
        store = Store(path, clock=clock, board_first=True)
        read_rest = store.read_rest

        def board_reading_waits() -> None:
            if not threading.current_thread().name.startswith("coffeechat-write"):
                steps_taken.wait(30)  # the board's reading; a write's goes on
            read_rest()

        store.read_rest = board_reading_waits
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        for step in steps:
            if step[0] == "key":
                await pilot.press(step[1])
                continue
            try:
                if step[0] == "add":
                    added.append(other.add_contact(Contact(name=step[1])).name)
                elif step[0] == "move":
                    move_contact(other, step[1], step[2])
                elif step[0] == "archive":
                    other.set_archived(step[1], step[2])
                else:
                    other.update(Contact, step[1], {"role": step[2]})
                    roles[step[1]] = step[2]
            except CoffeeError:
                pass  # no such contact yet
        steps_taken.set()
        for _ in range(500):
            app.flush_writes()
            app.check_disk()
            # A read of the file started since (by the app's timer or check_disk) cancels
            # the one before it: the next look waits for that one.
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete()
            await pilot.pause(0.01)
            if not board.reading and board_view(board.model) == fresh_view(path):
                break
        assert board_view(board.model) == fresh_view(path)
    on_disk = Store(path).contacts(include_archived=True)
    names = [c.name for c in on_disk]
    assert all(name in names for name in added)
    for contact_id, role in roles.items():
        assert next(c.role for c in on_disk if c.id == contact_id) == role


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_app_keys_and_external_writes_leave_the_board_equal_to_the_file(steps):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(play(Path(folder) / "coffeechat.json", steps))


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_keys_and_external_writes_while_the_file_is_read_leave_the_board_equal_to_it(steps):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(play(Path(folder) / "coffeechat.json", steps, board_first=True))
