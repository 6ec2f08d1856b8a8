"""Reading the file: a large one through msgspec, everything else through orjson, with the
same result and the same messages either way."""

from __future__ import annotations

import orjson
import pytest

import store.storage
import store.storage as store_storage
from store.db import Store
from store.demo import demo_records
from store.errors import StoreError
from store.records import KINDS, Contact, Interaction, stage_after
from store.storage import decode


@pytest.fixture
def always_large(monkeypatch):
    monkeypatch.setattr(store.storage, "LARGE_FILE", 0)


DOCUMENTS = [
    b'{"contacts": {"1": {"name": "Ada \\ud83d\\ude00", "tags": ["a"], "archived": false}}}',
    b'{"meta": {"1": {"schema": 1}}, "settings": {"1": {"x": 1.5, "y": null}}}',
    b'{"a": 1, "a": 2}',
]


@pytest.mark.parametrize("raw", DOCUMENTS)
def test_msgspec_reads_as_orjson_does(always_large, raw):
    assert decode(raw) == orjson.loads(raw)


@pytest.mark.parametrize("raw", [b'{"a": 123456789012345678901234567890}',
                                 b'{"a": -9223372036854775809}'])
def test_numbers_beyond_64_bits_read_as_orjson_reads_them(always_large, raw):
    assert decode(raw) == orjson.loads(raw) and isinstance(decode(raw)["a"], float)


@pytest.mark.parametrize("raw", [b'{"a": "\\ud800"}', b'{"a": 1,}', b'{"a": 1e400}',
                                 b'\xef\xbb\xbf{}', b'{"contacts": {"1": {"name": "Jane"'])
def test_a_bad_file_gets_orjson_message(always_large, raw):
    with pytest.raises(orjson.JSONDecodeError) as direct:
        orjson.loads(raw)
    with pytest.raises(orjson.JSONDecodeError) as read:
        decode(raw)
    assert str(read.value) == str(direct.value)


def test_a_large_file_opens_and_saves_as_before(always_large, tmp_path):
    path = tmp_path / "coffeechat.json"
    Store(path)
    before = path.read_bytes()
    assert Store(path).contacts() == [] and path.read_bytes() == before
    path.write_bytes(b'{"contacts": {"1": {"name": "Jane"')
    with pytest.raises(StoreError, match=r"is not valid JSON \(unexpected end of data"):
        Store(path)


@pytest.mark.parametrize("piece", [7, 1 << 20])
def test_a_long_number_is_found_wherever_it_is(piece):
    from store.storage import _has_long_number

    for text in (b"1234567890123456789", b'{"a": [1, 2, 12345678901234567890]}',
                 b"x" * 1048570 + b"1234567890123456789"):
        assert _has_long_number(text, piece)
    assert not _has_long_number(b'{"phone": "123456789012345678", "n": 1}', piece)


def every_record(store: Store) -> dict:
    return {table: store.records(kind) for table, kind in KINDS.items()}


def test_a_large_file_reads_each_table_straight_into_the_same_records(tmp_path, monkeypatch,
                                                                      clock):
    """A command reading a large file decodes each table it reads straight into records
    (never into documents first): the same records, in the same order, as a whole read;
    and a write after it changes only what it writes."""
    path = tmp_path / "coffeechat.json"
    store = Store(path, clock=clock)
    store.insert_many(demo_records(40, 7, clock()))
    whole = every_record(Store(path))
    assert sum(map(len, whole.values())) > 80 and all(
        r.id for records in whole.values() for r in records)
    monkeypatch.setattr(store_storage, "LARGE_FILE", 0)
    command = Store(path, clock=clock, only_reads=True)
    assert every_record(command) == whole
    first = whole[Contact.TABLE][0]
    command.step(first.id, 1)
    monkeypatch.undo()
    after = every_record(Store(path))
    assert after[Contact.TABLE][0].stage == stage_after(first.stage, 1) != first.stage
    assert {t: r for t, r in after.items() if t not in (Contact.TABLE, Interaction.TABLE)} == {
        t: r for t, r in whole.items() if t not in (Contact.TABLE, Interaction.TABLE)}
    assert after[Contact.TABLE][1:] == whole[Contact.TABLE][1:]
