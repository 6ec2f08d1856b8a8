"""Keys that several screens bind the same way."""

from __future__ import annotations

from textual.binding import Binding


def help_key(screen: str, keys: str = "question_mark,f1", display: str = "?", *,
             priority: bool = False) -> Binding:
    """Help, to put first in a screen's BINDINGS: a footer too narrow for every key keeps
    the first ones, and help lists the rest. Where typing owns `?`, F1 alone."""
    return Binding(keys, "app.help", "Help", key_display=display, priority=priority,
                   id=f"{screen}.help", tooltip="Every key of this screen")
