"""Imports: LinkedIn, CSV, vCard and JSON files, matching, one write, nothing on failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store.db import Store
from store.demo import demo_records
from store.errors import InputError
from store.exporting import export
from store.importing import LINKEDIN_HOW, import_file
from store.records import Contact, Meeting
from store.storage import AtomicJSONStorage

FIXTURES = Path(__file__).parent / "fixtures"


def by_name(store: Store) -> dict[str, Contact]:
    return {c.name: c for c in store.contacts(include_archived=True)}


def test_linkedin_export_with_bom_quoted_preamble_and_url_column(store, db_path):
    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")

    assert (report.new, report.updated, report.unchanged) == (6, 0, 0)
    assert report.skipped == [(10, "no name")]
    assert report.notices == [(11, "unreadable date 'someday' in connected_on; left empty")]
    people = by_name(Store(db_path))
    assert sorted(people) == [
        "Bob Lee",
        "Carlos Sato",
        "Jane Doe",
        "Mina Khan",
        "Wei 张",
        "Åsa Öberg",
    ]
    jane = people["Jane Doe"]
    assert (jane.linkedin, jane.email, jane.company, jane.role, jane.connected_on) == (
        "https://www.linkedin.com/in/jane-doe-12345",
        "jane@example.com",
        "Acme",
        "VP Engineering",
        "2024-03-15",
    )
    bob = people["Bob Lee"]
    assert (bob.company, bob.role, bob.email, bob.connected_on) == (
        "Globex, Inc.",
        'Director, "Data" Team',
        "",
        "2022-02-07",
    )
    assert people["Wei 张"].role == "工程师 🚀"
    assert people["Carlos Sato"].company == "" and people["Carlos Sato"].linkedin == ""
    assert people["Mina Khan"].connected_on == ""
    assert {(c.stage, c.how_we_know) for c in people.values()} == {("target", LINKEDIN_HOW)}


def test_older_linkedin_export_without_url_column(store):
    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections_old.csv")

    assert (report.new, report.skipped) == (3, [])
    people = by_name(store)
    assert people["Alan Turing"].role == 'Mathematician, "codebreaker"'
    assert people["Alan Turing"].connected_on == "2022-06-23"
    assert people["Grace Hopper"].connected_on == "2021-12-09"
    assert people["Grace Hopper"].linkedin == ""


@pytest.mark.parametrize(
    ("kind", "name", "mapping"),
    [
        ("linkedin", "linkedin_connections.csv", ""),
        ("linkedin", "linkedin_connections_old.csv", ""),
        ("csv", "contacts_sheet.csv", ""),
        ("csv", "contacts_mapped.csv", "Person=name,Employer=company,Cell=phone"),
        ("vcard", "contacts.vcf", ""),
    ],
)
def test_running_an_import_again_adds_nothing_and_writes_nothing(
    store, db_path, kind, name, mapping
):
    first = import_file(store, kind, FIXTURES / name, mapping=mapping)
    before = db_path.read_bytes()

    again = import_file(Store(db_path), kind, FIXTURES / name, mapping=mapping)

    assert (again.new, again.updated) == (0, 0)
    assert again.unchanged == first.new + first.updated + first.unchanged
    assert db_path.read_bytes() == before


def test_a_match_fills_empty_fields_only(store):
    store.add_contact(Contact(name="Jane Doe", company="Acme", role="CTO", notes="mine"))
    store.move(1, "met")

    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")

    assert (report.new, report.updated) == (5, 1)
    jane = store.contact(1)
    assert (jane.role, jane.notes, jane.stage) == ("CTO", "mine", "met")
    assert jane.email == "jane@example.com"
    assert jane.linkedin.endswith("/in/jane-doe-12345")
    assert jane.how_we_know == LINKEDIN_HOW


def test_matching_by_url_then_email_then_name_and_company(store):
    store.add_contact(
        Contact(name="J. Doe", linkedin="http://linkedin.com/in/JANE-DOE-12345/?trk=x")
    )
    store.add_contact(Contact(name="Robert Lee", email="", company="Globex"))
    store.add_contact(Contact(name="Wei Zhang", email="WEI@example.cn"))
    store.add_contact(Contact(name="ASA  OBERG", company="initech"))

    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")

    assert (report.new, report.updated) == (3, 3)
    assert store.contact(1).email == "jane@example.com"
    assert store.contact(3).company == "北京科技"
    assert store.contact(4).linkedin == "https://www.linkedin.com/in/asa-oberg"
    assert {c.name for c in store.contacts()} >= {"Robert Lee", "Bob Lee"}


def test_two_linkedin_profiles_are_two_people_despite_the_same_name(store):
    store.add_contact(
        Contact(name="Jane Doe", company="Acme", linkedin="https://linkedin.com/in/other-jane")
    )

    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")

    assert report.new == 6
    assert [c.linkedin for c in store.contacts() if c.name == "Jane Doe"] == [
        "https://linkedin.com/in/other-jane",
        "https://www.linkedin.com/in/jane-doe-12345",
    ]


def test_generic_csv_headers_are_matched_case_insensitively(store):
    report = import_file(store, "csv", FIXTURES / "contacts_sheet.csv")

    assert (report.new, report.unchanged) == (3, 1)
    assert report.skipped == [(4, "no name")]
    assert report.notices == [(5, "unknown stage 'someday'; put in target")]
    people = by_name(store)
    priya = people["Priya Patel"]
    assert (priya.role, priya.company, priya.industry, priya.email, priya.phone) == (
        "Data Scientist",
        "Hooli",
        "fintech",
        "priya@example.com",
        "+44 20 7946 0000",
    )
    assert (priya.tags, priya.stage, priya.notes) == (
        ["alumni", "mentor"],
        "contacted",
        "Met at PyCon, 2024",
    )
    assert (people["Omar Haddad"].linkedin, people["Omar Haddad"].stage) == (
        "https://linkedin.com/in/omarh",
        "met",
    )
    assert people["Omar Haddad"].stage_history == [{"stage": "met", "at": store.now()}]
    assert people["Lina Costa"].stage == "target"


def test_map_names_columns_the_header_does_not(store):
    report = import_file(
        store,
        "csv",
        FIXTURES / "contacts_mapped.csv",
        mapping="person=name, Employer=company,CELL=phone",
    )

    assert report.new == 2
    assert [(c.name, c.company, c.phone) for c in store.contacts()] == [
        ("Kai Wagner", "Stark Energy", "555-0100"),
        ("Rosa Silva", "Blue Sun", "555-0101"),
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("Person=nickname", "unknown field 'nickname'"),
        ("Person", "'Person' is not Header=field"),
        ("Boss=name", "has no column 'boss'"),
    ],
)
def test_a_bad_map_is_refused(store, mapping, message):
    with pytest.raises(InputError, match=message):
        import_file(store, "csv", FIXTURES / "contacts_mapped.csv", mapping=mapping)


def test_a_csv_without_a_name_column_is_refused(store):
    with pytest.raises(InputError, match="no name column in the header"):
        import_file(store, "csv", FIXTURES / "contacts_mapped.csv")


def test_vcards_with_item_urls_several_emails_and_n_only(store):
    report = import_file(store, "vcard", FIXTURES / "contacts.vcf")

    assert report.new == 2
    assert report.skipped == [(22, "no name")]
    hana, leo = store.contacts()
    assert (hana.name, hana.company, hana.role, hana.email, hana.phone, hana.linkedin) == (
        "Hana Ito",
        "Tyrell Robotics, R&D",
        "CTO",
        "hana@tyrell.example",
        "+81 3 1234 5678",
        "https://www.linkedin.com/in/hana-ito",
    )
    assert hana.notes == (
        "Robots, mostly.\nLikes tea.\nalso: email hana@home.example, url https://hana.example"
    )
    assert hana.tags == ["mentor", "robotics"]
    assert (leo.name, leo.company) == ("Leo Mendes", "Massive Dynamic")


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("linkedin", "linkedin_broken_encoding.csv", "line 7 is not UTF-8 text"),
        ("linkedin", "linkedin_broken_quote.csv", "line 9 is not valid CSV"),
        ("vcard", "contacts_broken.vcf", "line 17: the vCard starting here cannot be read"),
        ("linkedin", "no_header.csv", "no LinkedIn header"),
        ("json", "linkedin_connections.csv", "line 1 is not valid JSON"),
    ],
)
def test_a_file_broken_in_its_middle_changes_nothing(store, db_path, kind, name, message):
    store.add_contact(Contact(name="Jane Doe", company="Acme"))
    before = db_path.read_bytes()

    with pytest.raises(InputError, match=message):
        import_file(store, kind, FIXTURES / name)

    assert db_path.read_bytes() == before


def test_an_error_halfway_through_the_write_changes_nothing(store, db_path, monkeypatch):
    store.add_contact(Contact(name="Jane Doe", company="Acme"))
    before = db_path.read_bytes()

    def fail(self, records):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "save_many", fail)  # runs after the new contacts are inserted
    with pytest.raises(RuntimeError):
        import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")

    assert db_path.read_bytes() == before
    assert [c.name for c in Store(db_path).contacts()] == ["Jane Doe"]


def test_an_import_is_one_write(store, monkeypatch):
    store.add_contact(Contact(name="Jane Doe", company="Acme"))
    writes = []
    original = AtomicJSONStorage._write_file
    monkeypatch.setattr(
        AtomicJSONStorage,
        "_write_file",
        lambda self, data: writes.append(1) or original(self, data),
    )

    report = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv")

    assert (report.new, report.updated, len(writes)) == (5, 1, 1)


def test_a_dry_run_reports_the_same_and_writes_nothing(store, db_path, tmp_path):
    store.add_contact(Contact(name="Jane Doe", company="Acme"))
    twin = tmp_path / "twin.json"
    shutil.copyfile(db_path, twin)
    before = db_path.read_bytes()

    dry = import_file(store, "linkedin", FIXTURES / "linkedin_connections.csv", dry_run=True)
    real = import_file(Store(twin), "linkedin", FIXTURES / "linkedin_connections.csv")

    assert db_path.read_bytes() == before
    assert (dry.new, dry.updated, dry.unchanged, dry.skipped) == (
        real.new,
        real.updated,
        real.unchanged,
        real.skipped,
    )
    assert dry.lines()[0].startswith("would import linkedin_connections.csv: 5 new, 1 updated")
    assert dry.lines()[-1] == "dry run: nothing was written"


def test_unreadable_files_are_one_clear_error(store, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_file(store, "csv", tmp_path / "missing.csv")
    with pytest.raises(InputError, match="is a folder"):
        import_file(store, "csv", tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(InputError, match="is empty"):
        import_file(store, "csv", empty)


def test_utf16_spreadsheets_with_a_bom_are_read(store, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes("Name\tCompany\nZoë Ünal\tAcme\n".encode("utf-16"))

    import_file(store, "csv", sheet)

    assert [(c.name, c.company) for c in store.contacts()] == [("Zoë Ünal", "Acme")]


def test_referred_by_names_are_linked_and_unknown_ones_reported(store, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,referred by\nAmy Ng,Bo Li\nBo Li,\nCy Po,Nobody Here\n")

    report = import_file(store, "csv", sheet)

    amy, bo, cy = store.contacts()
    assert (amy.referred_by, cy.referred_by) == (bo.id, None)
    assert report.notices == [(4, "referred_by 'Nobody Here' names no contact; left empty")]


# -- JSON backups ----------------------------------------------------------------------


def demo_store(path: Path, clock, contacts: int = 60) -> Store:
    store = Store(path, clock=clock)
    store.insert_many(demo_records(contacts, 7, clock()))
    return store


def test_json_backup_restores_exactly_and_again_adds_nothing(tmp_path, clock):
    original = demo_store(tmp_path / "a.json", clock)
    backup = tmp_path / "backup.json"
    backup.write_text(export(original, "json"))
    fresh = Store(tmp_path / "b.json", clock=clock)

    report = import_file(fresh, "json", backup)

    assert (report.new, report.updated, report.removed) == (60, 0, 0)
    assert export(Store(tmp_path / "b.json"), "json") == backup.read_text()
    before = (tmp_path / "b.json").read_bytes()
    again = import_file(fresh, "json", backup)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 60)
    assert (tmp_path / "b.json").read_bytes() == before


def test_json_restore_refuses_to_drop_records_unless_told(tmp_path, clock):
    backup = tmp_path / "backup.json"
    backup.write_text(export(demo_store(tmp_path / "a.json", clock, 5), "json"))
    other = demo_store(tmp_path / "b.json", clock, 8)
    other.save(other.contact(2).replace(notes="changed since"))
    before = (tmp_path / "b.json").read_bytes()

    with pytest.raises(InputError, match="would remove .* --replace"):
        import_file(other, "json", backup)
    assert (tmp_path / "b.json").read_bytes() == before

    report = import_file(other, "json", backup, replace=True)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 4)
    assert report.removed == len(demo_records(8, 7, clock())) - len(demo_records(5, 7, clock()))
    assert export(other, "json") == backup.read_text()
    assert len(other.records(Meeting)) == len(Store(tmp_path / "a.json").records(Meeting))


def test_json_that_is_not_a_backup_is_refused(store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"contacts": [1, 2]}')
    with pytest.raises(InputError, match="not a coffeechat backup"):
        import_file(store, "json", bad)
