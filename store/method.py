"""The 2-Hour Job Search's clocks: business days, and the 3B7 rule.

3B7: write to one person at an employer. With no reply after 3 business days, try a
second person there ("3B"); after 7 business days, follow up once with the first ("7B").
A reply from the person stops both; contacts without a company are not on an employer's
list and get neither. Business days are Monday to Friday minus the
`holidays` setting; a message sent after noon starts the count on the next business day,
so one sent Fri 4 Dec 15:00 has its 3B due Thu 10 Dec and its 7B due Wed 16 Dec.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from store import settings as config
from store.followups import MESSAGE_SENT, DueItem
from store.importing.matching import fold
from store.records import Contact, Interaction, parse_iso
from store.stats import REPLY_KIND

NOON = time(12)
THREE_B, SEVEN_B = 3, 7


def is_business_day(day: date, holidays: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in set(holidays)


def count_start(sent: datetime, holidays: Iterable[date] = ()) -> date:
    """The business day the count starts on: the day sent, or the next business day when
    it was sent after noon or on a day off."""
    off = set(holidays)
    day = sent.date()
    if sent.time() > NOON or not is_business_day(day, off):
        day = next_business_day(day, off)
    return day


def next_business_day(day: date, holidays: Iterable[date] = ()) -> date:
    off = set(holidays)
    day += timedelta(days=1)
    while not is_business_day(day, off):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The business day `days` business days after `day`."""
    off = set(holidays)
    for _ in range(days):
        day = next_business_day(day, off)
    return day


def business_day_due(sent: datetime, days: int, holidays: Iterable[date] = ()) -> datetime:
    """When something `days` business days after `sent` is due: the start of that day,
    in `sent`'s time zone."""
    day = add_business_days(count_start(sent, holidays), days, holidays)
    return datetime.combine(day, time(0), tzinfo=sent.tzinfo)


def holidays(settings: Mapping) -> tuple[date, ...]:
    return tuple(date.fromisoformat(d) for d in config.get(settings, config.HOLIDAYS))


def three_b_seven_items(store, contacts: Mapping[int, Contact | None]) -> list[DueItem]:
    """The 3B and 7B items of the contacted contacts at an employer (a company) whose
    first message has no reply yet. The 3B item names the targets at the same employer to pick from (or says to
    find one); keys `3b:ID:SENT` and `7b:ID:SENT`."""
    off = holidays(store.settings())
    sent: dict[int, datetime] = {}
    replied: set[int] = set()
    for interaction in store.records(Interaction):
        cid = interaction.contact_id
        at = parse_iso(interaction.at, aware=True)
        if cid not in contacts or at is None:
            continue
        if interaction.kind == MESSAGE_SENT and (cid not in sent or at < sent[cid]):
            sent[cid] = at
        elif interaction.kind == REPLY_KIND:
            replied.add(cid)
    targets: dict[str, list[str]] = {}
    for contact in store.contacts():
        if contact.stage == "target" and contact.company and not contact.archived:
            targets.setdefault(fold(contact.company), []).append(contact.name)
    items = []
    for cid, at in sent.items():
        contact = contacts[cid]
        if (contact is None or contact.stage != "contacted" or not contact.company
                or cid in replied):
            continue
        others = targets.get(fold(contact.company), [])
        pick = f": {', '.join(sorted(others))}" if others else ": find one"
        items.append(DueItem(contact, f"3B: try a second contact at {contact.company}{pick}",
                             business_day_due(at, THREE_B, off), at,
                             f"3b:{cid}:{at.isoformat()}"))
        items.append(DueItem(contact, f"7B: follow up once with {contact.name}",
                             business_day_due(at, SEVEN_B, off), at,
                             f"7b:{cid}:{at.isoformat()}"))
    return items
