"""The contact screen, the referral tree and the stats screen, driven by keys."""

from __future__ import annotations

import pytest

from store.db import Store
from store.records import Contact, FollowUp, Interaction, Meeting
from tests.disk import tables_on_disk
from tests.screen import screen_text, wait_for_screen
from tui.app import make_app
from tui.modals.entry import EntryScreen
from tui.screens.contact import ContactScreen
from tui.screens.tree import PAGE, ReferralTree, TreeScreen


def history(*steps: tuple[str, str]) -> dict:
    return {"stage": steps[-1][0], "stage_history": [{"stage": s, "at": at} for s, at in steps]}


def small_network(store: Store) -> dict[str, int]:
    """Ann referred Bob and Dan; Bob referred Cat; Eve stands alone."""
    ann = store.add_contact(Contact(
        name="Ann Adler", role="VP Engineering", company="Acme", email="ann@acme.example",
        research="Acme builds [bold]payments[/] APIs", culture="Cameras on in every meeting",
        **history(("target", "2026-10-01T10:00:00+01:00"), ("contacted", "2026-10-03T10:00:00+01:00"),
                  ("met", "2026-10-10T10:00:00+01:00"), ("thanked", "2026-10-11T10:00:00+01:00")),
    ))
    bob = store.add_contact(Contact(
        name="Bob Lee", role="Director", company="Globex", referred_by=ann.id,
        **history(("target", "2026-11-01T10:00:00+01:00"), ("contacted", "2026-11-02T10:00:00+01:00"),
                  ("met", "2026-11-20T10:00:00+01:00")),
    ))
    cat = store.add_contact(Contact(name="Cat Wong", company="Initech", referred_by=bob.id,
                                    **history(("target", "2026-11-21T10:00:00+01:00"))))
    dan = store.add_contact(Contact(
        name="Dan Ito", role="Analyst", referred_by=ann.id,
        **history(("target", "2026-11-10T10:00:00+01:00"), ("contacted", "2026-11-12T10:00:00+01:00")),
    ))
    store.add_contact(Contact(name="Eve Moreau", **history(("target", "2026-11-15T10:00:00+01:00"))))
    store.insert_many([
        Interaction(contact_id=bob.id, kind="message sent", channel="email",
                    at="2026-11-02T10:00:00+01:00"),
        Interaction(contact_id=bob.id, kind="reply received", text="happy to chat",
                    at="2026-11-03T18:00:00+01:00"),
        Meeting(contact_id=bob.id, started_at="2026-11-20T10:00:00+01:00",
                ended_at="2026-11-20T10:35:00+01:00", medium="coffee",
                notes="Talked about the data team\ntodo: send the article"),
        Meeting(contact_id=ann.id, started_at="2026-10-10T10:00:00+01:00",
                ended_at="2026-10-10T10:30:00+01:00", notes="Career paths"),
        FollowUp(contact_id=bob.id, text="send the article", due="2026-11-25T09:00:00+01:00"),
        FollowUp(contact_id=bob.id, text="thank-you card", done_at="2026-11-21T09:00:00+01:00"),
    ])
    return {"ann": ann.id, "bob": bob.id, "cat": cat.id, "dan": dan.id}


@pytest.fixture
def people(store) -> dict[str, int]:
    return small_network(store)


async def settle(app, pilot) -> None:
    app.flush_writes()
    await app.workers.wait_for_complete()
    await pilot.pause()


# -- the contact screen --------------------------------------------------------------


async def test_contact_to_referrer_and_back_to_the_same_card(store, people):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "enter")  # the met column holds Bob
        text = screen_text(app)
        assert "Bob Lee — Director @ Globex · met" in text
        assert "referred by: Ann Adler  thanked" in text
        assert "referred: Cat Wong  target" in text
        assert "send the article (todo, due Wed 25 Nov 08:00)" in text
        assert "thank-you card" not in text  # done
        await pilot.press("enter")  # the referrer is the first link
        text = screen_text(app)
        assert "Ann Adler — VP Engineering @ Acme · thanked" in text
        assert "referred: Bob Lee" in text and "referred: Dan Ito" in text
        assert "Acme builds [bold]payments[/] APIs" in text  # shown literally
        assert "Cameras on in every meeting" in text
        await pilot.press("escape")
        assert "Bob Lee — Director @ Globex" in screen_text(app)
        await pilot.press("down", "enter")  # the second link: Cat, whom Bob referred
        assert "Cat Wong — @ Initech · target" in screen_text(app)
        await pilot.press("escape", "escape")
        assert app.screen.focused_contact().id == people["bob"]


async def test_stage_history_shows_days_in_each_stage(store, people):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ContactScreen(people["bob"]))
        await pilot.pause()
        text = screen_text(app)
        assert "target    Sun 1 Nov 09:00    1.0" in text
        assert "contacted Mon 2 Nov 09:00   18.0" in text
        assert "met       Fri 20 Nov 09:00   3.0" in text  # 20 Nov 10:00 → 23 Nov 09:30 (+01)
        # Written Mon 2 Nov 10:00, replied the next day: a booster, read from the records.
        assert "booster: replied within 3 business days" in text
        assert "· met · #2 · booster" in text


async def test_timeline_is_newest_first_and_a_meeting_opens_to_its_notes(store, people):
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(ContactScreen(people["bob"]))
        await pilot.pause()
        lines = screen_text(app).split("\n")
        order = [i for name in ("meeting", "reply received", "message sent")
                 for i, line in enumerate(lines) if name in line and "Nov" in line]
        assert order == sorted(order) and len(order) == 3
        assert "todo: send the article" not in screen_text(app)  # the first note line only
        await pilot.press("tab", "enter")  # the timeline; its first line is the meeting
        await wait_for_screen(pilot, EntryScreen)
        assert "Talked about the data team" in screen_text(app)
        assert "todo: send the article" in screen_text(app)


async def test_edit_from_the_contact_screen_saves_and_updates_the_board(store, db_path, people):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "enter", "e")
        app.screen.query_one("#field-email").value = "not an address"
        await pilot.press("f2")
        assert "not an email address" in str(app.screen.query_one("#error-email").render())
        assert tables_on_disk(db_path)["contacts"][str(people["bob"])]["email"] == ""
        app.screen.query_one("#field-email").value = "bob@globex.example"
        app.screen.query_one("#field-role").value = "Head of Data"
        await pilot.press("f2")
        await settle(app, pilot)
        assert "Bob Lee — Head of Data @ Globex · met" in screen_text(app)
        doc = tables_on_disk(db_path)["contacts"][str(people["bob"])]
        assert (doc["role"], doc["email"]) == ("Head of Data", "bob@globex.example")
        await pilot.press("escape")
        assert app.screen.focused_contact().role == "Head of Data"
        assert "Head of Data @" in screen_text(app)  # the card (cut to its column)


# -- the referral tree ---------------------------------------------------------------


async def test_tree_grows_on_expansion_and_opens_contacts(store, people):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TreeScreen)
        text = screen_text(app)
        assert "Referral tree · 4 contacts · depth 3 · 1.50 referrals per meeting" in text
        assert "Ann Adler · thanked · led to 2" in text
        assert "Eve Moreau" not in text and "Bob Lee" not in text
        tree = app.screen.query_one(ReferralTree)
        assert [len(n.children) for n in tree.root.children] == [0]  # nothing loaded yet
        await pilot.press("space")
        text = screen_text(app)
        assert "Bob Lee · met · led to 1" in text and "Dan Ito · contacted" in text
        assert "Cat Wong" not in text
        await pilot.press("down", "l")
        assert "Cat Wong · target" in screen_text(app)
        await pilot.press("down", "enter")
        assert "Cat Wong — @ Initech · target" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, TreeScreen) and tree.cursor_node.data == people["cat"]
        await pilot.press("h")  # Cat has nobody under her: to her referrer
        assert tree.cursor_node.data == people["bob"]
        await pilot.press("h")  # Bob is open: close him
        assert "Cat Wong" not in screen_text(app)
        await pilot.press("escape")
        assert app.screen.focused_contact() is not None


async def test_tree_shows_a_long_level_a_page_at_a_time(store):
    referrers = [Contact(id=i, name=f"Root {i:03}") for i in range(1, 251)]
    referred = [Contact(id=1000 + i, name=f"Leaf {i:03}", referred_by=i) for i in range(1, 251)]
    store.insert_many(referrers + referred)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        assert "250 people nobody referred" in screen_text(app)
        tree = app.screen.query_one(ReferralTree)
        labels = [str(node.label) for node in tree.root.children]
        assert len(labels) == PAGE + 1 and labels[-1] == "… 150 more (enter shows 100)"
        tree.move_cursor(tree.root.children[-1])
        await pilot.press("enter")
        labels = [str(node.label) for node in tree.root.children]
        assert len(labels) == 2 * PAGE + 1 and labels[-1] == "… 50 more (enter shows 50)"
        assert labels[PAGE].startswith("Root 101 · target") and isinstance(app.screen, TreeScreen)


# -- the stats screen ----------------------------------------------------------------


async def test_stats_screen_shows_the_numbers_and_sets_the_goal(store, db_path, people):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        text = screen_text(app)
        assert "target         5" in text and "contacted      3" in text
        assert "reply rate                67%" in text  # Ann, Bob and Dan; Dan has not replied
        assert "Weekly goal 0 of 2 meetings this week □□" in text
        await pilot.press("g", "x", "enter")
        assert "weekly goal is a whole number" in screen_text(app)
        await pilot.press("backspace", "3", "enter")
        await settle(app, pilot)
        assert "Weekly goal 0 of 3 meetings this week □□□" in screen_text(app)
        assert tables_on_disk(db_path)["settings"]["1"]["weekly_goal"] == 3
        await pilot.press("escape")
        assert app.screen.focused_contact() is not None


# -- a snapshot of the tree unfolded (every screen at three sizes: test_snapshots_screens.py)


def snapshot_app(db_path, clock):
    store = Store(db_path, clock=clock)
    small_network(store)
    return make_app(store)


async def wait(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_tree(snap_compare, db_path, clock):
    assert snap_compare(snapshot_app(db_path, clock), terminal_size=(80, 24),
                        press=["t", "space", "down", "l"], run_before=wait)
