"""A screen's thread workers hand their results to the UI thread through here."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen


def hand_back(screen: Screen, show: Callable, *args: object) -> None:
    """Run `show(*args)` on the UI thread if `screen` is still there by then: a result that
    arrives after the screen was closed, or while the app is closing and has already
    removed its widgets, has nothing left to show it in."""

    def shown() -> None:
        if screen.app.is_running and screen.is_attached:
            show(*args)

    screen.app.call_from_thread(shown)
