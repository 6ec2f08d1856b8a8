"""Exporting: CSV, a JSON backup, vCards, a calendar (ICS) and Markdown, as text.

Every export covers all contacts (archived ones too) or, with `stage`, the contacts in
that stage and their meetings and follow-ups; the JSON backup always holds everything.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from store.db import Store
from store.errors import InputError
from store.records import Contact, FollowUp, Meeting, check_stage, parse_iso

FORMATS = ("csv", "json", "vcard", "ics", "markdown")
# The CSV column holding when a contact first reached each stage.
STAGE_DATE_COLUMNS = {
    "target": "targeted_at",
    "contacted": "contacted_at",
    "met": "met_at",
    "thanked": "thanked_at",
    "referred": "referred_at",
}
CSV_COLUMNS = (
    "id name role company industry email phone linkedin location how_we_know referred_by "
    "stage tags notes research culture connected_on keep_in_touch"
).split() + [*STAGE_DATE_COLUMNS.values(), "created_at", "updated_at", "archived"]
TAG_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REMINDER_MINUTES = 30
UID_DOMAIN = "coffeechat"


# -- spreadsheet cells -----------------------------------------------------------------


def _starts_formula(cell: str) -> bool:
    return cell.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """A cell no spreadsheet runs as a formula: `'` before a leading = + - @ tab or CR.

    A cell that already starts with `'` before one of those gets one more, so that
    unneutralise() gives back exactly what was exported.
    """
    return f"'{cell}" if _starts_formula(cell) else cell


def unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _starts_formula(cell) else cell


# -- selection -------------------------------------------------------------------------


def _chosen(store: Store, stage: str | None) -> list[Contact]:
    wanted = check_stage(stage) if stage else None
    return [c for c in store.contacts(include_archived=True) if wanted in (None, c.stage)]


def stage_dates(contact: Contact) -> dict[str, str]:
    """{column: when the contact first reached that stage} for the stages it reached."""
    dates: dict[str, str] = {}
    for entry in contact.stage_history:
        column = STAGE_DATE_COLUMNS.get(entry.get("stage"))
        if column:
            dates.setdefault(column, entry.get("at", ""))
    return dates




# -- the formats -----------------------------------------------------------------------


def export_csv(store: Store, stage: str | None = None) -> str:
    """One row per contact; stage dates as columns; referred_by as a name."""
    names = {c.id: c.name for c in store.contacts(include_archived=True)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for contact in _chosen(store, stage):
        row = {
            "id": contact.id,
            **contact.to_doc(),
            "referred_by": names.get(contact.referred_by, ""),
            "tags": TAG_SEPARATOR.join(contact.tags),
            "archived": "true" if contact.archived else "false",
            **stage_dates(contact),
        }
        writer.writerow(neutralise(str(row.get(column, ""))) for column in CSV_COLUMNS)
    return out.getvalue()


def export_json(store: Store, stage: str | None = None) -> str:
    """Every table as the database file holds it: `import json` restores it exactly."""
    if stage:
        raise InputError("--stage does not apply to json: a backup holds everything")
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    return orjson.dumps(store.data(), option=option).decode() + "\n"


def export_vcard(store: Store, stage: str | None = None) -> str:
    """vCard 3.0: name, organisation, title, email, phone, LinkedIn URL, note, tags."""
    import vobject  # imported here: the commands that never export vCards start faster

    cards = []
    for contact in _chosen(store, stage):
        card = vobject.vCard()
        card.add("fn").value = contact.name
        given, _, family = contact.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        for name, value in (
            ("org", [contact.company] if contact.company else None),
            ("title", contact.role),
            ("email", contact.email),
            ("tel", contact.phone),
            ("url", contact.linkedin),
            ("note", contact.notes),
            ("categories", contact.tags),
        ):
            if value:
                card.add(name).value = value
        if contact.email:
            card.email.type_param = "INTERNET"
        cards.append(card.serialize())
    return "".join(cards)


def export_ics(store: Store, stage: str | None = None) -> str:
    """Meetings scheduled or going on (not ended, not discarded) as events with a
    reminder, at their scheduled time until they start; open follow-ups as to-dos.

    UIDs come from the record ids, so a calendar that imports the file again updates
    the entries instead of duplicating them.
    """
    import icalendar  # imported here: the commands that never export ics start faster

    class Text(icalendar.vText):
        """A text as typed, escaped as RFC 5545 says: icalendar's own escaping takes a
        typed `\\N` for an escaped line break, and the calendar showed one."""

        def to_ical(self) -> bytes:
            text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
            return text.encode(self.encoding)

    people = {c.id: c for c in _chosen(store, stage)}
    stamp = store.clock().astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coffeechat//coffeechat//EN")
    calendar.add("version", "2.0")
    for meeting in store.records(Meeting):
        start = parse_iso(meeting.started_at or meeting.scheduled_for)
        contact = people.get(meeting.contact_id)
        if meeting.status in ("ended", "discarded") or start is None or contact is None:
            continue
        summary = f"{meeting.medium} with {contact.name}".strip()
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start.astimezone(UTC))
        event.add("dtend", (start + timedelta(minutes=meeting.planned_minutes)).astimezone(UTC))
        event.add("summary", Text(summary))
        if contact.headline:
            event.add("description", Text(contact.headline))
        if meeting.where:
            event.add("location", Text(meeting.where))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES))
        alarm.add("description", Text(summary))
        event.add_component(alarm)
        calendar.add_component(event)
    for followup in store.records(FollowUp):
        contact = people.get(followup.contact_id)
        if followup.done_at is not None or contact is None:
            continue
        todo = icalendar.Todo()
        todo.add("uid", f"followup-{followup.id}@{UID_DOMAIN}")
        todo.add("dtstamp", stamp)
        todo.add("summary", Text(followup.text or followup.kind))
        todo.add("description", Text(f"for {contact.name}"))
        todo.add("status", "NEEDS-ACTION")
        if due := parse_iso(followup.due):
            todo.add("due", due.astimezone(UTC))
        calendar.add_component(todo)
    return calendar.to_ical().decode()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """Text for one Markdown line, shown literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _fenced(text: str) -> list[str]:
    """Notes kept exactly as typed, in a fence longer than any run of backticks in them."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *text.splitlines(), fence]


def _when(text: str) -> str:
    moment = parse_iso(text)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else text


def export_markdown(store: Store, stage: str | None = None, *, activity: bool = False) -> str:
    """Per meeting held: notes, referrals, promises, resources; or (activity) the stage log."""
    return (_activity_log if activity else _meeting_notes)(store, stage)


def _meeting_notes(store: Store, stage: str | None) -> str:
    everyone = {c.id: c for c in store.contacts(include_archived=True)}
    people = {c.id for c in _chosen(store, stage)}
    followups = store.records(FollowUp)
    lines = ["# Meetings", ""]
    meetings = [m for m in store.records(Meeting) if m.contact_id in people and m.held]
    for meeting in sorted(
        meetings, key=lambda m: parse_iso(m.started_at) or datetime.min.replace(tzinfo=UTC)
    ):
        contact = everyone[meeting.contact_id]
        lines += [
            f"## {_md(contact.name)} — {_md(meeting.medium)}, {_when(meeting.started_at)}",
            "",
        ]
        if contact.headline:
            lines += [_md(contact.headline), ""]
        referrals = [everyone[i] for i in meeting.referrals if i in everyone]
        promises = [f for f in followups if f.meeting_id == meeting.id or f.id in meeting.todos]
        sections = (
            ("Notes", _fenced(meeting.notes) if meeting.notes.strip() else []),
            (
                "Referrals",
                [
                    f"- {_md(c.name)}" + (f" ({_md(c.headline)})" if c.headline else "")
                    for c in referrals
                ],
            ),
            ("Promises", [_promise(f) for f in promises]),
            ("Resources", [f"- {_md(r)}" for r in meeting.resources]),
        )
        for title, body in sections:
            if body:
                lines += [f"### {title}", "", *body, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _promise(followup: FollowUp) -> str:
    box = "x" if followup.done_at else " "
    due = f" (due {_when(followup.due)})" if followup.due else ""
    return f"- [{box}] {_md(followup.text)}{due}"


def _activity_log(store: Store, stage: str | None) -> str:
    entries = [
        (parse_iso(entry.get("at")), entry.get("at", ""), contact, entry.get("stage", ""))
        for contact in _chosen(store, stage)
        for entry in contact.stage_history
    ]
    entries.sort(key=lambda e: (e[0] or datetime.min.replace(tzinfo=UTC), e[2].name))
    lines = [
        "# Activity log",
        "",
        "| date | contact | role | company | stage |",
        "|---|---|---|---|---|",
    ]
    for _, at, contact, reached in entries:
        cells = (_when(at), contact.name, contact.role, contact.company, reached)
        lines.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


EXPORTERS = {
    "csv": export_csv,
    "json": export_json,
    "vcard": export_vcard,
    "ics": export_ics,
    "markdown": export_markdown,
}


def export(store: Store, kind: str, *, stage: str | None = None, activity: bool = False) -> str:
    """The export `kind` (one of FORMATS) as text."""
    if kind not in EXPORTERS:
        raise InputError(f"unknown export format {kind!r}: use one of {', '.join(FORMATS)}")
    if activity and kind != "markdown":
        raise InputError("--activity applies to markdown exports only")
    if kind == "markdown":
        return export_markdown(store, stage, activity=activity)
    return EXPORTERS[kind](store, stage)


def write_file(path: str | Path, text: str) -> None:
    """Write `text` to `path` atomically: a temporary file renamed over it, or nothing."""
    path = Path(path).expanduser()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror}); nothing was written") from None
