"""The records kept in the database: typed msgspec Structs with to_doc / from_doc.

Every record carries `rev`, the number of writes it has had: a write from a screen sends
the fields it changes with the revision it saw, so a change made meanwhile is never
silently written over (see Store.update)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import ClassVar, Self

import msgspec

from store.errors import InputError

STAGES: tuple[str, ...] = ("target", "contacted", "met", "thanked", "referred")


def check_stage(stage: str) -> str:
    """The stage named (case-insensitive), or an InputError naming the closest and
    listing the valid ones."""
    name = stage.strip().lower()
    if name not in STAGES:
        import difflib  # (only for a mistake)

        close = difflib.get_close_matches(name, STAGES, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise InputError(f"unknown stage {stage!r}: {hint}use one of {', '.join(STAGES)}")
    return name


def parse_iso(text: str | None, *, aware: bool = False) -> datetime | None:
    """A stored ISO datetime, or None when missing or unreadable (with `aware`, also when
    it has no time zone): a bad value in the file hides one item, never crashes."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None
    return None if aware and moment is not None and moment.tzinfo is None else moment


def stage_after(stage: str, delta: int) -> str:
    """The stage `delta` steps on from `stage` (+1 next, -1 previous), kept within the ends."""
    return STAGES[min(max(STAGES.index(stage) + delta, 0), len(STAGES) - 1)]


# {table: record class}, filled as each kind is defined (store.schema imports them all).
KINDS: dict[str, type[Record]] = {}


class Record(msgspec.Struct, gc=False):
    """A document of one table; `id` is TinyDB's document id. Made with keywords:
    `Contact(name="Ada Li", stage="met")`; a field not given is its default.

    Each kind is a msgspec Struct: its fields and types are the schema a document is
    read with (`from_doc`, one C call a record) and checked against (store.schema). No
    record holds another, so none is in the cycle collector's way (`gc=False`)."""

    TABLE: ClassVar[str]
    id: int | None = None
    rev: int = 0  # counts the writes of this record: a patch names the one it saw

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        KINDS[cls.TABLE] = cls  # each kind is checked against its own fields (store.schema)

    def to_doc(self) -> dict:
        doc = msgspec.to_builtins(self)  # (its own lists: never the record's)
        del doc["id"]
        return doc

    def fields_doc(self) -> dict:
        """The record's own fields, without the id and the revision (what a user sees)."""
        doc = self.to_doc()
        del doc["rev"]
        return doc

    def replace(self, **changes: object) -> Self:
        """A copy with these fields changed (the others are shared with this one)."""
        return msgspec.structs.replace(self, **changes)

    @classmethod
    def from_doc(cls, doc: dict, doc_id: int | str | None = None) -> Self:
        """The record a stored document holds, with its own lists (what is in them is
        shared with the document: a stage history's entries are never changed in place).
        A field is taken as it is (a file not checked yet: see store.schema); an unknown
        one is left out. (The Struct's own __init__, in C: msgspec.convert, which checks
        the types, copied every entry too, and took twice the memory: +7 MB at 20,000.)"""
        known, lists, _ = _shape(cls)
        values = doc if known.issuperset(doc) else {n: v for n, v in doc.items() if n in known}
        record = cls(**values)
        for name in lists.intersection(values):
            if type(value := values[name]) is list:
                setattr(record, name, list(value))  # (never the storage's own list)
        record.id = int(doc_id) if doc_id is not None else getattr(doc, "doc_id", None)
        return record


    @classmethod
    def all_from_json(cls, table: bytes) -> list[Self] | None:
        """Every record of a table's JSON, in id order, decoded straight into this kind
        (one C call for the table); None if one does not fit its types (then read from
        documents, as from_doc does)."""
        try:
            records = _decoder(cls)(table)
        except msgspec.ValidationError:
            return None
        for key, record in records.items():
            record.id = key
        return [records[key] for key in sorted(records)]


@cache
def _decoder(cls: type[Record]) -> Callable[[bytes], dict[int, Record]]:
    return msgspec.json.Decoder(dict[int, cls]).decode


_SHAPES: dict[type, tuple[frozenset[str], frozenset[str], dict]] = {}


def _shape(cls: type) -> tuple[frozenset[str], frozenset[str], dict]:
    """The stored fields of a record class, those that hold lists, and their defaults."""
    if cls not in _SHAPES:
        stored = [f for f in msgspec.structs.fields(cls) if f.name != "id"]
        if any(f.required for f in stored):
            raise TypeError(f"{cls.__name__}: every stored field needs a default (older files)")
        _SHAPES[cls] = (
            frozenset(f.name for f in stored),
            frozenset(f.name for f in stored if f.default_factory is list),
            {f.name: [] if f.default_factory is list else f.default for f in stored},
        )
    return _SHAPES[cls]


def defaults(cls: type[Record]) -> dict:
    """The stored fields of a record class with their defaults (what a missing one means)."""
    return _shape(cls)[2]


def lean_doc(table: str, doc: dict) -> dict:
    """A document of `table` as it is written: without the fields at their kind's default,
    which a missing field means (the demo file at 20,000 contacts: 21.4 MB, not 25.4). A
    value of another type is kept: `0` is not a flag's `False`. A table of no kind (the
    settings) is kept whole."""
    kind = KINDS.get(table)
    if kind is None:
        return doc
    base = defaults(kind)
    return {name: value for name, value in doc.items()
            if name not in base or value != base[name] or type(value) is not type(base[name])}


def whole_doc(table: str, doc: dict) -> dict:
    """A document of `table` with every field of its kind, a missing one at its default
    (the lists are the defaults' own: never change them)."""
    kind = KINDS.get(table)
    return {**defaults(kind), **doc} if kind is not None else doc


class Contact(Record):
    """A person: someone to reach, met, thanked, or who referred others."""

    TABLE: ClassVar[str] = "contacts"
    name: str = ""
    role: str = ""
    company: str = ""
    industry: str = ""
    email: str = ""
    phone: str = ""
    linkedin: str = ""
    location: str = ""
    how_we_know: str = ""
    referred_by: int | None = None
    stage: str = "target"
    stage_history: list[dict] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    notes: str = ""
    research: str = ""
    culture: str = ""
    connected_on: str = ""
    keep_in_touch: str = ""
    created_at: str = ""
    updated_at: str = ""
    archived: bool = False
    merged_into: int | None = None  # kept archived after a merge into that contact

    @property
    def headline(self) -> str:
        return headline(self.role, self.company)

    @property
    def stage_since(self) -> str:
        """When the contact entered its current stage (ISO), or when it was created."""
        return entered(self.stage, self.stage_history, self.created_at)

    def moved(self, stage: str, at: str) -> Contact:
        """The contact as a move to `stage` at `at` leaves it (a copy; nothing written)."""
        return self.replace(stage=stage, stage_history=[*self.stage_history,
                                                         {"stage": stage, "at": at}])


def headline(role: str, company: str) -> str:
    """"role @ company", with whichever part is known."""
    if role and company:
        return f"{role} @ {company}"
    return role or (f"@ {company}" if company else "")


def entered(stage: str, history: list[dict], created_at: str) -> str:
    """When a contact entered `stage` last (ISO), from its stage history; else when it
    was created."""
    for entry in reversed(history):
        if entry.get("stage") == stage:
            return entry.get("at", "")
    return created_at


def board_row(contact_id: int, doc: dict) -> dict:
    """What the board shows of a stored contact: its row in the file's board table,
    which every write derives from the contacts and the app's start reads first (see
    store.storage)."""
    get, stage = doc.get, doc.get("stage", "target")  # (the fields' defaults: Contact's)
    return {"archived": get("archived", False), "company": get("company", ""),
            "id": contact_id, "industry": get("industry", ""), "name": get("name", ""),
            "rev": get("rev", 0), "role": get("role", ""),
            "since": entered(stage, get("stage_history", []), get("created_at", "")),
            "stage": stage}


class Interaction(Record):
    """Something that happened with a contact: a message, a reply, a call, a meeting."""

    TABLE: ClassVar[str] = "interactions"
    contact_id: int = 0
    kind: str = ""
    channel: str = ""
    at: str = ""
    text: str = ""


REPLY_KIND = "reply received"  # the interaction a reply is logged as (stats, follow-ups)


MEETING_STATES = ("scheduled", "preparing", "running", "ended", "discarded")


class Meeting(Record):
    """One informational interview: scheduled → preparing → running → ended, or discarded.

    `state` is empty in files from before it existed; `status` reads those from
    started_at and ended_at."""

    TABLE: ClassVar[str] = "meetings"
    contact_id: int = 0
    state: str = ""
    scheduled_for: str | None = None  # when it is planned (ISO), if it was scheduled
    where: str = ""
    started_at: str = ""  # when the clock started; empty until then
    ended_at: str | None = None
    planned_minutes: int = 30
    medium: str = "coffee"
    notes: str = ""
    questions_asked: list[str] = msgspec.field(default_factory=list)
    referrals: list[int] = msgspec.field(default_factory=list)
    todos: list[int] = msgspec.field(default_factory=list)
    resources: list[str] = msgspec.field(default_factory=list)
    questions_planned: list[str] = msgspec.field(default_factory=list)  # chosen while preparing

    @property
    def status(self) -> str:
        """One of MEETING_STATES (an older record: running until ended_at is set)."""
        if self.state in MEETING_STATES:
            return self.state
        if self.ended_at:
            return "ended"
        return "running" if self.started_at else "scheduled"

    @property
    def held(self) -> bool:
        """Started and not discarded: what the numbers count as a meeting."""
        return bool(self.started_at) and self.status != "discarded"


class FollowUp(Record):
    """Something to do for a contact by a date: a promise, a thank-you note."""

    TABLE: ClassVar[str] = "followups"
    contact_id: int = 0
    kind: str = "todo"
    text: str = ""
    due: str | None = None
    done_at: str | None = None
    snoozed_until: str | None = None
    meeting_id: int | None = None
    created_at: str = ""


EMPLOYER_STATUSES: tuple[str, ...] = ("active", "parked", "done")
MOTIVATIONS = range(0, 4)  # M: 0 (none) to 3 (dream employer)
POSTINGS = range(1, 4)  # P: 1 (no open roles in my field) to 3 (several)


class Employer(Record):
    """An organisation on the LAMP list (the 2-Hour Job Search): Advocacy (do I know
    someone there or share a school: yes/no), Motivation 0–3, Posting 1–3. Its contacts
    are those whose company is its name, matched as imports match (store.employers)."""

    TABLE: ClassVar[str] = "employers"
    name: str = ""
    advocacy: bool = False
    motivation: int = 0
    posting: int = 1
    notes: str = ""
    status: str = "active"
    created_at: str = ""
    updated_at: str = ""
# The other kinds, kept here so that checking a file needs no feature module: each is
# used (and re-exported) by its feature module (followups, drafts, merge, questions).


class AgendaMark(Record):
    """Done or snoozed, for an agenda item that has no follow-up record of its own."""

    TABLE: ClassVar[str] = "agenda_marks"
    key: str = ""
    done_at: str | None = None
    snoozed_until: str | None = None


class Template(Record):
    """The text of one kind of note; `key` names it for good, `title` is for people."""

    TABLE: ClassVar[str] = "templates"
    key: str = ""
    kind: str = "outreach"
    title: str = ""
    text: str = ""


class KeptDraft(Record):
    """A draft the user left with "keep it": `w` on the card opens it again."""

    TABLE: ClassVar[str] = "kept_drafts"
    contact_id: int = 0
    kind: str = ""
    text: str = ""
    at: str = ""


class DistinctPair(Record):
    """Two contacts the user said are two people: no longer named as duplicates."""

    TABLE: ClassVar[str] = "distinct_pairs"
    first: int = 0
    second: int = 0


class Question(Record):
    """A question to ask in a meeting, with the tags that choose it (store.questions)."""

    TABLE: ClassVar[str] = "questions"
    text: str = ""
    tags: list[str] = msgspec.field(default_factory=list)
