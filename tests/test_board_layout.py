"""The board at any terminal size: zoom, one cursor, the detail bar, the footer, help.

Pilot tests at the sizes people use (60x20 over SSH from a phone, 80x24, 120x40), read
from the screen as the user sees it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from store.db import Store
from store.records import FollowUp
from tests.screen import screen_text, wait_for_screen, wait_for_text, wait_until
from tests.test_board import seed
from tui.app import make_app
from tui.modals.help import HelpScreen

TITLES = ("target", "contacted", "met", "thanked", "referred")


def lines(app) -> list[str]:
    return screen_text(app).splitlines()


def titles_shown(app) -> list[str]:
    """The stage titles written in the columns' top borders."""
    top = lines(app)[1]
    return [stage for stage in TITLES if f" {stage} " in top]


def columns_shown(app) -> int:
    """How many columns have a title (a strip has none): "stage count" in the top rule."""
    return len(re.findall(r"(?:─ |▶ )\S+ \d+ ", lines(app)[1]))


def network(store):
    return seed(store, ("Jane Doe, VP Engineering @ Acme Corporation, fintech", "target"),
                ("Ann Lee, Recruiter @ Globex", "target"),
                ("Bob Stone, Founder @ Initech, health", "contacted"),
                ("Cat Ruiz, Designer @ Hooli", "met"))


async def test_below_100_columns_the_focused_column_is_zoomed(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        assert titles_shown(app) == ["target"]
        text = screen_text(app)
        # The others are strips: their count, then their stage one letter a line.
        strip = [line[-4:].strip() for line in lines(app)[2:14]]
        assert strip[0] == "0" and "".join(strip[2:10]) == "referred"
        # Nothing is cut: the whole headline of every card shows, company included.
        assert "Recruiter @ Globex" in text and "VP Engineering @ Acme Corporation" in text
        await pilot.press("l")
        await wait_until(pilot, lambda: titles_shown(app) == ["contacted"], "contacted zoomed")
        assert "Founder @ Initech" in screen_text(app)
        await pilot.press("z")  # all five, however narrow
        await wait_until(pilot, lambda: columns_shown(app) == 5, "five columns")
        await pilot.press("z")
        await wait_until(pilot, lambda: titles_shown(app) == ["contacted"], "zoomed again")


async def test_z_zooms_a_wide_board_and_back(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        assert titles_shown(app) == list(TITLES)
        await pilot.press("z")
        await wait_until(pilot, lambda: titles_shown(app) == ["target"], "target zoomed")
        await pilot.press("z")
        await wait_until(pilot, lambda: columns_shown(app) == 5, "five columns")


async def test_stage_names_are_never_cut_at_80x24(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        for key, stage in zip("12345", TITLES):
            await pilot.press(key)
            await wait_until(pilot, lambda: titles_shown(app) == [stage], f"{stage} title")
            assert "…" not in lines(app)[1]


async def test_the_detail_bar_shows_the_focused_card_in_full(store, clock):
    jane, *_ = network(store)
    store.insert(FollowUp(contact_id=jane, kind="todo", text="send the article",
                          due=(clock() + timedelta(days=2)).isoformat(),
                          created_at=clock().isoformat()))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        # Ann Lee, the newest, first: nothing due
        detail = await wait_for_text(pilot, "Ann Lee — Recruiter @ Globex · 0d in target")
        await pilot.press("down")
        expected = ("Jane Doe — VP Engineering @ Acme Corporation · fintech · 0d in target"
                    " · next: todo: send the article (in 2d)")
        detail = await wait_for_text(pilot, expected)
        assert lines(app)[-2].strip() == expected  # one line, above the footer
        clock.advance(days=3)
        await pilot.press("greater_than_sign")
        await wait_for_text(pilot, "Jane Doe — VP Engineering @ Acme Corporation · fintech · "
                                   "0d in contacted")
        assert detail


async def test_only_the_focused_column_marks_its_card(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Cat Ruiz")

        def bars():
            return [(y, line.index("▌")) for y, line in enumerate(lines(app)) if "▌" in line]

        def active_column_x():
            return lines(app)[1].index("▶") - 2  # the title: "─ ▶ stage count"

        assert len(bars()) == 2  # the two lines of one card
        assert {x for _, x in bars()} == {0} == {active_column_x()}  # in the first column
        await pilot.press("l", "l")
        await wait_until(pilot, lambda: "▶ met" in lines(app)[1], "met focused")
        await wait_until(pilot, lambda: {x for _, x in bars()} == {active_column_x()},
                         "the cursor in met")
        assert len(bars()) == 2 and active_column_x() > 40


async def test_the_footer_keeps_help_and_quit(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "? Help" in lines(app)[-1], "the footer")
        assert "q Quit" in lines(app)[-1]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "^p palette" in lines(app)[-1], "the footer")
        footer = lines(app)[-1]
        assert "? Help" in footer and "x Archive" in footer  # the last key shown, whole


async def test_help_wraps_under_its_description(store):
    app = make_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        text = lines(app)
        (row,) = [y for y, line in enumerate(text) if "Quick add: name, role @ company," in line]
        column = text[row].index("Quick add")
        following = text[row + 1]
        assert following[:column].strip("│ ") == ""  # nothing in the keys' column
        assert following[column:].startswith("industry")


async def test_an_empty_board_says_what_to_do_first(store):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "press n to add")
        text = " ".join(line[:23].strip() for line in lines(app)[2:10])
        assert ("press n to add your first target, or coffeechat import linkedin "
                "Connections.csv") in " ".join(text.split())
        await pilot.press("n", *"Jane Doe", "enter")
        await wait_for_text(pilot, "Jane Doe")
        assert "press n to add" not in screen_text(app)


async def test_the_filter_header_keeps_shown_when_narrow(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("slash", *"initech")
        header = await wait_until(pilot, lambda: "shown" in lines(app)[0] and lines(app)[0],
                                  "the header's count")
        assert "“initech”: 1 shown" in header


async def test_archived_cards_say_so_in_words(store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    jane, *_ = network(store)
    store.set_archived(jane, True)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        await pilot.press("v")
        await wait_for_text(pilot, "Jane Doe")
        (line,) = [line for line in lines(app) if "Jane Doe" in line and "—" not in line]
        assert "arch 0d" in line  # the card, not the detail bar


async def test_resizing_across_100_columns_zooms_and_unzooms(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Ann Lee")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: titles_shown(app) == ["target"], "zoomed at 80")
        await pilot.press("z")
        await wait_until(pilot, lambda: columns_shown(app) == 5, "five at 80 by z")
        await pilot.resize_terminal(120, 40)  # across the width: the z choice ends
        await wait_until(pilot, lambda: columns_shown(app) == 5, "five at 120")
        await pilot.resize_terminal(90, 30)
        await wait_until(pilot, lambda: titles_shown(app) == ["target"], "zoomed at 90")


async def test_a_card_shows_how_they_reply_and_changes_when_they_do(store, db_path, clock):
    """Written to on Monday; a reply logged the next day makes them a booster: `b` on the
    card, the word in the detail bar (and a reply from another process does the same)."""
    from store.followups import move_contact
    from store.records import Interaction

    (jane,) = seed(store, ("Jane Doe @ Acme", "target"))
    move_contact(store, jane, "contacted", at=clock() - timedelta(days=1))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await wait_for_text(pilot, "Jane Doe — @ Acme · 1d in contacted")
        assert "b 1d" not in screen_text(app)
        Store(db_path).insert(Interaction(contact_id=jane, kind="reply received",
                                          at=clock().isoformat()))
        text = await wait_for_text(pilot, "1d in contacted · booster")
        card_line = next(line for line in text.splitlines() if line.startswith("▌Jane Doe")
                         or "Jane Doe " in line and "—" not in line)
        assert "b 1d" in card_line


@pytest.mark.parametrize("name", ["contact", "agenda", "draft", "stats", "tree"])
async def test_every_screen_keeps_help_in_its_footer_at_60x20(db_path, clock, name):
    from tests.test_people_screens import small_network
    from tests.test_snapshots_screens import FROM_THE_BOARD

    store = Store(db_path, clock=clock)
    small_network(store)
    store.set_setting("my_name", "Jo Park")
    keys, screen_type = FROM_THE_BOARD[name]
    app = make_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press(*keys)
        await wait_for_screen(pilot, screen_type)
        await wait_until(pilot, lambda: " Help" in lines(app)[-1], "help in the footer")
