"""Merge, distinct, delete and config: in the store and on the command line."""

from __future__ import annotations

import subprocess

import pytest

from store import settings
from store.changes import ConflictError
from store.db import Store
from store.doctor import check
from store.errors import InputError
from store.followups import log_interaction, move_contact
from store.meetings import end_meeting, plan_end, save_notes, start_meeting
from store.merge import delete_contact, mark_distinct, merge, plan_merge
from store.records import Contact, FollowUp, Interaction, Meeting
from tests.disk import tables_on_disk
from tests.inprocess import run_main


def cli(db_path, *args) -> subprocess.CompletedProcess:
    return run_main(*args, "--db", str(db_path))


@pytest.fixture
def twins(store):
    """Two records of Ana Lee, each with a meeting, follow-ups and someone they referred."""
    ana = store.add_contact(Contact(name="Ana Lee", company="Acme", role="CTO",
                                    email="ana@acme.example", tags=["fintech"]))
    twin = store.add_contact(Contact(name="ana lee", company="ACME", role="VP",
                                     phone="+1 555 0100", tags=["alumni"]))
    for person, line in ((ana, "ref: Bob Bee @ Globex"), (twin, "ref: Cy Sea @ Initech")):
        meeting = start_meeting(store, person.id)
        save_notes(store, meeting.id, f"{line}\ntodo: send the deck by fri")
        end_meeting(store, plan_end(store, meeting.id))
    log_interaction(store, twin.id, "reply received")
    return store.contact(ana.id), store.contact(twin.id)


def test_merge_moves_everything_and_undo_gives_the_same_bytes(store, db_path, twins):
    ana, twin = twins
    before = db_path.read_bytes()
    heard = []
    store.subscribe(heard.append)
    plan = plan_merge(store, ana.id, twin.id)
    assert [c.name for c in plan.conflicts] == ["name", "role", "company"]
    assert plan.moved == {"interactions": 1, "meetings": 1, "followups": 2, "kept_drafts": 0}
    role = next(c for c in plan.fields if c.name == "role")
    role.take_other = True
    merge(store, plan)

    kept = store.contact(ana.id)
    assert (kept.role, kept.phone, kept.email) == ("VP", "+1 555 0100", "ana@acme.example")
    assert kept.tags == ["fintech", "alumni"] and kept.stage == "met"
    assert kept.stage_history == sorted(kept.stage_history, key=lambda e: e["at"])
    other = store.contact(twin.id)
    assert (other.archived, other.merged_into) == (True, ana.id)
    for cls in (Interaction, Meeting, FollowUp):
        assert not store.find(cls, contact_id=twin.id)
    assert {c.name for c in store.find(Contact, referred_by=ana.id)} == {"Bob Bee", "Cy Sea"}
    assert check(db_path).healthy

    store.revert(heard[-1], "merge")
    assert db_path.read_bytes() == before


def test_a_merge_after_either_contact_changed_is_refused(store, twins):
    ana, twin = twins
    plan = plan_merge(store, ana.id, twin.id)
    move_contact(Store(store.path), twin.id, "thanked")
    with pytest.raises(ConflictError, match="changed since the merge view opened"):
        merge(store, plan)
    assert store.contact(twin.id).merged_into is None


def test_doctor_is_clean_after_marking_a_pair_distinct(store, db_path, twins):
    ana, twin = twins
    assert not check(db_path).healthy
    mark_distinct(store, twin.id, ana.id)
    assert check(db_path).healthy


def test_delete_refuses_while_referred_then_clears_the_links(store, db_path, twins):
    ana, _ = twins
    before = db_path.read_bytes()
    with pytest.raises(InputError, match="referred 1 contact"):
        delete_contact(store, ana.id)
    assert db_path.read_bytes() == before
    delete_contact(store, ana.id, links="clear")
    data = tables_on_disk(db_path)
    assert str(ana.id) not in data["contacts"]
    assert all(d["contact_id"] != ana.id for t in ("meetings", "followups")
               for d in data[t].values())
    bob = next(d for d in data["contacts"].values() if d["name"] == "Bob Bee")
    assert bob["referred_by"] is None
    (copy,) = (db_path.parent / "coffeechat-backups").glob(f"before-delete-{ana.id}-*.json")
    assert copy.read_bytes() == before


def test_cli_merge_without_a_terminal_needs_yes(store, db_path, twins):
    ana, twin = twins
    before = db_path.read_bytes()
    done = cli(db_path, "merge", str(ana.id), str(twin.id))
    assert done.returncode == 1 and db_path.read_bytes() == before
    assert done.stderr.strip().endswith("add --yes to merge anyway")
    done = cli(db_path, "merge", str(ana.id), str(twin.id), "--yes")
    assert done.returncode == 0, done.stderr
    assert f"merged #{twin.id} into Ana Lee (#{ana.id})" in done.stdout
    assert "role           CTO  (conflict — #1: CTO · #2: VP)" in done.stdout
    assert Store(db_path).contact(twin.id).merged_into == ana.id
    assert cli(db_path, "doctor").returncode == 0


def test_cli_delete_and_distinct(store, db_path, twins):
    ana, twin = twins
    done = cli(db_path, "delete", str(ana.id), "--yes")
    assert done.returncode == 1 and "say whether to clear or keep" in done.stderr
    assert cli(db_path, "distinct", str(ana.id), str(twin.id)).returncode == 0
    assert cli(db_path, "doctor").returncode == 0
    done = cli(db_path, "delete", str(ana.id), "--yes", "--keep-links")
    assert done.returncode == 0 and "deleted Ana Lee" in done.stdout
    assert Store(db_path).find(Contact, referred_by=ana.id)  # kept, pointing at #1


def test_cli_add_names_a_likely_duplicate_and_adds_anyway(store, db_path):
    store.add_contact(Contact(name="Ana Lee", company="Acme"))
    done = cli(db_path, "add", "Ana Lee @ ACME")
    assert done.returncode == 0 and done.stdout.strip() == "2"
    assert "looks like Ana Lee (#1): coffeechat merge 1 2" in done.stderr
    assert len(Store(db_path).contacts()) == 2


@pytest.mark.parametrize("entry", settings.SETTINGS, ids=lambda s: s.key)
def test_every_setting_round_trips_through_config(store, db_path, entry):
    typed = entry.show(entry.default) if entry.kind != "text" else "Jo Park"
    done = cli(db_path, "config", entry.key, typed)
    assert done.returncode == 0, done.stderr
    assert settings.get(Store(db_path), entry.key) == entry.parse(typed)
    shown = cli(db_path, "config", entry.key)
    assert shown.stdout.startswith(f"{entry.key} = ")
    listing = cli(db_path, "config").stdout
    assert all(f"{s.key} = " in listing for s in settings.SETTINGS)


@pytest.mark.parametrize(("key", "bad"), [("weekly_goal", "zero"), ("nudge_after_days", "-1"),
                                          ("dayfirst", "maybe"), ("nope", "1")])
def test_config_refuses_bad_values_and_changes_nothing(store, db_path, key, bad):
    before = db_path.read_bytes()
    done = cli(db_path, "config", key, bad)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert db_path.read_bytes() == before
