"""The 2-Hour Job Search method on screen, driven by keys: the short email's checks live
in the draft screen."""

from __future__ import annotations

from store.db import Store
from store.records import Contact
from tests.screen import screen_text, wait_for_screen, wait_for_text
from tui.app import make_app
from tui.screens.draft import DraftScreen


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
