"""Text as it comes from people and files, made safe to keep and to print."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Invisible format characters that change how a line reads: the bidi controls (U+202E
# shows the rest of a line reversed), zero-width spaces, word joiners, the BOM, the soft
# hyphen. Not U+200C/U+200D, the joiners that emoji and many scripts are written with.
INVISIBLE = frozenset(
    [0x00AD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0xFEFF, *range(0x202A, 0x202F),
     *range(0x2060, 0x2065), *range(0x2066, 0x2070), *range(0xFFF9, 0xFFFC)]
)
_INVISIBLE = "".join(map(chr, sorted(INVISIBLE)))
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_ALL_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")


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
    """Text for a terminal: control and invisible format characters shown as escapes
    (`\\x1b`, `\\u202e`), never executed nor reordering the line."""
    pattern = _CONTROL if keep_newlines else _ALL_CONTROL
    return pattern.sub(_escape, text)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # names and companies repeat across rows and lookups
def fold(text: str) -> str:
    """Text as lookups compare it: accents dropped, case folded, spaces collapsed
    ("  José  Núñez" and "jose nunez" fold alike, "İsmail" and "ismail" too)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.casefold()).strip()
