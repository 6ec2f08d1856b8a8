"""A meeting's life without the screens: schedule, prepare, start, take notes, end or discard.

A meeting is scheduled (a time, a medium, a place), then preparing (the questions chosen),
then running (the clock started: only then is it held), then ended; or discarded at any
point before it ends, when it counts for nothing. A contact has at most one open meeting
(not ended, not discarded): scheduling, preparing and starting all take that one up.

Capture lines in the notes (the prefix is case-insensitive, leading spaces are allowed):
  ref: Bob Lee, Director @ Globex — runs the data team    someone they suggest (quick add)
  todo: send the article by fri                            something I promised, maybe dated
  they: intro me to Lena by fri                            something they promised
  read: The Manager's Path                                 a book, article or URL
Ending a meeting is planned first (an EndPlan the user confirms, choosing per suggested
person whether to link an existing contact), then applied in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from store.dates import dayfirst_setting, parse_when
from store.db import Store
from store.errors import InputError, RefError
from store.followups import THEIRS_KIND, promote_referrer
from store import tiara
from store.questions import Question, questions
from store.quickadd import QuickAdd, parse_quick_add
from store.records import Contact, FollowUp, Meeting
from store.text import fold
from store.tiara import who_tags

PLANNED_MINUTES = 30
WRAP_UP_MINUTES = 5
WRAP_UP_CUE = tiara.NEXT_STEPS_CUE  # the last WRAP_UP_MINUTES: the next steps phase
THANKS_TEXT = "send a thank-you note"
THANKS_WITHIN = timedelta(hours=24)
MET_FROM = ("target", "contacted")
PREFIXES = ("ref", "todo", "they", "read")
MEDIUMS = ("coffee", "call", "video")
MAX_MINUTES = 600
CHECK_IN_AFTER = timedelta(days=3)  # after the date they gave (or the meeting): check in
CHECK_IN_TEXT = "check in on their promise"
OPEN_STATES = ("scheduled", "preparing", "running")

_CAPTURE = re.compile(r"^\s*(ref|todo|they|read)\s*:(.*)$", re.IGNORECASE)
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)


# -- starting and saving -----------------------------------------------------------------


def unfinished_meeting(store: Store, contact_id: int) -> Meeting | None:
    """The contact's open meeting: scheduled, preparing or running (the newest, if several)."""
    open_ones = [m for m in store.find(Meeting, contact_id=contact_id) if m.status in OPEN_STATES]
    return open_ones[-1] if open_ones else None


def start_meeting(
    store: Store, contact_id: int, *, planned_minutes: int = PLANNED_MINUTES, medium: str = "coffee"
) -> Meeting:
    """Resume the contact's running meeting with its notes, start the scheduled or
    preparing one now, or start a new one now."""
    with store.transaction():
        store.contact(contact_id)
        meeting = unfinished_meeting(store, contact_id)
        if meeting is None:
            return store.insert(Meeting(contact_id=contact_id, state="running",
                                        started_at=store.now(), planned_minutes=planned_minutes,
                                        medium=medium))
        if meeting.status != "running":
            meeting = store.update(Meeting, meeting.id,
                                   {"state": "running", "started_at": store.now()})
    return meeting


def prepare_meeting(store: Store, contact_id: int) -> Meeting:
    """The contact's open meeting, taken from scheduled to preparing, or a new one being
    prepared; a running meeting is returned as it is (its notes pad is what to show)."""
    with store.transaction():
        store.contact(contact_id)
        meeting = unfinished_meeting(store, contact_id)
        if meeting is None:
            return store.insert(Meeting(contact_id=contact_id, state="preparing"))
        if meeting.status == "scheduled":
            meeting = store.update(Meeting, meeting.id, {"state": "preparing"})
    return meeting


def schedule_meeting(
    store: Store, contact_id: int, when: datetime, *, minutes: int | None = None,
    medium: str | None = None, where: str | None = None,
) -> Meeting:
    """Put the contact's meeting at `when` (the open one, else a new one); what is not
    given is kept (a new one: 30 minutes, coffee). Refused for a time already past and
    while a meeting with them is running."""
    if when <= store.clock():
        raise InputError("that time has passed: schedule a meeting later than now")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise InputError(f"a meeting lasts 1 to {MAX_MINUTES} minutes")
    if medium is not None and medium not in MEDIUMS:
        raise InputError(f"unknown medium {medium!r}: use one of {', '.join(MEDIUMS)}")
    changes = {"scheduled_for": when.isoformat(timespec="seconds"), "planned_minutes": minutes,
               "medium": medium, "where": where.strip() if where is not None else None}
    changes = {name: value for name, value in changes.items() if value is not None}
    with store.transaction():
        contact = store.contact(contact_id)
        meeting = unfinished_meeting(store, contact_id)
        if meeting is None:
            return store.insert(Meeting(contact_id=contact_id, state="scheduled", **changes))
        if meeting.status == "running":
            raise InputError(f"a meeting with {contact.name} is going on: end or discard it "
                             "before scheduling the next")
        return store.update(Meeting, meeting.id, changes)


def preparation(store: Store, contact_id: int) -> tuple[Meeting, list[str]]:
    """prepare_meeting, with the questions to show: a running meeting's checklist, else
    every question that suits them to choose from (those chosen before included)."""
    with store.transaction():
        before = unfinished_meeting(store, contact_id)
        meeting = prepare_meeting(store, contact_id)
        if meeting.status == "running":
            return meeting, checklist(store, meeting)
        contact = store.contact(contact_id)
        if not meeting.questions_planned and (before is None or before.status == "scheduled"):
            # Prepared for the first time: start from a few questions per TIARA letter.
            picked = tiara_questions(store, contact)
            meeting = store.update(Meeting, meeting.id, {"questions_planned": picked})
        offered = tiara_order(suitable_questions(store, contact))
        return meeting, offered + [q for q in meeting.questions_planned if q not in offered]


def tiara_order(questions: list[Question]) -> list[str]:
    """The questions by TIARA letter (T, I, A, R, A, then next steps), those of no kind
    last; the bank's order within each."""
    rank = {tag: i for i, (_, tag) in enumerate(tiara.TIARA)} | {tiara.NEXT_STEPS_TAG: 5}
    ordered = sorted(questions, key=lambda q: rank.get(tiara.kind_of(q.tags) or "", 6))
    return [q.text for q in ordered]


def discard_meeting(store: Store, meeting_id: int) -> Meeting:
    """A meeting opened by mistake, or that did not happen: it counts for nothing (its
    notes are kept on it). An ended meeting cannot be discarded."""
    with store.transaction():
        meeting = store.get(Meeting, meeting_id)
        if meeting.status == "ended":
            raise InputError("this meeting has ended: it cannot be discarded")
        return store.update(Meeting, meeting_id, {"state": "discarded"})


def set_planned_questions(store: Store, meeting_id: int, chosen: list[str]) -> None:
    """The questions chosen for the meeting while preparing it."""
    with store.transaction():
        store.update(Meeting, meeting_id, {"questions_planned": list(chosen)})


def meeting_target(store: Store, ref: str) -> Contact | QuickAdd:
    """The contact REF names, or a one-liner for a new contact when it names nobody.

    "Bob Lee @ Globex" finds the Bob Lee at Globex; an id, or a prefix of several names,
    that matches no one stays an error."""
    try:
        return store.resolve(ref)
    except RefError:
        person = parse_quick_add(ref)
        everyone = store.contacts(include_archived=True)
        same = [c for c in everyone if _same_person(person.name, person.company, c)]
        if len(same) == 1:
            return same[0]
        wanted = fold(ref)
        if wanted.isdigit() or any(fold(c.name).startswith(wanted) for c in everyone):
            raise
        return person


def start_meeting_with_new(store: Store, person: QuickAdd) -> Meeting:
    """Add the person as a target contact and start a meeting with them, in one write."""
    with store.transaction():
        return start_meeting(store, store.add_contact(person.contact(stage="target")).id)


def suitable_questions(store: Store, contact: Contact) -> list[Question]:
    """The questions of the bank that suit the contact: those tagged for nobody in
    particular (a TIARA kind says what a question is, not whom it suits) and those tagged
    with one of the contact's tags, in the bank's order (seeds the bank on first use)."""
    tags = {t.casefold() for t in contact.tags}
    suits = []
    for q in questions(store):
        who = who_tags(q.tags)
        if not who or tags.intersection(t.casefold() for t in who):
            suits.append(q)
    return suits


def prepared_questions(store: Store, contact: Contact) -> list[str]:
    """Every question that suits the contact (suitable_questions), as text."""
    return [q.text for q in suitable_questions(store, contact)]


def tiara_questions(store: Store, contact: Contact) -> list[str]:
    """The pick preparation starts from: a few questions per TIARA letter that suit the
    contact, then "who else should I talk to?"; every suitable one when the bank has no
    TIARA kinds."""
    suits = suitable_questions(store, contact)
    return tiara.pick((q.text, q.tags) for q in suits) or [q.text for q in suits]


def checklist(store: Store, meeting: Meeting) -> list[str]:
    """The questions to ask: those chosen while preparing, else the TIARA pick."""
    return meeting.questions_planned or tiara_questions(store, store.contact(meeting.contact_id))


def begin_meeting(store: Store, target: Contact | QuickAdd) -> tuple[Meeting, list[str]]:
    """Start or resume the meeting (adding a new person first) and draw its checklist."""
    with store.transaction():
        if isinstance(target, QuickAdd):
            meeting = start_meeting_with_new(store, target)
        else:
            meeting = start_meeting(store, target.id)
        return meeting, checklist(store, meeting)


def save_notes(store: Store, meeting_id: int, notes: str) -> None:
    """Write the notes field of the meeting and nothing else (no write when unchanged)."""
    with store.transaction():
        meeting = store.get(Meeting, meeting_id)
        if meeting.notes != notes:
            meeting.notes = notes
            store.save(meeting)


def set_planned_minutes(store: Store, meeting_id: int, minutes: int) -> None:
    if minutes < 1:
        raise InputError("a meeting is planned for at least 1 minute")
    with store.transaction():
        meeting = store.get(Meeting, meeting_id)
        meeting.planned_minutes = minutes
        store.save(meeting)


def set_questions_asked(store: Store, meeting_id: int, asked: list[str]) -> None:
    with store.transaction():
        meeting = store.get(Meeting, meeting_id)
        meeting.questions_asked = list(asked)
        store.save(meeting)


# -- the timer -----------------------------------------------------------------------------


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def timer_text(started_at: str, now: datetime, planned_minutes: int) -> tuple[str, str]:
    """ "12:03 / 30:00" and the cue: the wrap-up line near the end, the overtime past it."""
    elapsed = max((now - datetime.fromisoformat(started_at)).total_seconds(), 0)
    planned = planned_minutes * 60
    shown = f"{_clock_text(elapsed)} / {_clock_text(planned)}"
    if elapsed >= planned:
        return shown, f"overtime +{_clock_text(elapsed - planned)}"
    if elapsed >= planned - WRAP_UP_MINUTES * 60:
        return shown, WRAP_UP_CUE
    return shown, ""


# -- reading the notes ------------------------------------------------------------------


@dataclass(frozen=True)
class Todo:
    text: str
    due: datetime | None = None


@dataclass
class Captures:
    """What the notes' capture lines say; problems are lines that could not be read."""

    refs: list[QuickAdd] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    theirs: list[Todo] = field(default_factory=list)  # what they promised
    reads: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_todo(text: str, now: datetime, *, dayfirst: bool = False) -> Todo:
    """ "send the article by fri": the part after the last " by " is the due date when it
    reads as one; otherwise the whole text is the todo, undated."""
    parts = _BY.split(text)
    if len(parts) > 1:
        head = " by ".join(parts[:-1]).strip()
        try:
            return Todo(head, parse_when(parts[-1], now, dayfirst=dayfirst))
        except InputError:
            pass
    return Todo(text.strip())


def parse_notes(notes: str, now: datetime, *, dayfirst: bool = False) -> Captures:
    captures = Captures()
    for number, line in enumerate(notes.splitlines(), start=1):
        match = _CAPTURE.match(line)
        if not match:
            continue
        prefix, body = match.group(1).lower(), match.group(2).strip()
        if not body:
            captures.problems.append(f"line {number}: nothing after {prefix}:")
        elif prefix == "ref":
            try:
                captures.refs.append(parse_quick_add(body))
            except InputError as exc:
                captures.problems.append(f"line {number}: {exc}")
        elif prefix in ("todo", "they"):
            todos = captures.todos if prefix == "todo" else captures.theirs
            todos.append(parse_todo(body, now, dayfirst=dayfirst))
        else:
            captures.reads.append(body)
    return captures


# -- ending ----------------------------------------------------------------------------------


@dataclass
class Referral:
    """A suggested person: a new target contact, or (link=True) the existing one."""

    person: QuickAdd
    existing: Contact | None = None
    link: bool = False


@dataclass
class EndPlan:
    """What ending the meeting will do; the user confirms it (and may flip links) first."""

    meeting: Meeting
    contact: Contact
    notes: str
    referrals: list[Referral]
    todos: list[Todo]
    theirs: list[Todo]  # each becomes a "check in on their promise" follow-up
    resources: list[str]
    new_stage: str | None
    thanks_due: datetime
    problems: list[str]
    introduced: int  # contacts they had referred before this meeting

    def check_in(self, promise: Todo) -> datetime:
        """When to check in on something they promised: a few days after their date."""
        return (promise.due or self.thanks_due - THANKS_WITHIN) + CHECK_IN_AFTER


def _same_person(a_name: str, a_company: str, b: Contact | QuickAdd) -> bool:
    return (fold(a_name), fold(a_company)) == (fold(b.name), fold(b.company))


def plan_end(store: Store, meeting_id: int, notes: str | None = None) -> EndPlan:
    """The summary of ending the meeting with `notes` (default: the saved notes)."""
    meeting = store.get(Meeting, meeting_id)
    _check_open(meeting)
    contact = store.contact(meeting.contact_id)
    notes = meeting.notes if notes is None else notes
    now = store.clock()
    captures = parse_notes(notes, now, dayfirst=dayfirst_setting(store.settings()))
    everyone = store.contacts(include_archived=True)
    referrals: list[Referral] = []
    for person in captures.refs:
        if any(_same_person(person.name, person.company, r.person) for r in referrals):
            continue
        existing = next((c for c in everyone if _same_person(person.name, person.company, c)), None)
        referrals.append(Referral(person, existing, link=existing is not None))
    return EndPlan(
        meeting=meeting,
        contact=contact,
        notes=notes,
        referrals=referrals,
        todos=captures.todos,
        theirs=captures.theirs,
        resources=captures.reads,
        new_stage="met" if contact.stage in MET_FROM else None,
        thanks_due=now + THANKS_WITHIN,
        problems=captures.problems,
        introduced=len(store.find(Contact, referred_by=contact.id)),
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _check_open(meeting: Meeting) -> None:
    if meeting.status == "ended":
        raise InputError("this meeting has already ended")
    if meeting.status == "discarded":
        raise InputError("this meeting was discarded")


def end_meeting(store: Store, plan: EndPlan) -> Meeting:
    """Apply the plan in one transaction: contacts, follow-ups, the meeting, the stage."""
    with store.transaction():
        meeting = store.get(Meeting, plan.meeting.id)
        _check_open(meeting)
        contact = store.contact(meeting.contact_id)
        now = store.now()
        referral_ids = []
        for referral in plan.referrals:
            if referral.link and referral.existing is not None:
                linked = store.contact(referral.existing.id)
                if linked.referred_by is None and linked.id != contact.id:
                    linked.referred_by = contact.id
                    store.save(linked)
                referral_ids.append(linked.id)
            else:
                added = store.add_contact(
                    referral.person.contact(
                        stage="target",
                        referred_by=contact.id,
                        how_we_know=f"referred by {contact.name}",
                    )
                )
                referral_ids.append(added.id)
        todos = [
            FollowUp(
                contact_id=contact.id,
                kind="todo",
                text=todo.text,
                due=_iso(todo.due) if todo.due else None,
                meeting_id=meeting.id,
                created_at=now,
            )
            for todo in plan.todos
        ] + [
            FollowUp(
                contact_id=contact.id,
                kind=THEIRS_KIND,
                text=f"{CHECK_IN_TEXT}: {promise.text}",
                due=_iso(plan.check_in(promise)),
                meeting_id=meeting.id,
                created_at=now,
            )
            for promise in plan.theirs
        ]
        thanks = FollowUp(
            contact_id=contact.id,
            kind="thanks",
            text=THANKS_TEXT,
            due=_iso(plan.thanks_due),
            meeting_id=meeting.id,
            created_at=now,
        )
        store.insert_many([*todos, thanks])
        meeting.notes = plan.notes
        meeting.state = "ended"
        meeting.started_at = meeting.started_at or now
        meeting.ended_at = now
        meeting.referrals = referral_ids
        meeting.todos = [t.id for t in todos]
        meeting.resources = list(plan.resources)
        store.save(meeting)
        if plan.new_stage and contact.stage in MET_FROM:
            store.move(contact.id, plan.new_stage)
        promote_referrer(store, contact.id)
    return meeting
