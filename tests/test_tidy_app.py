"""Tidying in the app: restore with x, merge and delete from the board, the duplicate
warning of quick add, the settings screen, and the draft's guards."""

from __future__ import annotations

from store import settings
from store.db import Store
from store.records import Contact, Interaction
from tests.disk import tables_on_disk
from tests.screen import screen_text, wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.modals.ask import AskScreen
from tui.modals.choice import ChoiceScreen
from tui.modals.merge import MergeScreen, PickContactScreen
from tui.modals.settings import SettingsScreen
from tui.screens.board import BoardScreen
from tui.screens.contact import ContactScreen
from tui.screens.draft import DraftScreen


def contacts_on_disk(db_path) -> dict[str, dict]:
    return tables_on_disk(db_path)["contacts"]


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_x_on_an_archived_card_restores_it_and_the_footer_says_so(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee"))
    store.set_archived(ana.id, True)
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("v")
        await wait_for_text(pilot, "Ana Lee")
        await wait_until(pilot, lambda: "x Restore" in footer(app), "x Restore in the footer")
        await pilot.press("x")
        await wait_until(pilot, lambda: not contacts_on_disk(db_path)["1"]["archived"],
                         "restored on disk")
        await wait_until(pilot, lambda: "x Archive" in footer(app), "x Archive again")
        await wait_for_text(pilot, "restored Ana Lee")


async def test_quick_add_of_a_known_person_offers_to_open_them(store, db_path):
    store.add_contact(Contact(name="Ana Lee", company="Acme", role="CTO"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"ana lee @ ACME", "enter")
        await wait_for_screen(pilot, ChoiceScreen)
        assert "Ana Lee (CTO @ Acme · target) looks like the same person" in screen_text(app)
        await pilot.press("enter")  # the default: open them
        await wait_for_screen(pilot, ContactScreen)
        assert len(contacts_on_disk(db_path)) == 1
        await pilot.press("escape", "n", *"ana lee @ ACME", "enter")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("a")
        await wait_until(pilot, lambda: len(contacts_on_disk(db_path)) == 2, "added anyway")


async def test_merge_from_the_board_and_undo_gives_the_same_bytes(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee", company="Acme", role="CTO"))
    store.add_contact(Contact(name="Bob Bee"))
    store.add_contact(Contact(name="Ana Lee", company="Acme", role="VP",
                                     email="ana@acme.example"))
    before = db_path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        board = app.screen
        await wait_until(pilot, lambda: board.focused_contact() is not None, "a card")
        board.select(ana.id)
        await pilot.press("M")
        await wait_for_screen(pilot, PickContactScreen)
        assert "looks like the same person" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, MergeScreen)
        text = screen_text(app)
        assert "CTO   (not: VP)" in text and "ana@acme.example   (from #3)" in text
        await pilot.press("1")  # take the other role
        await wait_for_text(pilot, "VP   (not: CTO)")
        await pilot.press("enter")
        await wait_until(pilot, lambda: contacts_on_disk(db_path)["3"].get("merged_into") == 1,
                         "merged on disk")
        kept = contacts_on_disk(db_path)["1"]
        assert (kept["role"], kept["email"]) == ("VP", "ana@acme.example")
        await wait_until(pilot, lambda: "1 archived" in screen_text(app), "the twin archived")
        await pilot.press("u")
        await wait_until(pilot, lambda: db_path.read_bytes() == before, "undone to the byte")
        await wait_for_text(pilot, "undid merge")


async def test_delete_from_the_board_asks_about_links_and_clears_them(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee"))
    store.add_contact(Contact(name="Bob Bee", referred_by=ana.id))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        await wait_until(pilot, lambda: board.focused_contact() is not None, "a card")
        board.select(ana.id)
        await pilot.press("D")
        await wait_for_screen(pilot, ChoiceScreen)
        assert "They referred 1: Bob Bee" in screen_text(app)
        await pilot.press("enter")  # no default: nothing happens on enter
        await wait_for_screen(pilot, BoardScreen)
        assert "1" in contacts_on_disk(db_path)
        await pilot.press("D")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("c")
        await wait_until(pilot, lambda: "1" not in contacts_on_disk(db_path), "deleted")
        assert contacts_on_disk(db_path)["2"]["referred_by"] is None
        await wait_until(pilot, lambda: "Ana Lee" not in screen_text(app), "gone from the board")


async def test_settings_screen_edits_round_trip_and_refuses_bad_values(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("comma")
        screen = await wait_for_screen(pilot, SettingsScreen)
        assert all(s.label in screen_text(app) for s in settings.SETTINGS)
        for entry in settings.SETTINGS:
            screen.query_one("#settings-list").highlighted = settings.SETTINGS.index(entry)
            await pilot.press("enter")
            field = screen.query_one("#settings-input")
            await wait_until(pilot, lambda: field.has_focus, "the field")
            before = db_path.read_bytes()
            field.value = "not a good value\x00" if entry.kind != "text" else "Jo\nPark"
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen.query_one("#settings-error").render()
                             .plain != "", f"a message for {entry.key}")
            assert db_path.read_bytes() == before
            typed = entry.show(entry.default) if entry.kind != "text" else "Jo Park"
            field.value = typed
            await pilot.press("enter")
            await wait_until(pilot, lambda: settings.get(Store(db_path), entry.key)
                             == entry.parse(typed), f"{entry.key} saved")
        await pilot.press("escape")
        await wait_for_screen(pilot, BoardScreen)
    assert Store(db_path).settings()["my_name"] == "Jo Park"


async def test_f5_on_a_job_ask_confirms_default_no_and_esc_keeps_the_draft(store, db_path):
    store.set_setting("my_name", "Jo Park")
    store.add_contact(Contact(name="Ana Lee", company="Acme", email="ana@acme.example"))
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("w")
        draft = await wait_for_screen(pilot, DraftScreen)
        draft.editor.insert("Is there an open position on your team?\n", (0, 0))
        await pilot.press("f5")
        await wait_for_screen(pilot, ChoiceScreen)
        assert "it asks for a job" in screen_text(app)
        await pilot.press("enter")  # the default: no
        await wait_for_screen(pilot, DraftScreen)
        assert not Store(db_path).records(Interaction)
        await pilot.press("f2")
        await wait_for_text(pilot, "copied all the same, but it asks for a job")
        await pilot.press("escape")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("k")
        await wait_for_screen(pilot, BoardScreen)
        app.flush_writes()
        await pilot.press("w")
        draft = await wait_for_screen(pilot, DraftScreen)
        assert draft.editor.text.startswith("Is there an open position on your team?")
        await pilot.press("f5")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: Store(db_path).records(Interaction), "logged")
    assert tables_on_disk(db_path)["kept_drafts"] == {}


async def test_the_first_draft_asks_for_my_name_once(store, db_path):
    store.add_contact(Contact(name="Ana Lee"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await wait_for_screen(pilot, AskScreen)
        await pilot.press(*"Jo Park", "enter")
        draft = await wait_for_screen(pilot, DraftScreen)
        await wait_until(pilot, lambda: "Jo Park" in draft.editor.text, "signed")
        await pilot.press("escape")
        await wait_for_screen(pilot, BoardScreen)
        await pilot.press("w")
        await wait_for_screen(pilot, DraftScreen)
    assert Store(db_path).settings()["my_name"] == "Jo Park"
