"""The Store: every read and write of the database goes through it.

A write is a transaction: it takes the inter-process lock, sees the file as another
process may have left it, applies its changes through TinyDB and writes the file
once, atomically. Nothing here knows about Textual.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import orjson
from dateutil.tz import tzlocal
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document, Table

from store.errors import RefError, StoreError
from store.records import STAGES, Contact, Record, check_stage
from store.storage import FILE_MODE, FOLDER_MODE, AtomicJSONStorage, bad_file, gc_paused
from store.text import clean

SCHEMA_VERSION = 1
META_TABLE = "meta"
SETTINGS_TABLE = "settings"
LOCK_TIMEOUT = 10.0

R = TypeVar("R", bound=Record)


def local_now() -> datetime:
    """Now in the local zone with its rules, so a date weeks ahead gets its own offset."""
    return datetime.now(tzlocal())


def _migrate_0_to_1(data: dict) -> None:
    """Files from before the schema was versioned: fill every contact's missing fields."""
    contacts = data.get(Contact.TABLE, {})
    for key, doc in contacts.items():
        contacts[key] = Contact.from_doc(doc, key).to_doc()


MIGRATIONS: dict[int, Callable[[dict], None]] = {0: _migrate_0_to_1}


class Store:
    """The database file at `path`, opened (created, checked, migrated) on construction."""

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        clock: Callable[[], datetime] = local_now,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.path = Path(path).expanduser()
        self.clock = clock
        self._lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._prepare_folder()
        self._db = TinyDB(self.path, storage=AtomicJSONStorage, today=lambda: clock().date())
        self._storage: AtomicJSONStorage = self._db.storage
        self._file_lock = FileLock(
            f"{self.path}.lock", timeout=lock_timeout, mode=FILE_MODE, is_singleton=False
        )
        self._open()

    # -- opening ---------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        folder = self.path.parent
        if folder.exists():
            return
        try:
            folder.mkdir(parents=True, mode=FOLDER_MODE)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the folder ({exc.strerror})") from exc

    def _open(self) -> None:
        if self.path.is_dir():
            raise bad_file(self.path, "is a folder, not a database file")
        with self.transaction():
            self._storage.remove_stray_temp_files()
            data = self._storage.read()
            if data is None:
                self._storage.write({META_TABLE: {"1": {"schema": SCHEMA_VERSION}}})
                return
            version = self.schema_version(data)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer coffeechat (schema {version}, this one "
                    f"reads up to {SCHEMA_VERSION}); upgrade coffeechat — the file was not touched"
                )
            if version < SCHEMA_VERSION:
                self._migrate(data, version)

    @staticmethod
    def schema_version(data: dict) -> int:
        meta = data.get(META_TABLE, {}).get("1", {})
        version = meta.get("schema", 0)
        return version if isinstance(version, int) else 0

    def _migrate(self, data: dict, version: int) -> None:
        copy = self.path.with_name(f"{self.path.name}.schema-{version}.bak")
        shutil.copyfile(self.path, copy)
        os.chmod(copy, FILE_MODE)
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](data)
        data[META_TABLE] = {"1": {"schema": SCHEMA_VERSION}}
        self._storage.write(data)

    # -- transactions ----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock the file, see it as it is on disk, write it once at the end (or not at all)."""
        with self._thread_lock:
            outermost = self._depth == 0
            if outermost:
                self._acquire()
                self._storage.begin_batch()
            self._depth += 1
            ok = False
            try:
                yield
                ok = True
            finally:
                self._depth -= 1
                if outermost:
                    try:
                        self._storage.end_batch(commit=ok)
                    except OSError as exc:
                        raise StoreError(
                            f"{self.path}: could not save ({exc.strerror}); the change was "
                            "not saved and the file is as it was"
                        ) from exc
                    finally:
                        self._file_lock.release()

    def _acquire(self) -> None:
        try:
            self._file_lock.acquire()
        except Timeout as exc:
            raise StoreError(
                f"{self.path}: locked by another coffeechat for over {self._lock_timeout:g} s; "
                f"close it, or delete {self.path}.lock if none is running — the file was not touched"
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot take the lock {self.path}.lock ({exc.strerror})"
            ) from exc

    def changed_on_disk(self) -> bool:
        """True when another process wrote the file since this store last saw it.

        Never waits: while this process is writing, the answer is False (for now)."""
        if not self._thread_lock.acquire(blocking=False):
            return False
        try:
            return self._storage.changed_on_disk()
        finally:
            self._thread_lock.release()

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # -- generic records -------------------------------------------------------------

    def _raw(self, table: str) -> dict:
        with self._thread_lock:
            return (self._storage.read() or {}).get(table, {})

    def _docs(self, table: str) -> list[tuple[int, dict]]:
        """The table's documents in id order (the file sorts its keys as text)."""
        return sorted(((int(key), doc) for key, doc in self._raw(table).items()), key=_first)

    def _table(self, name: str) -> Table:
        # A fresh Table each time: TinyDB caches the next id per Table object, which
        # would collide with ids another process has used since.
        return Table(self._storage, name, cache_size=0)

    # Records are built while holding the thread lock: the writer thread changes the
    # cached documents in place, and a record must not be read half-changed.

    def records(self, cls: type[R]) -> list[R]:
        with self._thread_lock, gc_paused():
            return [cls.from_doc(doc, key) for key, doc in self._docs(cls.TABLE)]

    def find(self, cls: type[R], **equal: object) -> list[R]:
        """The records whose fields equal these values, in id order (only those are built)."""
        with self._thread_lock:
            matches = [
                (int(key), doc)
                for key, doc in self._raw(cls.TABLE).items()
                if all(doc.get(name) == value for name, value in equal.items())
            ]
            return [cls.from_doc(doc, key) for key, doc in sorted(matches, key=_first)]

    def get(self, cls: type[R], record_id: int) -> R:
        with self._thread_lock:
            doc = self._raw(cls.TABLE).get(str(record_id))
            if doc is None:
                raise RefError(f"no {cls.__name__.lower()} with id {record_id}")
            return cls.from_doc(doc, record_id)

    def insert(self, record: R) -> R:
        doc = _clean_doc(record.to_doc())
        with self.transaction():
            if record.id is None:
                record.id = self._table(record.TABLE).insert(doc)
            else:
                self._table(record.TABLE).insert(Document(doc, record.id))
        return record

    def insert_many(self, records: list[Record]) -> None:
        """Insert records of any tables in one write; each gets its id."""
        by_table: dict[str, list[Record]] = {}
        for record in records:
            by_table.setdefault(record.TABLE, []).append(record)
        with self.transaction():
            for name, group in by_table.items():
                docs = [
                    Document(_clean_doc(r.to_doc()), r.id) if r.id else _clean_doc(r.to_doc())
                    for r in group
                ]
                for record, record_id in zip(group, self._table(name).insert_multiple(docs)):
                    record.id = record_id

    def save(self, record: Record) -> None:
        """Write the whole record over the stored one with the same id."""
        if hasattr(record, "updated_at"):
            record.updated_at = self.now()
        doc = _clean_doc(record.to_doc())
        with self.transaction():
            table = self._table(record.TABLE)
            if not table.contains(doc_id=record.id):
                raise RefError(f"no {type(record).__name__.lower()} with id {record.id}")
            table.upsert(Document(doc, record.id))

    def save_many(self, records: list[Record]) -> None:
        """save() for many records of any tables, in one write."""
        now = self.now()
        by_table: dict[str, list[Record]] = {}
        for record in records:
            if hasattr(record, "updated_at"):
                record.updated_at = now
            by_table.setdefault(record.TABLE, []).append(record)
        with self.transaction():
            for name, group in by_table.items():
                table = self._table(name)
                removed = table.remove(doc_ids=[r.id for r in group])
                if len(removed) != len(group):
                    missing = sorted({r.id for r in group} - set(removed))
                    raise RefError(f"no {name} record with id {missing[0]}")
                table.insert_multiple(Document(_clean_doc(r.to_doc()), r.id) for r in group)

    def data(self) -> dict:
        """Every table as the file holds it, {table: {id: doc}}: a copy to read or export."""
        with self._thread_lock:
            return orjson.loads(orjson.dumps(self._storage.read() or {}))

    def replace_all(self, data: dict) -> None:
        """Make the database hold exactly `data` (every table; restoring a backup)."""
        tables = {
            name: {str(int(key)): _clean_doc(doc) for key, doc in table.items()}
            for name, table in data.items()
            if name != META_TABLE
        }
        with self.transaction():
            self._storage.write({**tables, META_TABLE: {"1": {"schema": SCHEMA_VERSION}}})

    def remove(self, cls: type[Record], record_id: int) -> None:
        with self.transaction():
            self._table(cls.TABLE).remove(doc_ids=[record_id])

    # -- settings --------------------------------------------------------------------

    def settings(self) -> dict:
        return dict(self._raw(SETTINGS_TABLE).get("1", {}))

    def set_setting(self, key: str, value: object) -> None:
        with self.transaction():
            doc = _clean_doc({**self.settings(), key: value})
            self._table(SETTINGS_TABLE).upsert(Document(doc, 1))

    # -- contacts --------------------------------------------------------------------

    def contacts(self, *, include_archived: bool = False) -> list[Contact]:
        with self._thread_lock, gc_paused():
            return [
                Contact.from_doc(doc, key)
                for key, doc in self._docs(Contact.TABLE)
                if include_archived or not doc.get("archived")
            ]

    def contact(self, contact_id: int) -> Contact:
        return self.get(Contact, contact_id)

    def add_contact(self, contact: Contact) -> Contact:
        now = self.now()
        contact.stage = check_stage(contact.stage)
        contact.created_at = contact.created_at or now
        contact.updated_at = now
        if not contact.stage_history:
            contact.stage_history = [{"stage": contact.stage, "at": contact.created_at}]
        if contact.referred_by is not None:
            self.contact(contact.referred_by)
        return self.insert(contact)

    def move(self, contact_id: int, stage: str, at: str | None = None) -> Contact:
        """Put the contact in `stage`, recording when in its stage_history."""
        stage = check_stage(stage)
        with self.transaction():
            contact = self.contact(contact_id)
            if contact.stage != stage:
                contact.stage = stage
                contact.stage_history = [
                    *contact.stage_history,
                    {"stage": stage, "at": at or self.now()},
                ]
                self.save(contact)
        return contact

    def step(self, contact_id: int, delta: int) -> Contact:
        """Move to the next (+1) or previous (-1) stage; stays put at either end."""
        with self.transaction():
            contact = self.contact(contact_id)
            index = min(max(STAGES.index(contact.stage) + delta, 0), len(STAGES) - 1)
            return self.move(contact_id, STAGES[index])

    def set_archived(self, contact_id: int, archived: bool) -> Contact:
        with self.transaction():
            contact = self.contact(contact_id)
            if contact.archived != archived:
                contact.archived = archived
                self.save(contact)
        return contact

    def purge(self, contact_id: int) -> None:
        """Delete the contact for good (archiving is the reversible way)."""
        self.remove(Contact, contact_id)

    def resolve(self, ref: str) -> Contact:
        """A contact by id, or by a case-insensitive unique prefix of its name."""
        ref = ref.strip()
        if ref.isdigit() and ref in self._raw(Contact.TABLE):
            return self.contact(int(ref))
        wanted = ref.casefold()
        if not wanted:
            raise RefError("an empty REF names no contact: give an id or a name")
        candidates = [
            c for c in self.contacts(include_archived=True) if c.name.casefold().startswith(wanted)
        ]
        exact = [c for c in candidates if c.name.casefold() == wanted]
        if len(exact) == 1:
            return exact[0]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise RefError(f"no contact matches {ref!r}")
        shown = "; ".join(f"{c.id} {c.name}" for c in candidates[:8])
        more = f" and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        raise RefError(f"{ref!r} matches {len(candidates)} contacts ({shown}{more}): use the id")


def _first(pair: tuple) -> object:
    return pair[0]


def _clean_doc(doc: dict) -> dict:
    """Every string made storable (no lone surrogates), recursively."""
    def fix(value):
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {clean(k): fix(v) for k, v in value.items()}
        return value

    return {key: fix(value) for key, value in doc.items()}
