"""Finding people as they are typed (accents and case ignored everywhere), the command
line's forgiving parsing, the edit form's focus and values, and the contact screen at
80x24: scrolling whatever has focus, an entry opened whole, m and w."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.db import Store
from store.records import Contact, Interaction, Meeting
from store.text import fold
from tests.disk import tables_on_disk
from tests.screen import screen_text, wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.cli.main import main
from tui.modals.entry import EntryScreen
from tui.modals.form import EditScreen
from tui.screens.contact import ContactScreen
from tui.screens.draft import DraftScreen
from tui.screens.prep import PrepScreen


def contacts_on_disk(db_path) -> dict:
    return tables_on_disk(db_path)["contacts"]


def cli(capsys, db_path, *args) -> tuple[int, str, str]:
    code = main([*args, "--db", str(db_path)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("typed, name", [
    ("jose", "José Núñez"), ("JOSÉ  núñez", "José Núñez"), ("is", "İsmail Kaya"),
    ("anja strasse", "Anja Straße"), ("zoe", "Zoë Ø"),
])
def test_fold_makes_what_is_typed_meet_the_name(typed, name):
    assert fold(name).startswith(fold(typed))


def test_resolve_ignores_accents_and_case(store):
    jose = store.add_contact(Contact(name="José Núñez"))
    ismail = store.add_contact(Contact(name="İsmail Kaya"))
    assert store.resolve("jose").id == jose.id
    assert store.resolve("jose nunez").id == jose.id
    assert store.resolve("is").id == ismail.id


def test_show_finds_a_name_typed_without_accents(store, db_path, capsys):
    store.add_contact(Contact(name="José Núñez", company="Globex"))
    code, out, _ = cli(capsys, db_path, "show", "jose")
    assert code == 0 and out.startswith("José Núñez (#1)")


def test_an_option_value_may_start_with_a_dash(store, db_path, capsys):
    store.add_contact(Contact(name="Rahul Mehta"))
    code, out, err = cli(capsys, db_path, "move", "Rahul", "contacted", "--at", "-10d")
    assert (code, err) == (0, "") and "target → contacted" in out
    (contact,) = contacts_on_disk(db_path).values()
    moved = datetime.fromisoformat(contact["stage_history"][-1]["at"])
    assert moved.date() == (datetime.now(moved.tzinfo) - timedelta(days=10)).date()


def test_a_mistyped_command_names_the_closest(db_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["agnda", "--db", str(db_path)])
    assert exit_.value.code == 2
    assert "did you mean 'agenda'?" in capsys.readouterr().err


def test_a_mistyped_stage_names_the_closest(store, db_path, capsys):
    store.add_contact(Contact(name="Rahul Mehta"))
    code, _, err = cli(capsys, db_path, "move", "rahul", "contactd")
    assert code == 1 and "did you mean contacted?" in err
    assert contacts_on_disk(db_path)["1"]["stage"] == "target"


async def test_board_filter_and_referrer_ignore_accents(store, db_path):
    jose = store.add_contact(Contact(name="José Núñez", company="Globex"))
    store.add_contact(Contact(name="Ana Lima", company="Initech"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Ana Lima")
        await pilot.press("slash", *"jose")
        await wait_until(pilot, lambda: "Ana Lima" not in screen_text(app), "the filter")
        assert "José Núñez" in screen_text(app)
        await pilot.press("escape", "escape")
        await wait_for_text(pilot, "Ana Lima")
        app.screen.select(2)
        await pilot.press("e")
        form = await wait_for_screen(pilot, EditScreen)
        form.query_one("#field-referred_by").value = "jose"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: contacts_on_disk(db_path)["2"].get("referred_by"),
                         "the referrer on disk")
    assert contacts_on_disk(db_path)["2"]["referred_by"] == jose.id


async def test_the_form_opens_on_the_first_field_with_the_cursor_at_its_end(store, db_path):
    store.add_contact(Contact(name="Jana Weber", role="Recruiter", company="Acme",
                              industry="fintech"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_text(pilot, "Jana Weber")
        await pilot.press("e")
        await wait_for_screen(pilot, EditScreen)
        await wait_until(pilot, lambda: app.focused and app.focused.id == "field-name")
        await pilot.press(*"-Kim", "tab", *" Lead", "tab", "tab", "tab", "tab", "tab",
                          "tab", "tab", "tab", "tab", "tab")
        assert app.focused.id == "field-keep_in_touch"
        await pilot.press(*"every 2 months", "ctrl+s")
        await wait_until(pilot, lambda: contacts_on_disk(db_path)["1"].get("keep_in_touch"),
                         "the edit on disk")
    saved = contacts_on_disk(db_path)["1"]
    assert (saved["name"], saved["role"], saved["company"], saved["industry"]) == (
        "Jana Weber-Kim", "Recruiter Lead", "Acme", "fintech")
    assert saved["keep_in_touch"] == "2m"


@pytest.mark.parametrize("typed, stored", [("monthly", "1m"), ("6 w", "6w"), ("3m", "3m")])
def test_every_keep_in_touch_the_readme_lists_is_accepted(typed, stored):
    from store.validate import apply_form, form_values

    contact = Contact(id=1, name="Jana Weber")
    values = form_values(contact) | {"keep_in_touch": typed}
    edited, errors = apply_form(contact, values, lambda ref: None)
    assert errors == {} and edited.keep_in_touch == stored


def test_an_unreadable_keep_in_touch_is_named_and_nothing_changes():
    from store.validate import apply_form, form_values

    contact = Contact(id=1, name="Jana Weber")
    edited, errors = apply_form(contact, form_values(contact) | {"keep_in_touch": "often"},
                                lambda ref: None)
    assert edited is None and "every 2 months" in errors["keep_in_touch"]


@pytest.fixture
def long_meeting(store) -> int:
    contact = store.add_contact(Contact(name="Priya Shah", role="Data lead", company="Globex",
                                        stage="met"))
    store.insert_many([
        Meeting(contact_id=contact.id, started_at="2026-11-20T10:00:00+01:00",
                ended_at="2026-11-20T10:40:00+01:00", state="ended",
                notes="\n".join(f"note line {n}" for n in range(1, 61))),
        Interaction(contact_id=contact.id, kind="reply received", at="2026-11-18T10:00:00+01:00",
                    text="Happy to chat\nThursday works"),
    ])
    return contact.id


async def test_the_contact_screen_scrolls_and_opens_a_meeting_whole(store, long_meeting):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ContactScreen(long_meeting))
        await wait_for_screen(pilot, ContactScreen)
        assert "Timeline" not in screen_text(app)
        await pilot.press("end")  # the links list has focus: the page scrolls all the same
        text = await wait_for_text(pilot, "note line 1  … +59 lines")
        assert "reply received  Happy to chat  … +1 line" in text and "\\n" not in text
        await pilot.press("home")
        await wait_until(pilot, lambda: "Timeline" not in screen_text(app), "the top again")
        await pilot.press("tab", "enter")
        await wait_for_screen(pilot, EntryScreen)
        assert "note line 60" not in screen_text(app)
        await pilot.press("end")
        await wait_for_text(pilot, "note line 60")
        await pilot.press("escape")
        await wait_for_screen(pilot, ContactScreen)


async def test_m_and_w_on_the_contact_screen(store, long_meeting):
    store.set_setting("my_name", "Jo Park")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ContactScreen(long_meeting))
        await wait_for_screen(pilot, ContactScreen)
        await pilot.press("w")
        await wait_for_screen(pilot, DraftScreen)
        assert "Priya" in screen_text(app)
        await pilot.press("escape")
        await wait_for_screen(pilot, ContactScreen)
        await pilot.press("m")
        await wait_for_screen(pilot, PrepScreen)
        assert "Priya Shah" in screen_text(app)


async def test_naming_a_referrer_in_the_form_moves_a_thanked_one_to_referred(store, db_path):
    """Ann was thanked; the form now says Cat came through her: Ann moves on to referred
    in the same write, and `u` takes both back."""
    ann = store.add_contact(Contact(name="Ann Adler", stage="thanked"))
    store.add_contact(Contact(name="Cat Wong", company="Initech"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Cat Wong")
        app.screen.select(2)
        await pilot.press("e")
        form = await wait_for_screen(pilot, EditScreen)
        Store(db_path).update(Contact, 2, {"role": "Analyst"})  # another shell, meanwhile
        form.query_one("#field-referred_by").value = "ann"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: contacts_on_disk(db_path)["1"]["stage"] == "referred",
                         "Ann moved on to referred")
        assert contacts_on_disk(db_path)["1"]["stage_history"][-1]["reason"] == "introduced Cat Wong"
        assert contacts_on_disk(db_path)["2"]["referred_by"] == ann.id
        assert contacts_on_disk(db_path)["2"]["role"] == "Analyst"  # their change kept
        await wait_for_text(pilot, "referred 1")  # the board shows Ann moved on
        await pilot.press("u")
        await wait_until(pilot, lambda: contacts_on_disk(db_path)["1"]["stage"] == "thanked",
                         "both undone")
        assert contacts_on_disk(db_path)["2"].get("referred_by") is None
