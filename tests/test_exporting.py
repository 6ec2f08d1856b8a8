"""Exports: CSV cells and columns, vCards, the calendar, Markdown; round trips through import."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from store.db import Store
from store.demo import demo_records
from store.errors import InputError
from store.exporting import CSV_COLUMNS, FORMULA_STARTS, export, neutralise, unneutralise
from store.importing import import_file
from store.records import Contact, FollowUp, Meeting

HOSTILE = {
    "name": "[bold]Zoë[/] \x1b[2J 王小明 😀",
    "role": "=1+1",
    "company": '@Acme, "Inc"; [red]x[/red]',
    "email": "zoe@example.com",
    "phone": "+1 555 0100",
    "linkedin": "https://www.linkedin.com/in/zoe-😀",
    "notes": "line one\n\x1b[31mred\x1b[0m, \\ back; slash\n# not a heading\n"
    "```fence```\n日本語のメモ",
    "tags": ["-minus", "emoji 🎉", "[b]"],
}
# What each export carries (the rest belongs to coffeechat alone).
VCARD_FIELDS = ("name", "company", "role", "email", "phone", "linkedin", "notes", "tags")
CSV_FIELDS = tuple(
    name for name in Contact.__struct_fields__ if name not in ("id", "rev", "referred_by", "updated_at")
)


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_formula_cells_are_neutralised():
    for start in FORMULA_STARTS:
        assert neutralise(f"{start}cmd") == f"'{start}cmd"
    assert neutralise("'=cmd") == "''=cmd"
    assert neutralise("Jane") == "Jane"
    assert neutralise("") == ""
    assert neutralise("'quoted") == "'quoted"


@given(st.text())
def test_neutralised_cells_never_start_a_formula_and_come_back_exactly(cell):
    safe = neutralise(cell)
    assert not safe.startswith(FORMULA_STARTS)
    assert unneutralise(safe) == cell


def test_csv_has_stage_dates_referred_by_as_a_name_and_safe_cells(store):
    bo = store.add_contact(Contact(name="Bo Li"))
    store.add_contact(Contact(name='=HYPERLINK("http://evil")', phone="+44 1", referred_by=bo.id))
    store.move(2, "contacted", at="2026-11-24T10:00:00+01:00")
    store.move(2, "met", at="2026-11-25T10:00:00+01:00")

    rows = read_csv(export(store, "csv"))

    assert list(rows[0]) == CSV_COLUMNS
    row = rows[1]
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["phone"] == "'+44 1"
    assert row["referred_by"] == "Bo Li"
    assert (row["targeted_at"], row["contacted_at"], row["met_at"], row["thanked_at"]) == (
        store.now(),
        "2026-11-24T10:00:00+01:00",
        "2026-11-25T10:00:00+01:00",
        "",
    )
    assert [r["name"] for r in read_csv(export(store, "csv", stage="met"))] == [row["name"]]


def test_csv_round_trip_keeps_every_field_it_carries(tmp_path, clock):
    original = Store(tmp_path / "a.json", clock=clock)
    original.insert_many(demo_records(60, 7, clock()))
    original.add_contact(Contact(**HOSTILE))
    original.set_archived(3, True)
    (tmp_path / "out.csv").write_text(export(original, "csv"), newline="")
    copy = Store(tmp_path / "b.json", clock=clock)

    report = import_file(copy, "csv", tmp_path / "out.csv")

    assert (report.new, report.skipped, report.notices) == (61, [], [])
    names = {c.id: c.name for c in original.contacts(include_archived=True)}
    copied_names = {c.id: c.name for c in copy.contacts(include_archived=True)}
    for before, after in zip(
        original.contacts(include_archived=True), copy.contacts(include_archived=True), strict=True
    ):
        assert {f: getattr(after, f) for f in CSV_FIELDS} == {
            f: getattr(before, f) for f in CSV_FIELDS
        }
        assert copied_names.get(after.referred_by) == names.get(before.referred_by)


def test_vcard_round_trip_with_hostile_text(store, tmp_path):
    store.add_contact(Contact(**HOSTILE))
    store.add_contact(Contact(name="Plain Person"))
    text = export(store, "vcard")
    card = vobject.readOne(text)
    assert card.version.value == "3.0"
    (tmp_path / "out.vcf").write_text(text, newline="")
    copy = Store(tmp_path / "b.json")

    report = import_file(copy, "vcard", tmp_path / "out.vcf")

    assert report.new == 2
    for before, after in zip(store.contacts(), copy.contacts(), strict=True):
        assert {f: getattr(after, f) for f in VCARD_FIELDS} == {
            f: getattr(before, f) for f in VCARD_FIELDS
        }


def test_json_round_trip_with_hostile_text(store, tmp_path):
    store.add_contact(Contact(**HOSTILE))
    (tmp_path / "backup.json").write_text(export(store, "json"))
    copy = Store(tmp_path / "b.json")

    import_file(copy, "json", tmp_path / "backup.json")

    assert copy.contacts() == store.contacts()


def test_json_is_a_whole_backup(store):
    with pytest.raises(InputError, match="--stage does not apply to json"):
        export(store, "json", stage="met")


def add_meetings(store: Store) -> None:
    jane = store.add_contact(Contact(name="Jane [b]Doe[/b]", role="CTO", company="Acme"))
    bob = store.add_contact(Contact(name="Bob Lee"))
    store.insert_many(
        [
            Meeting(contact_id=jane.id, started_at="2026-11-25T15:00:00+01:00", medium="coffee"),
            Meeting(
                contact_id=bob.id,
                started_at="2026-11-20T10:00:00+01:00",
                ended_at="2026-11-20T10:40:00+01:00",
                notes="Talked about teams.\n```code```\n# literal",
                referrals=[jane.id],
                resources=["book: *The Manager's Path*"],
            ),
            FollowUp(
                contact_id=bob.id,
                text="send the article",
                due="2026-11-27T09:00:00+01:00",
                meeting_id=2,
            ),
            FollowUp(
                contact_id=bob.id,
                text="done already",
                done_at="2026-11-21T09:00:00+01:00",
                meeting_id=2,
            ),
        ]
    )


def test_ics_has_scheduled_meetings_with_a_reminder_and_open_followups(store, clock):
    add_meetings(store)

    calendar = icalendar.Calendar.from_ical(export(store, "ics"))

    events = calendar.walk("VEVENT")
    todos = calendar.walk("VTODO")
    assert [str(e["summary"]) for e in events] == ["coffee with Jane [b]Doe[/b]"]
    assert events[0].decoded("dtstart") == datetime.fromisoformat("2026-11-25T15:00:00+01:00")
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == timedelta(minutes=30)
    assert events[0].walk("VALARM")[0].decoded("trigger") == timedelta(minutes=-30)
    assert [str(t["summary"]) for t in todos] == ["send the article"]
    assert todos[0].decoded("due") == datetime.fromisoformat("2026-11-27T09:00:00+01:00")


def test_ics_uids_stay_the_same_when_exported_again(store, clock):
    add_meetings(store)
    first = icalendar.Calendar.from_ical(export(store, "ics"))
    store.insert(Meeting(contact_id=2, started_at="2026-12-01T09:00:00+01:00"))
    clock.advance(days=1)

    second = icalendar.Calendar.from_ical(export(store, "ics"))

    uids = [str(c["uid"]) for c in first.subcomponents]
    again = [str(c["uid"]) for c in second.subcomponents]
    assert len(set(uids)) == len(uids) == 2
    assert set(uids) < set(again)


def test_markdown_per_meeting_shows_user_text_literally(store):
    add_meetings(store)

    text = export(store, "markdown")

    assert text.index("## Bob Lee — coffee, 2026-11-20 10:00") < text.index(
        "## Jane \\[b\\]Doe\\[/b\\] — coffee, 2026-11-25 15:00"
    )
    assert "````text\nTalked about teams.\n```code```\n# literal\n````" in text
    assert "### Referrals\n\n- Jane \\[b\\]Doe\\[/b\\] (CTO @ Acme)" in text
    assert "- [ ] send the article (due 2026-11-27 09:00)\n- [x] done already" in text
    assert "- book: \\*The Manager's Path\\*" in text


def test_markdown_activity_log_lists_stage_changes_by_date(store):
    store.add_contact(Contact(name="Ann | Pipe", company="Acme"))
    store.add_contact(Contact(name="Bo Li"))
    store.move(2, "met", at="2026-11-25T08:00:00+01:00")
    store.move(2, "contacted", at="2026-11-24T08:00:00+01:00")

    lines = export(store, "markdown", activity=True).splitlines()

    assert lines[2:] == [
        "| date | contact | role | company | stage |",
        "|---|---|---|---|---|",
        "| 2026-11-23 09:30 | Ann \\| Pipe |  | Acme | target |",
        "| 2026-11-23 09:30 | Bo Li |  |  | target |",
        "| 2026-11-24 08:00 | Bo Li |  |  | contacted |",
        "| 2026-11-25 08:00 | Bo Li |  |  | met |",
    ]
    only_targets = export(store, "markdown", activity=True, stage="target")
    assert "Ann" in only_targets and "Bo Li" not in only_targets
