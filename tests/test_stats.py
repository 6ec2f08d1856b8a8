"""store/stats.py on small hand-made histories whose answers are worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from store.db import Store
from store.errors import InputError
from store.records import Contact, Interaction, Meeting
from store.stats import (
    check_goal,
    compute_stats,
    conversions,
    funnel,
    median_days,
    meetings_per_week,
    referral_forest,
    reply_rate,
    stage_spans,
    weekly_goal,
)
from tests.conftest import FIXED_NOW

PLUS1 = timezone(timedelta(hours=1))


def at(day: int, hour: int = 10, month: int = 11) -> str:
    return datetime(2026, month, day, hour, tzinfo=PLUS1).isoformat()


def person(cid: int, *steps: tuple[str, str], referred_by=None, archived=False, stage=None):
    history = [{"stage": s, "at": when} for s, when in steps]
    return Contact(
        id=cid,
        name=f"P{cid}",
        stage=stage or history[-1]["stage"],
        stage_history=history,
        referred_by=referred_by,
        archived=archived,
        created_at=history[0]["at"],
    )


def network() -> list[Contact]:
    """Six contacts; the comments say how far each got."""
    return [
        # Ann: thanked; 2 days to contact, 5 more to meet
        person(1, ("target", at(1)), ("contacted", at(3)), ("met", at(8)), ("thanked", at(9))),
        # Bob: contacted after 4 days, replied, not met; referred by Ann
        person(2, ("target", at(1)), ("contacted", at(5)), referred_by=1),
        # Cat: still a target; referred by Ann
        person(3, ("target", at(2)), referred_by=1),
        # Dan: met without a contacted step; referred by Bob
        person(4, ("target", at(1)), ("met", at(11)), referred_by=2),
        # Eve: added at contacted (never a target), archived
        person(5, ("contacted", at(10)), archived=True),
        # Fay: reached referred, then moved back to met
        person(
            6,
            ("target", at(1)),
            ("contacted", at(2)),
            ("met", at(12)),
            ("referred", at(14)),
            stage="met",
        ),
    ]


def interactions() -> list[Interaction]:
    return [
        Interaction(contact_id=2, kind="reply received", at=at(6)),
        Interaction(contact_id=3, kind="reply received", at=at(6)),  # Cat was never contacted
        Interaction(contact_id=5, kind="message sent", at=at(10)),
    ]


def meetings() -> list[Meeting]:
    utc = timezone.utc
    starts = [
        datetime(2026, 11, 23, 8, tzinfo=PLUS1),  # this week, held
        datetime(2026, 11, 23, 10, tzinfo=PLUS1),  # later today: not held yet
        datetime(2026, 11, 22, 23, 30, tzinfo=utc),  # 00:30 Monday at +01:00: this week
        datetime(2026, 11, 22, 23, 30, tzinfo=PLUS1),  # Sunday night: last week
        datetime(2026, 9, 7, 0, 0, tzinfo=PLUS1),  # the first Monday of the 12 weeks
        datetime(2026, 9, 6, 23, 59, tzinfo=PLUS1),  # a minute before the 12 weeks
    ]
    return [Meeting(contact_id=1, started_at=s.isoformat()) for s in starts]


def test_funnel_counts_a_contact_for_every_stage_up_to_the_furthest_it_reached():
    assert funnel(network()) == {"target": 6, "contacted": 5, "met": 3, "thanked": 2, "referred": 1}


def test_conversions_divide_consecutive_stages_and_are_none_after_an_empty_stage():
    rates = [(c.from_stage, c.to_stage, c.rate) for c in conversions(funnel(network()))]
    assert rates == [
        ("target", "contacted", 5 / 6),
        ("contacted", "met", 3 / 5),
        ("met", "thanked", 2 / 3),
        ("thanked", "referred", 1 / 2),
    ]
    assert [c.rate for c in conversions(funnel([person(1, ("target", at(1)))]))] == [0, None, None, None]


def test_reply_rate_counts_replies_and_meetings_among_contacted_contacts():
    # contacted: Ann, Bob, Dan, Eve, Fay; answered: Bob (reply), Ann, Dan, Fay (met)
    assert reply_rate(network(), interactions()) == 4 / 5
    assert reply_rate(network(), []) == 3 / 5
    assert reply_rate([person(1, ("target", at(1)))], interactions()) is None


def test_median_days_between_stages_leaves_out_contacts_without_both_entries():
    # target→contacted: Ann 2, Bob 4, Fay 1 (Dan skipped contacted, Eve was never a target)
    assert median_days(network(), "target", "contacted") == 2
    # contacted→met: Ann 5, Fay 10
    assert median_days(network(), "contacted", "met") == 7.5
    assert median_days(network()[2:3], "target", "contacted") is None


def test_median_days_measures_to_the_first_entry_after_the_start():
    back_and_forth = person(
        1, ("target", at(1)), ("met", at(2)), ("contacted", at(3)), ("met", at(6))
    )
    assert median_days([back_and_forth], "contacted", "met") == 3


def test_stage_spans_give_days_in_each_stage_up_to_now():
    spans = stage_spans(network()[0], FIXED_NOW)
    assert [(s.stage, s.at.day, s.days) for s in spans] == [
        ("target", 1, 2),
        ("contacted", 3, 5),
        ("met", 8, 1),
        ("thanked", 9, 14 - 0.5 / 24),  # 9 Nov 10:00 → 23 Nov 09:30
    ]


def test_meetings_per_week_buckets_twelve_monday_weeks_in_nows_time_zone():
    weeks = meetings_per_week(meetings(), FIXED_NOW)
    assert len(weeks) == 12
    assert weeks[0].week == date(2026, 9, 7) and weeks[-1].week == date(2026, 11, 23)
    assert [w.meetings for w in weeks] == [1] + [0] * 9 + [1, 2]


def test_weekly_goal_defaults_to_two_and_refuses_what_is_not_a_count():
    assert weekly_goal({}) == 2
    assert weekly_goal({"weekly_goal": 5}) == 5
    for bad in (0, -1, "3", 2.5, True, None):
        with pytest.raises(InputError, match="weekly_goal"):
            weekly_goal({"weekly_goal": bad})
    assert check_goal(" 3 ") == 3
    for bad in ("0", "two", "", "1.5"):
        with pytest.raises(InputError, match="weekly goal"):
            check_goal(bad)


def test_referral_forest_roots_size_and_depth():
    forest = referral_forest(network())
    assert forest.roots == [1]
    assert forest.children == {1: [2, 3], 2: [4]}
    assert (forest.size, forest.depth) == (4, 3)


def test_referral_forest_with_broken_links_loops_and_loners():
    contacts = [
        Contact(id=1, name="loner"),
        Contact(id=2, name="referred by a deleted contact", referred_by=99),
        Contact(id=3, name="referred by 2", referred_by=2),
        Contact(id=4, name="referred by itself", referred_by=4),
        Contact(id=5, name="loop a", referred_by=6),
        Contact(id=6, name="loop b", referred_by=5),
    ]
    forest = referral_forest(contacts)
    assert forest.roots == [2]
    assert (forest.size, forest.depth) == (2, 2)
    assert referral_forest([]) == referral_forest([Contact(id=1)])
    assert (referral_forest([]).size, referral_forest([]).depth) == (0, 0)


def test_referral_forest_handles_a_20000_long_chain_without_recursion():
    chain = [Contact(id=1)] + [Contact(id=i, referred_by=i - 1) for i in range(2, 20_001)]
    forest = referral_forest(reversed(chain))
    assert forest.roots == [1]
    assert (forest.size, forest.depth) == (20_000, 20_000)


def test_compute_stats_reads_the_store_and_gives_the_json_fields(store: Store):
    store.insert_many([*network(), *interactions(), *meetings()])
    store.set_setting("weekly_goal", 3)
    doc = compute_stats(Store(store.path, clock=store.clock)).to_json()
    assert doc["contacts"] == 6
    assert doc["funnel"] == {"target": 6, "contacted": 5, "met": 3, "thanked": 2, "referred": 1}
    assert doc["conversions"][0] == {"from": "target", "to": "contacted", "rate": 0.833}
    assert doc["reply_rate"] == 0.8
    assert doc["median_days_target_to_contacted"] == 2
    assert doc["median_days_contacted_to_met"] == 7.5
    assert doc["meetings_per_week"][-1] == {"week": "2026-11-23", "meetings": 2}
    assert doc["meetings_held"] == 5
    assert (doc["referrals"], doc["referrals_per_meeting"]) == (3, 0.6)
    assert doc["weekly_goal"] == {"goal": 3, "week": "2026-11-23", "meetings": 2}
    assert doc["referral_tree"] == {"roots": 1, "size": 4, "depth": 3}
