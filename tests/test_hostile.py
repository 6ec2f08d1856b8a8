"""Hostile and strange text everywhere text goes in: markup, escapes, NUL and other
control characters, lone surrogates, 10 kB strings, right-to-left text, emoji, wide CJK.

Nothing crashes; the data comes back from the file and from every export (lone
surrogates as U+FFFD, by design: store.text.clean); the CLI prints control characters
escaped; the app shows the literal text, never markup read nor an escape sent.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import subprocess
import sys
from datetime import datetime

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.command import CommandInput, CommandPalette

from store.db import Store
from store.errors import InputError
from store.exporting import export
from store.importing import import_file
from store.meetings import end_meeting, parse_notes, plan_end, start_meeting
from store.quickadd import parse_quick_add
from store.records import Contact, FollowUp, Meeting
from store.text import clean
from tests.conftest import FIXED_NOW, Clock
from tests.screen import screen_text, wait_for_screen, wait_for_text
from tui.screens.agenda import AgendaScreen
from tui.modals.snooze import SnoozeScreen
from tui.app import make_app
from tui.modals.ask import AskScreen
from tui.cli.main import main
from tui.screens.contact import ContactScreen
from tui.screens.draft import DraftScreen
from tui.modals.form import EditScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.prep import PrepScreen
from tui.modals.meeting_end import EndMeetingScreen, NewContactScreen
from tui.modals.quick_add import QuickAddScreen
from tui.screens.tree import TreeScreen

PIECES = (
    "[bold]", "[/bold]", "[/]", "[link=http://e]y[/link]", "[@click=app.quit]q[/]", "\\[b]",
    "\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://e\x1b\\", "\x9b31m", "\x00", "\x07",
    "\x08", "\r", "\n", "\t", "\x0b\x0c", "\x1c\x1d\x1e\x1f", "\x7f", "\x85", "\u2028",
    "\ud800", "\udfff", "مرحبا بالعالم", "\u202eevil\u202c", "שלום", "😀", "👩‍👩‍👧",
    "漢字テスト", "ｗｉｄｅ", "e\u0301", "\ufeff", "{name}", "=1+1", "@x", "'", '"', ",", ";",
    "—", " -- ", "@", "|", "`", "\\",
)
BIG = ("ab漢😀\x1b[0m[b]" * 1000)[:10_000]  # a 10 kB string
hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8), st.just(BIG)), max_size=6
).map("".join)
# Text a one-line field holds (importers trim cells; a name's spaces are folded).
one_line = hostile.map(lambda s: " ".join(s.split()))

FEW = settings(max_examples=60, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])
TEXT_FIELDS = (
    "name role company industry email phone linkedin location how_we_know notes research "
    "culture connected_on keep_in_touch"
).split()
NAMED = "[b]X[/]\x1b[2J[link=http://e]y[/link]"  # the name the app tests use


def fresh_store(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("db") / "coffeechat.json", clock=Clock())


def contact_fields(text: str) -> dict:
    """Every text field of a contact holding `text` (a variant per field) and tags."""
    fields = {name: f"{text}{i}" for i, name in enumerate(TEXT_FIELDS)}
    return {**fields, "name": f"N{text}", "tags": [text, f"t{text}"]}


# -- the store ------------------------------------------------------------------------


@FEW
@given(text=hostile)
def test_every_text_field_round_trips_through_the_file(tmp_path_factory, text):
    store = fresh_store(tmp_path_factory)
    fields = contact_fields(text)
    saved = store.add_contact(Contact(**fields))
    back = Store(store.path).contact(saved.id)
    assert {name: getattr(back, name) for name in fields} == {
        name: [clean(t) for t in value] if isinstance(value, list) else clean(value)
        for name, value in fields.items()
    }


# -- the quick-add line, `coffeechat add` and the CLI's output --------------------------

SEPARATORS = re.compile(r"[,@—–-]")
# One part of a quick-add line: no separator in it, spaces folded, not empty.
part = one_line.map(lambda s: " ".join(SEPARATORS.sub("", s).split())).filter(bool)


@FEW
@given(name=part, role=part, company=part, industry=part, note=part)
def test_quick_add_keeps_each_part(tmp_path_factory, name, role, company, industry, note):
    parsed = parse_quick_add(f"{name}, {role} @ {company}, {industry} — {note}")
    assert (parsed.name, parsed.role, parsed.company, parsed.industry, parsed.note) == (
        name, role, company, industry, note)
    store = fresh_store(tmp_path_factory)
    saved = store.add_contact(parsed.contact())
    back = Store(store.path).contact(saved.id)
    assert (back.name, back.role, back.company, back.industry, back.notes) == tuple(
        map(clean, (name, role, company, industry, note)))


@FEW
@given(line=hostile)
def test_quick_add_reads_any_line_or_says_what_is_missing(line):
    try:
        parsed = parse_quick_add(line)
    except InputError as exc:
        assert "a name comes first" in str(exc)
        return
    assert parsed.name and parsed.name == " ".join(parsed.name.split())


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a terminal would run


def run_cli(*args: str) -> tuple[int, str, str]:
    """main() in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@FEW
@given(text=hostile, note=hostile)
def test_cli_prints_control_characters_escaped(tmp_path_factory, text, note):
    db = str(tmp_path_factory.mktemp("db") / "coffeechat.json")
    code, out, _ = run_cli("--db", db, "add", f"--how={note}", f"--tag={text}", "--",
                           f"N{text}, {text} @ {text}")
    assert code == 0
    added = int(out)
    long_ago = [{"stage": "contacted", "at": "2020-01-06T10:00:00+00:00"}]
    store = Store(db)
    store.add_contact(Contact(**contact_fields(text), stage="contacted", stage_history=long_ago))
    for command in (["list", "--all"], ["show", str(added)], ["show", "2"], ["agenda"],
                    ["stats"], ["draft", "2"], ["draft", str(added)], ["move", "2", "met"],
                    ["archive", "2"], ["restore", "2"]):
        code, out, err = run_cli("--db", db, *command)
        assert code == 0, (command, err)
        assert not CONTROL.search(out), command
        assert not CONTROL.search(err), command
    code, out, _ = run_cli("--db", db, "list", "--json")
    shown = {c["id"]: c for c in json.loads(out)}
    assert shown[added]["how_we_know"] == clean(note)
    assert shown[2]["notes"] == clean(contact_fields(text)["notes"])


def test_cli_in_a_real_process_escapes_and_cleans_undecodable_arguments(tmp_path):
    """Bytes that are not UTF-8 arrive as lone surrogates; stdout gets no raw ESC."""
    db = str(tmp_path / "coffeechat.json")
    cli = [sys.executable, "-m", "tui.cli", "--db", db]
    name = NAMED.encode() + b" \xff\xfe \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80"
    added = subprocess.run([*cli, "add", name], capture_output=True, check=True)
    assert added.stdout == b"1\n"
    for command in (["list"], ["show", "1"], ["draft", "1", "--my-name", b"Me \xff"],
                    ["show", "1", "--json"], ["agenda"], ["stats"]):
        done = subprocess.run([*cli, *command], capture_output=True)
        assert done.returncode == 0, (command, done.stderr)
        assert b"\x1b" not in done.stdout and b"\x1b" not in done.stderr
    shown = subprocess.run([*cli, "show", "1"], capture_output=True, check=True).stdout
    assert shown.decode().startswith(
        "[b]X[/]\\x1b[2J[link=http://e]y[/link] \ufffd\ufffd 漢字 😀 (#1)")
    assert Store(db).settings()["my_name"] == "Me \ufffd"


# -- meeting capture lines ---------------------------------------------------------------

no_by = one_line.map(lambda s: re.sub(r"(?i)\bby\b", "b y", s))


@FEW
@given(ref=one_line, todo=no_by.filter(bool), when=one_line, read=one_line.filter(bool),
       other=hostile)
def test_capture_lines_end_a_meeting_with_what_they_say(tmp_path_factory, ref, todo, when,
                                                        read, other):
    store = fresh_store(tmp_path_factory)
    alice = store.add_contact(Contact(name="Alice", stage="contacted"))
    meeting = start_meeting(store, alice.id)
    notes = "\n".join([*(f"· {line}" for line in other.splitlines()),
                       f"ref: {ref}", f"todo: {todo} by {when}", f"read: {read}"])
    captures = parse_notes(notes, FIXED_NOW)
    (promise,) = captures.todos  # the text before " by " when the rest is a date
    assert promise.text == (todo if promise.due else f"{todo} by {when}".strip())
    assert captures.reads == [read]
    assert len(captures.refs) + len(captures.problems) == 1

    end_meeting(store, plan_end(store, meeting.id, notes))

    again = Store(store.path)
    ended = again.get(Meeting, meeting.id)
    assert ended.notes == clean(notes) and ended.resources == [clean(read)]
    promised = [f.text for f in again.records(FollowUp) if f.kind == "todo"]
    assert promised == [clean(promise.text)]
    referred = [again.contact(i) for i in ended.referrals]
    assert [c.name for c in referred] == [clean(r.name) for r in captures.refs]
    assert all(c.referred_by == alice.id for c in referred)


# -- importers ---------------------------------------------------------------------------

def vcard_text(text: str) -> str:
    """What a vCard carries of a text: no CR (vobject writes it as a line break), and the
    importer trims what it reads."""
    return clean(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def ics_text(text: str) -> str:
    """What a calendar carries of a text: icalendar drops one leading BOM (U+FEFF)."""
    return text.removeprefix("\ufeff")


def write_csv(path, rows: list[list[str]]) -> None:
    out = io.StringIO()  # a file holds no lone surrogate: they are cleaned first
    csv.writer(out).writerows([[clean(c) for c in row] for row in rows])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


# A cell the importers keep as it is: trimmed (they trim cells), not starting with the
# `'` the CSV export adds before a formula.
cell = hostile.map(str.strip).filter(lambda s: not s.startswith("'"))
name_cell = one_line.filter(lambda s: s and not s.startswith("'"))


@FEW
@given(name=name_cell, role=cell, company=cell, notes=cell, location=cell)
def test_csv_import_keeps_hostile_cells(tmp_path_factory, name, role, company, notes,
                                       location):
    store = fresh_store(tmp_path_factory)
    path = store.path.with_name("in.csv")
    write_csv(path, [["Name", "Title", "Company", "Notes", "Location"],
                     [name, role, company, notes, location]])
    report = import_file(store, "csv", path)
    assert (report.new, report.skipped) == (1, [])
    (back,) = Store(store.path).contacts()
    assert (back.name, back.role, back.company, back.notes, back.location) == tuple(
        map(clean, (name, role, company, notes, location)))


@FEW
@given(first=name_cell, last=name_cell, url=cell, company=cell, position=cell, on=cell)
def test_linkedin_import_keeps_hostile_cells(tmp_path_factory, first, last, url, company,
                                            position, on):
    store = fresh_store(tmp_path_factory)
    path = store.path.with_name("Connections.csv")
    write_csv(path, [["Notes:"], ["When exporting, [b]x[/] \x1b[2J"], [],
                     ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                      "Connected On"],
                     [first, last, url, "", company, position, on]])
    report = import_file(store, "linkedin", path)
    assert report.new == 1
    (back,) = Store(store.path).contacts()
    assert (back.name, back.linkedin, back.company, back.role) == tuple(
        map(clean, (" ".join(f"{first} {last}".split()), url, company, position)))
    assert back.connected_on == "" or datetime.fromisoformat(back.connected_on)


@FEW
@given(name=name_cell, org=cell, title=cell, note=cell)
def test_vcard_import_keeps_hostile_values(tmp_path_factory, name, org, title, note):
    import vobject

    name, org, title, note = map(clean, (name, org, title, note))  # a file holds no surrogate
    card = vobject.vCard()
    card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name(family=name)
    for key, value in (("org", [org]), ("title", title), ("note", note)):
        if value:
            card.add(key).value = value
    store = fresh_store(tmp_path_factory)
    path = store.path.with_name("in.vcf")
    path.write_text(card.serialize(), encoding="utf-8", newline="")
    report = import_file(store, "vcard", path)
    assert report.new == 1
    (back,) = Store(store.path).contacts()
    assert (back.name, back.company, back.role, back.notes) == tuple(
        map(vcard_text, (name, org, title, note)))


# -- exporters, and back in --------------------------------------------------------------

def hostile_network(store: Store, text: str, line: str, notes: str) -> None:
    """A contact with `line` in every one-line field and `notes` in the long ones, a meeting
    not yet ended and an open follow-up with the same text."""
    one = {name: f"{line}{i}".strip() for i, name in enumerate(TEXT_FIELDS)}
    long = {name: f"{notes}{i}" for i, name in enumerate(("notes", "research", "culture"))}
    contact = store.add_contact(Contact(**{**one, **long, "name": f"N {line}".strip(),
                                           "tags": [f"t {line}".strip()],
                                           "connected_on": "2024-03-15",
                                           "linkedin": f"https://linkedin.com/in/{line}"}))
    store.insert_many([
        Meeting(contact_id=contact.id, started_at="2026-11-25T15:00:00+01:00", medium=line,
                notes=text),
        FollowUp(contact_id=contact.id, text=f"do {line}".strip(),
                 due="2026-11-27T09:00:00+01:00"),
    ])


no_list_separators = one_line.map(lambda s: " ".join(re.sub("[;,]", "", s).split()))


@FEW
@given(text=hostile, line=no_list_separators, notes=cell)
@example(text="", line="\\N", notes="")  # (icalendar read a typed `\N` as a line break)
def test_every_export_round_trips_or_shows_the_text(tmp_path_factory, text, line, notes):
    store = fresh_store(tmp_path_factory)
    hostile_network(store, text, line, notes)
    (contact,), (meeting,), (followup,) = (store.contacts(), store.records(Meeting),
                                           store.records(FollowUp))

    for kind in ("json", "csv", "vcard"):
        path = store.path.with_name(f"out.{kind}")
        path.write_text(export(store, kind), encoding="utf-8", newline="")
        copy = Store(tmp_path_factory.mktemp(kind) / "copy.json", clock=Clock())
        import_file(copy, kind, path)
        (back,) = copy.contacts()
        carried = {"json": TEXT_FIELDS + ["tags"], "csv": TEXT_FIELDS + ["tags"],
                   "vcard": ["name", "company", "role", "email", "phone", "linkedin", "notes",
                             "tags"]}[kind]
        expected = {f: getattr(contact, f) for f in carried}
        if kind == "vcard":
            expected["notes"] = vcard_text(expected["notes"])
        assert {f: getattr(back, f) for f in carried} == expected, kind
        if kind == "json":
            assert copy.data() == store.data()

    calendar = icalendar.Calendar.from_ical(export(store, "ics"))
    (event,) = calendar.walk("VEVENT")
    (todo,) = calendar.walk("VTODO")
    assert str(event["summary"]) == ics_text(f"{meeting.medium} with {contact.name}".strip())
    assert str(todo["summary"]) == ics_text(followup.text)

    markdown = export(store, "markdown")
    if meeting.notes.strip():  # fenced, exactly as typed
        assert "\n".join(meeting.notes.splitlines()) in markdown
    activity = export(store, "markdown", activity=True)
    assert activity.count("\n") == 5  # title, blank, header, rule, one stage change



# -- the app -----------------------------------------------------------------------------

PRINTED = "[b]X[/]\\x1b[2J[link=http://e]y[/link]"  # NAMED as labels show it
TYPED = "[b]X[/]\u241b[2J[link=http://e]y[/link]"  # NAMED as text fields show it
CARD = PRINTED[:24]  # what a board card has room for


def shows_literally(app, shown: str = PRINTED, times: int = 1) -> str:
    """The screen holds `shown` (no markup read) and no control character (no escape sent)."""
    text = screen_text(app)
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert text.count(shown) >= times, [line for line in text.splitlines() if "X" in line]
    return text


@pytest.mark.long
async def test_every_screen_shows_a_hostile_name_literally(store, db_path):
    referrer = store.add_contact(Contact(name=NAMED, role=NAMED, company=NAMED))
    contact = store.add_contact(Contact(
        name=NAMED, role=NAMED, company=NAMED, how_we_know=NAMED, research=NAMED,
        referred_by=referrer.id, stage="contacted", tags=[NAMED],
        stage_history=[{"stage": "contacted", "at": "2026-11-01T10:00:00+01:00"}]))
    store.insert(FollowUp(contact_id=contact.id, text=NAMED, due="2026-11-20T10:00:00+01:00"))
    app = make_app(store)
    async with app.run_test(size=(200, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shows_literally(app, shown=CARD, times=2)  # a card in target and one in contacted

        await pilot.press("2", "enter")
        await wait_for_screen(pilot, ContactScreen)
        shows_literally(app, times=8)  # header, links, fields, follow-up, research
        await pilot.press("escape", "a")
        await wait_for_screen(pilot, AgendaScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shows_literally(app, shown="todo: " + PRINTED)
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozeScreen)
        shows_literally(app, shown=f"— {CARD}")
        await pilot.press("escape", "escape", "t")
        await wait_for_screen(pilot, TreeScreen)
        await pilot.press("right")
        await pilot.pause()
        shows_literally(app, times=2)
        await pilot.press("escape", "2", "w")
        await wait_for_screen(pilot, AskScreen)  # the first draft asks for a name, once
        await pilot.press("escape")
        app.flush_writes()
        await wait_for_screen(pilot, DraftScreen)
        shows_literally(app, times=3)  # the header
        shows_literally(app, shown=TYPED)  # the draft itself
        await pilot.press("escape", "2", "e")
        await wait_for_screen(pilot, EditScreen)
        shows_literally(app, shown=TYPED, times=3)
        await pilot.press("escape", "2", "m")
        app.flush_writes()
        await wait_for_screen(pilot, PrepScreen)
        shows_literally(app, times=1)  # the name in the header
        await pilot.press("f5")
        app.flush_writes()
        meeting = await wait_for_screen(pilot, MeetingScreen)
        shows_literally(app, times=3)  # the name, role and company in the header at least
        meeting.notes.replace(f"ref: {NAMED} @ Acme\ntodo: {NAMED}\nread: {NAMED}", (0, 0),
                              meeting.notes.document.end)
        await pilot.pause()
        shows_literally(app, shown="ref: " + TYPED)
        await pilot.press("f8")
        await wait_for_screen(pilot, EndMeetingScreen)
        shows_literally(app, times=5)  # title, heading, new target, todo, resource
        await pilot.press("enter")
        app.flush_writes()
        await pilot.pause()
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        palette.query_one(CommandInput).value = "go to contact"  # as typed
        await wait_for_text(pilot, f"go to contact: {PRINTED}")
        shows_literally(app, shown=f"go to contact: {PRINTED}")
    disk = Store(db_path)
    (meeting,) = disk.records(Meeting)
    assert meeting.resources == [NAMED]
    assert disk.contact(meeting.referrals[0]).name == NAMED


async def test_quick_add_and_the_edit_form_save_hostile_text(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("n")
        quick_add = await wait_for_screen(pilot, QuickAddScreen)
        quick_add.query_one("#quick-add-input").value = f"{NAMED}, 漢字 😀 @ {NAMED} — {NAMED}"
        await pilot.pause()
        shows_literally(app, shown=TYPED)
        await pilot.press("enter")
        app.flush_writes()
        await pilot.pause()
        shows_literally(app, shown=CARD)
        (added,) = Store(db_path).contacts()
        assert (added.name, added.role, added.company, added.notes) == (
            NAMED, "漢字 😀", NAMED, NAMED)

        await pilot.press("e")
        form = await wait_for_screen(pilot, EditScreen)
        form.query_one("#field-location").value = f"مرحبا \u202e{NAMED}"
        form.query_one("#field-research").load_text(f"{NAMED}\n\x00\x07{BIG}")
        await pilot.pause()
        shows_literally(app, shown=TYPED, times=3)
        await pilot.press("ctrl+s")
        app.flush_writes()
        await pilot.pause()
    edited = Store(db_path).contact(added.id)
    assert edited.location == f"مرحبا \u202e{NAMED}"
    assert edited.research == f"{NAMED}\n\x00\x07{BIG}".strip()
    assert (edited.name, edited.company) == (NAMED, NAMED)


async def test_meeting_someone_new_with_a_hostile_name(store):
    app = make_app(store, meet_with=parse_quick_add(f"{NAMED} @ {NAMED}"))
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_for_screen(pilot, NewContactScreen)
        shows_literally(app, times=2)
