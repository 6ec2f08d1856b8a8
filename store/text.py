"""Text as it comes from people and files, made safe to keep and to print."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ALL_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """A str that JSON can store: lone surrogates become U+FFFD; the rest is kept."""
    s = "" if text is None else str(text)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def _escape(match: re.Match) -> str:
    return repr(match.group())[1:-1]


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """Text for a terminal: control characters shown as escapes, never executed."""
    pattern = _CONTROL if keep_newlines else _ALL_CONTROL
    return pattern.sub(_escape, text)

