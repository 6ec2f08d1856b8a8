"""Meeting mode without the screen: start or resume, save notes, read capture lines, end.

Capture lines in the notes (the prefix is case-insensitive, leading spaces are allowed):
  ref: Bob Lee, Director @ Globex — runs the data team    someone they suggest (quick add)
  todo: send the article by fri                            something I promised, maybe dated
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
from store.questions import questions
from store.quickadd import QuickAdd, parse_quick_add
from store.records import Contact, FollowUp, Meeting

PLANNED_MINUTES = 30
WRAP_UP_MINUTES = 5
WRAP_UP_CUE = "wrap up — ask who else to talk to"
THANKS_TEXT = "send a thank-you note"
THANKS_WITHIN = timedelta(hours=24)
MET_FROM = ("target", "contacted")
PREFIXES = ("ref", "todo", "read")

_CAPTURE = re.compile(r"^\s*(ref|todo|read)\s*:(.*)$", re.IGNORECASE)
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)


# -- starting and saving -----------------------------------------------------------------


def unfinished_meeting(store: Store, contact_id: int) -> Meeting | None:
    """The contact's meeting that was started and never ended (the newest, if several)."""
    open_ones = [
        m for m in store.records(Meeting) if m.contact_id == contact_id and m.ended_at is None
    ]
    return open_ones[-1] if open_ones else None


def start_meeting(
    store: Store, contact_id: int, *, planned_minutes: int = PLANNED_MINUTES, medium: str = "coffee"
) -> Meeting:
    """Resume the contact's unfinished meeting with its notes, or start a new one now."""
    with store.transaction():
        store.contact(contact_id)
        meeting = unfinished_meeting(store, contact_id)
        if meeting is None:
            meeting = store.insert(
                Meeting(
                    contact_id=contact_id,
                    started_at=store.now(),
                    planned_minutes=planned_minutes,
                    medium=medium,
                )
            )
    return meeting


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
        wanted = ref.strip().casefold()
        if wanted.isdigit() or any(c.name.casefold().startswith(wanted) for c in everyone):
            raise
        return person


def start_meeting_with_new(store: Store, person: QuickAdd) -> Meeting:
    """Add the person as a target contact and start a meeting with them, in one write."""
    with store.transaction():
        return start_meeting(store, store.add_contact(person.contact(stage="target")).id)


def prepared_questions(store: Store, contact: Contact) -> list[str]:
    """The checklist from the question bank: the untagged questions and those tagged with
    one of the contact's tags, in the bank's order (seeds the bank on first use)."""
    tags = {t.casefold() for t in contact.tags}
    return [
        q.text
        for q in questions(store)
        if not q.tags or tags.intersection(t.casefold() for t in q.tags)
    ]


def begin_meeting(store: Store, target: Contact | QuickAdd) -> tuple[Meeting, list[str]]:
    """Start or resume the meeting (adding a new person first) and draw its checklist."""
    with store.transaction():
        if isinstance(target, QuickAdd):
            meeting = start_meeting_with_new(store, target)
        else:
            meeting = start_meeting(store, target.id)
        return meeting, prepared_questions(store, store.contact(meeting.contact_id))


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
        elif prefix == "todo":
            captures.todos.append(parse_todo(body, now, dayfirst=dayfirst))
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
    resources: list[str]
    new_stage: str | None
    thanks_due: datetime
    problems: list[str]


def _same_person(a_name: str, a_company: str, b: Contact | QuickAdd) -> bool:
    return (a_name.casefold(), a_company.casefold()) == (b.name.casefold(), b.company.casefold())


def plan_end(store: Store, meeting_id: int, notes: str | None = None) -> EndPlan:
    """The summary of ending the meeting with `notes` (default: the saved notes)."""
    meeting = store.get(Meeting, meeting_id)
    if meeting.ended_at is not None:
        raise InputError("this meeting has already ended")
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
        resources=captures.reads,
        new_stage="met" if contact.stage in MET_FROM else None,
        thanks_due=now + THANKS_WITHIN,
        problems=captures.problems,
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def end_meeting(store: Store, plan: EndPlan) -> Meeting:
    """Apply the plan in one transaction: contacts, follow-ups, the meeting, the stage."""
    with store.transaction():
        meeting = store.get(Meeting, plan.meeting.id)
        if meeting.ended_at is not None:
            raise InputError("this meeting has already ended")
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
        meeting.ended_at = now
        meeting.referrals = referral_ids
        meeting.todos = [t.id for t in todos]
        meeting.resources = list(plan.resources)
        store.save(meeting)
        if plan.new_stage and contact.stage in MET_FROM:
            store.move(contact.id, plan.new_stage)
    return meeting
