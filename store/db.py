"""The Store: every read and write of the database goes through it.

A write is a transaction: it takes the inter-process lock, sees the file as another
process may have left it, applies its changes through TinyDB and writes the file
once, atomically. Nothing here knows about Textual.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice
from typing import TypeVar

import orjson
from tinydb import TinyDB

from store import checked
from store.changes import BOOKKEEPING, Change, Changes, ConflictError, FieldConflict
from store.errors import InputError, RefError, StoreError
from store.files import FILE_MODE, kind_of, private_folder, read_chunks, real_path, write_private
from store.lock import FileLock, LockTimeout
from store.records import Contact, Record, check_stage, defaults, lean_doc, stage_after, whole_doc
from store.schema import Invalid, first_problem, invalid_records, record_kinds, schema_of
from store.storage import META_TABLE, AtomicJSONStorage, bad_file, board_table, gc_paused
from store.text import clean, fold

SCHEMA_VERSION = 1
SETTINGS_TABLE = "settings"
LOCK_TIMEOUT = 10.0
# Room beside the file for NAME.lock, .NAME.XXXXXXXX.tmp and NAME.corrupt-YYYYMMDD-HHMMSS
# within the 255 bytes a file name may have.
MAX_NAME_BYTES = 200
SHOWN_INVALID = 3  # bad records a refusal names; doctor lists them all

R = TypeVar("R", bound=Record)
T = TypeVar("T")
STEP = 500  # items a long read or pass takes between two calls of Store.give_way (~2-4 ms)


def go_on() -> None:
    """Store.give_way when nothing needs the interpreter more: go straight on."""


def paced(items: Iterable[T], give_way: Callable[[], None]) -> Iterator[T]:
    """The items, with a call of `give_way` after every STEP of them."""
    it = iter(items)
    while step := list(islice(it, STEP)):
        yield from step
        give_way()


def local_now() -> datetime:
    """Now in the local zone with its rules, so a date weeks ahead gets its own offset."""
    from dateutil.tz import tzlocal  # loads the zone database: only once a time is asked

    return datetime.now(tzlocal())


def utc_now() -> datetime:
    """Now as a moment, in UTC: the time passed since a stored moment needs no zone's
    rules, nor their ~8 ms of loading before the board's first frame (Store.moment)."""
    return datetime.now(UTC)


def _migrate_0_to_1(data: dict) -> None:
    """Files from before the schema was versioned: fill every contact's missing fields."""
    contacts = data.get(Contact.TABLE, {})
    for key, doc in contacts.items():
        contacts[key] = Contact.from_doc(doc, key).to_doc()


MIGRATIONS: dict[int, Callable[[dict], None]] = {0: _migrate_0_to_1}


def migrate(data: dict, version: int) -> None:
    """Bring `data` (a whole database, at schema `version`) up to SCHEMA_VERSION in place."""
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](data)
    data[META_TABLE] = {"1": {"schema": SCHEMA_VERSION}}


class Store:
    """The database file at `path`, opened (created, checked, migrated) on construction."""

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        clock: Callable[[], datetime] = local_now,
        lock_timeout: float = LOCK_TIMEOUT,
        board_first: bool = False,
        only_reads: bool = False,
    ) -> None:
        """`board_first`: decode only what the board shows first, when the file allows it
        (see board_contacts); the rest is decoded as it is read, or by read_rest.
        `only_reads` (a printing command): each table of a large file is decoded when
        first read, straight into its records (a write still works, decoding the rest
        first: a table already read is then decoded twice)."""
        self.path = real_path(path)  # every path to one file: one lock, one file written
        self.clock = clock
        # What counts the time passed (days in a stage): the clock itself when one is given.
        self.moment = utc_now if clock is local_now else clock
        # Called between the steps of a long read or pass (every STEP records built):
        # the app makes it wait while a key is handled, so the key has the interpreter
        # to itself instead of taking turns with the thread every millisecond.
        self.give_way: Callable[[], None] = go_on
        self._lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._log: list[Change] = []
        self._everything = False
        self._listeners: list[Callable[[Changes], None]] = []
        self._recording = threading.local()
        self.invalid: list[Invalid] = []  # records that fit no kind: the file is read-only
        self._hidden: dict[str, set[str]] = {}  # {table: their ids}, left out of every read
        self._check_path()
        private_folder(self.path.parent)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage, today=lambda: clock().date())
        self._storage: AtomicJSONStorage = self._db.storage
        self._storage.on_reload = self._reloaded
        self._storage.board_first = board_first
        self._storage.only_reads = only_reads
        lock = f"{self.path}.lock"
        self._check_lock(lock)
        self._file_lock = FileLock(lock, timeout=lock_timeout, mode=FILE_MODE)
        self._open()

    # -- opening ---------------------------------------------------------------------

    def _check_path(self) -> None:
        """The database is a regular file, or nothing yet: anything else is refused at
        once (a FIFO would hang the read, /dev/zero would fill the memory)."""
        size = len(os.fsencode(self.path.name))
        if size > MAX_NAME_BYTES:
            raise StoreError(f"{self.path}: the file name is {size} bytes long; coffeechat "
                             f"keeps files beside it named after it — use a name of at most "
                             f"{MAX_NAME_BYTES} bytes")
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise bad_file(self.path, f"cannot be looked at ({exc.strerror})") from exc
        if kind_of(st) != "a regular file":
            raise bad_file(self.path, f"is {kind_of(st)}, not a database file")

    def _check_lock(self, lock: str) -> None:
        """Create the lock file if need be and see that it is one: what fails here is said
        as it is (a lock that is taken is said by _acquire)."""
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, FILE_MODE)
        except OSError as exc:
            reason = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
            raise StoreError(f"{lock}: cannot open the lock file ({reason}); the database "
                             "was not touched") from exc
        try:
            what = kind_of(os.fstat(fd))
        finally:
            os.close(fd)
        if what != "a regular file":
            raise StoreError(f"{lock}: is {what}, not a lock file; move it away — the "
                             "database was not touched")

    def _open(self) -> None:
        with self.transaction():
            self._storage.remove_stray_temp_files()
            data = self._storage.read(tables=(META_TABLE,))
            if data is None:
                self._storage.write({META_TABLE: {"1": {"schema": SCHEMA_VERSION}}})
                return
            try:
                version = self.schema_version(data)
            except StoreError as exc:
                raise bad_file(self.path, str(exc)) from None
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer coffeechat (schema {version}, this one "
                    f"reads up to {SCHEMA_VERSION}); upgrade coffeechat — the file was not touched"
                )
            self._check_records(self._storage.contents)
            if version < SCHEMA_VERSION and not self.invalid:
                self._migrate(self._storage.read(), version)

    @staticmethod
    def schema_version(data: dict) -> int:
        """The file's schema version (0 before it was versioned); a StoreError saying so
        when its meta table holds something else."""
        try:
            return schema_of(data)
        except ValueError as exc:
            raise StoreError(str(exc)) from None

    def _check_records(self, contents: str | None = None) -> None:
        """Every record against its kind: those that do not fit are left out of every read,
        and while there are any, nothing is written. `contents`: the digest of the file
        as read; a file known to fit (written by coffeechat, or checked before: see
        store.checked) is not checked again. A file is known to fit once checked only if
        its board table, when it has one, is the one its contacts give, and it has no
        whole number beyond 64 bits (a known file is read as if it had none)."""
        stored_board = self._storage.take_stored_board()
        if contents is not None and checked.known_to_fit(self.path, contents):
            self.invalid, self._hidden = [], {}
            return
        data = self._storage.read() or {}
        self.invalid = list(invalid_records(data))
        self._hidden = {}
        for invalid in self.invalid:
            self._hidden.setdefault(invalid.table, set()).add(invalid.key)
        if not self.invalid and contents is not None and not self._storage.long_number and (
                stored_board is None or stored_board == board_table(data)):
            checked.fits(self.path, contents)

    def read_only_error(self) -> StoreError:
        """Why nothing can be written: the records that fit no kind, the first named."""
        shown = "; ".join(map(str, self.invalid[:SHOWN_INVALID]))
        more = len(self.invalid) - SHOWN_INVALID
        count = len(self.invalid)
        return StoreError(
            f"{self.path}: read-only until {count} bad record{'s are' if count > 1 else ' is'} "
            f"fixed ({shown}{f'; and {more} more' if more > 0 else ''}); nothing was saved — "
            "coffeechat doctor lists them")

    def _migrate(self, data: dict, version: int) -> None:
        copy = self.path.with_name(f"{self.path.name}.schema-{version}.bak")
        write_private(copy, read_chunks(self.path))
        migrate(data, version)
        self._storage.write(data)

    # -- transactions ----------------------------------------------------------------

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Call `listener` with what every write changed, this process's or another's.

        It runs on the thread that wrote or read, so it must only hand the news on."""
        self._listeners.append(listener)

    def _publish(self, changes: Changes) -> None:
        if changes:
            for listener in self._listeners:
                listener(changes)

    def _reloaded(self, log: list[Change] | None) -> None:
        """The storage read a file another process wrote: check it, say what differs."""
        self._check_records(self._storage.contents)
        self._publish(Changes.of(log, external=True) if log is not None
                      else Changes(external=True, everything=True))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock the file, see it as it is on disk, write it once at the end (or not at all).
        Once written, what it changed goes to the subscribers."""
        if self.reading:
            # Opened board first and still decoding: a write needs the whole file, and
            # decoding a table in one call (the contacts: ~110 ms at 20,000) would hold
            # the interpreter, the UI thread with it. A step at a time, as read_rest.
            self.read_rest()
        with self._thread_lock:
            outermost = self._depth == 0
            if outermost:
                self._acquire()
                self._storage.begin_batch()
                self._log, self._everything = [], False
            self._depth += 1
            ok = False
            try:
                yield
                ok = True
            finally:
                self._depth -= 1
                if outermost:
                    contents = self._storage.contents
                    try:
                        self._storage.end_batch(commit=ok)
                    except OSError as exc:
                        raise StoreError(
                            f"{self.path}: could not save ({exc.strerror}); the change was "
                            "not saved and the file is as it was"
                        ) from exc
                    finally:
                        self._file_lock.release()
                    if self._storage.contents not in (contents, None):
                        checked.fits(self.path, self._storage.contents, wrote=True)  # (every write fits)
                    if ok:
                        recorder = getattr(self._recording, "log", None)
                        if recorder is not None:
                            recorder.extend(self._log)
                            self._recording.everything |= self._everything
                        self._publish(Changes.of(self._log, everything=self._everything))

    @contextmanager
    def recording(self) -> Iterator[Callable[[], Changes]]:
        """What the transactions this thread commits inside the block change, together
        (a rolled-back one changes nothing): yields a function that returns it."""
        self._recording.log, self._recording.everything = [], False
        log = self._recording.log
        try:
            yield lambda: Changes.of(log, everything=self._recording.everything)
        finally:
            self._recording.log = None

    def _acquire(self) -> None:
        try:
            self._file_lock.acquire()
        except LockTimeout as exc:
            raise StoreError(
                f"{self.path}: locked by another coffeechat for over {self._lock_timeout:g} s "
                "(a command or the app writing); try again when it is done — the file was "
                "not touched"
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot take the lock {self.path}.lock ({exc.strerror})"
            ) from exc

    def changed_on_disk(self) -> bool:
        """True when another process wrote the file since this store last read it.

        Never waits: while this process is writing, the answer is False (for now)."""
        with self._unless_busy() as free:
            return free and self._storage.changed_on_disk()

    @contextmanager
    def if_idle(self) -> Iterator[bool]:
        """For reads that must never wait (the UI thread's): True if no other thread
        reads or writes now (one may wait seconds for another process's lock) and the
        file is as last read and decoded whole (nothing to decode), and none does until
        the block ends; else False, and the block should read nothing."""
        with self._unless_busy() as free:
            yield free and not self._storage.changed_on_disk() and not self.reading

    @property
    def contents(self) -> str | None:
        """The digest of the file as this store last read or wrote it: another one, and
        the file has changed since."""
        return self._storage.contents

    @property
    def reading(self) -> bool:
        """Opened board first, the rest of the file is still to be decoded."""
        return self._storage.decoding

    def read_rest(self) -> None:
        """Decode what a board-first open left, a step at a time (for a thread: another
        that reads meanwhile waits a step at most)."""
        done = False
        with gc_paused():
            while not done:
                with self._thread_lock:
                    done = self._storage.decode_some()
                self.give_way()

    def board_contacts(self) -> list:
        """Every contact, archived ones too, as the board shows them: opened board first,
        while the rest is being read, what the board table holds of each (BoardRow, in
        store.board_rows), else Contact records."""
        with self._thread_lock:
            rows, self._storage.board_rows = self._storage.board_rows, None  # (read once)
        return rows if rows is not None else self.contacts(include_archived=True)

    @contextmanager
    def _unless_busy(self) -> Iterator[bool]:
        """The thread lock if no other thread holds it (True), without waiting."""
        free = self._thread_lock.acquire(blocking=False)
        try:
            yield free
        finally:
            if free:
                self._thread_lock.release()

    def refresh(self) -> None:
        """Read the file if another process wrote it; the subscribers hear what changed."""
        with self._thread_lock:
            self._storage.read(tables=())

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # -- generic records -------------------------------------------------------------

    def _raw(self, table: str) -> dict:
        """The table's documents, without those that fit no kind (see `invalid`)."""
        with self._thread_lock:
            docs = (self._storage.read(tables=(table,)) or {}).get(table, {})
            hidden = self._hidden.get(table)
            return {k: v for k, v in docs.items() if k not in hidden} if hidden else docs

    def _docs(self, table: str) -> list[tuple[int, dict]]:
        """The table's documents in id order (the file sorts its keys as text)."""
        return sorted(((int(key), doc) for key, doc in self._raw(table).items()), key=_first)

    # Records are built while holding the thread lock: the writer thread changes the
    # cached documents in place, and a record must not be read half-changed.

    def records(self, cls: type[R]) -> list[R]:
        with self._thread_lock, gc_paused():
            return self._records(cls)

    def _records(self, cls: type[R]) -> list[R]:
        """Every record of a kind, in id order. A table not decoded yet (a large file a
        command reads) is decoded straight into its records, never into documents."""
        self._storage.read(tables=())  # (the file as it is now)
        table = None if self._hidden.get(cls.TABLE) else self._storage.table_json(cls.TABLE)
        if table is not None and (records := cls.all_from_json(table)) is not None:
            return records
        return [cls.from_doc(doc, key)
                for key, doc in paced(self._docs(cls.TABLE), self.give_way)]

    def find(self, cls: type[R], **equal: object) -> list[R]:
        """The records whose fields (one or more) equal these values, in id order (only
        those are built)."""
        # The first field is compared inline, the rest only for the documents it matches:
        # a generator per document made finding one contact's records 6x slower.
        # A field a document leaves out is at its default, as Record.from_doc reads it.
        (name, value), *rest = equal.items()
        base = defaults(cls)
        default = base.get(name)
        with self._thread_lock:
            matches = [
                (int(key), doc)
                for key, doc in self._raw(cls.TABLE).items()
                if doc.get(name, default) == value
                and all(doc.get(n, base.get(n)) == v for n, v in rest)
            ]
            return [cls.from_doc(doc, key)
                    for key, doc in paced(sorted(matches, key=_first), self.give_way)]

    def get(self, cls: type[R], record_id: int) -> R:
        with self._thread_lock:
            doc = self._raw(cls.TABLE).get(str(record_id))
            if doc is None:
                raise RefError(f"no {cls.__name__.lower()} with id {record_id}")
            return cls.from_doc(doc, record_id)

    # Every write goes through _put / _drop inside a transaction: they change the
    # storage's state in place (written once at the end) and log the change.

    def _put(self, table: str, record_id: int, doc: dict) -> None:
        if self.invalid:
            raise self.read_only_error()
        cls = record_kinds().get(table)
        if cls is not None and (invalid := first_problem(cls, str(record_id), doc)):
            raise InputError(f"{invalid}; nothing was saved")
        doc = lean_doc(table, doc)
        data = self._storage.read()
        rows = data.setdefault(table, {})
        before = rows.get(str(record_id))
        rows[str(record_id)] = doc
        self._storage.write(data, touched=(table, str(record_id)))
        self._log.append(Change(table, record_id, before, doc))

    def _drop(self, table: str, record_id: int) -> None:
        if self.invalid:
            raise self.read_only_error()
        data = self._storage.read()
        before = data.get(table, {}).pop(str(record_id), None)
        self._storage.write(data, touched=(table, str(record_id)))
        if before is not None:
            self._log.append(Change(table, record_id, before, None))

    def _next_id(self, table: str) -> int:
        """TinyDB's rule: one more than the highest id the table holds."""
        return max(map(int, self._raw(table)), default=0) + 1

    def insert(self, record: R) -> R:
        with self.transaction():
            self._insert(record, record.id or self._next_id(record.TABLE))
        return record

    def _insert(self, record: Record, record_id: int) -> None:
        if str(record_id) in self._raw(record.TABLE):
            raise RefError(f"{record.TABLE} already has a record with id {record_id}")
        record.id, record.rev = record_id, 0
        self._put(record.TABLE, record_id, _clean_doc(record.to_doc()))

    def insert_many(self, records: list[Record]) -> None:
        """Insert records of any tables in one write; each gets its id."""
        with self.transaction():
            next_ids: dict[str, int] = {}
            for record in records:
                table = record.TABLE
                if table not in next_ids:
                    next_ids[table] = self._next_id(table)
                record_id = record.id or next_ids[table]
                next_ids[table] = max(next_ids[table], record_id + 1)
                self._insert(record, record_id)

    def save(self, record: Record) -> None:
        """Write the fields of a record read in this transaction that differ from the
        stored ones. A record read earlier, and changed on disk since, is refused (a
        ConflictError): a remembered copy never overwrites a newer one."""
        with self.transaction():
            stored = self._stored(type(record), record.id)
            if stored.get("rev", 0) != record.rev:
                raise ConflictError(
                    f"{_what(record.TABLE, stored)} changed on disk since it was read; "
                    "nothing was saved", table=record.TABLE, record_id=record.id,
                    rev=stored.get("rev", 0))
            saved = self._write_fields(type(record), record.id, stored,
                                       _clean_doc(record.fields_doc()))
            record.rev = saved.get("rev", 0)
            if hasattr(record, "updated_at"):
                record.updated_at = saved.get("updated_at", "")

    def save_many(self, records: list[Record]) -> None:
        """save() for many records of any tables, in one write."""
        with self.transaction():
            for record in records:
                self.save(record)

    def update(self, cls: type[R], record_id: int, changes: dict, *,
               seen: dict | None = None, rev: int | None = None) -> R:
        """Write these fields of a record, and only these: a patch from a screen that
        read the record at revision `rev` with the values `seen`. When the record was
        written since and a field this patch changes differs on disk from what was
        seen, nothing is written: a ConflictError names each such field with both
        values. Fields the patch does not name are never written."""
        with self.transaction():
            stored = self._stored(cls, record_id)
            if rev is not None and stored.get("rev", 0) != rev:
                current = {**defaults(cls), **stored}
                seen = seen or {}
                conflicts = [
                    FieldConflict(name, seen.get(name), current.get(name), value)
                    for name, value in changes.items()
                    if current.get(name) not in (seen.get(name), value)
                ]
                if conflicts:
                    names = ", ".join(c.field for c in conflicts)
                    raise ConflictError(
                        f"{_what(cls.TABLE, stored)}: {names} changed on disk meanwhile",
                        table=cls.TABLE, record_id=record_id, conflicts=conflicts,
                        rev=stored.get("rev", 0))
            saved = self._write_fields(cls, record_id, stored, _clean_doc(changes))
            return cls.from_doc(saved, record_id)

    def _stored(self, cls: type[Record], record_id: int | None) -> dict:
        doc = self._raw(cls.TABLE).get(str(record_id))
        if doc is None:
            raise RefError(f"no {cls.__name__.lower()} with id {record_id}")
        return doc

    def _write_fields(self, cls: type[Record], record_id: int, stored: dict,
                      changes: dict) -> dict:
        """The stored document with the fields that differ replaced (a new revision), or
        the stored one untouched when none differs."""
        current = {**defaults(cls), **stored}
        changed = {k: v for k, v in changes.items() if current.get(k) != v and k not in BOOKKEEPING}
        if not changed:
            return stored
        doc = {**stored, **changed, "rev": stored.get("rev", 0) + 1}
        if "updated_at" in current:
            doc["updated_at"] = self.now()
        self._put(cls.TABLE, record_id, doc)
        return doc

    def revert(self, changes: Changes, label: str) -> None:
        """Undo: put back what `changes` changed, in one write. Refused (nothing written)
        when a record has moved on since in a field the change set, or when the change
        was a whole-file restore."""
        if changes.everything:
            raise InputError(f"cannot undo {label}: it replaced the whole file")
        with self.transaction():
            data = self._storage.read() or {}
            plan = []
            for change in changes.changes:
                current = data.get(change.table, {}).get(str(change.id))
                if change.after is None:
                    if current is not None:
                        raise InputError(f"cannot undo {label}: {_what(change.table, current)} "
                                         "was added again since")
                elif current is None:
                    raise InputError(f"cannot undo {label}: {_what(change.table, change.after)} "
                                     "was deleted since")
                else:
                    now = whole_doc(change.table, current)
                    then = whole_doc(change.table, change.after)
                    moved = sorted(k for k in change.fields if now.get(k) != then.get(k))
                    if moved:
                        raise InputError(
                            f"cannot undo {label}: {_what(change.table, current)} has a "
                            f"different {moved[0].replace('_', ' ')} now "
                            f"({_short(now.get(moved[0]))}); nothing was changed")
                plan.append((change, current))
            for change, current in plan:
                if change.before is None:
                    self._drop(change.table, change.id)
                elif current is None or current == change.after:
                    self._put(change.table, change.id, change.before)  # exactly as it was
                else:
                    doc = {k: v for k, v in current.items() if k not in change.fields}
                    doc.update({k: change.before[k] for k in change.fields if k in change.before})
                    doc["rev"] = current.get("rev", 0) + 1
                    if "updated_at" in whole_doc(change.table, current):
                        doc["updated_at"] = self.now()
                    self._put(change.table, change.id, doc)

    def data(self) -> dict:
        """Every table, {table: {id: doc}}, each record with all its fields (the file leaves
        out those at their default): a copy to read or export, whole as a backup always was."""
        with self._thread_lock:
            return orjson.loads(orjson.dumps({
                name: {key: whole_doc(name, doc) for key, doc in table.items()}
                for name, table in (self._storage.read() or {}).items()
            }))

    def replace_all(self, data: dict) -> None:
        """Make the database hold exactly `data` (every table; restoring a backup). Every
        record must fit its kind (an InputError names each that does not); this is also how
        a read-only file is replaced by a good backup."""
        invalid = list(invalid_records(data))
        if invalid:
            raise InputError(f"{len(invalid)} record{'s' if len(invalid) > 1 else ''} "
                             f"do not fit their kind: {'; '.join(map(str, invalid))}; "
                             "nothing was changed")
        tables = {
            name: {str(int(key)): lean_doc(name, _clean_doc(doc)) for key, doc in table.items()}
            for name, table in data.items()
            if name != META_TABLE
        }
        with self.transaction():
            self._storage.write({**tables, META_TABLE: {"1": {"schema": SCHEMA_VERSION}}})
            self._everything = True
            self._check_records(tables)

    def remove(self, cls: type[Record], record_id: int) -> None:
        with self.transaction():
            self._drop(cls.TABLE, record_id)

    # -- settings --------------------------------------------------------------------

    def settings(self) -> dict:
        return dict(self._raw(SETTINGS_TABLE).get("1", {}))

    def set_setting(self, key: str, value: object) -> None:
        with self.transaction():
            settings = self._raw(SETTINGS_TABLE).get("1", {})
            if key not in settings or settings[key] != value:
                self._put(SETTINGS_TABLE, 1, _clean_doc({**settings, key: value}))

    # -- contacts --------------------------------------------------------------------

    def contacts(self, *, include_archived: bool = False) -> list[Contact]:
        with self._thread_lock, gc_paused():
            contacts = self._records(Contact)
        return contacts if include_archived else [c for c in contacts if not c.archived]

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

    def move(self, contact_id: int, stage: str, at: str | None = None,
             from_stage: str | None = None) -> Contact:
        """Put the contact in `stage`, recording when in its stage_history. With
        `from_stage` (the stage a screen shows), a contact that is elsewhere on disk is
        not moved: a ConflictError says where it is."""
        stage = check_stage(stage)
        with self.transaction():
            contact = self.contact(contact_id)
            if from_stage is not None and contact.stage != from_stage:
                raise ConflictError(
                    f"{contact.name} is in {contact.stage} now (changed elsewhere); nothing "
                    "was moved", table=Contact.TABLE, record_id=contact_id,
                    conflicts=[FieldConflict("stage", from_stage, contact.stage, stage)],
                    rev=contact.rev)
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
            return self.move(contact_id, stage_after(self.contact(contact_id).stage, delta))

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
        """A contact by id, or by a unique prefix of its name, accents and case ignored."""
        ref = ref.strip()
        if ref.isdigit() and ref in self._raw(Contact.TABLE):
            return self.contact(int(ref))
        wanted = fold(ref)
        if not wanted:
            raise RefError("an empty REF names no contact: give an id or a name")
        candidates = [
            c for c in self.contacts(include_archived=True) if fold(c.name).startswith(wanted)
        ]
        exact = [c for c in candidates if fold(c.name) == wanted]
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


def _what(table: str, doc: dict) -> str:
    """How a message names a record: a contact by name, anything else by its table."""
    name = doc.get("name") if table == Contact.TABLE else None
    return str(name) if isinstance(name, str) and name else f"a record of {table}"


def _short(value: object) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= 40 else text[:39] + "…"


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
