"""Tidying the network: merging two records of one person, marking two that only look
alike as distinct, and deleting a contact with what belongs to it.

Duplicates are found as imports match rows (store.importing.matching): the same LinkedIn
URL, else email, else name and company, ignoring case and accents. A merge is planned
first (a field-by-field view the user confirms, choosing each conflicting value), then
applied in one transaction: everything of OTHER moves to KEEP, and OTHER stays in the
file archived with `merged_into`, so undoing the write puts both back exactly.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from store.changes import ConflictError
from store.db import Store
from store.errors import InputError
from store.files import FILE_MODE, FOLDER_MODE
from store.records import (
    STAGES, AgendaMark, Contact, DistinctPair, FollowUp, Interaction, KeptDraft, Meeting,
)
from store.storage import backup_folder

# The fields a merge shows, in the order the edit form shows them.
MERGED_FIELDS = (
    "name", "role", "company", "industry", "email", "phone", "linkedin", "location",
    "how_we_know", "referred_by", "tags", "keep_in_touch", "connected_on", "notes",
    "research", "culture",
)
OWNED = (Interaction, Meeting, FollowUp, KeptDraft)  # the records that belong to one contact




def distinct_pairs(store: Store) -> set[frozenset[int]]:
    return {frozenset((p.first, p.second)) for p in store.records(DistinctPair)}


def mark_distinct(store: Store, a: int, b: int) -> None:
    """Remember that contacts a and b are different people."""
    if a == b:
        raise InputError("a contact is always the same person as itself")
    with store.transaction():
        store.contact(a), store.contact(b)
        if frozenset((a, b)) not in distinct_pairs(store):
            store.insert(DistinctPair(first=min(a, b), second=max(a, b)))


def find_duplicate(contacts: Iterable[Contact], fields: dict, *, not_id: int | None = None,
                   distinct: set[frozenset[int]] = frozenset()) -> Contact | None:
    """The contact (archived ones included, merged ones not) these fields would match on
    import, other than `not_id` and those marked distinct from it; or None."""
    from store.importing.matching import Matcher  # the importers load only when asked

    others = [c for c in contacts if c.id != not_id and c.merged_into is None
              and frozenset((c.id, not_id)) not in distinct]
    return Matcher(others).find(fields)


def likely_duplicate(store: Store, fields: dict, *, not_id: int | None = None) -> Contact | None:
    """find_duplicate among the stored contacts."""
    return find_duplicate(store.contacts(include_archived=True), fields, not_id=not_id,
                          distinct=distinct_pairs(store))


# -- merging -------------------------------------------------------------------------------


@dataclass
class FieldChoice:
    """One field of the merged contact: KEEP's value, OTHER's, and which one is taken."""

    name: str
    keep: object
    other: object
    take_other: bool

    @property
    def conflict(self) -> bool:
        """Both hold a different value (tags are combined, never a conflict)."""
        return (self.name != "tags" and bool(self.keep) and bool(self.other)
                and self.keep != self.other)

    @property
    def value(self) -> object:
        return self.other if self.take_other else self.keep


@dataclass
class MergePlan:
    keep: Contact
    other: Contact
    fields: list[FieldChoice]
    moved: dict[str, int] = field(default_factory=dict)  # table: records that move to KEEP
    referred: int = 0  # contacts referred by OTHER, referred by KEEP after

    @property
    def conflicts(self) -> list[FieldChoice]:
        return [f for f in self.fields if f.conflict]


def plan_merge(store: Store, keep_id: int, other_id: int) -> MergePlan:
    """What merging OTHER into KEEP does: empty fields of KEEP filled from OTHER, tags
    combined, a conflicting field KEEP's until the user picks OTHER's."""
    if keep_id == other_id:
        raise InputError("pick two different contacts to merge")
    keep, other = store.contact(keep_id), store.contact(other_id)
    for contact in (keep, other):
        if contact.merged_into is not None:
            raise InputError(f"{contact.name} (#{contact.id}) was merged into "
                             f"#{contact.merged_into} already")
    choices = []
    for name in MERGED_FIELDS:
        mine, theirs = getattr(keep, name), getattr(other, name)
        if name == "tags":
            theirs = [*mine, *(t for t in theirs if t not in mine)]
        if name == "referred_by" and theirs == keep.id:
            theirs = None  # OTHER was referred by KEEP: not a link KEEP can have to itself
        choices.append(FieldChoice(name, mine, theirs, take_other=not mine and bool(theirs)
                                   or name == "tags"))
    moved = {cls.TABLE: len(store.find(cls, contact_id=other_id)) for cls in OWNED}
    referred = len(store.find(Contact, referred_by=other_id))
    return MergePlan(keep, other, choices, moved, referred)


def merge(store: Store, plan: MergePlan) -> Contact:
    """Apply a merge plan in one transaction; KEEP as it is after. Refused (nothing
    written) when either contact changed since the plan was made."""
    with store.transaction():
        keep, other = store.contact(plan.keep.id), store.contact(plan.other.id)
        if (keep.rev, other.rev) != (plan.keep.rev, plan.other.rev):
            raise ConflictError(f"{keep.name} or {other.name} changed since the merge view "
                                "opened; nothing was merged — open it again")
        for cls in OWNED:
            for record in store.find(cls, contact_id=other.id):
                store.update(cls, record.id, {"contact_id": keep.id})
        for meeting in store.records(Meeting):
            if other.id in meeting.referrals:
                store.update(Meeting, meeting.id, {"referrals": [
                    keep.id if r == other.id else r for r in meeting.referrals]})
        for referred in store.find(Contact, referred_by=other.id):
            if referred.id != keep.id:
                store.update(Contact, referred.id, {"referred_by": keep.id})
        for pair in store.records(DistinctPair):
            if other.id in (pair.first, pair.second):
                store.remove(DistinctPair, pair.id)
        history = sorted([*keep.stage_history, *other.stage_history],
                         key=lambda entry: str(entry.get("at", "")))
        changes = {choice.name: choice.value for choice in plan.fields}
        stage = max(keep.stage, other.stage, key=STAGES.index)
        changes.update(stage=stage, stage_history=history,
                       created_at=min(keep.created_at, other.created_at) or keep.created_at,
                       archived=keep.archived and other.archived)
        merged = store.update(Contact, keep.id, changes)
        store.update(Contact, other.id, {"archived": True, "merged_into": keep.id})
    return merged


# -- deleting ------------------------------------------------------------------------------


@dataclass
class Deletion:
    """What deleting a contact takes with it, and who points at it."""

    contact: Contact
    owned: dict[str, int]  # table: records that go too
    referred: list[Contact]  # contacts whose referred_by is this one

    def summary(self) -> str:
        parts = [f"{n} {table}" for table, n in self.owned.items() if n]
        notes = " and its notes" if self.contact.notes else ""
        goes = ", ".join(parts) if parts else "no meetings, interactions or follow-ups"
        return f"{self.contact.name} (#{self.contact.id}){notes}, with {goes}"


def plan_delete(store: Store, contact_id: int) -> Deletion:
    contact = store.contact(contact_id)
    owned = {cls.TABLE: len(store.find(cls, contact_id=contact_id)) for cls in OWNED}
    return Deletion(contact, owned, store.find(Contact, referred_by=contact_id))


def delete_contact(store: Store, contact_id: int, links: str | None = None) -> Deletion:
    """Delete the contact and its meetings, interactions and follow-ups, after copying the
    file to the backup folder. While others were referred by it, `links` must say
    "clear" (their referrer is emptied) or "keep" (they keep the id of a deleted contact)."""
    with store.transaction():
        deletion = plan_delete(store, contact_id)
        if deletion.referred and links not in ("clear", "keep"):
            names = ", ".join(c.name for c in deletion.referred[:5])
            raise InputError(
                f"{deletion.contact.name} referred {len(deletion.referred)} contact(s) "
                f"({names}); say whether to clear or keep those links — nothing was deleted")
        keep_copy(store, f"before-delete-{contact_id}")
        for cls in OWNED:
            for record in store.find(cls, contact_id=contact_id):
                store.remove(cls, record.id)
        for mark in store.records(AgendaMark):
            if mark.key.split(":")[1:2] == [str(contact_id)]:
                store.remove(AgendaMark, mark.id)
        for pair in store.records(DistinctPair):
            if contact_id in (pair.first, pair.second):
                store.remove(DistinctPair, pair.id)
        if links == "clear":
            for referred in deletion.referred:
                store.update(Contact, referred.id, {"referred_by": None})
        store.remove(Contact, contact_id)
    return deletion


def keep_copy(store: Store, label: str) -> str:
    """Copy the database file, as it is now, into its backup folder (0600); the copy's path.
    Called inside a transaction, so the copy is the state the change starts from."""
    folder = backup_folder(store.path)
    folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 100):
        target = folder / f"{label}-{stamp}{f'-{n}' if n > 1 else ''}.json"
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         FILE_MODE)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as copy, open(store.path, "rb") as source:
            shutil.copyfileobj(source, copy)
        return str(target)
    raise InputError(f"{folder}: too many copies named {label} this second")
