"""Reading the terminal as the user sees it, for Pilot tests."""

from __future__ import annotations


def screen_text(app) -> str:
    """The text of every line on screen, top to bottom."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def wait_for_screen(pilot, screen_type, tries: int = 50):
    """Pause until the app shows a screen of this type (pushing one takes a few cycles)."""
    for _ in range(tries):
        if isinstance(pilot.app.screen, screen_type) and pilot.app.screen.is_mounted:
            await pilot.pause(0.1)  # its first layout and paint
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{screen_type.__name__} did not open; showing {pilot.app.screen}")


async def wait_for_text(pilot, text: str, tries: int = 100) -> str:
    """Pause until `text` is on screen (a loaded machine may take a while); the screen."""
    for _ in range(tries):
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
        await pilot.pause(0.05)
    raise AssertionError(f"never saw {text!r} on screen:\n{screen_text(pilot.app)}")
