"""Applying the rows a reader read: in ONE transaction, rolled back for a dry run.

A row its Matcher finds only fills that contact's empty fields, so the same import run
again adds nothing; any other row is a new contact. `referred_by` names are resolved
last, against everyone, the rows just added included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from store.db import Store
from store.importing.matching import Matcher
from store.importing.report import ImportReport
from store.importing.rows import FILLED_FIELDS, Row
from store.records import Contact


def _fill(contact: Contact, fields: dict) -> bool:
    """Set the contact's empty fields from the row; True if any was empty and is now set."""
    changed = False
    for name in FILLED_FIELDS:
        value = fields.get(name)
        if value and not getattr(contact, name):
            setattr(contact, name, value)
            changed = True
    return changed


def _new_contact(row: Row, now: str) -> Contact:
    created = row.created_at or now
    first = [{"stage": row.stage or "target", "at": created}]
    history = sorted(row.history, key=lambda entry: datetime.fromisoformat(entry["at"])) or first
    stage = row.stage or history[-1]["stage"]
    if history[-1]["stage"] != stage:
        history.append({"stage": stage, "at": now})
    return Contact(
        **row.fields,
        stage=stage,
        stage_history=history,
        created_at=created,
        updated_at=now,
        archived=row.archived,
    )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def merge(store: Store, rows: list[Row], report: ImportReport,
          then: Callable[[Store, list[Row], ImportReport], None] | None = None) -> None:
    """Apply the rows in one transaction (rolled back when report.dry_run); `then` adds
    what else the import brings (a LinkedIn import's employers) in the same one."""
    try:
        with store.transaction():
            _merge(store, rows, report)
            if then is not None:
                then(store, rows, report)
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass


def _merge(store: Store, rows: list[Row], report: ImportReport) -> None:
    now = store.now()
    matcher = Matcher(store.contacts(include_archived=True))
    outcome: dict[int, str] = {}  # row line → new / updated / unchanged
    changed: dict[int, Contact] = {}  # contacts already there that a row filled
    new: list[Contact] = []
    row_contact: list[tuple[Row, Contact]] = []
    for row in rows:
        contact = matcher.find(row.fields)
        if contact is None:
            contact = _new_contact(row, now)
            new.append(contact)
            outcome[row.line] = "new"
        elif _fill(contact, row.fields):
            outcome[row.line] = "updated"
            if contact.id is not None:
                changed[contact.id] = contact
        else:
            outcome[row.line] = "unchanged"
        matcher.add(contact)
        row_contact.append((row, contact))
    store.insert_many(new)
    for row, contact in row_contact:
        if not row.referrer or contact.referred_by is not None:
            continue
        named = [c for c in matcher.named(row.referrer) if c is not contact]
        if len(named) != 1:
            how = "names no contact" if not named else f"names {len(named)} contacts"
            report.notices.append((row.line, f"referred_by {row.referrer!r} {how}; left empty"))
            continue
        contact.referred_by = named[0].id
        changed[contact.id] = contact
        if outcome[row.line] == "unchanged":
            outcome[row.line] = "updated"
    store.save_many(list(changed.values()))
    for result in outcome.values():
        setattr(report, result, getattr(report, result) + 1)
