"""Database files known to fit: the digest of the last contents of each database that
coffeechat wrote, or read and found to fit every record kind, kept in the user's cache
folder. Opening a file whose bytes have that digest skips the record check (at 20,000
contacts it costs as much as decoding the file). The same bytes checked by the same rules
give the same answer, so the answer is kept, never guessed: a file changed by hand or by
another tool has another digest and is checked whole, and so is every file once the
rules change. Losing the cache costs one check.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from store.paths import cache_entry, keep_in_cache


def digest(contents: bytes = b"") -> hashlib._Hash:
    """A digest of file contents (fed more as they are written)."""
    return hashlib.sha256(contents)


# What a kept answer says besides "every record fits": 2, its board table is the one its
# contacts give and it has no whole number beyond 64 bits (see Store._check_records).
SAYS = 2


@cache
def rules() -> str:
    """A digest of every rule the record check applies (see store.schema) and of what a
    kept answer says: a change to either makes every kept answer unknown."""
    from store.schema import rules_text

    return hashlib.sha256(f"{SAYS}\n{rules_text()}".encode()).hexdigest()


WROTE = "wrote\n"  # what a kept answer adds for a file coffeechat wrote (store.layout)


def _answer(path: Path, contents: str) -> str | None:
    """What is kept of the file at `path` with contents of digest `contents` ("" or
    WROTE), checked by the rules of this coffeechat; None if nothing is."""
    try:
        text = cache_entry("checked", path).read_text()
    except (OSError, UnicodeDecodeError):
        return None
    head = f"{rules()}\n{contents}\n"
    return text[len(head):] if text.startswith(head) else None


def known_to_fit(path: Path, contents: str) -> bool:
    """True when the file at `path` with contents of digest `contents` was found to fit
    every record kind by the rules of this coffeechat."""
    return _answer(path, contents) is not None


def wrote(path: Path, contents: str) -> bool:
    """True when coffeechat wrote those contents: they lie as store.layout says."""
    return _answer(path, contents) == WROTE


def fits(path: Path, contents: str, wrote: bool = False) -> None:
    """Keep that the file at `path` with contents of digest `contents` fits every kind
    (and that coffeechat `wrote` it). A cache: a folder that cannot be written only
    costs the next open a check."""
    keep_in_cache(cache_entry("checked", path),
                  f"{rules()}\n{contents}\n{WROTE if wrote else ''}".encode())
