"""`coffeechat doctor`: check the database file without changing it, and restore the
newest good backup when the file cannot be used.

The checks read the file as it is (opening a Store would create, migrate or tidy it):
its shape and schema, every record against its record type, contact links (a referrer
that does not exist, referral loops, records of a missing contact), likely duplicates
(matched as imports match them), temp files a killed writer left, and who may read it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


from store.db import LOCK_TIMEOUT, MAX_NAME_BYTES, META_TABLE, SCHEMA_VERSION, SETTINGS_TABLE, Store
from store.drafts import KeptDraft, Template
from store.errors import StoreError
from store.followups import AgendaMark
from store.importing import KEYS
from store.lock import FileLock
from store.merge import DistinctPair
from store.files import FILE_MODE, kind_of, read_chunks, real_path, write_private
from store.permissions import file_mode, private_problem
from store.questions import Question
from store.records import Contact, FollowUp, Interaction, Meeting, Record, defaults
from store.schema import first_problem, id_problem, problems, record_kinds
from store.storage import BACKUP_NAME, AtomicJSONStorage, backup_folder, backups

RECORD_TYPES: tuple[type[Record], ...] = (
    Contact, Interaction, Meeting, FollowUp, Template, Question, AgendaMark, DistinctPair,
    KeptDraft,
)
KNOWN_TABLES = {cls.TABLE for cls in RECORD_TYPES} | {META_TABLE, SETTINGS_TABLE}
DUPLICATE_KEYS = tuple(zip(("LinkedIn URL", "email", "name and company"), KEYS, strict=True))
# Records that name a contact, and the field that does.
CONTACT_LINKS: tuple[tuple[type[Record], str], ...] = (
    (Interaction, "contact_id"), (Meeting, "contact_id"), (FollowUp, "contact_id"),
    (DistinctPair, "first"), (DistinctPair, "second"),
    (KeptDraft, "contact_id"),
)


@dataclass
class Checkup:
    """What doctor found: one line per problem; `data` is None when the file is unusable."""

    path: Path
    findings: list[str]
    data: dict | None = None

    @property
    def healthy(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        data = self.data or {}
        counts = ", ".join(
            f"{len(data.get(cls.TABLE, {}))} {cls.TABLE}"
            for cls in (Contact, Meeting, Interaction, FollowUp)
        )
        mode = file_mode(self.path) or 0
        return f"ok: {self.path}: {counts}; schema {Store.schema_version(data)}; mode {mode:04o}"


def read_database(path: Path) -> dict | None:
    """The file's tables as they are (None when there is no file); StoreError if unusable
    (a FIFO, a device or a folder is refused before it is read)."""
    size = len(os.fsencode(path.name))
    if size > MAX_NAME_BYTES:
        raise StoreError(f"{path}: the file name is {size} bytes long, over the "
                         f"{MAX_NAME_BYTES} coffeechat can keep files beside")
    return AtomicJSONStorage(path).read()


def check(path: Path) -> Checkup:
    """Every check on the file at `path`; changes nothing."""
    path = real_path(path)
    findings = (stray_temp_files(path) + permission_findings(path) + backup_findings(path)
                + lock_findings(path))
    try:
        data = read_database(path)
        version = Store.schema_version(data) if data is not None else 0
    except StoreError as exc:  # "PATH: problem; the file was not touched — what to do"
        problem = str(exc).rpartition(" — ")[0] or str(exc)
        return Checkup(path, [problem if problem.startswith(str(path)) else f"{path}: {problem}",
                              *findings])
    if data is None:
        return Checkup(path, [f"{path}: no database file here", *findings])
    if version > SCHEMA_VERSION:
        findings.insert(0, f"schema {version}: written by a newer coffeechat (this one reads "
                           f"up to {SCHEMA_VERSION})")
    findings += unknown_tables(data) + record_findings(data)
    contacts = _contacts(data)
    findings += referral_findings(contacts) + link_findings(data, contacts)
    findings += duplicate_findings(contacts, _distinct(data))
    return Checkup(path, findings, data)


# -- the file around the records ---------------------------------------------------------


def stray_temp_files(path: Path) -> list[str]:
    """Temp files of a write or backup that never finished (a Store removes its own)."""
    strays = sorted(path.parent.glob(f".{path.name}.*.tmp"))
    strays += sorted(backup_folder(path).glob(".*.tmp"))
    return [f"{stray}: a temp file left by an interrupted write; safe to delete"
            for stray in strays]


def permission_findings(path: Path) -> list[str]:
    """The file and its backups private to the user (0600, their folder 0700). The
    database's own folder is the user's choice (--db may put it anywhere)."""
    folder = backup_folder(path)
    places = [path] if path.is_file() else []
    if folder.is_dir() and not folder.is_symlink():
        places += [folder, *backups(path, date.max)]
    return [line for place in places if (line := private_problem(place))]


def backup_findings(path: Path, today: date | None = None) -> list[str]:
    """What in the backup folder coffeechat will not use: a link in place of the folder,
    and files named like a backup that it never wrote (a link, another user's file, a day
    after today). They are never rotated nor offered."""
    folder = backup_folder(path)
    if folder.is_symlink():
        return [f"{folder}: is a symbolic link; coffeechat keeps backups only in a real "
                "folder, so no write succeeds until it is one"]
    today = today or date.today()
    ours = set(backups(path, today))
    try:
        named = sorted(p for p in folder.iterdir() if BACKUP_NAME.fullmatch(p.name))
    except OSError:
        return []
    return [f"{p}: named like a backup but not one coffeechat wrote ({_why_not_ours(p, today)}); "
            "it is never offered nor rotated" for p in named if p not in ours]


def _why_not_ours(path: Path, today: date) -> str:
    if path.is_symlink():
        return "a symbolic link"
    if not path.is_file():
        return "not a regular file"
    if path.stat().st_uid != os.geteuid():
        return f"owned by user {path.stat().st_uid}"
    return "dated after today"


def lock_findings(path: Path) -> list[str]:
    """A lock file that cannot serve: a link or anything but a regular file."""
    lock = Path(f"{path}.lock")
    if lock.is_symlink():
        return [f"{lock}: is a symbolic link, not a lock file; remove it"]
    try:
        what = kind_of(lock.stat())
    except OSError:
        return []
    return [] if what == "a regular file" else [f"{lock}: is {what}, not a lock file; remove it"]


def unknown_tables(data: dict) -> list[str]:
    return [f"table {name!r}: not one coffeechat keeps (left alone)"
            for name in sorted(data.keys() - KNOWN_TABLES)]


# -- the records -------------------------------------------------------------------------


def record_findings(data: dict) -> list[str]:
    """Every record against its kind (store.schema, as open, imports and writes check)."""
    findings = []
    for table, cls in record_kinds().items():
        for key, doc in data.get(table, {}).items():
            problem = id_problem(key)
            found = [problem] if problem else problems(cls, doc)
            findings += [f"{table} #{key}: {p}" for p in found]
    return findings


# -- links between records ---------------------------------------------------------------


def _contacts(data: dict) -> dict[int, dict]:
    """{id: doc} in id order (the file sorts its keys as text: "10" before "9")."""
    table = data.get(Contact.TABLE, {})
    return {int(key): table[key]
            for key in sorted((k for k in table if id_problem(k) is None), key=int)}


def _label(contact_id: int, contacts: dict[int, dict]) -> str:
    name = contacts.get(contact_id, {}).get("name", "")
    return f"#{contact_id} {name}".strip() if isinstance(name, str) else f"#{contact_id}"


def referral_findings(contacts: dict[int, dict]) -> list[str]:
    """Referrers that do not exist, and chains of referrers that come back to themselves."""
    findings = []
    for contact_id, doc in contacts.items():
        referrer = doc.get("referred_by")
        if isinstance(referrer, int) and referrer not in contacts:
            findings.append(f"contact {_label(contact_id, contacts)}: referred_by #{referrer}, "
                            "a contact that does not exist")
    reported: set[int] = set()
    for start in contacts:
        chain: list[int] = []
        current: object = start
        while isinstance(current, int) and current in contacts and current not in chain:
            chain.append(current)
            current = contacts[current].get("referred_by")
        if isinstance(current, int) and current in chain:
            loop = chain[chain.index(current):]
            if not reported.intersection(loop):
                reported.update(loop)
                path = " → ".join(_label(i, contacts) for i in [*loop, current])
                findings.append(f"referral loop: {path}")
    return findings


def link_findings(data: dict, contacts: dict[int, dict]) -> list[str]:
    """Interactions, meetings and follow-ups of a contact that does not exist."""
    findings = []
    for cls, name in CONTACT_LINKS:
        for key, doc in data.get(cls.TABLE, {}).items():
            target = doc.get(name, defaults(cls)[name])  # (a field left out: its default)
            if isinstance(target, int) and target not in contacts:
                findings.append(f"{cls.TABLE} #{key}: {name} #{target}, a contact that does "
                                "not exist")
    for key, doc in data.get(Meeting.TABLE, {}).items():
        referrals = doc.get("referrals")
        missing = ([i for i in referrals if type(i) is int and i not in contacts]
                   if isinstance(referrals, list) else [])  # (other items: record_findings)
        if missing:
            findings.append(f"meetings #{key}: referrals {', '.join(f'#{i}' for i in missing)} "
                            "do not exist")
    return findings


def _distinct(data: dict) -> set[frozenset]:
    """The pairs the user marked as two people (`coffeechat distinct`)."""
    return {frozenset((doc.get("first"), doc.get("second")))
            for key, doc in data.get(DistinctPair.TABLE, {}).items()
            if not first_problem(DistinctPair, key, doc)}  # a bad one is a finding itself


def duplicate_findings(contacts: dict[int, dict], distinct: set[frozenset] = frozenset()
                       ) -> list[str]:
    """Contacts an import would take for the same person: same LinkedIn URL, else email,
    else name and company (ignoring case and accents); not a contact merged into another,
    nor a pair marked distinct."""
    findings = []
    for label, key in DUPLICATE_KEYS:
        groups: dict[object, list[int]] = {}
        for contact_id, doc in contacts.items():
            if doc.get("merged_into") is not None:
                continue
            if not all(isinstance(doc.get(f, ""), str) for f in ("linkedin", "email", "name",
                                                                  "company")):
                continue  # reported as a field of the wrong kind
            value = key(doc)
            if value and value != ("", ""):
                groups.setdefault(value, []).append(contact_id)
        findings += [
            f"possible duplicates (same {label}): "
            + ", ".join(_label(i, contacts) for i in ids)
            for ids in groups.values()
            if any(frozenset((a, b)) not in distinct for a in ids for b in ids if a < b)
        ]
    return findings


# -- restoring a backup ------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    path: Path
    contacts: int


def good_backup(path: Path, today: date | None = None) -> Backup | None:
    """The newest backup coffeechat wrote that loads as a database this coffeechat reads."""
    for candidate in backups(real_path(path), today or date.today()):
        try:
            data = read_database(candidate)
            if data is not None and Store.schema_version(data) <= SCHEMA_VERSION:
                return Backup(candidate, len(data.get(Contact.TABLE, {})))
        except StoreError:
            continue
    return None


def restore(path: Path, backup: Backup, now: Callable[[], datetime] = datetime.now) -> Path | None:
    """Put the backup in place of the database, under the lock. The file that was there
    is kept as `<name>.corrupt-<timestamp>` (its path is returned), never deleted."""
    path = real_path(path)
    kept = None
    with FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT, mode=FILE_MODE):
        if os.path.lexists(path):
            kept = path.with_name(f"{path.name}.corrupt-{now():%Y%m%d-%H%M%S}")
            os.rename(path, kept)
        write_private(path, read_chunks(backup.path))
    return kept
