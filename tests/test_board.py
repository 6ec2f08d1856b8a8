"""The board, driven by keys the way a user drives it; checked on screen and on disk."""

from __future__ import annotations

from store.db import Store
from store.followups import log_interaction
from store.quickadd import parse_quick_add
from store.records import REPLY_KIND
from tests.disk import tables_on_disk
from tests.screen import screen_text, started, wait_for_screen, wait_for_text
from tui.app import make_app
from tui.modals.help import HelpScreen


def seed(store, *lines_and_stages):
    ids = []
    for line, stage in lines_and_stages:
        ids.append(store.add_contact(parse_quick_add(line).contact(stage=stage)).id)
    return ids


def on_disk(db_path):
    return tables_on_disk(db_path).get("contacts", {})


async def settle(app, pilot):
    app.flush_writes()
    await pilot.pause()


async def test_columns_show_counts_and_cards(store):
    seed(store, ("Jane Doe, VP Engineering @ Acme", "target"), ("Bob Lee @ Globex", "met"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        text = screen_text(app)
        for title in ("target 1", "contacted 0", "met 1", "thanked 0", "referred 0"):
            assert title in text
        assert "Jane Doe" in text and "VP Engineering @ Acme" in text
        assert "coffeechat · coffeechat.json · 2 contacts" in text


async def test_arrows_and_letters_move_between_columns_and_cards(store):
    seed(store, ("Ann A", "target"), ("Ben B", "target"), ("Cat C", "contacted"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        assert board.focused_contact().name == "Ben B"  # newest first
        await pilot.press("down")
        assert board.focused_contact().name == "Ann A"
        await pilot.press("k")
        assert board.focused_contact().name == "Ben B"
        await pilot.press("end")
        assert board.focused_contact().name == "Ann A"
        await pilot.press("home")
        assert board.focused_contact().name == "Ben B"
        await pilot.press("pagedown")
        assert board.focused_contact().name == "Ann A"
        await pilot.press("pageup", "right")
        assert board.focused_contact().name == "Cat C"
        await pilot.press("l")
        assert board.focused_column().stage == "met" and board.focused_contact() is None
        await pilot.press("left", "h", "j")
        assert board.focused_contact().name == "Ann A"
        await pilot.press("5")
        assert board.focused_column().stage == "referred"
        await pilot.press("2")
        assert board.focused_contact().name == "Cat C"


async def test_move_keys_change_stage_keep_focus_and_save(store, db_path):
    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("greater_than_sign")
        assert app.screen.focused_column().stage == "contacted"
        assert app.screen.focused_contact().name == "Jane Doe"
        await pilot.press("shift+right", "shift+right", "less_than_sign")
        await settle(app, pilot)
        assert app.screen.focused_column().stage == "met"
        assert "met 1" in screen_text(app)
    history = on_disk(db_path)[str(jane)]["stage_history"]
    assert [h["stage"] for h in history] == ["target", "contacted", "met", "thanked", "met"]


async def test_quick_add_lands_in_the_focused_column(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "n")
        await pilot.press(*"Bob Lee, Director @ Globex, data")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.focused_contact().name == "Bob Lee"
        assert "Director @ Globex" in screen_text(app)
    (doc,) = on_disk(db_path).values()
    assert (doc["name"], doc["role"], doc["company"], doc["industry"], doc["stage"]) == (
        "Bob Lee", "Director", "Globex", "data", "met")


async def test_quick_add_without_a_name_explains_and_adds_nothing(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "@", "enter")
        assert "a name comes first" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
    assert on_disk(db_path) == {}


async def test_edit_form_saves_only_valid_values(store, db_path):
    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#field-email").value = "not-an-email"
        app.screen.query_one("#field-role").value = "CTO"
        await pilot.press("ctrl+s")
        assert "not an email address" in screen_text(app)
        await settle(app, pilot)
        assert on_disk(db_path)[str(jane)]["role"] == ""
        app.screen.query_one("#field-email").value = "jane@acme.com"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "CTO @ Acme" in screen_text(app)
    doc = on_disk(db_path)[str(jane)]
    assert (doc["role"], doc["email"]) == ("CTO", "jane@acme.com")


async def test_archive_then_undo(store, db_path):
    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("x")
        await settle(app, pilot)
        await wait_for_text(pilot, "archived Jane Doe — u to undo")
        text = screen_text(app)
        assert "archived Jane Doe — u to undo" in text and "target 0" in text
        assert "0 contacts · 1 archived" in text  # the header counts them apart
        assert on_disk(db_path)[str(jane)]["archived"] is True
        await pilot.press("v")
        assert "target 1" in screen_text(app)
        await pilot.press("v", "u")
        await settle(app, pilot)
        assert "target 1" in screen_text(app)
        assert "1 contact" in screen_text(app) and "· 1 archived" not in screen_text(app)
    assert on_disk(db_path)[str(jane)]["archived"] is False


async def test_undo_a_move(store, db_path):
    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(">", "u")
        await settle(app, pilot)
        assert app.screen.focused_contact().stage == "target"
    doc = on_disk(db_path)[str(jane)]
    assert doc["stage"] == "target" and len(doc["stage_history"]) == 1


async def test_undo_a_move_into_contacted_drops_its_message_sent(store, db_path):
    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(">")
        await settle(app, pilot)
        logged = tables_on_disk(db_path)["interactions"]
        assert [i["kind"] for i in logged.values()] == ["message sent"]
        await pilot.press("u")
        await settle(app, pilot)
    data = tables_on_disk(db_path)
    assert data["contacts"][str(jane)]["stage"] == "target" and not data["interactions"]


async def test_filter_as_you_type_and_escape_clears(store):
    seed(store, ("Jane Doe @ Acme, fintech", "target"), ("Bob Lee @ Globex, health", "met"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"glob")
        text = screen_text(app)
        assert "Bob Lee" in text and "Jane Doe" not in text and "target 0" in text
        await pilot.press("escape")
        text = screen_text(app)
        assert "Jane Doe" in text and "Bob Lee" in text


async def test_help_lists_the_keys(store):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        text = screen_text(app)
        assert "Scroll" not in text
        assert "Move the card to the next stage" in text and "Quick add" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "Move the card to the next stage" not in screen_text(app)


async def test_palette_goes_to_a_contact(store):
    seed(store, ("Jane Doe @ Acme", "target"), ("Bob Lee @ Globex", "thanked"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"go to contact bob")
        await wait_for_text(pilot, "go to contact: Bob Lee")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.focused_contact().name == "Bob Lee"


async def test_quit_leaves_everything_saved(store, db_path):
    (jane,) = seed(store, ("Jane Doe", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(">", "q")
    assert on_disk(db_path)[str(jane)]["stage"] == "contacted"


async def test_an_external_write_appears_without_losing_focus(store, db_path):
    seed(store, ("Jane Doe", "target"), ("Ann Other", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")
        assert app.screen.focused_contact().name == "Jane Doe"
        Store(db_path).add_contact(parse_quick_add("Zed New @ Elsewhere").contact(stage="met"))
        await wait_for_text(pilot, "Zed New")  # the app looks at the file every second
        assert "Zed New" in screen_text(app)
        assert app.screen.focused_contact().name == "Jane Doe"


async def test_markup_and_escapes_in_names_show_literally(store):
    seed(store, ("[b]E[/]\x1b[2J", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        text = screen_text(app)
        assert "[b]E[/]\\x1b[2J" in text


async def test_slash_and_letters_in_one_burst_all_reach_the_filter(store):
    """Over SSH or in a paste, `/fin` arrives at once; `n` must not open quick add."""
    from textual import events

    seed(store, ("Jane Doe @ Acme, fintech", "target"), ("Bob Lee @ Globex", "met"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Jane Doe")
        for key, char in (("slash", "/"), ("f", "f"), ("i", "i"), ("n", "n")):
            app.post_message(events.Key(key, char))  # queued together, like one read
        await wait_for_text(pilot, "“fin”")
        assert app.screen.model.filter_text == "fin"
        text = screen_text(app)
        assert "Jane Doe" in text and "Bob Lee" not in text
        assert "New contact in" not in text


async def test_keys_typed_after_n_in_one_burst_go_to_quick_add(store, db_path):
    """`nMax Xu` pasted or sent in one read: the letters are the new contact's name, not
    board keys (`x` would archive the focused card, `u` undo)."""
    from textual import events

    seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Jane Doe")
        for char in "nMax Xu":
            app.post_message(events.Key("space" if char == " " else char, char))
        await wait_for_text(pilot, "Max Xu")
        assert app.screen.query_one("#quick-add-input").value == "Max Xu"
        await pilot.press("enter")
        await settle(app, pilot)
        people = {doc["name"]: doc for doc in on_disk(db_path).values()}
        assert set(people) == {"Jane Doe", "Max Xu"}
        assert not people["Jane Doe"]["archived"]


async def test_move_and_undo_in_one_burst_leave_the_file_as_before(store, db_path):
    from textual import events

    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_text(pilot, "Jane Doe")
        for key, char in (("greater_than_sign", ">"), ("u", "u")):
            app.post_message(events.Key(key, char))
        await wait_for_text(pilot, "undid move")
        await settle(app, pilot)
    data = tables_on_disk(db_path)
    assert data["contacts"][str(jane)]["stage"] == "target" and not data["interactions"]


def line_with(app, text: str) -> str:
    return next(line for line in screen_text(app).splitlines() if text in line).strip()


async def test_a_move_shows_its_due_item_at_once_and_a_write_meanwhile_after(store, db_path,
                                                                            clock):
    _, ana = seed(store, ("Bob Lee @ Globex", "target"), ("Ana Lee, Analyst @ Globex", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        other = Store(db_path, clock=clock)  # another process writing: the move waits for it
        with other.transaction():
            await pilot.press(">")
            await wait_for_text(pilot, "contacted 1")
            # Not written yet, yet shown whole: the 3B its message sent starts.
            assert line_with(app, "Ana Lee —") == (
                "Ana Lee — Analyst @ Globex · 0d in contacted · next: 3B: try a second "
                "contact at Globex: Bob Lee (in 3d)")
            assert line_with(app, "▌Ana Lee").split()[-1] == "0d"
            log_interaction(other, ana, REPLY_KIND)  # they replied, logged there meanwhile
        await wait_for_text(pilot, "booster · next: they replied: schedule the meeting")
        assert line_with(app, "▌Ana Lee").split()[-2:] == ["b", "0d"]
    doc = on_disk(db_path)[str(ana)]
    assert doc["stage"] == "contacted"
    kinds = [i["kind"] for i in tables_on_disk(db_path)["interactions"].values()]
    assert kinds == [REPLY_KIND, "message sent"]


async def test_a_move_while_the_last_one_waits_for_the_file_shows_at_once(store, db_path):
    (ana,) = seed(store, ("Ana Lee, Analyst @ Globex", "target"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Ana Lee")
        with Store(db_path).transaction():  # another process writing: the moves wait
            await pilot.press(">")
            await wait_for_text(pilot, "contacted 1")
            await pilot.press(">")  # the first move's write holds the app's store
            await wait_for_text(pilot, "met 1")
        await wait_for_text(pilot, "next: send a thank-you note (tomorrow)")
    assert [h["stage"] for h in on_disk(db_path)[str(ana)]["stage_history"]] == [
        "target", "contacted", "met"]
