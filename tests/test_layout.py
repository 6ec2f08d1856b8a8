"""A write that splices a few documents' lines into the file writes the very bytes a
whole encode of the same data would (store.layout), wherever in its tables they are."""

import os

import msgspec
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from store.db import Store
from store.layout import Lines, encode, line, spans_of, splice
from store.records import Contact
from store.storage import BOARD_TABLE, board_table

docs = st.dictionaries(st.sampled_from("abc"), st.text(max_size=3) | st.integers(-1000, 1000), max_size=2)
tables = st.dictionaries(st.integers(1, 40).map(str), docs, max_size=12)
data = st.dictionaries(st.sampled_from(["board", "contacts", "meta", "x"]), tables, max_size=4)


def written(tmp_path, data: dict) -> tuple[int, dict]:
    """The file encode writes of `data`, open, and where its tables are, as encode says,
    as its tables' JSON says and as the file says."""
    path = tmp_path / "db.json"
    spans = {}
    path.write_bytes(b"".join(encode(data, spans)))
    assert spans_of(msgspec.json.decode(path.read_bytes(), type=dict[str, msgspec.Raw])) == spans
    fd = os.open(path, os.O_RDONLY)
    assert Lines(fd).spans() == spans
    return fd, spans


@settings(max_examples=150, deadline=None)
@given(data=data, edits=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 60).map(str),
                                            docs | st.none()), max_size=8))
def test_a_spliced_file_is_the_file_encode_writes(tmp_path_factory, data, edits):
    fd, spans = written(tmp_path_factory.mktemp("splice"), data)
    names = sorted(data)
    changed, changes = {name: dict(table) for name, table in data.items()}, {}
    for n, key, doc in edits:
        if not names:
            break
        name = names[n % len(names)]
        if doc is None:
            changed[name].pop(key, None)
        else:
            changed[name][key] = doc
        changes.setdefault(name, {})[key] = None if doc is None else line(key, doc)
    try:
        new_spans = {}
        pieces = splice(Lines(fd), spans, changes, new_spans)
        assert b"".join(pieces) == b"".join(encode(changed, expected := {}))
        assert new_spans == expected
    finally:
        os.close(fd)


def test_a_table_not_in_the_file_is_not_spliced(tmp_path):
    fd, spans = written(tmp_path, {"meta": {"1": {"schema": 1}}})
    try:
        assert splice(Lines(fd), spans, {"contacts": {"1": line("1", {})}}, {}) is None
    finally:
        os.close(fd)


def test_a_file_in_another_layout_has_no_spans(tmp_path):
    path = tmp_path / "db.json"
    path.write_text(orjson.dumps({"meta": {"1": {"schema": 1}}}, option=orjson.OPT_INDENT_2)
                    .decode())
    fd = os.open(path, os.O_RDONLY)
    try:
        assert Lines(fd).spans() is None
    finally:
        os.close(fd)


def whole(path) -> bytes:
    """The file a whole encode of what the file at `path` holds writes."""
    data = orjson.loads(path.read_bytes())
    del data[BOARD_TABLE]
    return b"".join(encode({**data, BOARD_TABLE: board_table(data)}))


def test_every_write_leaves_the_file_a_whole_write_would(tmp_path, monkeypatch):
    """Moves, adds, edits and deletes, each a write of its own, in a fresh store and in
    one that opened the file another wrote: each file equals the whole encode of it."""
    path = tmp_path / "db.json"
    store = Store(path)
    for n in range(30):
        store.add_contact(Contact(name=f"Person {n}", company="Acme"))
    spliced = []
    found = Lines.find
    monkeypatch.setattr(Lines, "find", lambda *a: spliced.append(a[-1]) or found(*a))
    fresh = Store(path)
    fresh.step(1, 1)
    assert path.read_bytes() == whole(path)
    fresh.step(30, 1)
    fresh.update(Contact, 15, {"role": "Nurse", "notes": "line\nbreak"})
    fresh.remove(Contact, 1)
    fresh.remove(Contact, 30)
    fresh.add_contact(Contact(name="Late", company="Initech"))
    assert path.read_bytes() == whole(path)
    people = {c.id: c for c in Store(path).contacts()}
    assert len(people) == 29 and 1 not in people
    assert (people[15].role, people[30].name) == ("Nurse", "Late")  # (the id of the last)
    assert {"1", "15", "30"} <= set(spliced)


def test_a_change_another_process_made_survives_a_spliced_write(tmp_path):
    """Two stores on one file, as two processes: each write starts from the file as the
    other left it, whichever way it is written."""
    path = tmp_path / "db.json"
    mine = Store(path)
    for n in range(5):
        mine.add_contact(Contact(name=f"Person {n}", company="Acme"))
    theirs = Store(path)
    theirs.update(Contact, 2, {"role": "Nurse"})
    mine.step(4, 1)
    theirs.step(1, 1)
    mine.update(Contact, 5, {"notes": "met at the fair"})
    people = {c.id: c for c in Store(path).contacts()}
    assert (people[1].stage, people[2].role, people[4].stage, people[5].notes) == (
        "contacted", "Nurse", "contacted", "met at the fair")
    assert path.read_bytes() == whole(path)
