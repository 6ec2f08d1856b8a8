"""The LAMP list: the employers you want to work for, scored and worked five at a time.

The 2-Hour Job Search scores each employer on Advocacy (do I know someone there or share a
school: yes/no), Motivation (0–3) and Posting (1–3: open roles in my field there), and
sorts by M, then P, then A. The top 5 active employers are the ones to work now; parked
and done ones come after the active ones. An employer's contacts are those whose company
is its name, matched as imports match (`fold`: case, accents and spaces ignored), and
each is somewhere in 3B7 (`position`).

A LinkedIn import adds the companies of the rows as employers (new names only: scores are
never overwritten). Nothing here knows about Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from store.dates import describe
from store.db import Store
from store.errors import InputError
from store.method import (
    SEVEN_B, THREE_B, business_day_due, first_messages, holidays, met_at, reply_class,
)
from store.records import (
    EMPLOYER_STATUSES, MOTIVATIONS, POSTINGS, Contact, Employer, Interaction,
)
from store.text import fold

TOP = 5  # the method works the top five employers at a time
TOP_MARK = "★"  # how the top five are marked, in text (not colour only)
SCORE_FIELDS = ("advocacy", "motivation", "posting", "status")
_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")


def lamp_key(employer: Employer) -> tuple:
    """Active first (then parked, then done); within each, M, then P, then A, high to low;
    then by name."""
    status = (EMPLOYER_STATUSES.index(employer.status)
              if employer.status in EMPLOYER_STATUSES else len(EMPLOYER_STATUSES))
    return (status, -employer.motivation, -employer.posting, not employer.advocacy,
            fold(employer.name), employer.id or 0)


def lamp_sorted(employers: Iterable[Employer]) -> list[Employer]:
    return sorted(employers, key=lamp_key)


def top_ids(employers: Iterable[Employer], top: int = TOP) -> set[int]:
    """The ids of the first `top` active employers in LAMP order: the ones to work now."""
    active = [e for e in lamp_sorted(employers) if e.status == "active"]
    return {e.id for e in active[:top] if e.id is not None}


def lamp_text(employer: Employer) -> str:
    """`M3 P2 A✓`: the scores in the method's order."""
    return f"M{employer.motivation} P{employer.posting} A{'✓' if employer.advocacy else '·'}"


# -- reading what is typed -----------------------------------------------------------------


def parse_score(name: str, text: object) -> object:
    """A score as typed (`--motivation 3`, `--advocacy yes`, `--status parked`), checked;
    an InputError in one line saying what is allowed."""
    value = str(text).strip().casefold()
    if name == "advocacy":
        if value in _YES:
            return True
        if value in _NO:
            return False
        raise InputError(f"advocacy {text!r}: use yes or no")
    if name == "status":
        if value in EMPLOYER_STATUSES:
            return value
        raise InputError(f"status {text!r}: use one of {', '.join(EMPLOYER_STATUSES)}")
    allowed = {"motivation": MOTIVATIONS, "posting": POSTINGS}[name]
    if not (value.isascii() and value.isdigit()) or int(value) not in allowed:
        raise InputError(f"{name} {text!r}: use a whole number from {allowed[0]} to "
                         f"{allowed[-1]}")
    return int(value)


def parse_scores(typed: Mapping[str, object]) -> dict:
    """{field: value} from what was typed (None: not given); every value checked first."""
    return {name: parse_score(name, value) for name, value in typed.items()
            if value is not None and name in SCORE_FIELDS}


# -- reading and writing -------------------------------------------------------------------


def employers(store: Store) -> list[Employer]:
    """Every employer, in LAMP order."""
    return lamp_sorted(store.records(Employer))


def find_employer(store: Store, name: str) -> Employer | None:
    wanted = fold(name)
    return next((e for e in store.records(Employer) if fold(e.name) == wanted), None)


def set_employer(store: Store, name: str, changes: Mapping, notes: str | None = None
                 ) -> tuple[Employer, bool]:
    """Create the employer named `name` (matched as imports match) with these scores, or
    patch those given onto the one there; (the employer, whether it was created)."""
    name = " ".join(str(name).split())
    if not name:
        raise InputError("an employer needs a name")
    changes = dict(changes)
    if notes is not None:
        changes["notes"] = notes
    with store.transaction():
        found = find_employer(store, name)
        if found is None:
            now = store.now()
            employer = Employer(name=name, created_at=now, updated_at=now, **changes)
            return store.insert(employer), True
        return store.update(Employer, found.id, changes), False


def add_companies(store: Store, companies: Iterable[str]) -> list[Employer]:
    """Add an employer for each company not on the list yet (as imports match names);
    scores of those there are never touched. The employers added."""
    with store.transaction():
        known = {fold(e.name) for e in store.records(Employer)}
        now = store.now()
        new = []
        for company in companies:
            name = " ".join(str(company).split())
            if name and fold(name) not in known:
                known.add(fold(name))
                new.append(Employer(name=name, created_at=now, updated_at=now))
        store.insert_many(new)
        return new


# -- an employer's contacts and where each is in 3B7 ---------------------------------------


@dataclass(frozen=True)
class AtEmployer:
    """A contact at an employer and where they are in 3B7, in words."""

    contact: Contact
    position: str
    reply_class: str | None


def contacts_at(contacts: Iterable[Contact], employer: Employer) -> list[Contact]:
    """The contacts (not archived) whose company is the employer's name."""
    wanted = fold(employer.name)
    return [c for c in contacts if not c.archived and c.company and fold(c.company) == wanted]


def employer_contacts(store: Store, employer: Employer, now: datetime) -> list[AtEmployer]:
    """The employer's contacts, each with its place in 3B7: reached first, then targets."""
    people = contacts_at(store.contacts(), employer)
    off = holidays(store.settings())
    result = []
    for contact in people:
        records = store.find(Interaction, contact_id=contact.id)
        sent, reply = first_messages(records, met_at([contact])).get(contact.id, (None, None))
        kind = reply_class(sent, reply, now, off)
        result.append(AtEmployer(contact, position(contact, sent, reply, now, off), kind))
    order = {"target": 1}
    return sorted(result, key=lambda a: (order.get(a.contact.stage, 0),
                                         fold(a.contact.name)))


def position(contact: Contact, sent: datetime | None, reply: datetime | None,
             now: datetime, off: tuple = ()) -> str:
    """Where the contact is in 3B7, as the employers screen says it."""
    if reply is not None:
        return f"replied {describe(reply, now=now, with_time=False)} · {contact.stage}"
    if contact.stage == "target":
        return "target: the next one to write to"
    if contact.stage != "contacted" or sent is None:
        return contact.stage
    three_b = business_day_due(sent, THREE_B, off)
    seven_b = business_day_due(sent, SEVEN_B, off)
    when = describe(sent, now=now, with_time=False)
    if now < three_b:
        return f"written {when}, waiting · 3B {describe(three_b, now=now, with_time=False)}"
    if now < seven_b:
        return (f"written {when}, no reply · 3B: try a second contact · 7B "
                f"{describe(seven_b, now=now, with_time=False)}")
    return f"written {when}, no reply · 7B: follow up once"


def employer_json(employer: Employer, top: set[int], contacts: int = 0) -> dict:
    """The `coffeechat employers --json` record (field names are a contract)."""
    return {"id": employer.id, "name": employer.name, "advocacy": employer.advocacy,
            "motivation": employer.motivation, "posting": employer.posting,
            "status": employer.status, "notes": employer.notes,
            "top": employer.id in top, "contacts": contacts}


def contact_counts(contacts: Iterable[Contact]) -> dict[str, int]:
    """{folded company: contacts there (not archived)}: each employer's count in one pass."""
    counts: dict[str, int] = {}
    for contact in contacts:
        if contact.company and not contact.archived:
            key = fold(contact.company)
            counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass(frozen=True)
class EmployerRow:
    """One line of the employers screen: the employer, whether it is in the top 5, and
    how many contacts you have there."""

    employer: Employer
    top: bool
    contacts: int


def employer_rows(store: Store) -> list[EmployerRow]:
    """The LAMP list as the employers screen shows it, in one read of each table."""
    listed = employers(store)
    top = top_ids(listed)
    counts = contact_counts(store.contacts())
    return [EmployerRow(e, e.id in top, counts.get(fold(e.name), 0)) for e in listed]


def next_score(employer: Employer, name: str) -> object:
    """The value a key steps a score to: M 0→1→2→3→0, P 1→2→3→1, A yes↔no, the status
    active → parked → done → active."""
    if name == "advocacy":
        return not employer.advocacy
    if name == "status":
        at = EMPLOYER_STATUSES.index(employer.status) if employer.status in EMPLOYER_STATUSES else -1
        return EMPLOYER_STATUSES[(at + 1) % len(EMPLOYER_STATUSES)]
    allowed = {"motivation": MOTIVATIONS, "posting": POSTINGS}[name]
    value = getattr(employer, name)
    return allowed[(allowed.index(value) + 1) % len(allowed)] if value in allowed else allowed[0]
