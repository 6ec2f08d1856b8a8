"""What the board's cards last showed of what is due, kept in the user's cache folder for
each database file: the moment each contact's soonest dated item turns overdue (the `!`)
and each one's reply class (its letter). The board's first frame shows them; the pass
over every record after it, which finds what is due now, repaints only the cards that
changed since (written meanwhile, or a class that time has changed). Without them, every
`!` and letter came a frame later, up to a second after the start at 20,000 contacts,
often in the middle of the first key's frames. A hint, never the truth: losing it, or
reading a bad one, costs that repaint.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from store.paths import cache_entry, keep_in_cache

if TYPE_CHECKING:
    from store.board import DueNews


class Marks(msgspec.Struct):
    """{UTC moment (ISO, to the second): the contacts overdue from then} and {reply class:
    its contacts}."""

    overdue_from: dict[str, list[int]]
    classes: dict[str, list[int]]

    def overdue(self, now: datetime) -> set[int]:
        """The contacts overdue at `now` (a moment with a zone)."""
        at = _moment(now)
        return {cid for moment, ids in self.overdue_from.items() if moment <= at for cid in ids}

    def class_of(self) -> dict[int, str]:
        return {cid: name for name, ids in self.classes.items() for cid in ids}


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def overdue_from(due: datetime) -> datetime:
    """When an item due at `due` is overdue: the local midnight after its day (see
    store.followups.is_overdue: something due today is not late yet)."""
    day = due.astimezone().date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day).astimezone()


_DECODE = msgspec.json.Decoder(Marks).decode


def kept(path: Path) -> Marks | None:
    """The marks kept for the database at `path`, if any can be read."""
    try:
        return _DECODE(cache_entry("marks", path).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None


def keep(path: Path, news: DueNews) -> None:
    """Keep what a pass over every contact found: when each one's soonest dated item
    (items come soonest first, dated before undated) turns overdue, and the reply
    classes. A cache: a folder that cannot be written costs the next start its repaint."""
    overdue: dict[str, list[int]] = {}
    moment_of: dict[datetime, str] = {}  # (contacts share their dues: each worked out once)
    for cid, item in news.soonest.items():
        if item is None or (due := item.due) is None:
            continue
        if (moment := moment_of.get(due)) is None:
            moment = moment_of[due] = _moment(overdue_from(due))
        overdue.setdefault(moment, []).append(cid)
    by_class: dict[str, list[int]] = {}
    for cid, name in news.classes.items():
        if name is not None:
            by_class.setdefault(name, []).append(cid)
    keep_in_cache(cache_entry("marks", path), msgspec.json.encode(Marks(overdue, by_class)))
