"""The records kept in the database: plain dataclasses with to_doc / from_doc."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar, Self

from store.errors import InputError

STAGES: tuple[str, ...] = ("target", "contacted", "met", "thanked", "referred")


def check_stage(stage: str) -> str:
    """The stage named (case-insensitive), or an InputError listing the valid ones."""
    name = stage.strip().lower()
    if name not in STAGES:
        raise InputError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    return name


@dataclass
class Record:
    """A document of one table; `id` is TinyDB's document id."""

    TABLE: ClassVar[str]
    id: int | None = None

    def to_doc(self) -> dict:
        doc = asdict(self)
        del doc["id"]
        return doc

    @classmethod
    def from_doc(cls, doc: dict, doc_id: int | str | None = None) -> Self:
        known, lists = _field_names(cls)
        # The common case (a doc of known fields only) skips the filtering copy: this runs
        # for every record of a table, 20,000 contacts at a time.
        record = cls(**doc) if known.issuperset(doc) else cls(
            **{k: v for k, v in doc.items() if k in known}
        )
        for name in lists:  # never share a list with the storage's cached data
            value = getattr(record, name)
            if isinstance(value, list):
                setattr(record, name, list(value))
        record.id = int(doc_id) if doc_id is not None else getattr(doc, "doc_id", None)
        return record


_FIELD_NAMES: dict[type, tuple[frozenset[str], tuple[str, ...]]] = {}


def _field_names(cls: type) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stored fields of a record class, and those of them that hold lists."""
    if cls not in _FIELD_NAMES:
        stored = [f for f in fields(cls) if f.name != "id"]
        _FIELD_NAMES[cls] = (
            frozenset(f.name for f in stored),
            tuple(f.name for f in stored if f.default_factory is list),
        )
    return _FIELD_NAMES[cls]


@dataclass
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
    stage_history: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    research: str = ""
    culture: str = ""
    connected_on: str = ""
    keep_in_touch: str = ""
    created_at: str = ""
    updated_at: str = ""
    archived: bool = False

    @property
    def headline(self) -> str:
        """"role @ company", with whichever part is known."""
        if self.role and self.company:
            return f"{self.role} @ {self.company}"
        return self.role or (f"@ {self.company}" if self.company else "")

    @property
    def stage_since(self) -> str:
        """When the contact entered its current stage (ISO), or when it was created."""
        for entry in reversed(self.stage_history):
            if entry.get("stage") == self.stage:
                return entry.get("at", "")
        return self.created_at


@dataclass
class Interaction(Record):
    """Something that happened with a contact: a message, a reply, a call, a meeting."""

    TABLE: ClassVar[str] = "interactions"
    contact_id: int = 0
    kind: str = ""
    channel: str = ""
    at: str = ""
    text: str = ""


@dataclass
class Meeting(Record):
    """One informational interview; ended_at is None while it is still going on."""

    TABLE: ClassVar[str] = "meetings"
    contact_id: int = 0
    started_at: str = ""
    ended_at: str | None = None
    planned_minutes: int = 30
    medium: str = "coffee"
    notes: str = ""
    questions_asked: list[str] = field(default_factory=list)
    referrals: list[int] = field(default_factory=list)
    todos: list[int] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)


@dataclass
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
