"""A TinyDB storage that never leaves a half-written file behind.

TinyDB's stock JSONStorage truncates the file and writes it again in place, so a
crash in the middle of a write loses the database. This storage writes a temporary
file in the same folder, fsyncs it, renames it over the database and fsyncs the
folder. It keeps the last state it read or wrote in memory and reads the file again
only when its stat says another process has written it since.

Every write also puts in the file a table derived from the contacts, the board table: a
row per contact of what the board shows, first in the file. A file whose digest says
coffeechat wrote it (or checked it whole: store.checked) is read table by table; the
app's start decodes the board table alone and the other tables after its first paint.
The table is never part of the database the rest of coffeechat sees.

A write that changed a few documents splices their lines (and their board rows) into the
file as coffeechat last wrote it, copying the rest (store.layout); any other write, and
one to a file coffeechat did not write, encodes the whole file.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import sys
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import cache
from datetime import date
from pathlib import Path

import orjson
from tinydb.storages import Storage

from store import checked
from store.changes import Change, diff
from store.errors import StoreError
from store.files import open_regular, private_folder, read_chunks, write_private
from store.layout import Lines, Spans, encode, line, spans_of, splice
from store.records import Contact, board_row

BACKUP_DAYS = 7
BACKUP_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.json")
LARGE_FILE = 4 << 20  # bytes from which msgspec reads the file (see decode)
LONG_NUMBER = 19  # digits in a row from which a number may not fit in 64 bits
_DIGITS = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))  # a digit → "0", else " "
META_TABLE = "meta"  # the schema version (store.db)
BOARD_TABLE = "board"  # derived from the contacts by every write (board_row), read first
SPLICE_MOST = 200  # documents changed by one write from which it encodes the whole file
DECODE_STEP = 500  # documents decoded at a time after a board-first open (see decode_some)
# Fields whose values repeat from record to record (a stage, a kind of interaction, an
# employer, a tag; "a.b": field b of each entry of list a): the app's background read
# keeps each value once in memory, not once per record (see _compact).
REPEATED = {
    "contacts": ("stage", "company", "role", "industry", "location", "how_we_know", "tags",
                 "stage_history.stage"),
    "interactions": ("kind", "channel"),
    "meetings": ("state", "medium"),
    "followups": ("kind",),
}


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Build many acyclic objects without the cycle collector: at 20,000 contacts its
    passes over the growing heap cost more than decoding the file itself. `freeze`:
    what was built is kept for good (a process's data): out of the collector's way before
    it is back (else its first pass walks all of it: ~70 ms at 20,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def board_table(data: dict) -> dict:
    """The board table the file holds beside the other tables: a row per contact of
    what the board shows (its name sorts it first in the file)."""
    return {key: board_row(int(key), doc) for key, doc in data.get(Contact.TABLE, {}).items()}


def _fed(contents, pieces: Iterator[bytes]) -> Iterator[bytes]:
    """`pieces`, each fed to the digest `contents` on its way to the file."""
    for piece in pieces:
        contents.update(piece)
        yield piece


def decode(raw: bytes, long_number: bool | None = None) -> object:
    """The JSON document in `raw`. A large file is read by msgspec, which keeps a third less
    memory at its peak than orjson (20,000 contacts: 120 MB against 175 MB) and is faster;
    what msgspec refuses, and whole numbers beyond 64 bits (orjson reads those as floats),
    are read by orjson, so every file reads as it always did and a bad one gets orjson's
    message. `long_number`: whether `raw` has one, if known."""
    if len(raw) < LARGE_FILE or (_has_long_number(raw) if long_number is None else long_number):
        return orjson.loads(raw)
    import msgspec  # only for a large file: its import costs more than it saves on a small one

    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return orjson.loads(raw)


def _has_long_number(raw: bytes, piece: int = 1 << 20) -> bool:
    """True when `raw` has LONG_NUMBER digits in a row anywhere (a megabyte at a time, each
    overlapping the last: a regular expression takes half a second over 20 MB)."""
    run = b"0" * LONG_NUMBER
    for start in range(0, len(raw), piece):
        if raw[max(start - LONG_NUMBER, 0):start + piece].translate(_DIGITS).find(run) >= 0:
            return True
    return False


def _fingerprint(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def backup_folder(path: Path) -> Path:
    return path.parent / f"{path.stem}-backups"  # ("/" has no name to replace)


def backups(path: Path, today: date) -> list[Path]:
    """The backups coffeechat wrote of the database at `path`, newest first: regular files
    of this user (never a link) named YYYY-MM-DD.json for a real day not after today.
    Anything else in the folder is the user's, and never rotated, offered or touched."""
    dated = []
    try:
        entries = list(os.scandir(backup_folder(path)))
    except OSError:
        return []
    for entry in entries:
        match = BACKUP_NAME.fullmatch(entry.name)
        try:
            day = date.fromisoformat(match.group(1)) if match else None
            ours = entry.is_file(follow_symlinks=False) and entry.stat(
                follow_symlinks=False).st_uid == os.geteuid()
        except (ValueError, OSError):
            continue
        if day is not None and day <= today and ours:
            dated.append((day, Path(entry.path)))
    return [p for _, p in sorted(dated, reverse=True)]


def loads(path: Path) -> bool:
    """True when the file at `path` reads as a coffeechat database."""
    try:
        return AtomicJSONStorage(path).read() is not None
    except StoreError:
        return False


def newest_backup(path: Path, today: date | None = None) -> Path | None:
    """The newest of the backups that loads."""
    return next((b for b in backups(path, today or date.today()) if loads(b)), None)


def bad_file(path: Path, problem: str) -> StoreError:
    """The one-line message for a database that cannot be used as it is."""
    backup = newest_backup(path)
    hint = (
        f"the newest backup is {backup}; copy it over the file to go back to it"
        if backup
        else "move it aside to start afresh, or pass --db to use another file"
    )
    return StoreError(f"{path}: {problem}; the file was not touched — {hint}")


@cache
def _split() -> Callable[[object], dict]:
    """msgspec's decoder of a JSON object into each value's JSON (see decode)."""
    import msgspec

    return msgspec.json.Decoder(dict[str, msgspec.Raw]).decode


def _table_json(raw: bytes, name: str) -> bytes | None:
    """The JSON of the table `name` in a file as coffeechat writes it (see encode: the
    board table first), found without reading the others; None if it is not there. In
    that layout a line that starts with one space begins or ends a table, and only that
    (a string's line breaks are escaped)."""
    head = b"\n %s: {" % orjson.dumps(name)
    start = (1 if raw.startswith(head, 1) else -1) if name == BOARD_TABLE else raw.rfind(head)
    end = raw.find(b"\n }", start + len(head)) if start > 0 else -1
    return raw[start + len(head) - 1:end + 3] if end > 0 else None


def _orjson(part: object) -> object:
    return orjson.loads(memoryview(part))


def _decode_part(part: object) -> object:
    """A part (a table, a document) of a file known to fit, as decode() reads the whole:
    such a file has no whole number beyond 64 bits (orjson never writes one, and a file
    that has one is never kept as known: see AtomicJSONStorage.long_number)."""
    decode, refused = _msgspec()
    try:
        return decode(part)
    except refused:
        return _orjson(part)


@cache
def _msgspec() -> tuple[Callable[[object], object], type[Exception]]:
    import msgspec  # (see decode)

    return msgspec.json.decode, msgspec.DecodeError


_KEY_SHARING: dict[str, type] = {}  # a class per table: see _compact


def _compact(table: str, doc: dict) -> dict:
    """`doc` (of `table`) as the app's background read keeps it: each value of its
    REPEATED fields the one kept for all (sys.intern), and in a dict that shares its
    table of keys with the table's other documents, as the attributes of objects of one
    class do (CPython's key-sharing dicts, PEP 412): a contact's 248 bytes, not 832.
    It is a dict like any other; a key added later makes it an ordinary one."""
    intern = sys.intern
    for field in REPEATED.get(table, ()):
        name, _, part = field.partition(".")
        value = doc.get(name)
        if type(value) is str:
            doc[name] = intern(value)
        elif type(value) is list:
            for n, item in enumerate(value):
                if not part and type(item) is str:
                    value[n] = intern(item)
                elif part and type(item) is dict and type(item.get(part)) is str:
                    item[part] = intern(item[part])
    if not doc:
        return doc
    kind = _KEY_SHARING.get(table) or _KEY_SHARING.setdefault(table, type(table, (), {}))
    shared = object.__new__(kind).__dict__
    first = next(iter(doc))
    shared[first] = doc[first]  # (a first key set alone makes it a key-sharing dict)
    shared.update(doc)
    return shared


class _HalfDecoded:
    """A table decoded DECODE_STEP documents at a time."""

    def __init__(self, name: str, raw: object) -> None:
        self.name, self.docs = name, {}
        self._left = list(_split()(raw).items())  # each document's JSON
        self._done = 0

    def step(self) -> bool:
        """Decode the next documents; True when the table is done."""
        docs, end = self.docs, self._done + DECODE_STEP
        for key, doc in self._left[self._done:end]:
            docs[key] = _compact(self.name, _decode_part(doc))
        self._done = end
        return end >= len(self._left)

    def rest(self) -> dict:
        """The whole table, the documents left decoded now."""
        while not self.step():
            pass
        return self.docs


class AtomicJSONStorage(Storage):
    """Whole-file JSON storage with atomic replace, fsync and a stat-checked cache."""

    def __init__(self, path: str | os.PathLike, today=date.today) -> None:
        self.path = Path(path)
        self._today = today
        self._data: dict | None = None
        self._fingerprint: tuple[int, int, int] | None = None
        self._batch_depth = 0
        self._pending: dict | None = None
        self._backed_up_on: date | None = None
        self._loaded_once = False
        self.contents: str | None = None  # the digest of the file as last read or written
        # Told what differs when a read finds the file changed by another process
        # (None: it could not be compared, take it all as changed).
        self.on_reload: Callable[[list[Change] | None], None] | None = None
        self.board_first = False  # the next read may decode the board table alone
        self.only_reads = False  # a large file's tables are decoded when first read
        self.board_rows: list | None = None  # that table (store.board_rows), until taken
        self.stored_board: dict | None = None  # the board table the last whole read found
        self._file_left: bytes | None = None  # the file, its tables not split yet
        self._raw_tables: dict[str, bytes] = {}  # tables not decoded yet: their JSON
        # The last whole read found a whole number beyond 64 bits (or digits that look
        # like one, in a text): the file is never kept as known to fit (_decode_part).
        self.long_number = False
        self._decoding: _HalfDecoded | None = None
        # The file at _fingerprint is in encode's layout (coffeechat wrote it): a write of
        # a few documents splices their lines into it (see _splice), and where its tables
        # are, once known.
        self._ours = False
        self._spans: Spans | None = None
        # The documents changed since the last write, {(table, id)}; None: unknown (a
        # write that named none), the whole file is encoded.
        self._touched: set[tuple[str, str]] | None = set()

    # -- reading -------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """True when the file differs from the state held in memory."""
        try:
            current = _fingerprint(os.stat(self.path))
        except FileNotFoundError:
            return self._fingerprint is not None
        except OSError as exc:
            raise bad_file(self.path, f"cannot be read ({exc.strerror})") from exc
        return current != self._fingerprint

    @property
    def decoding(self) -> bool:
        """Some tables are still to be decoded (after a board-first read)."""
        return (self._file_left is not None or bool(self._raw_tables)
                or self._decoding is not None)

    def read(self, tables: Collection[str] | None = None) -> dict | None:
        """The database as last read or written, read again if another process wrote
        it. With `tables`, only those need to be decoded by now."""
        if self._pending is not None:
            return self._pending
        if self._data is None or self.changed_on_disk():
            self._load()
        if self.decoding:
            with gc_paused():
                self._decode_tables(tables)
        return self._data

    def _load(self) -> None:
        path = self.path
        try:
            with open_regular(path) as f:
                st = os.fstat(f.fileno())
                raw = f.read()
        except FileNotFoundError:
            self._data, self._fingerprint = None, None
            self._drop_raw_tables()
            return
        except IsADirectoryError as exc:
            raise bad_file(path, "is a folder, not a database file") from exc
        except PermissionError as exc:
            raise bad_file(path, "cannot be read: permission denied") from exc
        except OSError as exc:
            if exc.errno == errno.EINVAL:  # open_regular: a FIFO, a device, a folder
                raise bad_file(path, exc.strerror) from exc
            raise bad_file(path, f"cannot be read ({exc.strerror})") from exc
        if not raw or raw.isspace():  # (strip() would copy the whole file)
            raise bad_file(path, "is empty")
        contents = checked.digest(raw).hexdigest()
        old = None if self.decoding else self._data  # (half read: cannot be compared)
        self._drop_raw_tables()
        board_first, self.board_first = self.board_first, False
        self._ours, self._spans = checked.wrote(path, contents), None
        with gc_paused():
            known = self._load_known(raw, contents, board_first)
        if not known:
            self.long_number = _has_long_number(raw)
            data = self._decode_whole(raw)
            self.stored_board = data.pop(BOARD_TABLE, None)
            self._data = data
        self._fingerprint, self.contents = _fingerprint(st), contents
        if self._loaded_once and self.on_reload is not None:
            self.on_reload(diff(old, self._data) if old is not None else None)
        self._loaded_once = True

    def _decode_whole(self, raw: bytes) -> dict:
        try:
            with gc_paused():
                data = decode(raw, self.long_number)
        except orjson.JSONDecodeError as exc:
            raise bad_file(self.path, f"is not valid JSON ({exc.msg} at byte {exc.pos})") from exc
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise bad_file(self.path, "is JSON but not a coffeechat database (wrong shape)")
        return data

    def _load_known(self, raw: bytes, contents: str, board_first: bool) -> bool:
        """Read a file coffeechat wrote, or checked whole, table by table: its digest is
        known (see store.checked), so its board table is the one its contacts give and
        a read that does not show the board never decodes it. `board_first`: decode the
        board table alone, the others as they are asked for; `only_reads`: each table
        when first read. False, having read nothing, for any other file, and for a small
        one a command reads."""
        if not checked.known_to_fit(self.path, contents):
            return False
        if board_first and (board := _table_json(raw, BOARD_TABLE)) is not None:
            from store.board_rows import board_rows

            meta = _table_json(raw, META_TABLE)
            rows = board_rows(board)
            if rows is not None and meta is not None:
                self.board_rows, self._file_left = rows, raw
                self._data = {META_TABLE: orjson.loads(meta)}  # (what open looks at)
                return True
        if len(raw) < LARGE_FILE:
            return False  # (orjson reads it whole sooner than msgspec is imported)
        tables = self._tables(raw)
        if not self.only_reads:
            self._data = {name: _decode_part(table) for name, table in tables.items()}
            return True
        # Each table is decoded when first read: a command's records straight from its
        # JSON (table_json), documents only for what asks for them.
        meta = tables.pop(META_TABLE, None)
        self._data = {} if meta is None else {META_TABLE: _decode_part(meta)}
        self._raw_tables = {name: bytes(memoryview(table)) for name, table in tables.items()}
        return True

    def _landed(self, name: str, docs: dict) -> None:
        """A table is decoded."""
        if self._decoding is not None and self._decoding.name == name:
            self._decoding = None
        self._data[name] = docs

    def _drop_raw_tables(self) -> None:
        self._file_left, self._raw_tables, self._decoding = None, {}, None
        self.board_rows = None

    def _tables(self, raw: bytes) -> dict[str, object]:
        """Each table's JSON in a file known to fit (a file JSON decoders read: splitting it
        checks no number), but the board table's. Where each lies is kept when
        coffeechat wrote the file (see _splice)."""
        tables = _split()(raw)
        if self._ours:
            self._spans = spans_of(tables)
        tables.pop(BOARD_TABLE, None)
        return tables

    def _tables_left(self) -> dict[str, bytes]:
        """The tables still to decode, each its own copy of its JSON (freed once decoded:
        the file's bytes go as soon as they are split, not with the last table)."""
        if self._file_left is not None:
            raw, self._file_left = self._file_left, None
            self._raw_tables = {name: bytes(memoryview(table))
                                for name, table in self._tables(raw).items()
                                if name not in self._data}
        return self._raw_tables

    def table_json(self, name: str) -> bytes | None:
        """The JSON of the table `name` while it is still to be decoded (a large file read
        table by table), else None. Read for its records alone, it is decoded straight
        into them (Store.records); the documents are decoded only if asked for."""
        if self._pending is not None or self._data is None or name in self._data or (
                self._decoding is not None and self._decoding.name == name):
            return None
        return self._tables_left().get(name)

    def _decode_tables(self, names: Collection[str] | None) -> None:
        """Decode these tables now, whole (None: every one left)."""
        if names is not None and all(name in self._data for name in names):
            return
        half = self._decoding
        if half is not None and (names is None or half.name in names):
            self._landed(half.name, half.rest())
        left = self._tables_left()
        for name in [n for n in left if names is None or n in names]:
            self._landed(name, _decode_part(left.pop(name)))
        if not self.decoding:
            self.board_rows = None

    def decode_some(self) -> bool:
        """Decode the next DECODE_STEP documents of the tables left (the contacts first);
        True when none is left. A step takes a few milliseconds: a thread that decodes
        the rest step by step never keeps another waiting for long."""
        half = self._decoding
        if half is None:
            left = self._tables_left()
            if not left:
                return True
            name = Contact.TABLE if Contact.TABLE in left else min(left)
            half = self._decoding = _HalfDecoded(name, left.pop(name))
        if half.step():
            self._landed(half.name, half.docs)
        if not self.decoding:
            self.board_rows = None
        return not self.decoding

    def take_stored_board(self) -> dict | None:
        """The board table as the last whole read found it (None: the file had none),
        handed over once."""
        board, self.stored_board = self.stored_board, None
        return board

    # -- writing -------------------------------------------------------------------

    def write(self, data: dict, touched: tuple[str, str] | None = None) -> None:
        """Write `data`, of which the document `touched` (table, id) changed; None: any
        may have (nothing but a write that names what it changed is spliced)."""
        if touched is None:
            self._touched = None
        elif self._touched is not None:
            self._touched.add(touched)
        if self._batch_depth:
            self._pending = data
            return
        self._commit(data)

    def _commit(self, data: dict) -> None:
        try:
            self._write_file(data)
        except BaseException:
            # TinyDB changed the cached dict in place before calling write(): forget
            # it, so the next read shows what is really on disk.
            self.forget()
            raise
        self._data = data
        self._loaded_once = True

    def begin_batch(self) -> None:
        """Hold writes in memory until the outermost end_batch()."""
        if not self._batch_depth:
            self._pending = None
        self._batch_depth += 1

    def end_batch(self, commit: bool) -> None:
        self._batch_depth -= 1
        if self._batch_depth:
            return
        pending, self._pending = self._pending, None
        if commit and pending is not None:
            self._commit(pending)
        elif pending is not None:
            self.forget()

    def forget(self) -> None:
        self._data, self._fingerprint, self._pending = None, None, None
        self.contents = None
        self._ours, self._spans, self._touched = False, None, set()
        self._drop_raw_tables()

    def _write_file(self, data: dict) -> None:
        self._backup_once_a_day()
        contents = checked.digest()
        touched, self._touched = self._touched, set()
        spans: Spans = {}
        with gc_paused(), self._old_lines() as old:
            pieces = self._splice(old, data, touched, spans) if old and touched is not None else None
            if pieces is None:
                spans.clear()
                pieces = encode({**data, BOARD_TABLE: board_table(data)}, spans)
            write_private(self.path, _fed(contents, pieces))
        self._fingerprint = _fingerprint(os.stat(self.path))
        self.contents = contents.hexdigest()
        self._ours, self._spans = True, spans

    @contextmanager
    def _old_lines(self) -> Iterator[Lines | None]:
        """The file as last read or written, open, when it is in encode's layout and
        still there as it was; else None."""
        try:
            f = open_regular(self.path) if self._ours else None
        except OSError:
            f = None
        if f is None:
            yield None
            return
        with f:
            same = _fingerprint(os.fstat(f.fileno())) == self._fingerprint
            yield Lines(f.fileno()) if same else None

    def _splice(self, old: Lines, data: dict, touched: set[tuple[str, str]],
                spans: Spans) -> Iterator[bytes] | None:
        """The file's pieces with the `touched` documents' lines (and their board rows)
        put in place of those in `old`, every other line copied; None when the whole
        file is better encoded: many documents changed, or a table came or went."""
        if len(touched) > SPLICE_MOST:
            return None
        try:
            if self._spans is None:
                self._spans = old.spans()
            if self._spans is None or self._spans.keys() != {*data, BOARD_TABLE}:
                return None
            changes: dict[str, dict[str, bytes | None]] = {}
            for table, key in touched:
                doc = data.get(table, {}).get(key)
                changes.setdefault(table, {})[key] = None if doc is None else line(key, doc)
                if table == Contact.TABLE:
                    row = None if doc is None else line(key, board_row(int(key), doc))
                    changes.setdefault(BOARD_TABLE, {})[key] = row
            return splice(old, self._spans, changes, spans)
        except OSError:  # (not in encode's layout after all: see Lines)
            return None

    def _backup_once_a_day(self) -> None:
        """Copy the file as it was before the first write of each day; keep a week of
        the backups coffeechat wrote (see `backups`), touching nothing else."""
        today = self._today()
        if self._backed_up_on == today or not self.path.exists():
            return
        folder = backup_folder(self.path)
        private_folder(folder)
        target = folder / f"{today.isoformat()}.json"
        if not os.path.lexists(target):  # whatever has today's name stays as it is
            write_private(target, read_chunks(self.path))
            for old in backups(self.path, today)[BACKUP_DAYS:]:
                if loads(old):
                    old.unlink()
        self._backed_up_on = today

    def remove_stray_temp_files(self) -> None:
        """Temp files left by a writer that was killed before its rename."""
        for stray in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                stray.unlink()
            except OSError:
                pass

    def close(self) -> None:
        pass

