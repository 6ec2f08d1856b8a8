"""Follow-ups: what is due with whom, worked out from interactions, stages, meetings, promises.

The rules (their numbers are settings, declared in store.settings; these are the defaults):

- nudge: a contact in `contacted` with nothing logged for `nudge_after_days` (7) days, no
  reply and no meeting agreed; after `max_nudges` (2) nudges the next silence is "gone
  quiet". After a reply there is never a nudge: "schedule the meeting" instead, until one is;
- thank-you: a contact in `met` with no thank-you sent `thank_you_after_hours` (24) after
  entering the stage, unless an open thank-you follow-up (from meeting mode) stands for it;
- a promise (`todo:`, mine; `they:`, theirs to check in on) or any other follow-up: due on
  its date until done; one without a date is listed under "anytime";
- upcoming: a meeting scheduled and not started, and "prepare" the day before it;
- reconnect: the contact's keep-in-touch cadence (`6w`, `3m`) after the last touch.

Thanking is one step wherever it is done (agenda, draft, CLI): `thank` logs it, closes the
thank-you follow-ups and moves met → thanked, then on to referred once they have
introduced someone (`promote_referrer`, also run when a referral is added).

The last touch is the latest interaction or stage change, so logging anything with the
person restarts the silence and keep-in-touch clocks. Done and snoozed are kept on the
follow-up record for follow-ups, and as an AgendaMark under the item's key for the rest;
marking a nudge, thank-you or reconnect done also logs it as sent.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache, partial
from datetime import date, datetime, timedelta, timezone
from collections.abc import Collection, Iterable
from itertools import chain

from store import settings as config
from store.db import Store, paced
from store.errors import InputError, RefError
from store.records import (
    REPLY_KIND, AgendaMark, Contact, FollowUp, Interaction, Meeting, check_stage, parse_iso,
    stage_after,
)

MESSAGE_SENT = "message sent"
NUDGE_SENT = "nudge sent"
THANKS_SENT = "thank-you sent"
THANKS_KIND = "thanks"  # the follow-up meeting mode leaves for the thank-you note
THEIRS_KIND = "theirs"  # a promise they made (`they:`), to check in on

SECTIONS = ("overdue", "today", "next", "anytime")
DEFAULT_DAYS = 7
EPOCH, ZERO = datetime(1970, 1, 1, tzinfo=timezone.utc), timedelta(0)




@dataclass(frozen=True)
class Rules:
    """The follow-up rules' numbers: the settings of the same names (store.settings)."""

    nudge_after_days: int = config.default(config.NUDGE_AFTER_DAYS)
    max_nudges: int = config.default(config.MAX_NUDGES)
    thank_you_after_hours: int = config.default(config.THANK_YOU_AFTER_HOURS)

    @classmethod
    def from_settings(cls, settings: dict) -> Rules:
        """The rules from a settings record; a value missing or unusable there is the default."""
        return cls(**{f.name: config.get(settings, f.name) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class DueItem:
    """One line of the agenda: who, what, when it is due, since when, and its key."""

    contact: Contact
    what: str
    due: datetime | None  # None: anytime (a follow-up without a date)
    since: datetime | None
    key: str  # stable while the situation lasts: done and snooze are kept under it

    @property
    def source(self) -> str:
        """followup, nudge, quiet, schedule, thanks, meeting, prepare or reconnect."""
        return self.key.split(":", 1)[0]

    @property
    def meeting_id(self) -> int | None:
        """The meeting an upcoming or prepare item is about."""
        return int(self.key.split(":")[1]) if self.source in ("meeting", "prepare") else None


# -- interactions and moves ----------------------------------------------------------------


def _iso(moment: datetime | str) -> str:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise InputError("a time without a time zone cannot be stored")
        return moment.isoformat(timespec="seconds")
    return moment


def log_interaction(
    store: Store,
    contact_id: int,
    kind: str,
    channel: str = "",
    at: datetime | str | None = None,
    text: str = "",
) -> Interaction:
    """Record that something happened with the contact (default: now)."""
    kind = kind.strip()
    if not kind:
        raise InputError("an interaction needs a kind, e.g. message sent, reply received, call")
    with store.transaction():
        store.contact(contact_id)
        interaction = Interaction(
            contact_id=contact_id,
            kind=kind,
            channel=channel.strip(),
            at=_iso(at) if at is not None else store.now(),
            text=text,
        )
        return store.insert(interaction)


def move_contact(
    store: Store, contact_id: int, stage: str, at: datetime | str | None = None,
    from_stage: str | None = None,
) -> Contact:
    """Move the contact to `stage`; moving into `contacted` logs a "message sent" at `at`.
    With `from_stage` (what a screen shows), a contact elsewhere on disk is not moved."""
    stage = check_stage(stage)
    with store.transaction():
        before = store.contact(contact_id).stage
        contact = store.move(contact_id, stage, _iso(at) if at is not None else None,
                             from_stage=from_stage)
        for interaction in logged_by_move(contact_id, before, stage, contact.stage_since):
            store.insert(interaction)
    return contact


def logged_by_move(contact_id: int, before: str, stage: str, at: str) -> list[Interaction]:
    """What a move from stage `before` to `stage` at `at` logs: into contacted, the
    message sent. (A screen that shows the move before it is written counts it too.)"""
    if stage == "contacted" and before != stage:
        return [Interaction(contact_id=contact_id, kind=MESSAGE_SENT, at=at)]
    return []


def step_contact(store: Store, contact_id: int, delta: int) -> Contact:
    """Move to the next (+1) or previous (-1) stage, as move_contact; stays put at the ends."""
    with store.transaction():
        return move_contact(store, contact_id, stage_after(store.contact(contact_id).stage, delta))


def _not_future(store: Store, at: datetime | None, what: str) -> None:
    if at is not None and at > store.clock():
        raise InputError(f"{what} cannot be later than now")


def log_reply(store: Store, contact_id: int, at: datetime | None = None, channel: str = "",
              note: str = "") -> Contact:
    """They replied: logged (no more nudges; it counts in the reply rate). A target moves
    to contacted as of the reply, since they were reached. The contact as it is now."""
    _not_future(store, at, "a reply")
    with store.transaction():
        reply = log_interaction(store, contact_id, REPLY_KIND, channel, at, note)
        if store.contact(contact_id).stage == "target":
            store.move(contact_id, "contacted", at=reply.at)
        return store.contact(contact_id)


def thank(store: Store, contact_id: int, *, text: str = "", channel: str = "",
          at: datetime | None = None) -> Contact:
    """The thank-you after a meeting, however it is sent: logged, every open "send a
    thank-you" follow-up closed, met → thanked, and on to referred when they have
    introduced someone. Refused before a meeting. The contact as it is now."""
    _not_future(store, at, "a thank-you")
    with store.transaction():
        contact = store.contact(contact_id)
        if contact.stage in ("target", "contacted"):
            raise InputError(f"{contact.name} is at {contact.stage}: a thank-you follows a "
                             "meeting (end one first)")
        sent = log_interaction(store, contact_id, THANKS_SENT, channel, at, text)
        for followup in store.find(FollowUp, contact_id=contact_id, kind=THANKS_KIND):
            if not followup.done_at:
                store.update(FollowUp, followup.id, {"done_at": sent.at})
        if contact.stage == "met":
            store.move(contact_id, "thanked", at=sent.at)
        promote_referrer(store, contact_id)
        return store.contact(contact_id)


def promote_referrer(store: Store, contact_id: int) -> Contact:
    """`referred` means they introduced you onward: a thanked contact someone's
    referred_by names moves to referred, the reason in its stage history. Run when the
    thank-you is logged and when a referral is added; whichever comes later moves it."""
    with store.transaction():
        contact = store.contact(contact_id)
        introduced = [c.name for c in store.find(Contact, referred_by=contact_id)
                      if c.id != contact_id]
        if contact.stage != "thanked" or not introduced:
            return contact
        shown = ", ".join(introduced[:3]) + (f" and {len(introduced) - 3} more"
                                              if len(introduced) > 3 else "")
        entry = {"stage": "referred", "at": store.now(), "reason": f"introduced {shown}"}
        return store.update(Contact, contact_id, {
            "stage": "referred", "stage_history": [*contact.stage_history, entry]})


def update_contact(store: Store, contact_id: int, changes: dict, *, seen: dict | None = None,
                   rev: int | None = None) -> Contact:
    """Store.update of a contact's fields (as a screen edits them), and what follows from
    naming a referrer: a thanked referrer moves on to referred, in the same write."""
    with store.transaction():
        contact = store.update(Contact, contact_id, changes, seen=seen, rev=rev)
        if changes.get("referred_by") is not None:
            promote_referrer(store, changes["referred_by"])
        return contact


# -- what is due ---------------------------------------------------------------------------


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def due_items(store: Store, now: datetime, only: int | None = None,
              contacts: Collection[Contact] | None = None,
              logged: Iterable[Interaction] = ()) -> list[DueItem]:
    """Every open item of every contact that is not archived, soonest due first; with
    `only`, the items of that one contact (its records alone are read). `contacts`, the
    ones a caller already holds (the board), saves reading them again: with `only`, that
    contact is taken as the caller has it, and a 3B item's targets are found among them.
    `logged`: interactions a write on its way will add, counted as if in the file.

    One pass over each table; done items are left out, snoozed ones are due when the
    snooze ends."""
    rules = Rules.from_settings(store.settings())
    if only is None:
        if contacts is None:
            contacts = store.contacts()
        contacts = {c.id: c for c in contacts if not c.archived}
        pool = contacts.values()
        records = store.records
    else:
        pool = contacts
        if contacts is not None:
            contact = next((c for c in contacts if c.id == only), None)
        else:
            try:
                contact = store.contact(only)
            except RefError:
                contact = None
        contacts = {only: contact} if contact and not contact.archived else {}
        records = partial(store.find, contact_id=only)

    last_touch: dict[int, datetime] = {}
    nudges: dict[int, list[datetime]] = {}
    thanked: dict[int, datetime] = {}
    replied: dict[int, datetime] = {}
    first_sent: dict[int, datetime] = {}
    for interaction in paced(chain(records(Interaction), logged), store.give_way):
        cid, at = interaction.contact_id, parse_iso(interaction.at, aware=True)
        if cid not in contacts or at is None:
            continue
        last_touch[cid] = _later(last_touch.get(cid), at)
        if interaction.kind == MESSAGE_SENT and (cid not in first_sent or at < first_sent[cid]):
            first_sent[cid] = at
        elif interaction.kind == NUDGE_SENT:
            nudges.setdefault(cid, []).append(at)
        elif interaction.kind == THANKS_SENT:
            thanked[cid] = _later(thanked.get(cid), at)
        elif interaction.kind == REPLY_KIND:
            replied[cid] = _later(replied.get(cid), at)

    items: list[DueItem] = []
    marked: list[DueItem] = []  # items without a record of their own: AgendaMarks apply
    meeting_ahead: set[int] = set()
    for meeting in records(Meeting):
        if meeting.contact_id not in contacts or meeting.status in ("ended", "discarded"):
            continue
        if meeting.scheduled_for or meeting.started_at:  # agreed on, or going on: no nudge
            meeting_ahead.add(meeting.contact_id)
        marked.extend(_meeting_items(contacts[meeting.contact_id], meeting, now))

    thanks_open: set[int] = set()
    for followup in records(FollowUp):
        cid = followup.contact_id
        if cid not in contacts:
            continue
        if followup.done_at:
            if followup.kind == THANKS_KIND:
                thanked[cid] = _later(thanked.get(cid), parse_iso(followup.done_at, aware=True))
            continue
        if followup.kind == THANKS_KIND:
            thanks_open.add(cid)
        what = f"todo: {followup.text}" if followup.kind == "todo" else followup.text
        due = _later(parse_iso(followup.due, aware=True),
                     parse_iso(followup.snoozed_until, aware=True))
        items.append(DueItem(contacts[cid], what or followup.kind, due,
                             parse_iso(followup.created_at, aware=True), f"followup:{followup.id}"))

    from store.method import three_b_seven_items  # the method's rules build on this module

    method = three_b_seven_items(store, contacts, first_sent, replied, pool)
    seven_b = {item.contact.id for item in method if item.source == "7b"}
    for contact in paced(contacts.values(), store.give_way):
        marked.extend(_rule_items(contact, rules, last_touch.get(contact.id), nudges,
                                  thanked.get(contact.id), contact.id in thanks_open,
                                  contact.id in meeting_ahead, replied.get(contact.id),
                                  contact.id in seven_b))
    marked.extend(method)
    marks = {mark.key: mark for mark in store.records(AgendaMark)}
    for item in marked:
        mark = marks.get(item.key)
        if mark is None:
            items.append(item)
        elif not mark.done_at:
            due = _later(item.due, parse_iso(mark.snoozed_until, aware=True))
            items.append(DueItem(item.contact, item.what, due, item.since, item.key))
    # Each due as its time since one instant: datetimes of different zones (the file's
    # offsets, the local one) would work out both offsets at every comparison.
    items.sort(key=lambda item: (item.due is None, item.due - EPOCH if item.due else ZERO,
                                 item.contact.name.casefold(), item.key))
    return items


def _meeting_items(contact: Contact, meeting: Meeting, now: datetime):
    """An open meeting's items: upcoming (or its time passed, when it never started),
    and "prepare" the day before while it is ahead."""
    start = parse_iso(meeting.started_at or meeting.scheduled_for, aware=True)
    if start is None or (meeting.status == "running" and start <= now):
        return
    what = f"{meeting.medium} at {meeting.where}" if meeting.where else meeting.medium
    if start > now:
        yield DueItem(contact, f"upcoming {what}", start, None,
                      f"meeting:{meeting.id}:{start.isoformat()}")
        if meeting.status != "running":
            yield DueItem(contact, f"prepare for the {meeting.medium}",
                          start - timedelta(days=1), None,
                          f"prepare:{meeting.id}:{start.isoformat()}")
    else:
        yield DueItem(contact, f"{what} time has passed: start it (m) or discard it", start,
                      None, f"meeting:{meeting.id}:{start.isoformat()}")


def _rule_items(
    contact: Contact,
    rules: Rules,
    interacted: datetime | None,
    nudges: dict[int, list[datetime]],
    thanked: datetime | None,
    thanks_open: bool,
    meeting_ahead: bool,
    replied: datetime | None,
    seven_b: bool = False,
):
    """The nudge (or schedule), thank-you and reconnect items the contact's stage and
    clocks call for. With `seven_b` (the contact has a 7B item), the 7B is the first
    follow-up: no "nudge 1 of N" beside it."""
    if contact.stage not in ("contacted", "met") and not contact.keep_in_touch:
        return
    entered = parse_iso(contact.stage_since, aware=True)
    touch = _later(interacted, entered)
    if touch is None:
        return
    key = f"{contact.id}:{touch.isoformat()}"
    if contact.stage == "contacted" and replied is not None and not meeting_ahead:
        yield DueItem(contact, "they replied: schedule the meeting", replied, replied,
                      f"schedule:{contact.id}:{replied.isoformat()}")
    elif contact.stage == "contacted" and not meeting_ahead and entered is not None:
        sent = sum(1 for at in nudges.get(contact.id, ()) if at >= entered)
        due = touch + timedelta(days=rules.nudge_after_days)
        if sent == 0 and seven_b:
            pass  # the 7B item asks for this follow-up, in business days
        elif sent < rules.max_nudges:
            yield DueItem(contact, f"nudge {sent + 1} of {rules.max_nudges}", due, touch,
                          f"nudge:{key}")
        else:
            yield DueItem(contact, "gone quiet: archive or leave", due, touch, f"quiet:{key}")
    if (contact.stage == "met" and entered is not None and not thanks_open
            and (thanked is None or thanked < entered)):
        due = entered + timedelta(hours=rules.thank_you_after_hours)
        yield DueItem(contact, "send a thank-you note", due, entered,
                      f"thanks:{contact.id}:{entered.isoformat()}")
    if contact.keep_in_touch:
        from store.dates import DateError, cadence  # loads with the first cadence, not at start

        try:
            due = cadence(contact.keep_in_touch, touch).after(touch)
        except DateError:
            return  # an unreadable cadence in the file: no reconnect, no crash
        if due is not None:
            yield DueItem(contact, f"reconnect (every {contact.keep_in_touch})", due, touch,
                          f"reconnect:{key}")


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def is_overdue(item: DueItem, now: datetime) -> bool:
    """Due on a day before today (local time): something due today is not late yet."""
    return item.due is not None and local_day(item.due) < local_day(now)


def agenda(items: list[DueItem], now: datetime, days: int = DEFAULT_DAYS) -> dict[str, list[DueItem]]:
    """The items by section: overdue, today, next (the `days` days after today), anytime
    (no date)."""
    today = local_day(now)
    last = today + timedelta(days=days)
    day_of = cache(local_day)  # items share their dues (the 3B and 7B of a day): each read once
    sections: dict[str, list[DueItem]] = {name: [] for name in SECTIONS}
    for item in items:
        day = day_of(item.due) if item.due is not None else None
        if day is None:
            sections["anytime"].append(item)
        elif day < today:
            sections["overdue"].append(item)
        elif day == today:
            sections["today"].append(item)
        elif day <= last:
            sections["next"].append(item)
    return sections


def section_title(section: str, days: int = DEFAULT_DAYS) -> str:
    if section == "next":
        return f"Next {days} day" + ("" if days == 1 else "s")
    return section.capitalize()


def overdue_ids(items: Iterable[DueItem], now: datetime) -> set[int]:
    """The contacts with an item overdue (is_overdue). Today is worked out once and each
    due's day once (items share their dues), not twice an item: at 20,000 contacts that
    was a tenth of the board's pass, on a thread the keys wait for."""
    today = local_day(now)
    day_of = cache(local_day)
    return {item.contact.id for item in items
            if item.due is not None and day_of(item.due) < today}


def overdue_contact_ids(store: Store, now: datetime, only: int | None = None,
                        contacts: Iterable[Contact] | None = None) -> set[int]:
    """The contacts with something overdue (the board's `!`); with `only`, of that one."""
    return overdue_ids(due_items(store, now, only, contacts), now)


def next_due(items: Iterable[DueItem]) -> dict[int, DueItem]:
    """Each contact's soonest item (of items sorted soonest first, as due_items gives)."""
    soonest: dict[int, DueItem] = {}
    for item in items:
        soonest.setdefault(item.contact.id, item)
    return soonest


# -- done and snooze -----------------------------------------------------------------------

# What marking an item done logs with the contact (a thank-you is `thank`).
DONE_LOGS = {"nudge": NUDGE_SENT, "7b": NUDGE_SENT, "reconnect": MESSAGE_SENT}


def mark_done(store: Store, item: DueItem) -> None:
    """Done: off the agenda for good; a nudge or reconnect is logged as sent, a thank-you
    is thanking them (`thank`)."""
    with store.transaction():
        now = store.now()
        if item.source == "followup":
            followup = store.get(FollowUp, int(item.key.split(":")[1]))
            if followup.kind == THANKS_KIND:
                thank(store, item.contact.id)
                return
            store.update(FollowUp, followup.id, {"done_at": now})
        else:
            _mark(store, item.key, done_at=now)
            if item.source == "thanks":
                thank(store, item.contact.id)
            elif logs := DONE_LOGS.get(item.source):
                log_interaction(store, item.contact.id, logs, at=now)


def snooze(store: Store, item: DueItem, until: datetime) -> None:
    """Hide the item until `until`, when it is due again; a follow-up without a date
    gets `until` as its date."""
    if until <= store.clock():
        raise InputError("snooze until a time later than now")
    with store.transaction():
        if item.source == "followup":
            followup = store.get(FollowUp, int(item.key.split(":")[1]))
            field = "due" if followup.due is None else "snoozed_until"
            store.update(FollowUp, followup.id, {field: _iso(until)})
        else:
            _mark(store, item.key, snoozed_until=_iso(until))


def _mark(store: Store, key: str, **changes: str) -> None:
    mark = next((m for m in store.records(AgendaMark) if m.key == key), None)
    if mark is None:
        store.insert(AgendaMark(key=key, **changes))
    else:
        for name, value in changes.items():
            setattr(mark, name, value)
        store.save(mark)
