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
from functools import cache, lru_cache

from store import settings as config
from store.db import paced
from store.followups import MESSAGE_SENT, DueItem
from store.records import REPLY_KIND, STAGES, Contact, Interaction, parse_iso
from store.text import fold

NOON = time(12)
THREE_B, SEVEN_B = 3, 7
NAMED_TARGETS = 3  # targets a 3B item names to pick from; the rest are counted
REPLY_CLASSES = ("booster", "obligate", "curmudgeon")
NORMAL_REPLY_RATE = (0.20, 0.40)  # the method: 20–40% of first messages get a reply


def _days_off(holidays: Iterable[date]) -> frozenset[date]:
    return holidays if isinstance(holidays, frozenset) else frozenset(holidays)


def is_business_day(day: date, holidays: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in _days_off(holidays)


def count_start(sent: datetime, holidays: Iterable[date] = ()) -> date:
    """The business day the count starts on: the day sent, or the next business day when
    it was sent after noon or on a day off, both in local time (a time stored with
    another offset is read as the clock on the wall showed it)."""
    off = _days_off(holidays)
    local = sent.astimezone() if sent.tzinfo is not None else sent
    day = local.date()
    if local.time() > NOON or not is_business_day(day, off):
        day = next_business_day(day, off)
    return day


def next_business_day(day: date, holidays: Iterable[date] = ()) -> date:
    off = _days_off(holidays)
    day += timedelta(days=1)
    while not is_business_day(day, off):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The business day `days` business days after `day`."""
    return _add_business_days(day, days, _days_off(holidays))


@lru_cache(maxsize=4096)  # messages go out on a few hundred days: each counted once
def _add_business_days(day: date, days: int, off: frozenset[date]) -> date:
    for _ in range(days):
        day = next_business_day(day, off)
    return day


def business_day_due(sent: datetime, days: int, holidays: Iterable[date] = ()) -> datetime:
    """When something `days` business days after `sent` is due: the local start of that
    day (with the local zone's offset on that day)."""
    off = _days_off(holidays)
    day = add_business_days(count_start(sent, off), days, off)
    if sent.tzinfo is None:
        return datetime.combine(day, time(0))
    return datetime.combine(day, time(0)).astimezone()  # local midnight, that day's offset


def holidays(settings: Mapping) -> frozenset[date]:
    return frozenset(date.fromisoformat(d) for d in config.get(settings, config.HOLIDAYS))


def three_b_seven_items(store, contacts: Mapping[int, Contact | None],
                       first_sent: Mapping[int, datetime], replied: Iterable[int],
                       pool: Iterable[Contact] | None = None) -> list[DueItem]:
    """The 3B and 7B items of the contacted contacts at an employer (a company) whose
    first message (`first_sent`, from the agenda's one pass over the interactions) has no
    reply yet. The 3B item names the targets at the same employer to pick from (or says
    to find one); keys `3b:ID:SENT` and `7b:ID:SENT`. The targets are found in `pool`,
    every contact the caller holds, without another read (None: read from the file)."""
    replied = set(replied)
    waiting = [(contacts[cid], at) for cid, at in first_sent.items()
               if contacts.get(cid) is not None and contacts[cid].stage == "contacted"
               and contacts[cid].company and cid not in replied]
    if not waiting:
        return []
    off = holidays(store.settings())
    # The targets at the employers waited on, the employer's name folded once per name
    # seen (not once per target: 20,000 contacts hold a few hundred employers).
    employer = cache(fold)
    targets: dict[str, list[str]] = {employer(contact.company): [] for contact, _ in waiting}
    if pool is None:
        pool = store.find(Contact, stage="target")
    for contact in pool:
        if contact is not None and contact.stage == "target" and contact.company \
                and not contact.archived and (named := employer(contact.company)) in targets:
            targets[named].append(contact.name)
    items = []
    # Worked out once each and shared: an employer's 3B text, and the dues, which depend
    # on the day the count starts alone, while messages go out on a few hundred days.
    asks: dict[str, str] = {}
    dues: dict[tuple[date, bool], tuple[datetime, datetime]] = {}
    for contact, at in waiting:
        ask = asks.get(contact.company)
        if ask is None:
            others = sorted(targets[employer(contact.company)])
            more = len(others) - NAMED_TARGETS
            pick = (": find one" if not others else f": {', '.join(others[:NAMED_TARGETS])}"
                    + (f" and {more} more" if more > 0 else ""))
            ask = asks[contact.company] = f"3B: try a second contact at {contact.company}{pick}"
        start = (count_start(at, off), at.tzinfo is None)  # (a naive time gets a naive due)
        if start not in dues:
            dues[start] = (business_day_due(at, THREE_B, off), business_day_due(at, SEVEN_B, off))
        three_b, seven_b = dues[start]
        sent = at.isoformat()
        items.append(DueItem(contact, ask, three_b, at, f"3b:{contact.id}:{sent}"))
        items.append(DueItem(contact, f"7B: follow up once with {contact.name}", seven_b, at,
                             f"7b:{contact.id}:{sent}"))
    return items


# -- reply-time classes --------------------------------------------------------------------


def first_messages(interactions: Iterable[Interaction],
                   met: Mapping[int, datetime] | None = None,
                   ) -> dict[int, tuple[datetime | None, datetime | None]]:
    """{contact id: (first message sent, first reply at or after it)} from the interaction
    records; with no reply logged, reaching met (`met`: when) stands for one, since a
    meeting means they answered. A contact never written to is left out."""
    sent: dict[int, datetime] = {}
    replies: dict[int, list[datetime]] = {}
    for interaction in interactions:
        at = parse_iso(interaction.at, aware=True)
        if at is None:
            continue
        cid = interaction.contact_id
        if interaction.kind == MESSAGE_SENT and (cid not in sent or at < sent[cid]):
            sent[cid] = at
        elif interaction.kind == REPLY_KIND:
            replies.setdefault(cid, []).append(at)
    result = {}
    met = met or {}
    for cid, first in sent.items():
        after = [at for at in replies.get(cid, ()) if at >= first]
        if not after and cid in met and met[cid] >= first:
            after = [met[cid]]
        result[cid] = (first, min(after) if after else None)
    return result


def met_at(contacts: Iterable[Contact]) -> dict[int, datetime]:
    """{contact id: when it first reached met or a later stage} from the stage histories."""
    later = set(STAGES[STAGES.index("met"):])
    result = {}
    for contact in contacts:
        for entry in contact.stage_history:
            at = parse_iso(entry.get("at"), aware=True)
            if entry.get("stage") in later and at is not None:
                result[contact.id] = at
                break
    return result


def reply_class(sent: datetime | None, reply: datetime | None, now: datetime,
                holidays: Iterable[date] = ()) -> str | None:
    """booster: replied within 3 business days of the first message (before its 3B was
    due); obligate: replied later; curmudgeon: no reply once its 7B is due. None while
    it is too early to say, or when no message was sent."""
    if sent is None:
        return None
    off = _days_off(holidays)
    if reply is not None:
        return "booster" if reply < business_day_due(sent, THREE_B, off) else "obligate"
    return "curmudgeon" if now >= business_day_due(sent, SEVEN_B, off) else None


def reply_classes(store, now: datetime, only: int | None = None,
                  contacts: Iterable[Contact] | None = None,
                  logged: Iterable[Interaction] = ()) -> dict[int, str]:
    """{contact id: its reply class} for the contacts that have one (read from the
    message and reply records, and the stage histories for a meeting that stands for a
    reply: `contacts`, when the caller has them already); with `only`, that contact's
    alone (a card, a screen). `logged`: interactions a write on its way will add."""
    if only is None:
        records = [*store.find(Interaction, kind=MESSAGE_SENT),
                   *store.find(Interaction, kind=REPLY_KIND)]
        if contacts is None:
            contacts = store.contacts(include_archived=True)
    else:
        records = store.find(Interaction, contact_id=only)
        contacts = [c for c in (contacts or [store.contact(only)]) if c.id == only]
    off = holidays(store.settings())
    classes = {}
    sent_and_met = first_messages(paced([*records, *logged], store.give_way),
                                  met_at(paced(contacts, store.give_way)))
    for cid, (sent, reply) in paced(sent_and_met.items(), store.give_way):
        if (kind := reply_class(sent, reply, now, off)) is not None:
            classes[cid] = kind
    return classes


CLASS_MARK = {"booster": "b", "obligate": "o", "curmudgeon": "c"}  # on a card, before its days
CLASS_MEANING = {
    "booster": "replied within 3 business days",
    "obligate": "replied after 3 business days",
    "curmudgeon": "no reply by the 7B",
}


def class_counts(classes: Mapping[int, str]) -> dict[str, int]:
    """{class: how many contacts}, every class named."""
    counts = dict.fromkeys(REPLY_CLASSES, 0)
    for kind in classes.values():
        counts[kind] += 1
    return counts


def reply_rate_place(rate: float | None) -> str:
    """Where the reply rate is against the method's normal 20–40%: below, within, above
    ("—" with no rate yet)."""
    low, high = NORMAL_REPLY_RATE
    if rate is None:
        return "—"
    return "below" if rate < low else "above" if rate > high else "within"


def reply_rate_note(rate: float | None) -> str:
    """The reply rate set against the method's normal 20–40%, in words."""
    low, high = NORMAL_REPLY_RATE
    if rate is None:
        return f"normal is {low:.0%}–{high:.0%}"
    return f"{reply_rate_place(rate)} the normal {low:.0%}–{high:.0%}"
