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
from store.followups import DueItem
from store.text import fold
from store.records import Contact

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


def three_b_seven_items(store, contacts: Mapping[int, Contact | None],
                       first_sent: Mapping[int, datetime], replied: Iterable[int],
                       everyone: bool = False) -> list[DueItem]:
    """The 3B and 7B items of the contacted contacts at an employer (a company) whose
    first message (`first_sent`, from the agenda's one pass over the interactions) has no
    reply yet. The 3B item names the targets at the same employer to pick from (or says
    to find one); keys `3b:ID:SENT` and `7b:ID:SENT`. `everyone`: `contacts` holds every
    contact not archived, so the targets are found among them without another read."""
    replied = set(replied)
    waiting = [(contacts[cid], at) for cid, at in first_sent.items()
               if contacts.get(cid) is not None and contacts[cid].stage == "contacted"
               and contacts[cid].company and cid not in replied]
    if not waiting:
        return []
    off = holidays(store.settings())
    targets: dict[str, list[str]] = {}
    pool = contacts.values() if everyone else store.find(Contact, stage="target")
    for contact in pool:
        if contact is not None and contact.stage == "target" and contact.company \
                and not contact.archived:
            targets.setdefault(fold(contact.company), []).append(contact.name)
    items = []
    picks: dict[str, str] = {}  # the same employer's targets, listed once
    for contact, at in waiting:
        company = fold(contact.company)
        pick = picks.get(company)
        if pick is None:
            others = targets.get(company, [])
            pick = picks[company] = f": {', '.join(sorted(others))}" if others else ": find one"
        items.append(DueItem(contact, f"3B: try a second contact at {contact.company}{pick}",
                             business_day_due(at, THREE_B, off), at,
                             f"3b:{contact.id}:{at.isoformat()}"))
        items.append(DueItem(contact, f"7B: follow up once with {contact.name}",
                             business_day_due(at, SEVEN_B, off), at,
                             f"7b:{contact.id}:{at.isoformat()}"))
    return items
