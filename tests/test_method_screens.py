"""The 2-Hour Job Search method on screen, driven by keys: the short email's checks live
in the draft screen, the employers screen scores the LAMP list."""

from __future__ import annotations

from store.db import Store
from store.records import Contact
from tests.disk import tables_on_disk
from tests.screen import screen_text, wait_for_screen, wait_for_text, wait_until
from tui.app import make_app
from tui.screens.draft import DraftScreen
from tui.screens.employers import EmployersScreen


def referred_target(store: Store) -> Contact:
    store.set_setting("my_name", "Jo Park")
    ben = store.add_contact(Contact(name="Ben Okafor", stage="referred"))
    return store.add_contact(Contact(name="Ana Lee", role="CTO", company="Acme",
                                     industry="fintech", referred_by=ben.id))


async def test_the_short_email_checks_follow_typing_in_the_draft(store):
    referred_target(store)
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1", "w")
        await wait_for_screen(pilot, DraftScreen)
        await wait_for_text(pilot, "✓ connection first")
        shown = screen_text(app)
        assert "✓ the ask is a question" in shown and "✓ about them" in shown
        await pilot.press(*"I need advice. ")
        await wait_for_text(pilot, "✗ connection first")
        assert "the first sentence does" in screen_text(app)
        for _ in range(len("I need advice. ")):
            await pilot.press("backspace")
        await wait_for_text(pilot, "✓ connection first")


# -- the employers screen (the LAMP list) --------------------------------------------------


def lamp_list(store: Store) -> None:
    from store.employers import set_employer

    set_employer(store, "Acme", {"motivation": 2, "posting": 3})
    set_employer(store, "Globex", {"motivation": 3, "posting": 1, "advocacy": True})
    for name in ("Hooli", "Initech", "Umbrella", "Wayne"):
        set_employer(store, name, {"motivation": 1})
    store.add_contact(Contact(name="Priya Rao", company="GLOBEX"))


def on_disk(db_path, name: str) -> dict:
    data = tables_on_disk(db_path)
    return next(doc for doc in data["employers"].values() if doc["name"] == name)


async def test_employers_screen_marks_the_top_five_and_a_key_saves_a_score(store, db_path):
    lamp_list(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await wait_for_screen(pilot, EmployersScreen)
        shown = await wait_for_text(pilot, "★ Globex")
        lines = [line.strip() for line in shown.splitlines()]
        listed = [line for line in lines if line.endswith((" contact", " contacts"))]
        # M, then P, then A: Globex (M3), Acme (M2), then the M1s by name; the 6th unmarked.
        assert [line.split()[0] for line in listed] == ["★"] * 5 + ["Wayne"]
        assert listed[0].startswith("★ Globex") and listed[1].startswith("★ Acme")
        assert "★ Acme" in shown and "M3 P1 A✓" in shown and "1 contact" in shown
        await pilot.press("down", "m")  # Acme: motivation 2 → 3, now above Globex (P3 > P1)
        await wait_until(pilot, lambda: on_disk(db_path, "Acme")["motivation"] == 3,
                         "Acme's motivation saved")
        await wait_until(pilot, lambda: screen_text(app).index("★ Acme") <
                         screen_text(app).index("★ Globex"), "Acme sorted first")
        await pilot.press("a", "p")
        await wait_until(pilot, lambda: (on_disk(db_path, "Acme")["advocacy"],
                                         on_disk(db_path, "Acme")["posting"]) == (True, 1),
                         "advocacy and posting saved")
        await pilot.press("enter")
        await wait_for_text(pilot, "Acme: contacts and 3B7")
        # Acme M3 P1 A✓ ties Globex now and comes first by name; the cursor stayed on it.
        await pilot.press("down")
        await wait_for_text(pilot, "Globex: contacts and 3B7")
        await wait_for_text(pilot, "Priya Rao  target: the next one to write to")
        # Another process scores an employer: the open screen shows it.
        from store.employers import set_employer

        set_employer(Store(db_path), "Wayne", {"motivation": 3, "posting": 3})
        await wait_for_text(pilot, "★ Wayne")


async def test_employers_screen_adds_one_by_name(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await wait_for_screen(pilot, EmployersScreen)
        await wait_for_text(pilot, "none yet")
        await pilot.press("n", *"Stripe", "enter")
        await wait_for_text(pilot, "★ Stripe")
        assert on_disk(db_path, "Stripe")["status"] == "active"
