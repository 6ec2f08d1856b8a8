"""store/profile.py: what the contact screen shows, gathered from the store."""

from __future__ import annotations

from store.profile import profile
from store.records import Contact, FollowUp, Interaction, Meeting


def test_profile_gathers_links_timeline_and_open_followups(store):
    ann = store.add_contact(Contact(name="Ann"))
    bob = store.add_contact(Contact(name="Bob", referred_by=ann.id))
    store.add_contact(Contact(name="Cat", referred_by=bob.id))
    dan = store.add_contact(Contact(name="Dan", referred_by=bob.id, archived=True))
    store.insert_many([
        Interaction(contact_id=bob.id, kind="message sent", channel="email",
                    at="2026-11-02T10:00:00+01:00"),
        # 09:30 UTC is later than 10:00 at +01:00 though it sorts before it as text
        Interaction(contact_id=bob.id, kind="reply received", text="happy to",
                    at="2026-11-02T09:30:00+00:00"),
        Interaction(contact_id=bob.id, kind="meeting", at="2026-11-05T08:00:00+00:00"),
        Meeting(contact_id=bob.id, started_at="2026-11-05T09:00:00+01:00",
                ended_at="2026-11-05T09:40:00+01:00", notes="line one\nline two"),
        Interaction(contact_id=ann.id, kind="message sent", at="2026-11-09T10:00:00+01:00"),
        FollowUp(contact_id=bob.id, text="undated"),
        FollowUp(contact_id=bob.id, text="later", due="2026-11-30T09:00:00+01:00"),
        FollowUp(contact_id=bob.id, text="sooner", due="2026-11-29T09:00:00+01:00"),
        FollowUp(contact_id=bob.id, text="done", due="2026-11-01T09:00:00+01:00",
                 done_at="2026-11-01T10:00:00+01:00"),
        FollowUp(contact_id=ann.id, text="not Bob's"),
    ])
    p = profile(store, bob.id)
    assert p.contact.name == "Bob" and p.referrer.name == "Ann"
    assert [c.name for c in p.referred] == ["Cat", "Dan"] and p.referred[1].id == dan.id
    assert [(e.kind, e.detail) for e in p.timeline] == [
        ("meeting", "coffee"),  # the "meeting" interaction at its start is not repeated
        ("reply received", "happy to"),
        ("message sent", "email"),
    ]
    assert p.timeline[0].meeting.notes == "line one\nline two"
    assert [f.text for f in p.followups] == ["sooner", "later", "undated"]
    assert [s.stage for s in p.spans] == ["target"]


def test_profile_of_a_contact_whose_referrer_was_deleted(store):
    ann = store.add_contact(Contact(name="Ann"))
    bob = store.add_contact(Contact(name="Bob", referred_by=ann.id))
    store.purge(ann.id)
    p = profile(store, bob.id)
    assert p.referrer is None and p.contact.referred_by == ann.id
    assert p.timeline == [] and p.followups == [] and p.referred == []
