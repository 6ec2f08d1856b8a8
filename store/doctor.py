"""`coffeechat doctor`: check the database file without changing it, and restore the
newest good backup when the file cannot be used.

The checks read the file as it is (opening a Store would create, migrate or tidy it):
its shape and schema, every record against its record type, contact links (a referrer
that does not exist, referral loops, records of a missing contact), likely duplicates
(matched as imports match them), temp files a killed writer left, and who may read it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from filelock import FileLock

from store.db import LOCK_TIMEOUT, META_TABLE, SCHEMA_VERSION, SETTINGS_TABLE, Store
from store.drafts import Template
from store.errors import StoreError
from store.followups import AgendaMark
from store.importing import KEYS
from store.merge import DistinctPair
from store.permissions import file_mode, open_to_others
from store.questions import Question
from store.records import STAGES, Contact, FollowUp, Interaction, Meeting, Record
from store.storage import FILE_MODE, AtomicJSONStorage, backup_folder

RECORD_TYPES: tuple[type[Record], ...] = (
    Contact, Interaction, Meeting, FollowUp, Template, Question, AgendaMark, DistinctPair,
)
KNOWN_TABLES = {cls.TABLE for cls in RECORD_TYPES} | {META_TABLE, SETTINGS_TABLE}
DUPLICATE_KEYS = tuple(zip(("LinkedIn URL", "email", "name and company"), KEYS, strict=True))
# Records that name a contact, and the field that does.
CONTACT_LINKS: tuple[tuple[type[Record], str], ...] = (
    (Interaction, "contact_id"), (Meeting, "contact_id"), (FollowUp, "contact_id"),
    (DistinctPair, "first"), (DistinctPair, "second"),
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
    """The file's tables as they are (None when there is no file); StoreError if unusable."""
    return AtomicJSONStorage(path).read()


def check(path: Path) -> Checkup:
    """Every check on the file at `path`; changes nothing."""
    findings = stray_temp_files(path) + permission_findings(path)
    try:
        data = read_database(path)
    except StoreError as exc:  # "PATH: problem; the file was not touched — what to do"
        problem = str(exc).rpartition(" — ")[0] or str(exc)
        return Checkup(path, [problem, *findings])
    if data is None:
        return Checkup(path, [f"{path}: no database file here", *findings])
    version = Store.schema_version(data)
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
    strays += sorted(backup_folder(path).glob(".backup.*.tmp"))
    return [f"{stray}: a temp file left by an interrupted write; safe to delete"
            for stray in strays]


def permission_findings(path: Path) -> list[str]:
    """The file and its backups private to the user (0600, their folder 0700). The
    database's own folder is the user's choice (--db may put it anywhere)."""
    folder = backup_folder(path)
    places = [path]
    if folder.is_dir():
        places += [folder, *sorted(folder.glob("*.json"))]
    return [
        f"{place}: other users may read it (mode {mode:04o}); chmod "
        f"{'700' if place.is_dir() else '600'} {place}"
        for place in places
        if place.exists() and open_to_others(mode := file_mode(place))
    ]


def unknown_tables(data: dict) -> list[str]:
    return [f"table {name!r}: not one coffeechat keeps (left alone)"
            for name in sorted(data.keys() - KNOWN_TABLES)]


# -- the records -------------------------------------------------------------------------


def record_findings(data: dict) -> list[str]:
    """Every record against its type: ids are numbers, fields hold their kind of value."""
    findings = []
    for cls in RECORD_TYPES:
        for key, doc in data.get(cls.TABLE, {}).items():
            where = f"{cls.TABLE} #{key}"
            if not key.isdigit():
                findings.append(f"{where}: the id is not a number")
                continue
            findings += [f"{where}: {problem}" for problem in field_problems(cls, doc)]
    return findings


def field_problems(cls: type[Record], doc: dict) -> list[str]:
    """What in `doc` does not fit the record type: a field of the wrong kind, a stage
    that is none of the stages."""
    problems = []
    for name, kinds in _field_kinds(cls).items():
        if name not in doc:
            continue  # a field added later: the record loads with its default
        value = doc[name]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            problems.append(f"{name} is {type(value).__name__} {_short(value)}, "
                            f"not {_kind_names(kinds)}")
    stage = doc.get("stage", "target")
    if cls is Contact and isinstance(stage, str) and stage not in STAGES:
        problems.append(f"stage {_short(stage)} is not one of {', '.join(STAGES)}")
    return problems


_KINDS: dict[type, dict[str, tuple[type, ...]]] = {}


def _field_kinds(cls: type[Record]) -> dict[str, tuple[type, ...]]:
    """{field: the Python types its value may have}, from the dataclass annotations
    (`int | None` → (int, NoneType), `list[str]` → (list,))."""
    if cls not in _KINDS:
        hints = typing.get_type_hints(cls)
        _KINDS[cls] = {f.name: _kinds(hints[f.name]) for f in fields(cls) if f.name != "id"}
    return _KINDS[cls]


def _kinds(hint: object) -> tuple[type, ...]:
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return tuple(typing.get_origin(part) or part
                 for part in (typing.get_args(hint) if union else (hint,)))


def _kind_names(kinds: tuple[type, ...]) -> str:
    return " or ".join("null" if k is type(None) else k.__name__ for k in kinds)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# -- links between records ---------------------------------------------------------------


def _contacts(data: dict) -> dict[int, dict]:
    """{id: doc} in id order (the file sorts its keys as text: "10" before "9")."""
    table = data.get(Contact.TABLE, {})
    return {int(key): table[key] for key in sorted(filter(str.isdigit, table), key=int)}


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
            target = doc.get(name)
            if isinstance(target, int) and target not in contacts:
                findings.append(f"{cls.TABLE} #{key}: {name} #{target}, a contact that does "
                                "not exist")
    for key, doc in data.get(Meeting.TABLE, {}).items():
        referrals = doc.get("referrals")
        missing = [i for i in referrals if i not in contacts] if isinstance(referrals, list) else []
        if missing:
            findings.append(f"meetings #{key}: referrals {', '.join(f'#{i}' for i in missing)} "
                            "do not exist")
    return findings


def _distinct(data: dict) -> set[frozenset]:
    """The pairs the user marked as two people (`coffeechat distinct`)."""
    return {frozenset((doc.get("first"), doc.get("second")))
            for doc in data.get(DistinctPair.TABLE, {}).values()}


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


def good_backup(path: Path) -> Backup | None:
    """The newest backup that loads as a database this coffeechat reads, if any."""
    try:
        candidates = sorted(backup_folder(path).glob("*.json"), reverse=True)
    except OSError:
        return None
    for candidate in candidates:
        try:
            data = read_database(candidate)
        except StoreError:
            continue
        if data is not None and Store.schema_version(data) <= SCHEMA_VERSION:
            return Backup(candidate, len(data.get(Contact.TABLE, {})))
    return None


def restore(path: Path, backup: Backup, now: Callable[[], datetime] = datetime.now) -> Path | None:
    """Put the backup in place of the database, under the lock. The file that was there
    is kept as `<name>.corrupt-<timestamp>` (its path is returned), never deleted."""
    kept = None
    with FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT, mode=FILE_MODE, is_singleton=False):
        if path.exists():
            kept = path.with_name(f"{path.name}.corrupt-{now():%Y%m%d-%H%M%S}")
            os.rename(path, kept)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out, open(backup.path, "rb") as source:
                shutil.copyfileobj(source, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, FILE_MODE)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return kept
