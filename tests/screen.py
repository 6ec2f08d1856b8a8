"""Reading the terminal as the user sees it, and waiting for it, for Pilot tests.

The screen is read through Textual's public `App.export_screenshot()`: the SVG it returns
has one `<text>` element per run of characters, clipped to its terminal line and placed
at its column. Nothing here sleeps a fixed time: every wait polls a condition and fails
with what it saw once its timeout has passed (generous, so a loaded machine still
passes; a passing test never waits longer than its condition takes).
"""

from __future__ import annotations

import html
import re
import time

from rich.cells import cell_len

TIMEOUT = 30.0  # seconds; only a failing test waits this long
POLL = 0.01  # seconds between looks; each look lets the app run

_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[^"]*" textLength="([0-9.]+)" '
    r'clip-path="url\(#[^"]*-line-(\d+)\)">(.*?)</text>', re.DOTALL)


def _unescape(svg_text: str) -> str:
    # Rich writes each space as &#160; and HTML-escapes the rest; a literal U+00A0 in the
    # text stays as it is, so it is not mistaken for a space.
    return html.unescape(svg_text.replace("&#160;", " "))


def screen_text(app) -> str:
    """The text of every line on screen, top to bottom (each as wide as the terminal)."""
    width, height = app.size
    runs: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, length, line, escaped in _TEXT.findall(app.export_screenshot(simplify=True)):
        text = _unescape(escaped)
        char_width = float(length) / len(text)  # textLength is characters × char width
        column = round(float(x) / char_width)
        if column < width:  # not the line break Rich writes after each line
            runs[int(line)].append((column, text))
    lines = []
    for line_runs in runs:
        line, column = "", 0
        for start, text in sorted(line_runs):
            line += " " * (start - column) + text
            column = start + cell_len(text)
        lines.append(line + " " * (width - column))
    return "\n".join(lines)


async def wait_until(pilot, condition, what: str = "", timeout: float = TIMEOUT):
    """Let the app run until `condition()` is true; its value. Fails after `timeout` s."""
    deadline = time.monotonic() + timeout
    await pilot.pause(0)  # what is queued goes through; the screen is laid out and painted
    while True:
        started = time.monotonic()
        if value := condition():
            return value
        looked = time.monotonic() - started
        if started > deadline:
            raise AssertionError(
                f"waited {timeout:g} s for {what or condition}; the screen:\n"
                f"{screen_text(pilot.app)}")
        # The app runs in this thread: give it twice the time the look took, so that
        # reading the screen (tens of ms on a loaded machine) does not starve it.
        await pilot.pause(max(POLL, 2 * looked))


async def wait_for_screen(pilot, screen_type, timeout: float = TIMEOUT):
    """Wait until the app shows a screen of this type, laid out and painted; the screen."""
    app = pilot.app

    def shown():
        screen = app.screen
        return isinstance(screen, screen_type) and screen.is_mounted and screen

    try:
        screen = await wait_until(pilot, shown, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"{screen_type.__name__} did not open; showing {app.screen}")
    await pilot.pause()  # its first layout and paint
    return screen


async def wait_for_text(pilot, text: str, timeout: float = TIMEOUT) -> str:
    """Wait until `text` is on screen (a loaded machine may take a while); the screen."""
    shown = ""

    def on_screen():
        nonlocal shown
        shown = screen_text(pilot.app)
        return text in shown

    await wait_until(pilot, on_screen, f"{text!r} on screen", timeout)
    return shown


async def started(app, pilot):
    """The board's start done (its overdue pass, its first write): the store is free."""
    await wait_for_text(pilot, "Next stage")  # the footer, mounted once the pass is on its way
    app.flush_writes()
    await app.workers.wait_for_complete()
