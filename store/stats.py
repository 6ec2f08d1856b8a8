"""The numbers: the funnel, reply rate, how long steps take, the meeting rhythm, referrals.

Pure functions over records and a `now`; `compute_stats(store)` only gathers the records
and calls them. The stats screen and `coffeechat stats` render a `Stats`, nothing more.

Definitions (README repeats them next to the JSON fields):
- A contact *reached* a stage when that stage, or a later one, is in its stage_history or
  is its current stage: a contact moved straight from target to met reached contacted too.
  Archived contacts count: archiving hides a contact, it does not undo what happened.
- Conversion from a stage to the next: contacts that reached the next / that reached it.
- Reply rate: of the contacts that reached contacted, the share with a "reply received"
  interaction or that reached met (a meeting implies they answered).
- Median days target→contacted (contacted→met): per contact, from its first stage_history
  entry of the first stage to its first entry of the second stage at or after it; contacts
  without both entries (added straight at contacted, say) are left out.
- A meeting is held once it has started (its started_at is at or before now), unless it
  was discarded; a scheduled meeting is not held until its clock starts. Weeks start on Monday at
  00:00 in now's time zone; the last of the 12 weeks is the current one.
- Referrals per meeting: contacts with a referred_by / meetings held.
- Weekly goal: the setting `weekly_goal` (meetings a week, default 2) against the meetings
  held this week.
- Reply classes (store.method.reply_class): boosters replied within 3 business days of
  the first message, obligates later, curmudgeons not by the time their 7B was due; the
  reply rate is set against the method's normal 20–40%.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from store import settings as config
from store.errors import InputError
from store.records import REPLY_KIND, STAGES, Contact, Interaction, Meeting, parse_iso

GOAL_SETTING = config.WEEKLY_GOAL  # the name the stats screen and CLI import
WEEKS = 12


# -- stages --------------------------------------------------------------------------


def reached(contact: Contact) -> int:
    """The index in STAGES of the furthest stage the contact ever reached."""
    seen = {entry.get("stage") for entry in contact.stage_history} | {contact.stage}
    return max((STAGES.index(s) for s in seen if s in STAGES), default=0)


def funnel(contacts: Iterable[Contact]) -> dict[str, int]:
    """How many contacts reached each stage (reaching a later stage counts for earlier ones)."""
    per_furthest = [0] * len(STAGES)
    for contact in contacts:
        per_furthest[reached(contact)] += 1
    counts, running = {}, 0
    for index in reversed(range(len(STAGES))):
        running += per_furthest[index]
        counts[STAGES[index]] = running
    return {stage: counts[stage] for stage in STAGES}


@dataclass(frozen=True)
class Conversion:
    from_stage: str
    to_stage: str
    rate: float | None  # None when nobody reached from_stage


def conversions(counts: Mapping[str, int]) -> list[Conversion]:
    """The share of contacts that went on from each stage to the next."""
    return [
        Conversion(a, b, counts[b] / counts[a] if counts[a] else None)
        for a, b in zip(STAGES, STAGES[1:])
    ]


def reply_rate(contacts: Iterable[Contact], interactions: Iterable[Interaction]) -> float | None:
    """Of the contacts that reached contacted, the share that replied or that were met."""
    replied = {i.contact_id for i in interactions if i.kind == REPLY_KIND}
    contacted = answered = 0
    for contact in contacts:
        furthest = reached(contact)
        if furthest >= STAGES.index("contacted"):
            contacted += 1
            answered += contact.id in replied or furthest >= STAGES.index("met")
    return answered / contacted if contacted else None




def entered(contact: Contact, stage: str, after: datetime | None = None) -> datetime | None:
    """When the stage_history first shows `stage` (at or after `after`, if given)."""
    for entry in contact.stage_history:
        moment = parse_iso(entry.get("at"))
        if entry.get("stage") == stage and moment and (after is None or moment >= after):
            return moment
    return None


def median_days(contacts: Iterable[Contact], start: str, end: str) -> float | None:
    """The median number of days contacts took from entering `start` to entering `end`."""
    days = []
    for contact in contacts:
        begun = entered(contact, start)
        if begun is None:
            continue
        done = entered(contact, end, after=begun)
        if done is not None:
            days.append((done - begun) / timedelta(days=1))
    return median(days) if days else None


@dataclass(frozen=True)
class StageSpan:
    """One entry of a contact's stage history and how long the contact stayed."""

    stage: str
    at: datetime
    days: float  # until the next entry, or until now for the current stage


def stage_spans(contact: Contact, now: datetime) -> list[StageSpan]:
    """The contact's stage history with the days spent in each entry, oldest first."""
    moments = [(e.get("stage", ""), parse_iso(e.get("at"))) for e in contact.stage_history]
    moments = [(stage, at) for stage, at in moments if at is not None]
    ends = [at for _, at in moments[1:]] + [now]
    return [
        StageSpan(stage, at, max((end - at) / timedelta(days=1), 0.0))
        for (stage, at), end in zip(moments, ends)
    ]


# -- meetings ------------------------------------------------------------------------


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of now's week, in now's time zone."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=now.weekday())


def held(meetings: Iterable[Meeting], now: datetime) -> list[datetime]:
    """The start times of the meetings that have begun by now and were not discarded."""
    starts = (parse_iso(m.started_at, aware=True) for m in meetings if m.held)
    return [s for s in starts if s is not None and s <= now]


@dataclass(frozen=True)
class WeekCount:
    week: date  # the Monday
    meetings: int


def meetings_per_week(
    meetings: Iterable[Meeting], now: datetime, weeks: int = WEEKS
) -> list[WeekCount]:
    """Meetings held in each of the last `weeks` weeks, oldest first, this week last."""
    first = week_start(now) - timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    for start in held(meetings, now):
        index = (start - first) // timedelta(weeks=1)
        if 0 <= index < weeks:
            counts[index] += 1
    return [WeekCount((first + timedelta(weeks=i)).date(), n) for i, n in enumerate(counts)]


def referral_count(contacts: Iterable[Contact]) -> int:
    """How many contacts someone referred."""
    return sum(1 for c in contacts if c.referred_by is not None)


def referrals_per_meeting(referrals: int, meetings_held: int) -> float | None:
    """Referrals per meeting held (None before the first meeting)."""
    return referrals / meetings_held if meetings_held else None


def weekly_goal(settings: Mapping) -> int:
    """The meetings-a-week goal from the settings (the default when not set); an unusable
    value in the file is an InputError, not a goal quietly replaced."""
    try:
        return config.get(settings, GOAL_SETTING, strict=True)
    except InputError as exc:
        raise InputError(f"{exc}: set it with `coffeechat stats --goal N`") from None


def check_goal(text: str) -> int:
    """A weekly goal as typed ("3"), or an InputError saying what is expected."""
    return config.parse(GOAL_SETTING, text)


# -- the referral tree ---------------------------------------------------------------


@dataclass(frozen=True)
class Forest:
    """Who referred whom. Roots are contacts nobody referred who referred someone;
    contacts outside every referral (nobody referred them, they referred nobody) are not
    in it. Size counts every contact in it; depth counts levels (a root and the people it
    referred: 2). Contacts in a referral loop have no root and are left out."""

    roots: list[int]
    children: dict[int, list[int]]
    size: int
    depth: int


def children_index(contacts: Iterable[Contact]) -> dict[int, list[int]]:
    """Referrer id → the ids of the contacts it referred, in id order."""
    ids = set()
    links = []
    for contact in contacts:
        ids.add(contact.id)
        if contact.referred_by is not None and contact.referred_by != contact.id:
            links.append((contact.referred_by, contact.id))
    children: dict[int, list[int]] = {}
    for parent, child in sorted(links):
        if parent in ids:
            children.setdefault(parent, []).append(child)
    return children


def referral_forest(contacts: Iterable[Contact]) -> Forest:
    """The referral tree(s) of the contacts, in O(n)."""
    contacts = list(contacts)
    children = children_index(contacts)
    known = {c.id for c in contacts}
    roots = [
        c.id
        for c in contacts
        if c.id in children
        and (c.referred_by is None or c.referred_by == c.id or c.referred_by not in known)
    ]
    size = depth = 0
    level = roots
    while level:
        depth += 1
        size += len(level)
        level = [child for parent in level for child in children.get(parent, ())]
    return Forest(roots, children, size, depth)


# -- everything at once --------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    contacts: int
    funnel: dict[str, int]
    conversions: list[Conversion]
    reply_rate: float | None
    median_days_target_to_contacted: float | None
    median_days_contacted_to_met: float | None
    meetings_per_week: list[WeekCount]
    meetings_held: int
    referrals: int
    referrals_per_meeting: float | None
    goal: int
    goal_week: date
    goal_done: int
    forest: Forest
    reply_classes: dict[str, int] = field(default_factory=dict)  # {booster: n, …}

    def to_json(self) -> dict:
        """The `coffeechat stats --json` document (field names are a contract)."""
        return {
            "contacts": self.contacts,
            "funnel": self.funnel,
            "conversions": [
                {"from": c.from_stage, "to": c.to_stage, "rate": _round(c.rate)}
                for c in self.conversions
            ],
            "reply_rate": _round(self.reply_rate),
            "reply_rate_normal": [0.2, 0.4],
            "reply_classes": self.reply_classes,
            "median_days_target_to_contacted": _round(self.median_days_target_to_contacted),
            "median_days_contacted_to_met": _round(self.median_days_contacted_to_met),
            "meetings_per_week": [
                {"week": w.week.isoformat(), "meetings": w.meetings} for w in self.meetings_per_week
            ],
            "meetings_held": self.meetings_held,
            "referrals": self.referrals,
            "referrals_per_meeting": _round(self.referrals_per_meeting),
            "weekly_goal": {
                "goal": self.goal,
                "week": self.goal_week.isoformat(),
                "meetings": self.goal_done,
            },
            "referral_tree": {
                "roots": len(self.forest.roots),
                "size": self.forest.size,
                "depth": self.forest.depth,
            },
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def stats(
    contacts: list[Contact],
    interactions: list[Interaction],
    meetings: list[Meeting],
    settings: Mapping,
    now: datetime,
    reply_classes: Mapping[str, int] | None = None,
) -> Stats:
    counts = funnel(contacts)
    weeks = meetings_per_week(meetings, now)
    meetings_held = len(held(meetings, now))
    referrals = referral_count(contacts)
    return Stats(
        contacts=len(contacts),
        funnel=counts,
        conversions=conversions(counts),
        reply_rate=reply_rate(contacts, interactions),
        median_days_target_to_contacted=median_days(contacts, "target", "contacted"),
        median_days_contacted_to_met=median_days(contacts, "contacted", "met"),
        meetings_per_week=weeks,
        meetings_held=meetings_held,
        referrals=referrals,
        referrals_per_meeting=referrals_per_meeting(referrals, meetings_held),
        goal=weekly_goal(settings),
        goal_week=weeks[-1].week,
        goal_done=weeks[-1].meetings,
        forest=referral_forest(contacts),
        reply_classes=dict(reply_classes or {}),
    )


def compute_stats(store) -> Stats:
    """The stats of everything in the store (archived contacts included), as of its clock."""
    from store.method import class_counts, reply_classes  # the method builds on this module

    now = store.clock()
    contacts = store.contacts(include_archived=True)
    return stats(
        contacts,
        store.find(Interaction, kind=REPLY_KIND),  # the only interactions a number uses
        store.records(Meeting),
        store.settings(),
        now,
        class_counts(reply_classes(store, now, contacts=contacts)),
    )
