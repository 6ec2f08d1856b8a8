"""Everything the contact screen shows about one person, gathered in one read."""

from __future__ import annotations

from dataclasses import dataclass

from store.db import Store
from store.errors import CoffeeError
from store.records import Contact, FollowUp, Interaction, Meeting
from store.records import parse_iso
from store.stats import StageSpan, stage_spans


@dataclass(frozen=True)
class Event:
    """One line of the timeline: an interaction, or a meeting (which carries its notes)."""

    at: str
    kind: str
    detail: str
    meeting: Meeting | None = None


@dataclass(frozen=True)
class Profile:
    contact: Contact
    referrer: Contact | None  # None also when the referrer was deleted
    referred: list[Contact]  # the contacts this one referred, in id order
    spans: list[StageSpan]
    timeline: list[Event]  # newest first
    followups: list[FollowUp]  # open ones, soonest due first, undated last
    reply_class: str | None = None  # booster, obligate, curmudgeon (store.method)


def _timestamp(text: str | None) -> float:
    """For sorting: ISO strings with different offsets do not sort as text."""
    moment = parse_iso(text)
    return moment.timestamp() if moment else float("-inf")


def timeline(interactions: list[Interaction], meetings: list[Meeting]) -> list[Event]:
    """Interactions and meetings, newest first. An interaction of kind "meeting" at the
    moment a meeting record starts is that meeting, so it is shown once."""
    meeting_starts = {_timestamp(m.started_at) for m in meetings}
    events = [
        Event(m.started_at or m.scheduled_for or "", "meeting",
              m.medium + ("" if m.status == "ended" else f", {m.status}"), m)
        for m in meetings
    ]
    events += [
        Event(i.at, i.kind, " — ".join(part for part in (i.channel, i.text) if part))
        for i in interactions
        if not (i.kind == "meeting" and _timestamp(i.at) in meeting_starts)
    ]
    return sorted(events, key=lambda e: _timestamp(e.at), reverse=True)


def open_followups(followups: list[FollowUp]) -> list[FollowUp]:
    """The follow-ups not done yet, soonest due first, undated last."""
    waiting = [f for f in followups if f.done_at is None]
    return sorted(waiting, key=lambda f: (f.due is None, _timestamp(f.due)))


def profile(store: Store, contact_id: int) -> Profile:
    """The contact and everything around it, as of the store's clock."""
    from store.method import reply_classes  # the method builds on what profile builds on

    contact = store.contact(contact_id)
    interactions = store.find(Interaction, contact_id=contact_id)
    referrer = None
    if contact.referred_by is not None:
        try:
            referrer = store.contact(contact.referred_by)
        except CoffeeError:
            referrer = None
    return Profile(
        contact=contact,
        referrer=referrer,
        referred=store.find(Contact, referred_by=contact_id),
        spans=stage_spans(contact, store.clock()),
        timeline=timeline(interactions, store.find(Meeting, contact_id=contact_id)),
        followups=open_followups(store.find(FollowUp, contact_id=contact_id)),
        reply_class=reply_classes(store, store.clock(), only=contact_id).get(contact_id),
    )
