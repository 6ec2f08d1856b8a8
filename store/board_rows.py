"""The board table's rows decoded straight into light objects: what the board shows of
each contact while the rest of the file is still being read (see store.storage). Loaded
only by a board-first read: it needs msgspec."""

from __future__ import annotations

from typing import ClassVar

import msgspec

from store.records import headline


class BoardRow(msgspec.Struct, rename={"stage_since": "since"}):
    """A contact as the file's board table holds it: enough to show its card and the
    detail bar and to order the board by; never to write or to work anything out from
    (the board waits for the whole record for that)."""

    name: str
    role: str
    company: str
    industry: str
    stage: str
    stage_since: str
    archived: bool
    rev: int
    id: int
    notes: ClassVar[str] = ""  # (not in the table: what the board searches waits too)
    tags: ClassVar[tuple] = ()

    @property
    def headline(self) -> str:
        return headline(self.role, self.company)

    def moved(self, stage: str, at: str) -> BoardRow:
        """The row as a move to `stage` at `at` leaves it (as Contact.moved: a copy)."""
        return msgspec.structs.replace(self, stage=stage, stage_since=at)


_ROWS = msgspec.json.Decoder(dict[str, BoardRow])


def board_rows(table: bytes) -> list[BoardRow] | None:
    """The rows of the board table's JSON, in id order; None if it is not one."""
    try:
        return list(_ROWS.decode(table).values())
    except msgspec.DecodeError:
        return None
