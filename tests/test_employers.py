"""The LAMP list: employers as records, sorted by M, then P, then A, the top 5 active
marked; `coffeechat employers` / `employer`, a LinkedIn import filling the list, and the
reply-time classes read from the reply records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.db import Store
from store.employers import (
    add_companies, employer_contacts, employers, lamp_sorted, set_employer, top_ids,
)
from store.followups import MESSAGE_SENT, log_interaction, move_contact
from store.importing import import_file
from store.method import class_counts, reply_class, reply_classes
from store.records import Contact, Employer
from store.stats import REPLY_KIND, compute_stats
from tests.conftest import Clock
from tests.conftest import at_cet as at
from tui.cli import stats as cli_stats
from tui.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.usefixtures("local_zone_is_cet")


def lamp(name, m, p, a, status="active", id=None):
    return Employer(id=id, name=name, motivation=m, posting=p, advocacy=a, status=status)


def test_lamp_sorts_by_motivation_then_posting_then_advocacy():
    listed = [lamp("Acme", 2, 3, True), lamp("Globex", 3, 1, False), lamp("Hooli", 3, 2, False),
              lamp("Initech", 3, 2, True), lamp("Umbrella", 2, 3, False)]
    assert [e.name for e in lamp_sorted(listed)] == [
        "Initech", "Hooli", "Globex", "Acme", "Umbrella"]


def test_the_top_five_are_the_first_five_active_ones():
    listed = [lamp(f"E{i}", 3 - i % 4, 1 + i % 3, i % 2 == 0, id=i + 1) for i in range(8)]
    listed.append(lamp("Parked", 3, 3, True, status="parked", id=20))
    listed.append(lamp("Done", 3, 3, True, status="done", id=21))
    ordered = lamp_sorted(listed)
    assert [e.name for e in ordered[-2:]] == ["Parked", "Done"]  # after every active one
    assert top_ids(listed) == {e.id for e in ordered[:5]}
    assert 20 not in top_ids(listed) and len(top_ids(listed)) == 5
    assert len(top_ids(listed[:3])) == 3


def test_set_employer_creates_then_patches_matching_the_name_as_imports_do(store):
    globex, created = set_employer(store, "Globex", {"motivation": 3})
    assert created and (globex.motivation, globex.posting, globex.advocacy) == (3, 1, False)
    again, created = set_employer(store, "  GLOBEX ", {"posting": 2, "advocacy": True})
    assert not created and again.id == globex.id
    assert (again.motivation, again.posting, again.advocacy, again.rev) == (3, 2, True, 1)


def test_a_score_out_of_range_in_the_file_makes_it_read_only(db_path):
    db_path.write_text(json.dumps({"meta": {"1": {"schema": 1}},
                                   "employers": {"1": {"name": "Acme", "motivation": 7}}}))
    store = Store(db_path)
    assert [str(i) for i in store.invalid] == [
        "employers #1: motivation 7 is not one of 0, 1, 2, 3"]


def test_employers_cli_creates_patches_and_lists_as_json(db_path, capsys):
    db = ["--db", str(db_path)]
    assert main(["employer", "Globex", "--motivation", "3", "--posting", "2",
                 "--advocacy", "yes", *db]) == 0
    assert capsys.readouterr().out == "added Globex: M3 P2 A✓ active\n"
    assert main(["employer", "Acme", "--motivation", "1", *db]) == 0
    assert main(["employer", "acme", "--posting", "3", "--status", "parked", *db]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "updated Acme: M1 P3 A· parked"
    Store(db_path).add_contact(Contact(name="Priya Rao", company="globex"))
    assert main(["employers", "--json", *db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {"id": 1, "name": "Globex", "advocacy": True, "motivation": 3, "posting": 2,
         "status": "active", "notes": "", "top": True, "contacts": 1},
        {"id": 2, "name": "Acme", "advocacy": False, "motivation": 1, "posting": 3,
         "status": "parked", "notes": "", "top": False, "contacts": 0},
    ]
    assert main(["employers", *db]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "★ Globex  M3 P2 A✓  active  1 contact",
        "  Acme    M1 P3 A·  parked  0 contacts",
    ]


@pytest.mark.parametrize("option, value, message", [
    ("--motivation", "4", "motivation '4': use a whole number from 0 to 3"),
    ("--posting", "0", "posting '0': use a whole number from 1 to 3"),
    ("--posting", "two", "posting 'two': use a whole number from 1 to 3"),
    ("--advocacy", "maybe", "advocacy 'maybe': use yes or no"),
    ("--status", "gone", "status 'gone': use one of active, parked, done"),
])
def test_employer_cli_refuses_a_bad_value_and_writes_nothing(db_path, capsys, option, value,
                                                             message):
    assert main(["employer", "Globex", "--motivation", "2", "--db", str(db_path)]) == 0
    before = db_path.read_bytes()
    capsys.readouterr()
    assert main(["employer", "Globex", option, value, "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == f"coffeechat: {message}\n"
    assert db_path.read_bytes() == before
    assert main(["employer", "Newco", option, value, "--db", str(db_path)]) == 1
    assert db_path.read_bytes() == before


def test_a_linkedin_import_fills_the_list_and_never_overwrites_scores(store, db_path):
    set_employer(store, "initech", {"motivation": 3, "posting": 3, "advocacy": True})
    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")
    assert report.employers == 4 and report.summary().endswith("1 skipped, 4 new employers")
    names = {e.name: e for e in employers(Store(db_path))}
    assert sorted(names) == ["Acme", "Globex, Inc.", "Umbrella Health", "initech", "北京科技"]
    assert (names["initech"].motivation, names["initech"].advocacy) == (3, True)
    again = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")
    assert again.employers == 0 and len(employers(store)) == 5


def test_a_dry_run_adds_no_employer(store):
    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv", dry_run=True)
    assert report.employers == 5 and employers(store) == []


def test_add_companies_skips_names_already_there(store):
    add_companies(store, ["Acme", "acme ", "Globex", ""])
    assert [e.name for e in employers(store)] == ["Acme", "Globex"]


# -- reply-time classes -----------------------------------------------------------------


@pytest.mark.parametrize("reply, now, expected", [
    ("2026-12-09 23:59", "2026-12-20 09:00", "booster"),  # Wed: within Mon, Tue, Wed
    ("2026-12-10 08:00", "2026-12-20 09:00", "obligate"),  # Thu: the 3B was due
    (None, "2026-12-15 23:00", None),  # no reply yet, the 7B not due: too early to say
    (None, "2026-12-16 00:00", "curmudgeon"),  # the 7B is due, still nothing
])
def test_reply_class_from_the_first_message_and_reply(reply, now, expected):
    sent = at("2026-12-04 15:00")  # Friday after noon: the count starts Monday
    assert reply_class(sent, at(reply) if reply else None, at(now)) == expected
    assert reply_class(None, None, at(now)) is None


def test_reply_classes_are_read_from_the_records_and_counted_in_stats(db_path, capsys,
                                                                      monkeypatch):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    people = {name: store.add_contact(Contact(name=name, company="Globex")).id
              for name in ("Ann", "Bob", "Cy", "Dee")}
    for cid in people.values():
        move_contact(store, cid, "contacted")
    log_interaction(store, people["Ann"], REPLY_KIND, at=at("2026-12-08 10:00"))
    log_interaction(store, people["Bob"], REPLY_KIND, at=at("2026-12-14 10:00"))
    log_interaction(store, people["Dee"], MESSAGE_SENT, at=at("2026-12-14 10:00"))  # later
    clock.now = at("2026-12-17 09:00")
    classes = reply_classes(store, clock())
    assert classes == {people["Ann"]: "booster", people["Bob"]: "obligate",
                       people["Cy"]: "curmudgeon", people["Dee"]: "curmudgeon"}
    assert reply_classes(store, clock(), only=people["Bob"]) == {people["Bob"]: "obligate"}
    assert class_counts(classes) == {"booster": 1, "obligate": 1, "curmudgeon": 2}
    assert compute_stats(store).reply_classes == {"booster": 1, "obligate": 1, "curmudgeon": 2}
    monkeypatch.setattr(cli_stats, "open_store", lambda args, **_: Store(args.db, clock=clock))
    assert main(["stats", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "reply rate: 50% (above the normal 20%–40%)" in out
    assert "replies: 1 booster, 1 obligate, 2 curmudgeons" in out
    assert main(["stats", "--json", "--db", str(db_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reply_classes"] == {"booster": 1, "obligate": 1, "curmudgeon": 2}
    assert doc["reply_rate_normal"] == [0.2, 0.4]


def test_an_employers_contacts_say_where_each_is_in_3b7(db_path):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    globex, _ = set_employer(store, "Globex", {"motivation": 3})
    priya = store.add_contact(Contact(name="Priya Rao", company="GLOBEX"))
    store.add_contact(Contact(name="Bob Lee", company="Globex"))
    store.add_contact(Contact(name="Cy Ito", company="Initech"))
    move_contact(store, priya.id, "contacted")
    shown = [(a.contact.name, a.position)
             for a in employer_contacts(store, globex, clock())]
    assert shown == [("Priya Rao", "written Fri 4 Dec, waiting · 3B Thu 10 Dec"),
                     ("Bob Lee", "target: the next one to write to")]
    clock.now = at("2026-12-11 09:00")
    assert employer_contacts(store, globex, clock())[0].position == (
        "written Fri 4 Dec, no reply · 3B: try a second contact · 7B Wed 16 Dec")
    clock.now = at("2026-12-16 09:00")
    first = employer_contacts(store, globex, clock())[0]
    assert (first.position, first.reply_class) == (
        "written Fri 4 Dec, no reply · 7B: follow up once", "curmudgeon")


def test_a_meeting_without_a_logged_reply_stands_for_the_reply(db_path):
    clock = Clock(at("2026-12-04 15:00"))
    store = Store(db_path, clock=clock)
    quick = store.add_contact(Contact(name="Quick", company="Globex"))
    slow = store.add_contact(Contact(name="Slow", company="Globex"))
    for cid in (quick.id, slow.id):
        move_contact(store, cid, "contacted")
    move_contact(store, quick.id, "met", at=at("2026-12-08 10:00"))  # no reply logged
    move_contact(store, slow.id, "met", at=at("2026-12-15 10:00"))
    clock.now = at("2026-12-20 09:00")
    assert reply_classes(store, clock()) == {quick.id: "booster", slow.id: "obligate"}
    assert reply_classes(store, clock(), only=slow.id) == {slow.id: "obligate"}
