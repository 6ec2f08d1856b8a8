"""What a write changed: the store's change feed, conflicts, and undo's raw material.

Every transaction reports the records it changed as one `Changes` (each record with its
document before and after); so does a reload that finds the file written by another
process, by comparing the documents it held with the ones it read. Screens re-read only
what a `Changes` names, and undo is the inverse of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.errors import CoffeeError
from store.records import whole_doc

CONTACTS = "contacts"
# Written on every write of a record; not part of what a change is about.
BOOKKEEPING = frozenset({"rev", "updated_at"})


@dataclass(frozen=True)
class Change:
    """One record's document before and after (None: not there)."""

    table: str
    id: int
    before: dict | None
    after: dict | None

    @property
    def fields(self) -> set[str]:
        """The fields this change set, bookkeeping left out; a field written out at its
        default and one a document leaves out are the same."""
        before = whole_doc(self.table, self.before or {})
        after = whole_doc(self.table, self.after or {})
        return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} - BOOKKEEPING


@dataclass(frozen=True)
class Changes:
    """The records one write changed (`external`: written by another process; `everything`:
    the whole file was replaced or could not be compared)."""

    changes: tuple[Change, ...] = ()
    external: bool = False
    everything: bool = False

    @classmethod
    def of(cls, log: list[Change], *, external: bool = False, everything: bool = False) -> Changes:
        """One change per record: the first `before` and the last `after` of the log."""
        merged: dict[tuple[str, int], Change] = {}
        for change in log:
            key = (change.table, change.id)
            first = merged.get(key)
            merged[key] = change if first is None else Change(
                change.table, change.id, first.before, change.after)
        kept = tuple(c for c in merged.values() if c.before != c.after)
        return cls(kept, external=external, everything=everything)

    def __bool__(self) -> bool:
        return bool(self.changes) or self.everything

    def ids(self, table: str) -> set[int]:
        return {c.id for c in self.changes if c.table == table}

    @property
    def contact_ids(self) -> set[int]:
        """The contacts concerned: changed themselves, or owning a changed record."""
        ids = self.ids(CONTACTS)
        for change in self.changes:
            for doc in (change.before, change.after):
                if doc and isinstance(doc.get("contact_id"), int):
                    ids.add(doc["contact_id"])
        return ids

    @property
    def concerns_everyone(self) -> bool:
        """A changed record that belongs to no one contact (a setting, an agenda mark):
        anyone's agenda may have changed."""
        return self.everything or any(
            c.table != CONTACTS and not any(doc and "contact_id" in doc
                                            for doc in (c.before, c.after))
            for c in self.changes)


def diff(old: dict, new: dict) -> list[Change]:
    """The documents that differ between two states of the file, {table: {id: doc}}."""
    changes: list[Change] = []
    for name in old.keys() | new.keys():
        before, after = old.get(name, {}), new.get(name, {})
        if before == after:
            continue
        for key in before.keys() | after.keys():
            a, b = before.get(key), after.get(key)
            if a != b:
                try:
                    changes.append(Change(name, int(key), a, b))
                except ValueError:
                    continue
    return changes


@dataclass(frozen=True)
class FieldConflict:
    """A field a write changes that was changed on disk since the screen read it."""

    field: str
    seen: object  # what the screen showed
    stored: object  # on disk now
    mine: object  # what the write wanted


class ConflictError(CoffeeError):
    """A write refused because what it changes was changed elsewhere since it was read;
    nothing was written. `conflicts` names each field with both values, `rev` is the
    record's revision now (send it with the user's choice)."""

    def __init__(self, message: str, *, table: str = "", record_id: int | None = None,
                 conflicts: list[FieldConflict] | None = None, rev: int | None = None) -> None:
        super().__init__(message)
        self.table = table
        self.record_id = record_id
        self.conflicts = conflicts or []
        self.rev = rev


@dataclass
class UndoEntry:
    """A write the user may undo: its label and, once it is written, what it changed
    (`failed`: it was refused, so there is nothing to undo)."""

    label: str
    changes: Changes = field(default_factory=Changes)
    failed: bool = False
